"""Who decides a leave request, who sees a protected reason, who designates a holiday: asked of
``openleave.policy`` — the one place — by the leave and holidays apps alike."""

from __future__ import annotations

import datetime as dt

import pytest

from openleave import policy

pytestmark = pytest.mark.django_db


def test_leave_and_holidays_apps_ask_the_policy_module():
    from openleave.holidays import services as holiday_services
    from openleave.leave import selectors

    assert selectors.can_decide is policy.can_decide
    assert selectors.sees_everything is policy.sees_everything
    assert holiday_services.can_designate is policy.can_designate


def _request(employee):
    from openleave.leave.models import LeaveRequest

    return LeaveRequest(employee=employee, kind="domestic_violence", start_date=dt.date(2026, 3, 2),
                        end_date=dt.date(2026, 3, 2), protected=True, visible_kind="protected leave")


def test_supervisor_decides_but_sees_only_the_category_of_protected_leave(users, people):
    req = _request(people["erin"])
    assert policy.can_decide(users["supervisor"], req) and not policy.sees_everything(users["supervisor"], req)
    assert policy.can_decide(users["hr"], req) and policy.sees_everything(users["hr"], req)
    assert not policy.can_decide(users["employee"], req) and policy.sees_everything(users["employee"], req)
    for role in ("auditor", "steward", "medical"):
        assert not policy.can_decide(users[role], req), role
        assert not policy.sees_everything(users[role], req), role


def test_only_hr_of_the_agency_or_a_sysadmin_designates_holidays(users, people):
    dmh, dcr = people["erin"].agency, people["dana"].agency
    assert policy.can_designate(users["hr"], dmh) and not policy.can_designate(users["hr"], dcr)
    assert policy.can_designate(users["admin"], dcr)
    for role in ("employee", "supervisor", "auditor", "steward"):
        assert not policy.can_designate(users[role], dmh), role
