"""The demo's leave requests go through the real services: checked, decided by a named human, with reasons."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from openleave.leave.models import LeaveRequest

pytestmark = [pytest.mark.django_db, pytest.mark.every_day]


def test_demo_requests_show_each_state_and_rerun_is_safe(people):
    call_command("load_demo_leave", verbosity=0)
    call_command("load_demo_requests", verbosity=0)
    team = LeaveRequest.objects.filter(employee__supervisor=people["sean"])
    statuses = sorted(team.values_list("status", flat=True))
    assert statuses == ["approved", "cancelled", "denied", "partly_approved", "submitted", "taken"]
    decision = team.get(status="denied").decision
    assert decision.decided_by_label.startswith("Sean McCarthy")  # a named human
    assert [g["code"] if isinstance(g, dict) else g for g in decision.grounds] == ["vacation_impracticable"]
    assert "operators" in decision.text  # the decider's own reasons
    assert team.get(status="approved").decision.decided_as == "supervisor"
    call_command("load_demo_requests", verbosity=0)
    assert LeaveRequest.objects.filter(employee__supervisor=people["sean"]).count() == 6
