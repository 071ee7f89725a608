"""What the separation commands share: the HR user who records, the employee, and one error line (exit 2)."""

from __future__ import annotations

from django.core.management.base import CommandError

from openleave.accounts.models import User
from openleave.people.selectors import employee_by_number


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def employee_and_user(employee_number: str, username: str):
    employee = employee_by_number(employee_number)
    if employee is None:
        raise fail(f"employee_number: no employee with number {employee_number!r}.")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise fail(f"--by: no active user {username!r}.")
    return employee, user
