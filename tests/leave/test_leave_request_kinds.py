"""Hand-worked cases per kind through the service layer: the arithmetic and the section in each test.

Erin Doyle (demo): Food Service Worker I, 37.5-hour title, full time, 7.5 h Monday–Friday, so a
contract "day" is 7.5 h (Sec. 8.9 / 9.16). Opening balances (tests/leave/conftest.py): sick 150 h,
vacation 75 h, personal 15 h. December 2026: Mon 7 – Fri 11 and Mon 14 – Fri 18 are work days;
Fri 25 is Christmas (Art. 10, no leave charged).
"""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.leave import services as svc
from openleave.leave.errors import LeaveError
from openleave.leave.models import LeaveRequest, RequestCharge
from openleave.ledger.models import Kind, LedgerEntry
from openleave.ledger.selectors import balance_parts

pytestmark = pytest.mark.django_db
H = 1_000_000


def submit(erin, users, ask, *args, **kw):
    return svc.leave_request_submit(employee=erin, user=users["employee"], data=ask(*args, **kw))


def past_family_care(erin, hours: int):
    """An approved family-care sick request earlier in 2026 that used ``hours`` of the 60-day cap."""
    r = LeaveRequest.objects.create(employee=erin, kind="sick", start_date=dt.date(2026, 2, 2),
                                    end_date=dt.date(2026, 2, 2), facts={"purpose": "family_care", "relation": "parent"},
                                    status=LeaveRequest.Status.TAKEN, requested_micro=hours * H, approved_micro=hours * H)
    RequestCharge.objects.create(request=r, leave_type="sick", micro=hours * H)


def test_family_care_60_day_cap_allows_2_of_3_days(erin, users, ask):
    # Sec. 8.1.C.2: 60 days a calendar year = 60 × 7.5 h = 450 h. Used 58 days = 435 h; room 15 h.
    # Asked Mon 7 – Wed 9 Dec = 3 × 7.5 = 22.5 h → 15 h (2 days) allowed, charged to sick (Sec. 8.1.F).
    past_family_care(erin, 435)
    p = svc.leave_request_check(employee=erin, data=ask("sick", "2026-12-07", "2026-12-09",
                                                        facts={"purpose": "family_care", "relation": "parent"}))
    assert p.finding.outcome == "partly_allowed"
    assert (p.finding.requested_micro, p.finding.allowed_micro) == (22_500_000, 15_000_000)
    assert "Sec. 8.1.C.2" in p.finding.citations
    assert any("15 h of 22.5 h allowed: 60-day family-care cap" in r for r in p.finding.reasons)
    assert p.balances_after["sick"] == (150 - 15) * H
    req = submit(erin, users, ask, "sick", "2026-12-07", "2026-12-09", facts={"purpose": "family_care", "relation": "parent"})
    assert req.reserved == {"sick": 15 * H}
    req = svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="partly_approved",
                                   approved_hours="15", grounds=["sick_cap_reached"],
                                   text="The 60-day family-care limit leaves two days this year.")
    assert req.status == "partly_approved" and req.approved_micro == 15 * H
    assert req.days == {"2026-12-07": 7_500_000, "2026-12-08": 7_500_000}
    debit = LedgerEntry.objects.get(key=f"leave-request:{req.pk}:sick")
    assert (debit.kind, debit.micro, debit.cite) == (Kind.USAGE, -15 * H, "Sec. 8.1.F")


def test_sick_own_illness_charged_in_15_minute_units(erin, users, ask):
    # Sec. 8.1.F: charged in units of 15 minutes, never less than the time off: 1 h 05 min → 1.25 h.
    req = submit(erin, users, ask, "sick", "2026-12-07", start_time="09:00", end_time="10:05",
                 facts={"purpose": "medical_appointment"})
    assert req.requested_micro == 1_083_333  # 65 minutes in micro-hours (rounded down to the µh)
    assert req.reserved == {"sick": 1_250_000}


