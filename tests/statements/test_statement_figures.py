"""The Sec. 9.8 preliminary statement's figures, worked by hand for an employee with credits of three vacation
years on September 1, 2026 (the ledger of conftest.three_vintages), and the PDF that carries them.

The pay calendar (contract/nage_unit3_2017/calendar/pay_period.yaml, Sec. 8.1.A): 14-day periods, Sunday to
Saturday, from the anchor Sunday 2017-07-09.
* 2026-12-31 is 3462 days after the anchor (9 years to 2026-07-09 = 9·365 + 2 leap days = 3287; then 22 + 31 +
  30 + 31 + 30 + 31 = 175 days to Dec 31): 3462 = 247·14 + 4, so the period that includes December 31, 2026
  starts Sunday 2026-12-27 and ends Saturday 2027-01-09. Sec. 9.1: vacation year 2026 ends 2027-01-09, and
  Sec. 9.8 forfeits on that day what is left of vacation earned in 2024 ("not used by the last full pay period
  inclusive of December 31 of the second year it was earned").
* The next period starts Sunday 2027-01-10, the first full pay period in January 2027, so personal leave
  credited for 2026 is forfeited on the last Saturday prior to it: 2027-01-09 (Sec. 8.2.B).
* 2027-12-31 − 2026-12-27 = 369 = 26·14 + 5 → the period including it ends 2028-01-08 (vintage 2025's day);
  2028-12-31 − 2027-12-26 = 371 = 26·14 + 7 → it ends 2029-01-06 (vintage 2026's day).
"""

from __future__ import annotations

import datetime as dt

import pytest
from statement_helpers import IN_WINDOW

from openleave import documents
from openleave.statements import services
from openleave.statements.models import VacationStatement

pytestmark = [pytest.mark.django_db, pytest.mark.clock(IN_WINDOW, tick=False)]
SEPT_1 = dt.date(2026, 9, 1)


def _statement(employee) -> VacationStatement:
    from openleave.people.models import Employee

    services.statements_generate(year=2026, today=IN_WINDOW.date(), employees=Employee.objects.filter(pk=employee.pk))
    return VacationStatement.objects.get(employee=employee, year=2026)


def _leave(st, slug):
    return next(x for x in st.figures["leaves"] if x["slug"] == slug)


def test_three_vintages_on_september_first_oldest_used_first(erin):
    st = _statement(erin)
    assert st.as_of == SEPT_1 and st.figures["cite"] == "Sec. 9.8" and not st.late
    vac = _leave(st, "vacation")
    # Openings 30 h (2024) + 60 h (2025) + 20 h (2026) = 110 h; taken by Sept 1: 16 h (Mar 2) + 8 h (Jul 6) = 24 h,
    # both from the oldest credit (2024): 30 − 24 = 6 h left of 2024. The 4 h booked for 2026-10-05 is after
    # September 1. Balance 110 − 24 = 86 h (Sec. 9.2.A credit, Sec. 9.8 statement).
    assert [(v["vintage"], v["hours"]) for v in vac["vintages"]] == [(2024, "6"), (2025, "60"), (2026, "20")]
    assert vac["balance"] == "86" and vac["cite"] == "Sec. 9.2.A"
    # Each vintage's forfeiture day (module docstring): 2024 → 2027-01-09, 2025 → 2028-01-08, 2026 → 2029-01-06.
    assert [v["forfeits_on"] for v in vac["vintages"]] == ["2027-01-09", "2028-01-08", "2029-01-06"]
    assert {v["cite"] for v in vac["vintages"]} == {"Sec. 9.1, Sec. 9.8"}
    # What the 2026 year end forfeits: 6 h of 2024 − the 4 h already booked for 2026-10-05 (oldest first) = 2 h,
    # on 2027-01-09 (Sec. 9.8).
    assert vac["forfeits"] == [{"year": 2026, "on": "2027-01-09", "hours": "2", "micro": 2_000_000,
                                "vintages": [2024], "cite": "Sec. 9.8"}]


def test_personal_and_comp_balances_with_their_citations(erin):
    st = _statement(erin)
    personal = _leave(st, "personal")
    # 24 h credited for 2026 − 8 h taken 2026-05-04 = 16 h (Sec. 8.2.A); all of it is forfeited on 2027-01-09,
    # the last Saturday prior to the first full pay period of January 2027 (Sec. 8.2.B), unless used.
    assert personal["balance"] == "16" and personal["cite"] == "Sec. 8.2.A"
    assert [(f["on"], f["hours"], f["cite"]) for f in personal["forfeits"]] == [("2027-01-09", "16", "Sec. 8.2.B")]
    comp = _leave(st, "comp_time")
    assert comp["balance"] == "6" and comp["cite"] == "Sec. 7.2.G"  # 6 h opening, Sec. 7.2.G


def test_the_statement_agrees_with_the_ledgers_own_selectors(erin):
    """The set-based sums give what the one balance selector and the core's forfeitures give employee by employee."""
    from openleave.ledger.selectors import balance_parts, forfeits

    st = _statement(erin)
    parts = balance_parts(erin, SEPT_1, pending=False)
    for item in st.figures["leaves"]:
        assert item["balance_micro"] == parts[item["slug"]].balance, item["slug"]
    f = forfeits(erin, 2026)
    assert _leave(st, "vacation")["forfeits"][0]["micro"] == f["vacation"] == 2_000_000
    assert _leave(st, "personal")["forfeits"][0]["micro"] == f["personal"] == 16_000_000


def test_the_figures_are_frozen_as_given(erin):
    from statement_helpers import post

    from openleave.ledger.models import Kind, Leave
    from openleave.statements.models import figures_checksum

    st = _statement(erin)
    assert st.intact and st.checksum == figures_checksum(st.figures)
    post(erin, Leave.VACATION, Kind.USAGE, -6, dt.date(2026, 8, 3), "late-entry", cite="Sec. 9.10")  # back-dated
    _statement(erin)  # a second run gives nobody a second statement
    again = VacationStatement.objects.get(employee=erin, year=2026)
    assert again.figures == st.figures and again.checksum == st.checksum
    assert VacationStatement.objects.filter(employee=erin).count() == 1


def test_the_pdf_carries_the_figures_and_citations(erin, client_for, users):
    import io

    from pypdf import PdfReader

    _statement(erin)
    r = client_for(users["employee"]).get(f"/employees/{erin.employee_number}/statements/2026/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and "no-store" in r["Cache-Control"]
    data = b"".join(r.streaming_content) if r.streaming else r.content
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"  # tagged, with its language
    text = " ".join(documents.pdf_text(data).split())
    for needle in ("Preliminary vacation statement 2026", "as of 2026-09-01", "Sec. 9.8", "86 h", "Sec. 9.2.A",
                   "2024 6 h 2027-01-09", "2025 60 h 2028-01-08", "2026 20 h 2029-01-06",
                   "2 h of vacation earned in 2024 will be forfeited on 2027-01-09",
                   "16 h credited in 2026 will be forfeited on 2027-01-09", "Sec. 8.2.B", "Sec. 7.2.G"):
        assert needle in text, needle


def test_the_page_is_the_same_template_with_table_headers(erin, client_for, users):
    _statement(erin)
    r = client_for(users["employee"]).get(f"/employees/{erin.employee_number}/statements/2026/")
    html = r.content.decode()
    assert r.status_code == 200 and '<html lang="en">' in html
    assert '<th scope="col">Vacation year earned</th>' in html and '<th scope="row">2024</th>' in html
    assert "Download this statement (PDF)" in html and "Sec. 9.8" in html
