"""The designation (Sec. 8.1.M, 8.7.2) and the certification request (Sec. 8.7.2.B.1): by the medical coordinator of
the employee's agency only, with reasons; append-only (a new designation supersedes, never edits); the entitlement
snapshot from the rules; the employee told; a refusal writes nothing.

Erin Doyle (demo): service since 2014-10-06, no probationary period left, 37.5 h a week, 7.5 h a day. Sec. 8.7.2.B.1:
26 weeks × 37.5 h = 975 h within the previous 52 weeks; B.4.a: 60 intermittent days × 7.5 h = 450 h. The clock is
frozen at Tue 2026-12-01 (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from openleave.audit.models import AccessLog
from openleave.leave.models import LeaveRequest, Notification
from openleave.medical import services
from openleave.medical.errors import MedicalError, NotAllowed
from openleave.medical.models import FmlaDesignation

from .test_fmla_usage import fmla_request

pytestmark = pytest.mark.django_db
H = 1_000_000


@pytest.fixture
def case(users, people):
    return services.fmla_case_open(employee=people["erin"], reason="own_condition", schedule="intermittent",
                                   expected_start="2026-12-07", expected_end="2027-03-05", by=users["employee"])


def designate(case, users, **kw):
    args = {"outcome": "designated", "reasons": "D-1 received and complete; the condition qualifies.", **kw}
    return services.fmla_case_designate(case=case, by=users["medical"], **args)


def test_the_coordinator_designates_with_the_entitlement_snapshot(users, people, case, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 9, 7), dt.date(2026, 9, 18))  # Mon 7 – Fri 18 Sep: 12 days continuous
    with django_capture_on_commit_callbacks(execute=True):
        d = designate(case, users, citations="Appendix D-1")
    # As of the case's first day, 2026-12-07: the look-back 2025-12-08 … 2026-12-06 holds the 12 calendar days:
    # 12/7 weeks × 37.5 h = 64.2857… h; 975 − 64.29 = 910.71 h = 24.2857 weeks left (Sec. 8.7.2.B.1).
    assert d.as_of == dt.date(2026, 12, 7)
    assert (d.weeks_allowed, d.weeks_used, d.weeks_remaining) == (26, Decimal("1.7143"), Decimal("24.2857"))
    assert (d.intermittent_days_allowed, d.intermittent_days_used, d.intermittent_days_remaining) == (60, 0, 60)
    assert d.eligibility == "eligible" and d.supersedes is None
    assert {"Sec. 8.1.M", "Sec. 8.7.2.B.1", "Sec. 8.7.2.B.4.a", "Appendix D-1"} <= set(d.citations)
    assert d.decided_by == users["medical"] and "coordinator" in d.decided_by_label
    row = AccessLog.objects.filter(subject=erin, object_type="fmla_designation").latest("id")
    assert row.action == "change" and row.actor == users["medical"] and "designated" in row.fields
    note = Notification.objects.filter(user=erin.user).latest("id")
    assert note.url == f"/employees/{erin.employee_number}/fmla/{case.pk}/notice/"
    assert len(mailoutbox) == 1 and f"/fmla/{case.pk}/notice/" in mailoutbox[0].body


def test_a_new_designation_supersedes_and_never_edits(users, case):
    first = designate(case, users, outcome="declined", reasons="No certification yet.")
    second = designate(case, users, reasons="The D-1 has come in; designated.")
    first.refresh_from_db()
    assert (first.outcome, first.reasons) == ("declined", "No certification yet.")  # unchanged
    assert second.supersedes == first
    current = FmlaDesignation.objects.filter(case=case, superseded_by__isnull=True)
    assert list(current) == [second]
    with pytest.raises(IntegrityError), transaction.atomic():  # a second "first" designation of the same case
        FmlaDesignation.objects.create(**{**{f.name: getattr(second, f.name) for f in FmlaDesignation._meta.fields
                                             if f.name not in ("id", "supersedes")}})


@pytest.mark.parametrize("kw, field", [
    ({"outcome": "maybe"}, "outcome"),
    ({"reasons": "   "}, "reasons"),
    ({"waiver_granted": True}, "waiver_reasons"),
    ({"waiver_granted": True, "waiver_reasons": "Catastrophic illness.", "outcome": "declined"}, "waiver_granted"),
    ({"waiver_granted": True, "waiver_reasons": "Not needed."}, "waiver_granted"),  # erin is eligible
])
def test_bad_input_names_the_field_and_writes_nothing(users, case, kw, field):
    before = (FmlaDesignation.objects.count(), AccessLog.objects.count())
    with pytest.raises(MedicalError) as exc:
        designate(case, users, **kw)
    assert exc.value.field == field
    assert (FmlaDesignation.objects.count(), AccessLog.objects.count()) == before


def test_a_closed_case_is_not_designated(users, case):
    services.fmla_case_close(case=case, by=users["hr"])
    with pytest.raises(MedicalError) as exc:
        designate(case, users)
    assert exc.value.status == 409 and not FmlaDesignation.objects.exists()


@pytest.mark.parametrize("who", ["employee", "supervisor", "hr", "steward", "auditor", "admin"])
def test_only_the_coordinator_designates(users, case, who):
    with pytest.raises(NotAllowed):
        services.fmla_case_designate(case=case, by=users[who], outcome="designated", reasons="I decide.")
    with pytest.raises(NotAllowed):
        services.fmla_certification_request(case=case, by=users[who])
    assert not FmlaDesignation.objects.exists()


def test_an_ineligible_employee_is_designated_only_with_the_waiver(users, people):
    erin = people["erin"]
    # A newcomer: hired 2026-05-04, probation to 2026-12-31. On 2026-12-07 that is 7 full months (from 2026-11-04
    # the 6 months of Sec. 8.7.2.B.2 are completed) but still within probation: waiver_possible.
    erin.service_start = erin.original_hire_date = dt.date(2026, 5, 4)
    erin.probation_end = dt.date(2026, 12, 31)
    erin.save()
    case = services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-07",
                                   by=users["employee"])
    with pytest.raises(MedicalError) as exc:
        designate(case, users)
    assert exc.value.field == "waiver_granted" and "Sec. 8.7.2.A.2 / B.2" in exc.value.message
    d = designate(case, users, waiver_granted=True, waiver_reasons="Satisfactory evidence of a catastrophic illness.")
    assert (d.eligibility, d.waiver_granted) == ("waiver_possible", True)
    declined = designate(case, users, outcome="declined", reasons="Withdrawn.")  # declining needs no eligibility
    assert declined.supersedes == d


def test_a_not_eligible_employee_is_not_designated(users, people):
    erin = people["erin"]
    case = services.fmla_case_open(employee=erin, reason="own_condition", expected_start="2026-12-07",
                                   by=users["employee"])
    # HR then corrects her record (opening a case for an ineligible employee is itself refused, test_cases.py):
    # hired 2026-09-07 with probation: on 2026-12-07 only 3 months — not yet the 6 months of B.2: not_eligible
    erin.service_start = erin.original_hire_date = dt.date(2026, 9, 7)
    erin.probation_end = dt.date(2027, 3, 8)
    erin.save()
    with pytest.raises(MedicalError) as exc:
        designate(case, users, waiver_granted=True, waiver_reasons="Catastrophic illness.")
    assert "not eligible" in exc.value.message and not FmlaDesignation.objects.exists()


def test_the_certification_request_sets_the_due_date(users, people, case):
    erin = people["erin"]
    c = services.fmla_certification_request(case=case, by=users["medical"], on="2026-12-01")
    # Sec. 8.1.M / Appendix D-1: returned within 15 calendar days of receipt: 2026-12-01 + 15 = 2026-12-16
    assert (c.certification_requested_on, c.certification_due) == (dt.date(2026, 12, 1), dt.date(2026, 12, 16))
    assert AccessLog.objects.filter(subject=erin, object_type="fmla_case", fields__contains="due 2026-12-16").exists()
    assert Notification.objects.filter(user=erin.user, subject="Medical certification requested").exists()
    with pytest.raises(MedicalError) as exc:
        services.fmla_certification_request(case=case, by=users["medical"], on="2026-11-01")
    assert exc.value.field == "on"  # before the case was opened


def test_fmla_leave_requests_are_counted_not_cancelled_ones(users, people, case):
    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 6, 1), dt.date(2026, 6, 14), status=LeaveRequest.Status.CANCELLED)
    d = designate(case, users)
    assert d.weeks_used == 0


def test_the_designation_keeps_what_the_entitlement_relied_on(users, people, case):
    from openleave.rules.params import default_tree
    from openleave.rules.provenance import code_version, facts_from_json, fmla_taken_from_json

    erin = people["erin"]
    fmla_request(erin, dt.date(2026, 9, 7), dt.date(2026, 9, 18))
    d = designate(case, users)
    inputs = d.entitlement["inputs"]
    assert inputs["param_hash"] == default_tree().content_hash() and inputs["code_version"] == code_version()
    assert inputs["on"] == "2026-12-07" and facts_from_json(inputs["facts"]) == erin.facts()
    # Replayed from what it kept: the same weeks used (Sec. 8.7.2.B.1: 12 days = 1.7143 weeks).
    from openleave.rules import fmla

    again = fmla.fmla_entitlement(facts_from_json(inputs["facts"]), dt.date(2026, 12, 7),
                                  fmla_taken_from_json(inputs["fmla_taken"]), reason=inputs["reason"]).value
    assert again.as_json() == {k: v for k, v in d.entitlement.items() if k not in ("inputs", "reasons")}