def test_sick_beyond_credits_is_refused_with_the_section(erin, users, ask):
    # Sec. 8.1.N: no leave beyond the credits. 150 h sick = 20 days; 21 work days asked (Dec 1–29, less 25th
    # Christmas) → 157.5 h, only 150 h can be charged: partly allowed; the rest may go to vacation (8.1.G).
    p = svc.leave_request_check(employee=erin, data=ask("sick", "2026-12-01", "2026-12-30"))
    assert p.finding.requested_micro == 21 * 7_500_000
    assert p.finding.allowed_micro == 150 * H
    assert "Sec. 8.1.N" in p.finding.citations and "vacation" in p.finding.alternatives
    # At the employee's choice the rest goes to vacation (Sec. 8.1.G, own illness: no approval needed).
    p = svc.leave_request_check(employee=erin, data=ask("sick", "2026-12-01", "2026-12-30",
                                                        facts={"charge_excess_to": ["vacation"]}))
    assert p.finding.allowed_micro == 157_500_000
    assert dict(p.finding.charges) == {"sick": 150 * H, "vacation": 7_500_000}


def test_vacation_needs_a_named_human_and_debits_the_ledger_then_cancel_reverses(erin, users, ask):
    # Art. 9: 3 days × 7.5 h = 22.5 h charged hour for hour (Sec. 9.10); the AA schedules (Sec. 9.8).
    req = submit(erin, users, ask, "vacation", "2026-12-07", "2026-12-09")
    assert req.status == "submitted" and req.finding_at_submission["outcome"] == "needs_decision"
    held = balance_parts(erin, dt.date(2026, 12, 7))["vacation"]
    assert (held.balance, held.pending, held.available) == (75 * H, 22_500_000, 52_500_000)  # 75 − 22.5 held
    req = svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    charged = balance_parts(erin, dt.date(2026, 12, 6))["vacation"]  # the day before: charged for later days
    assert (charged.balance, charged.booked, charged.pending, charged.available) == (75 * H, 22_500_000, 0, 52_500_000)
    assert req.decision.decided_by == users["supervisor"] and req.decision.decided_as == "supervisor"
    req = svc.leave_request_cancel(request_id=req.pk, user=users["employee"])
    assert req.status == "cancelled"
    assert balance_parts(erin, dt.date(2026, 12, 7))["vacation"].available == 75 * H
    rev = LedgerEntry.objects.get(kind=Kind.REVERSAL, employee=erin)
    assert rev.micro == 22_500_000 and rev.reverses.key == f"leave-request:{req.pk}:vacation"
    assert req.charges.get().reversed_at is not None


def test_christmas_is_not_charged(erin, users, ask):
    # Art. 10: Thu 24 and Fri 25 Dec asked; 25th is a legal holiday → 7.5 h only.
    p = svc.leave_request_check(employee=erin, data=ask("vacation", "2026-12-24", "2026-12-25"))
    assert p.finding.requested_micro == 7_500_000


def test_personal_leave_in_half_hour_units(erin, users, ask):
    # Sec. 8.2.B: hour for hour, in units of not less than ½ hour: 1.25 h off → 1.5 h charged.
    p = svc.leave_request_check(employee=erin, data=ask("personal", "2026-12-07", hours="1.25"))
    assert dict(p.finding.charges) == {"personal": 1_500_000}
    assert p.finding.outcome == "needs_decision"  # approved by the Appointing Authority (8.2.A)


def test_domestic_violence_15_days_and_protected(erin, users, ask):
    # Sec. 8.12: 15 days × 7.5 h = 112.5 h a calendar year, in addition to other paid leave.
    # Two weeks asked (Dec 7–18 = 10 days = 75 h): all allowed, no credit drawn.
    req = submit(erin, users, ask, "domestic_violence", "2026-12-07", "2026-12-18")
    assert (req.requested_micro, req.allowed_micro, req.reserved) == (75 * H, 75 * H, {"domestic_violence": 75 * H})
    assert req.protected and req.visible_kind == "protected leave"
    # A second request of 10 days in the same year: 112.5 − 75 = 37.5 h (5 days) left.
    p = svc.leave_request_check(employee=erin, data=ask("domestic_violence", "2026-12-21", "2026-12-31"))
    assert p.finding.allowed_micro == 37_500_000


