"""Denial statistics for the union: denials and partial approvals per agency × kind × ground, de-identified with the
aggregates' own small-cell rule (``privacy.aggregates.shown``: fewer than MIN_CELL = 10 people → "fewer than 10"),
one GROUP BY query, filtered by year and agency; never a name."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from openleave.leave.models import Decision, LeaveRequest
from openleave.people.models import Employee
from openleave.privacy import aggregates
from openleave.steward import selectors as S

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")

IMPRACTICABLE = {"code": "vacation_impracticable", "cite": "Sec. 9.8",
                 "text": "Impossible or impracticable because of work schedules or emergencies"}
SENIORITY = {"code": "vacation_conflict_seniority", "cite": "Sec. 9.8",
             "text": "Conflicting request in the same title by an employee with more years of employment"}
PERSONAL = {"code": "personal_not_approved", "cite": "Sec. 8.2.A",
            "text": "Time requested not approved by the Appointing Authority"}
DV_GROUND = {"code": "dv_not_documented", "cite": "Sec. 8.12", "text": "No documentation"}


def _decided(emp, grounds, *, kind="vacation", outcome="denied", at=dt.datetime(2026, 6, 1, 12, tzinfo=NY),
             decided_as="supervisor", protected=False):
    req = LeaveRequest.objects.create(employee=emp, kind=kind, start_date=at.date(), end_date=at.date(), status=outcome,
                                      protected=protected, visible_kind="protected leave" if protected else "")
    Decision.objects.create(request=req, outcome=outcome, approved_micro=0, grounds=list(grounds), text="Reasons.",
                            decided_by_label="Sean McCarthy (supervisor)", decided_as=decided_as, decided_at=at)


@pytest.fixture
def decided(demo):
    """Worked by hand (the rows below, 2026 unless said):
    * DMH vacation, Sec. 9.8 impracticable: dmh[0..9] once each (10) + dmh[0] again (1) + dmh[13] naming two grounds
      (1) → 12 decisions by {0..9, 13} = 11 people: shown.
    * DMH vacation, Sec. 9.8 seniority: dmh[10..12] + dmh[13] → 4 people: suppressed.
    * DCR personal, partly approved, Sec. 8.2.A: dcr[0..8] → 9 people, one short of 10: suppressed.
    * DMH domestic violence (protected), Sec. 8.12: dmh[14], dmh[15] → 2 people under "protected leave", without the
      ground: suppressed.
    * DMH vacation impracticable decided 2025-12-31 23:30 in New York (already 2026-01-01 in UTC): dmh[20] — in 2025,
      not 2026.
    * DMH vacation approved: dmh[17] — not a denial, never counted.
    By decider role, the 11-people cell splits into supervisor {0..5, 13} = 7 people and Appointing Authority {6..9}
    = 4 people: both suppressed."""
    dmh = list(Employee.objects.filter(agency__code="DMH", employee_number__gte="100010").order_by("employee_number"))
    dcr = list(Employee.objects.filter(agency__code="DCR", employee_number__gte="200010").order_by("employee_number"))
    for i in range(10):
        _decided(dmh[i], [IMPRACTICABLE], decided_as="supervisor" if i < 6 else "appointing_authority")
    _decided(dmh[0], [IMPRACTICABLE], at=dt.datetime(2026, 9, 1, 12, tzinfo=NY))
    _decided(dmh[13], [IMPRACTICABLE, SENIORITY])
    for i in (10, 11, 12):
        _decided(dmh[i], [SENIORITY])
    for i in range(9):
        _decided(dcr[i], [PERSONAL], kind="personal", outcome="partly_approved", decided_as="appointing_authority")
    for i in (14, 15):
        _decided(dmh[i], [DV_GROUND], kind="domestic_violence", protected=True, decided_as="appointing_authority")
    _decided(dmh[20], [IMPRACTICABLE], at=dt.datetime(2025, 12, 31, 23, 30, tzinfo=NY))
    _decided(dmh[17], [], outcome="approved")
    return dmh[:21] + dcr[:9]


def _cells(stats):
    return {(c.agency, c.kind, c.ground, c.by): (c.decisions, c.people) for c in stats.cells}


def test_cells_count_decisions_and_people_and_suppress_small_ones(decided, users):
    assert aggregates.MIN_CELL == 10
    stats = S.denial_statistics(users["steward"], year=2026)
    assert _cells(stats) == {
        ("DMH", "Vacation (Art. 9)", "vacation_impracticable", ""): (12, 11),
        ("DMH", "Vacation (Art. 9)", "vacation_conflict_seniority", ""): (None, None),
        ("DCR", "Personal leave (Sec. 8.2)", "personal_not_approved", ""): (None, None),
        ("DMH", "protected leave", "", ""): (None, None),  # no ground: its section would name the kind
    }
    cites = {c.ground: c.cite for c in stats.cells}
    assert cites["vacation_impracticable"] == "Sec. 9.8" and cites["personal_not_approved"] == "Sec. 8.2.A"


def test_the_year_is_the_local_calendar_year_and_the_agency_filters(decided, users):
    y2025 = S.denial_statistics(users["hr"], year="2025")
    assert _cells(y2025) == {("DMH", "Vacation (Art. 9)", "vacation_impracticable", ""): (None, None)}
    dcr = S.denial_statistics(users["auditor"], year=2026, agency="dcr")
    assert dcr.agency == "DCR" and {c.agency for c in dcr.cells} == {"DCR"}


def test_a_breakdown_by_decider_role_stays_suppressed_under_ten_people(decided, users):
    cells = _cells(S.denial_statistics(users["steward"], year=2026, by="decider_role"))
    assert cells[("DMH", "Vacation (Art. 9)", "vacation_impracticable", "Supervisor")] == (None, None)  # 7 people
    assert cells[("DMH", "Vacation (Art. 9)", "vacation_impracticable", "Appointing Authority / HR")] == (None, None)  # 4


def test_the_page_csv_and_api_show_the_same_counts_and_never_a_name(decided, users, client_for):
    c = client_for(users["steward"])
    page = c.get("/union/denials/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "fewer than 10 people" in html and "Sec. 9.8" in html and ">12<" in html and ">11<" in html
    got = c.get("/union/denials.csv?year=2026")
    assert got["Content-Type"].startswith("text/csv") and "denials-2026.csv" in got["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(got.content.decode())))
    assert len(rows) == 4
    shown = next(r for r in rows if r["ground"] == "vacation_impracticable")
    assert (shown["decisions"], shown["people"], shown["citation"]) == ("12", "11", "Sec. 9.8")
    assert {r["people"] for r in rows if r is not shown} == {"fewer than 10 people"}
    api = c.get("/api/union/denials?year=2026&by=title").json()
    assert api["min_cell"] == 10 and all(x["suppressed"] for x in api["cells"])  # every title cell under 10
    bodies = html + got.content.decode() + str(api)
    assert "8.12" not in bodies and "domestic" not in bodies.lower() and "not shown (protected leave)" in html
    for emp in decided:
        assert emp.name not in bodies and emp.employee_number not in bodies


@pytest.mark.parametrize("query, field", [("year=abc", "year"), ("year=1900", "year"), ("agency=XYZ", "agency"),
                                          ("by=supervisor_name", "by")])
def test_bad_filters_are_a_clear_4xx_naming_the_field(query, field, demo, users, client_for):
    c = client_for(users["steward"])
    page = c.get(f"/union/denials/?{query}")
    assert page.status_code == 400 and f"{field}:" in page.content.decode()
    assert c.get(f"/union/denials.csv?{query}").status_code == 400
    api = c.get(f"/api/union/denials?{query}")
    assert api.status_code == 422 and api.json()["errors"][0]["field"].split(".")[-1] == field  # "query.year": ninja


@pytest.mark.parametrize("who, status", [("steward", 200), ("hr", 200), ("auditor", 200), ("employee", 404),
                                         ("supervisor", 404), ("medical", 404)])
def test_the_audience_is_the_aggregates_audience(who, status, demo, users, client_for):
    c = client_for(users[who])
    assert c.get("/union/denials/").status_code == status
    assert c.get("/api/union/denials").status_code == status


def test_one_query_whatever_the_number_of_decisions(decided, users, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the agency check and the GROUP BY
        S.denial_statistics(users["steward"], year=2026, agency="DMH", by="title")
