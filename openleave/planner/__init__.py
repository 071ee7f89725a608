"""The leave planner: projected balances for planned leave (nothing submitted), and read-only shared plans."""
