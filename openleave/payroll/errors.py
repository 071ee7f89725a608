"""The payroll app's one exception: a clear message naming the field, and the HTTP status it maps to."""

from __future__ import annotations


class PayrollError(Exception):
    """An export, download or reconciliation that cannot be done as asked. Nothing was written."""

    def __init__(self, message: str, *, field: str = "", status: int = 422):
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field
        self.status = status
