"""Family and medical leave past the intermittent days (Sec. 8.7.2.B.4.a, B.4.c) is a person's decision: it lands in
the queue of the medical (FMLA) coordinator and the Appointing Authority / HR — never the supervisor's, who sees
only "family and medical leave" — and the approval needs the decider's reasons; the decision keeps the B.4.c
citation.

Erin Doyle (demo): 7.5 h a day, 37.5 h a week. B.4.a: 60 intermittent days = 60 × 7.5 h = 450 h.
"""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.leave import selectors as lsel
from openleave.leave import services as svc
from openleave.leave.errors import LeaveError, NotDecider
from openleave.leave.models import Notification
from openleave.medical.selectors import fmla_usage

from .test_fmla_usage import fmla_request

pytestmark = pytest.mark.django_db
H = 1_000_000


def sixty_days_used(erin):
    """60 intermittent days of 7.5 h already approved: the 60 weekdays from Mon 2026-06-01 (12 weeks, to
    Fri 2026-08-21)."""
    days, d = {}, dt.date(2026, 6, 1)
    while len(days) < 60:
        if d.weekday() < 5:
            days[d.isoformat()] = 7.5
        d += dt.timedelta(days=1)
    fmla_request(erin, dt.date(2026, 6, 1), dt.date(2026, 8, 21), mode="intermittent", days=days)


@pytest.fixture
def past_sixty(users, people):
    erin = people["erin"]
    sixty_days_used(erin)
    _, ent = fmla_usage(erin, dt.date(2026, 12, 7))
    # 60 × 7.5 = 450 h used = 60 days (B.4.a), none left; 450 / 37.5 = 12 weeks of 26 (B.1): 14 weeks left
    assert (ent.intermittent_days_used, ent.intermittent_days_remaining, ent.weeks_remaining) == (60, 0, 14)
    return svc.leave_request_submit(employee=erin, user=users["employee"], data=svc.parse_input({
        "kind": "fmla_medical", "start_date": "2026-12-07", "end_date": "2026-12-07",
        "facts": {"relation": "self", "mode": "intermittent", "certified": True}}))


def test_past_day_sixty_is_a_human_decision_with_the_b4c_citation(past_sixty):
    f = past_sixty.finding_at_submission
    assert f["needs_human"] and "Sec. 8.7.2.B.4.c" in f["citations"]
    assert past_sixty.visible_kind == "family and medical leave" and past_sixty.protected


def test_it_lands_in_the_coordinators_queue_not_the_supervisors(users, past_sixty):
    assert past_sixty in lsel.decision_queue(users["medical"])
    assert past_sixty in lsel.decision_queue(users["hr"])
    assert past_sixty not in lsel.decision_queue(users["supervisor"])
    told = set(Notification.objects.filter(request=past_sixty).values_list("user__username", flat=True))
    assert "medical" in told and "supervisor" not in told


def test_the_supervisor_may_not_decide_and_never_sees_the_reason(users, past_sixty):
    sup = users["supervisor"]
    req = lsel.request_for(sup, past_sixty.pk)
    assert not lsel.can_decide(sup, req)
    assert lsel.kind_shown(sup, req) == "family and medical leave"
    shown = lsel.finding_view(req.finding_at_submission, lsel.sees_everything(sup, req))
    assert shown["reasons"] == ["Protected leave: the reason is not shown."] and shown["citations"] == []
    with pytest.raises(NotDecider) as exc:
        svc.leave_request_decide(request_id=past_sixty.pk, user=sup, outcome="approved", text="Fine by me.")
    assert "Sec. 8.7.2.B.4.c" in str(exc.value)


def test_the_coordinator_approves_with_reasons(users, past_sixty):
    coord = users["medical"]
    assert lsel.sees_everything(coord, lsel.request_for(coord, past_sixty.pk))
    with pytest.raises(LeaveError) as exc:
        svc.leave_request_decide(request_id=past_sixty.pk, user=coord, outcome="approved")
    assert exc.value.field == "text"
    req = svc.leave_request_decide(request_id=past_sixty.pk, user=coord, outcome="approved",
                                   text="Operations allow one more day this week (Sec. 8.7.2.B.4.c).")
    assert req.status == "approved" and "Sec. 8.7.2.B.4.c" in req.finding_at_decision["citations"]
    assert req.decision.text.startswith("Operations allow") and req.decision.decided_by == coord
    # the day counts from now on: 60 + 1 = 61 days taken in the look-back before 2026-12-08 (B.4.a, B.4.c)
    _, ent = fmla_usage(req.employee, dt.date(2026, 12, 8))
    assert ent.intermittent_days_used == 61


def test_the_appointing_authority_may_decide_too(users, past_sixty):
    req = svc.leave_request_decide(request_id=past_sixty.pk, user=users["hr"], outcome="approved",
                                   text="Operations allow it this month.")
    assert req.status == "approved"


@pytest.mark.parametrize("kind", ["fmla_medical", "fmla_family"])
def test_who_decides_and_who_sees_an_fmla_request(users, people, kind):
    from openleave import policy
    from openleave.leave.models import LeaveRequest

    req = LeaveRequest(employee=people["erin"], kind=kind, start_date=dt.date(2026, 12, 7),
                       end_date=dt.date(2026, 12, 7), protected=True, visible_kind="family and medical leave")
    for who in ("medical", "hr"):  # the coordinator and the Appointing Authority / HR
        assert policy.can_decide(users[who], req) and policy.sees_everything(users[who], req), who
    for who in ("supervisor", "employee", "steward", "auditor", "admin"):
        assert not policy.can_decide(users[who], req), who
    for who in ("supervisor", "steward", "auditor", "admin"):
        assert not policy.sees_everything(users[who], req), who