def test_bereavement_parent_4_days_within_30_days(erin, users, ask):
    # Sec. 8.3.B: a parent → 4 days = 30 h within 30 calendar days of the death (Nov 30 → Dec 30).
    # Asked Mon 7 – Fri 11 Dec (5 days, 37.5 h): 30 h allowed; the 5th day may go to vacation on request.
    p = svc.leave_request_check(employee=erin, data=ask("bereavement", "2026-12-07", "2026-12-11",
                                                        facts={"relation": "parent", "date_of_death": "2026-11-30"}))
    assert p.finding.allowed_micro == 30 * H
    assert p.finding.outcome == "partly_allowed"
    assert any(c.startswith("Sec. 8.3") for c in p.finding.citations)


def test_voting_two_hours(erin, users, ask):
    # Sec. 8.4: up to 2 hours when hours of work preclude voting; 3 h asked → 2 h.
    p = svc.leave_request_check(employee=erin, data=ask("voting", "2026-12-08", hours="3",
                                                        facts={"election_date": "2026-12-08", "hours_preclude_voting": True}))
    assert p.finding.allowed_micro == 2 * H and "Sec. 8.4" in p.finding.citations


def test_jury_duty_paid_for_time_lost(erin, users, ask):
    # Sec. 8.5.A: leave with pay for the time lost, on presenting the summons: 2 days = 15 h.
    p = svc.leave_request_check(employee=erin, data=ask("civic", "2026-12-07", "2026-12-08",
                                                        facts={"purpose": "jury", "summons_presented": True}))
    assert p.finding.allowed_micro == 15 * H and dict(p.finding.charges) == {"civic": 15 * H}


def test_comp_time_without_a_balance_cannot_be_submitted(erin, users, ask):
    # Sec. 7.2.G / 8.1.N: no comp time banked → nothing allowed → submission refused with the reason.
    with pytest.raises(LeaveError) as exc:
        submit(erin, users, ask, "comp_time", "2026-12-07")
    assert exc.value.message.startswith("The contract allows none of this request")


def test_auto_approval_only_when_switched_on_and_recorded(erin, users, ask):
    # Off by default: a vacation request waits for a human. Switched on for vacation in DMH: decided by the
    # setting, and the decision names the rule and the setting.
    from openleave.leave.models import AutoApproval

    req = submit(erin, users, ask, "vacation", "2026-12-07")
    assert req.status == "submitted"
    s = AutoApproval.objects.create(agency=erin.agency, kind="vacation", enabled=True, set_by=users["hr"])
    req = submit(erin, users, ask, "vacation", "2026-12-08")
    req.refresh_from_db()
    assert req.status == "approved"
    assert req.decision.decided_as == "auto" and req.decision.auto_setting == s
    assert "auto-approval of vacation" in req.decision.auto_rule


def test_charges_fixed_at_decision_survive_a_later_schedule_change(erin, users, ask):
    # The hours charged are fixed when decided: a later change of schedule never rewrites them.
    req = submit(erin, users, ask, "vacation", "2026-12-07")
    req = svc.leave_request_decide(request_id=req.pk, user=users["supervisor"], outcome="approved")
    erin.work_schedule = {"mon": "10", "tue": "10", "wed": "10", "thu": "7.5"}
    erin.save()
    req.refresh_from_db()
    assert req.charges.get().micro == 7_500_000 and req.days == {"2026-12-07": 7_500_000}
    assert LedgerEntry.objects.get(key=f"leave-request:{req.pk}:vacation").micro == -7_500_000
