"""The medical coordinator's home is the FMLA work queue: cases waiting for the eligibility notice (Sec. 8.1.M),
certifications due or overdue, entitlements ending (Sec. 8.7.2.B.1), intermittent use near the days of B.4.a —
with dates, citations and a link, most urgent first; the page, the home page and the API; nobody else has it.

Clock frozen at Tue 2026-12-01 (tests/conftest.py). Erin Doyle (demo, DMH): 37.5 h a week, 7.5 h a day; 26 weeks
(B.1) and 60 intermittent days (B.4.a) within the previous 52 weeks. Maya Chen ("medical") is DMH's coordinator.
"""

from __future__ import annotations

import datetime as dt

import pytest

from openleave.audit.models import AccessLog
from openleave.medical import queue, services

from .test_fmla_usage import fmla_request

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def cases(users, people):
    erin, other = people["erin"], people["dmh_other"]
    # Erin: opened today (Tue 2026-12-01) by her request, no designation: the eligibility notice within 5 business
    # days (Sec. 8.1.M) → Wed 2, Thu 3, Fri 4, Mon 7, Tue 8 → due 2026-12-08. Certification due Sat 2026-11-28:
    # overdue by 3 days (Sec. 8.1.M).
    a = services.fmla_case_open(employee=erin, reason="own_condition", schedule="intermittent",
                                expected_start="2026-06-01", expected_end="2027-05-31", by=users["employee"])
    a.certification_due = dt.date(2026, 11, 28)
    a.save(update_fields=["certification_due"])
    # 57 intermittent days of 7.5 h since 2026-06-01: 60 − 57 = 3 days left (B.4.a)
    days, d = {}, dt.date(2026, 6, 1)
    while len(days) < 57:
        if d.weekday() < 5:
            days[d.isoformat()] = 7.5
        d += dt.timedelta(days=1)
    fmla_request(erin, dt.date(2026, 6, 1), d, mode="intermittent", days=days)
    # the other DMH employee: opened by the coordinator, certification due Fri 2026-12-04 (in 3 days)
    b = services.fmla_case_open(employee=other, reason="care_parent", schedule="continuous",
                                expected_start="2026-12-07", by=users["medical"])
    b.certification_due = dt.date(2026, 12, 4)
    b.save(update_fields=["certification_due"])
    return a, b


def test_queue_rows_their_dates_citations_and_order(cases):
    a, b = cases
    items = queue.work_queue(TODAY, agency_id=a.employee.agency_id)
    got = [(i.kind, i.case_id, i.date) for i in items]
    assert got == [
        ("certification_overdue", a.pk, dt.date(2026, 11, 28)),  # 3 days overdue: first
        ("intermittent_near", a.pk, TODAY),  # today's figure: 3 intermittent days left
        ("certification_due", b.pk, dt.date(2026, 12, 4)),
        ("waiting_notice", a.pk, dt.date(2026, 12, 8)),  # 5 business days after 12-01 (Sec. 8.1.M)
        ("waiting_notice", b.pk, dt.date(2026, 12, 8)),
    ]
    by = {(i.kind, i.case_id): i for i in items}
    assert by[("certification_overdue", a.pk)].days_overdue == 3
    assert "Sec. 8.1.M" in by[("waiting_notice", a.pk)].citations
    near = by[("intermittent_near", a.pk)]
    assert near.title == "3 intermittent days left" and near.citations == ("Sec. 8.7.2.B.4.a",)
    assert near.url == f"/employees/{a.employee.employee_number}/fmla/{a.pk}/"


def test_a_designated_case_no_longer_waits_for_its_notice(cases, users):
    a, _ = cases
    services.fmla_case_designate(case=a, by=users["medical"], outcome="designated",
                                 reasons="Certification to follow; the leave qualifies.")
    kinds = {(i.kind, i.case_id) for i in queue.work_queue(TODAY)}
    assert ("waiting_notice", a.pk) not in kinds


def test_the_coordinators_home_page_is_the_queue_without_medical_detail(cases, users, client_for):
    a, b = cases
    page = client_for(users["medical"]).get("/").content.decode()
    assert "FMLA work queue (5)" in page
    assert f"Case no. {a.pk}" in page and "2026-11-28" in page and "3 days overdue" in page
    assert "serious health" not in page and "Care of a parent" not in page
    rows = AccessLog.objects.filter(object_type="fmla_queue", actor=users["medical"])
    assert {r.subject_id for r in rows} == {a.employee_id, b.employee_id}
    assert client_for(users["medical"]).get("/medical/queue/").status_code == 200


@pytest.mark.parametrize("who", ["supervisor", "hr", "employee", "auditor", "steward", "admin"])
def test_nobody_else_has_the_queue(cases, users, client_for, who):
    user = users.get(who) or next(u for u in users.values() if u.is_superuser)
    c = client_for(user)
    assert "FMLA work queue" not in c.get("/").content.decode()
    assert c.get("/medical/queue/").status_code == 403
    assert c.get("/api/fmla-queue").status_code == 403


def test_the_queue_as_json(cases, users, client_for):
    a, _ = cases
    r = client_for(users["medical"]).get("/api/fmla-queue")
    assert r.status_code == 200
    body = r.json()
    assert body["on"] == "2026-12-01" and body["agency"] == "DMH"
    first = body["items"][0]
    assert (first["kind"], first["case"], first["date"], first["days_left"], first["overdue"]) == (
        "certification_overdue", a.pk, "2026-11-28", -3, True)
    assert first["citations"] == ["Sec. 8.1.M", "Appendix D-1", "Appendix D-2"]
    near = next(i for i in body["items"] if i["kind"] == "intermittent_near")
    assert near["figures"]["intermittent_days_remaining"] == "3"
