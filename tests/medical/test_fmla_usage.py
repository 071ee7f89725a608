"""The running FMLA counters (Sec. 8.7.2.B.1, B.4.a): ``medical.selectors.fmla_usage`` reads the employee's approved
FMLA requests in the look-back window (one query) and ``leave.selectors.rule_context`` gives them to the rules, so a
second FMLA request sees the first.

Erin Doyle (demo): 37.5-hour title, full time, 7.5 h Monday–Friday. Sec. 8.7.2.B.1: up to 26 weeks within the
previous 52 weeks → 26 × 37.5 h = 975 h. B.4.a: 60 intermittent days → 60 × 7.5 h = 450 h. The clock is frozen at
2026-12-01 (tests/conftest.py); the look-back on 2026-12-01 is 2025-12-02 … 2026-11-30 (52 × 7 = 364 days back).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openleave.leave import services as svc
from openleave.leave.models import LeaveRequest
from openleave.medical.selectors import fmla_taken, fmla_usage
from openleave.rules.fmla import ContinuousFmla, IntermittentFmla

pytestmark = pytest.mark.django_db
H = 1_000_000
ON = dt.date(2026, 12, 1)
S = LeaveRequest.Status


def fmla_request(erin, start, end, *, mode="continuous", days=None, status=S.APPROVED, kind="fmla_medical"):
    """An FMLA request already decided: ``days`` ISO date → hours approved (the scheduled days when omitted)."""
    if days is None:
        days = {}
        d = start
        while d <= end:
            if d.weekday() < 5:
                days[d.isoformat()] = 7.5
            d += dt.timedelta(days=1)
    micro = {k: int(Decimal(str(v)) * H) for k, v in days.items()}
    total = sum(micro.values())
    facts = {"relation": "self", "mode": mode} if kind == "fmla_medical" else {"event": "birth"}
    return LeaveRequest.objects.create(employee=erin, kind=kind, start_date=start, end_date=end, facts=facts,
                                       status=status, requested_micro=total, allowed_micro=total, approved_micro=total,
                                       days=micro)


def test_no_fmla_leave_gives_the_whole_entitlement(people):
    taken, ent = fmla_usage(people["erin"], ON)
    assert taken == ()
    # Sec. 8.7.2.B.1: 26 weeks = 26 × 37.5 h = 975 h; B.4.a: 60 days × 7.5 h = 450 h
    assert (ent.weeks_allowed, ent.weeks_used, ent.weeks_remaining) == (26, 0, 26)
    assert (ent.hours_allowed, ent.hours_remaining) == (975 * H, 975 * H)
    assert (ent.intermittent_days_allowed, ent.intermittent_days_remaining) == (60, 60)
    assert (ent.window_from, ent.window_to) == (dt.date(2025, 12, 2), dt.date(2026, 11, 30))


def test_continuous_leave_counts_its_calendar_weeks(people):
    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 6, 1), dt.date(2026, 6, 14))  # Mon 1 – Sun 14 June: 14 days = 2 weeks
    taken, ent = fmla_usage(erin, ON)
    assert taken == (ContinuousFmla(dt.date(2026, 6, 1), dt.date(2026, 6, 14)),)
    # 2 weeks × 37.5 h = 75 h used; 975 − 75 = 900 h = 24 weeks left (Sec. 8.7.2.B.1)
    assert (ent.weeks_used, ent.weeks_remaining, ent.hours_used) == (2, 24, 75 * H)
    assert ent.intermittent_days_used == 0  # continuous leave does not draw the B.4.a days


def test_intermittent_days_count_their_hours(people):
    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 9, 7), dt.date(2026, 9, 9), mode="intermittent",
                 days={"2026-09-07": 7.5, "2026-09-08": 3.75, "2026-09-09": 7.5})
    taken, ent = fmla_usage(erin, ON)
    assert taken == (IntermittentFmla(dt.date(2026, 9, 7), micro=int(7.5 * H)),
                     IntermittentFmla(dt.date(2026, 9, 8), micro=int(3.75 * H)),
                     IntermittentFmla(dt.date(2026, 9, 9), micro=int(7.5 * H)))
    # 7.5 + 3.75 + 7.5 = 18.75 h = 2.5 days of 7.5 h (B.4.a): 60 − 2.5 = 57.5 days left;
    # 18.75 / 37.5 = 0.5 week used, 25.5 left (B.1)
    assert (ent.intermittent_days_used, ent.intermittent_days_remaining) == (Decimal("2.5"), Decimal("57.5"))
    assert (ent.weeks_used, ent.weeks_remaining) == (Decimal("0.5"), Decimal("25.5"))


def test_what_does_not_count(people):
    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 6, 1), dt.date(2026, 6, 5), status=S.CANCELLED)
    fmla_request(erin, dt.date(2026, 6, 8), dt.date(2026, 6, 12), status=S.DENIED, days={})
    fmla_request(erin, dt.date(2026, 6, 15), dt.date(2026, 6, 19), status=S.SUBMITTED)  # not yet decided
    fmla_request(erin, dt.date(2025, 11, 3), dt.date(2025, 11, 7))  # before the window (2025-12-02)
    fmla_request(erin, dt.date(2026, 12, 7), dt.date(2026, 12, 11))  # on or after the day asked
    assert fmla_taken(erin, ON) == ()


def test_a_partly_approved_continuous_leave_ends_at_its_last_approved_day(people):
    erin = people["erin"]
    r = fmla_request(erin, dt.date(2026, 6, 1), dt.date(2026, 6, 14),
                     days={"2026-06-01": 7.5, "2026-06-02": 7.5, "2026-06-03": 7.5}, status=S.PARTLY_APPROVED)
    r.requested_micro = 75 * H
    r.save(update_fields=["requested_micro"])
    assert fmla_taken(erin, ON) == (ContinuousFmla(dt.date(2026, 6, 1), dt.date(2026, 6, 3)),)


def test_family_leave_counts_against_the_same_weeks(people):
    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 3, 2), dt.date(2026, 3, 29), kind="fmla_family")  # 28 days = 4 weeks
    _, ent = fmla_usage(erin, ON, reason="family")
    # Sec. 8.7.2.A.1: 26 weeks in all, 4 used → 22 left
    assert (ent.weeks_used, ent.weeks_remaining) == (4, 22)


def ask(kind, start, end=None, *, facts):
    return svc.parse_input({"kind": kind, "start_date": start, "end_date": end or start, "facts": facts})


def test_a_second_fmla_request_sees_the_first(people, users):
    erin = people["erin"]
    first = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask(
        "fmla_medical", "2026-12-07", "2026-12-08", facts={"relation": "self", "mode": "intermittent",
                                                          "certified": True}))
    assert first.finding_at_submission["extra"]["intermittent_days_remaining_before"] == "60"
    # notice given 2026-12-01, after the 30 days before 2026-12-07 (Sec. 8.7.2.B.3): a person decides, with reasons
    svc.leave_request_decide(request_id=first.pk, user=users["hr"], outcome="approved",
                             text="Notice as soon as practicable; approved.")
    second = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask(
        "fmla_medical", "2026-12-14", facts={"relation": "self", "mode": "intermittent", "certified": True}))
    # the first request's two days of 7.5 h are in the look-back before 14 Dec: 60 − 2 = 58 days (B.4.a)
    assert second.finding_at_submission["extra"]["intermittent_days_remaining_before"] == "58"
    # and 2 × 7.5 = 15 h of 975 h: 960 h = 25.6 weeks left (B.1)
    assert second.finding_at_submission["extra"]["weeks_remaining_before"] == "25.6"
