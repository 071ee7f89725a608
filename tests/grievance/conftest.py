"""Fixtures: Erin's vacation request of Mon 2026-12-07, denied by Sean on the frozen day (Tue 2026-12-01, New York)."""

from __future__ import annotations

import pytest

from openleave.rules.units import to_micro


@pytest.fixture
def erin(people):
    import datetime as dt

    from django.utils import timezone

    from openleave.leave.ledger_posting import LEDGER_LEAVE
    from openleave.ledger.models import Kind, LedgerEntry

    e = people["erin"]
    for name, h in (("vacation", "75"), ("sick", "150")):
        LedgerEntry.objects.create(
            employee=e, leave=LEDGER_LEAVE[name][0], kind=Kind.OPENING, micro=to_micro(h),
            effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="opening",
            reason="test opening balance", key=f"test-open:{e.pk}:{name}", recorded_at=timezone.now())
    return e


@pytest.fixture
def denied(erin, users):
    """The Decision: vacation on 2026-12-07 denied by the supervisor, Sec. 9.5 ground, with words."""
    from openleave.leave import services as svc

    data = svc.parse_input({"kind": "vacation", "start_date": "2026-12-07", "end_date": "2026-12-07", "facts": {}})
    req = svc.leave_request_submit(employee=erin, user=users["employee"], data=data)
    svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="denied",
                             grounds=["vacation_impracticable"], text="We are short-staffed that week.")
    req.refresh_from_db()
    return req.decision


@pytest.fixture
def make_user(db):
    from django.contrib.auth.models import Group

    from openleave.accounts.models import User

    def make(username, roles, agency=None, employee=None):
        user = User.objects.create(username=username, email=f"{username}@example.org", agency=agency)
        user.groups.set(Group.objects.filter(name__in=roles))
        if employee is not None:
            employee.user = user
            employee.save()
        return user

    return make
