"""Fixtures for the steward's workspace: Erin's opening balances, a denied vacation request, a consent naming Stan."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.rules.units import to_micro


def open_balance(employee, **hours):
    """Opening balances (hours per leave type) posted through the ledger model, dated 2026-01-04."""
    from django.utils import timezone

    from openleave.leave.ledger_posting import LEDGER_LEAVE
    from openleave.ledger.models import Kind, LedgerEntry

    for name, h in hours.items():
        leave, _ = LEDGER_LEAVE[name]
        LedgerEntry.objects.create(
            employee=employee, leave=leave, kind=Kind.OPENING, micro=to_micro(h), effective_date=dt.date(2026, 1, 4),
            period_start=dt.date(2026, 1, 4), cite="opening", reason="test opening balance",
            key=f"test-open:{employee.pk}:{name}:{h}", recorded_at=timezone.now())


DENIAL_TEXT = "Two of the three cooks are already off that week; the kitchen cannot run."


@pytest.fixture
def post_balance():
    """``open_balance`` as a fixture (a test module cannot import this conftest by name)."""
    return open_balance


@pytest.fixture
def erin(people):
    open_balance(people["erin"], sick="150", vacation="75", personal="15")
    return people["erin"]


@pytest.fixture
def denied(erin, users):
    """Erin's vacation on Monday 2026-12-07, denied by her supervisor Sean under Sec. 9.8 (decided at the frozen
    clock, 2026-12-01 in New York)."""
    from openleave.leave import services as svc

    data = svc.parse_input({"kind": "vacation", "start_date": "2026-12-07", "end_date": "2026-12-07", "facts": {}})
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
    return svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="denied",
                                    grounds=["vacation_impracticable"], text=DENIAL_TEXT)


@pytest.fixture
def grant():
    """``grant(employee, steward, days=30)``: the member authorises the steward until the end of a day."""
    from django.utils import timezone

    from openleave.privacy.consent import consent_grant

    def make(employee, steward, days=30):
        until = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days),
                                                        dt.time(23, 59, 59)))
        return consent_grant(actor=employee.user, employee=employee, steward=steward, basis="grievance",
                             purpose="Grievance about a denied vacation", valid_until=until, channel="ui")

    return make


@pytest.fixture
def other_steward(people):
    """Sam Ortiz: a second union steward, who is not an employee record here."""
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    u = User.objects.create_user("steward2", password="x" * 16, first_name="Sam", last_name="Ortiz")
    u.groups.set(Group.objects.filter(name="steward"))
    return u
