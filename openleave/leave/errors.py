"""The one domain exception of leave requests: a clear, specific message and the HTTP status it maps to."""

from __future__ import annotations


class LeaveError(Exception):
    """A request, decision or cancellation that cannot be done as asked. Nothing was written."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotDecider(LeaveError):
    """Someone who may see the request but is not the employee's supervisor or Appointing Authority/HR."""

    status = 403


class AlreadyDecided(LeaveError):
    """A request is decided only once."""

    status = 409


class Overlap(LeaveError):
    """The hours asked are already covered by another live request of the employee (pending or approved)."""

    status = 409

    def __init__(self, message: str, *, request_id: int, field: str | None = "start_date"):
        super().__init__(message, field=field)
        self.request_id = request_id
