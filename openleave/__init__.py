"""openleave — absence & leave management for NAGE Unit 3 that applies the contract exactly."""

__version__ = "0.1.0"
