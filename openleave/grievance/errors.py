"""Refusals of the grievance app: a clear message naming the field (shown as a 400 / a form error)."""

from __future__ import annotations


class GrievanceRefused(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
