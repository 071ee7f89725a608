"""Reads of the directory: finding the employee a page or an API call names, as the user may see them.

A person the user may not see is answered exactly like one who does not exist (404), so nobody learns
whether they exist (``openleave.policy``).
"""

from __future__ import annotations

from django.http import Http404

from openleave import policy

from .models import Employee


def visible_employee(user, employee_number: str, category: str = policy.LEAVE) -> Employee | None:
    """The employee with this number if ``user`` may see their ``category`` data, else None."""
    return (policy.visible_employees(user, category).select_related("agency", "title", "supervisor")
            .filter(employee_number=employee_number).first())


def employee_or_404(user, employee_number: str, category: str = policy.LEAVE) -> Employee:
    """The employee if the user may see them; otherwise 404 — the same answer whether or not they exist."""
    employee = visible_employee(user, employee_number, category)
    if employee is None:
        raise Http404("No such employee, or you may not see them.")
    return employee


def employee_by_number(employee_number: str) -> Employee | None:
    """The employee with this number, whoever asks (the caller checks what the asker may see)."""
    return Employee.objects.filter(employee_number=employee_number).first()


def employees_by_number(numbers, allowed, *, prefetch: tuple[str, ...] = (), chunk: int = 5000) -> dict[str, Employee]:
    """The employees a file names, by employee number, that ``allowed`` admits (those the importer may manage):
    one query per ``chunk`` numbers, with their title and pay calendar."""
    numbers = sorted(set(numbers))
    out: dict[str, Employee] = {}
    for i in range(0, len(numbers), chunk):
        for e in (Employee.objects.filter(employee_number__in=numbers[i:i + chunk])
                  .select_related("title", "pay_calendar").prefetch_related(*prefetch)):
            if allowed(e):
                out[e.employee_number] = e
    return out
