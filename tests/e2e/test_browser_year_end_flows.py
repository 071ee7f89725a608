"""Issue 12's flows walked in Debian's chromium as their users meet them — from the home page, by role and label,
each page checked by ``look`` (axe-core: no violation; no sideways scroll at 1280 and 390 px) and by the
``browser`` fixture (no console error, no failed request):

* the employee opens their Sec. 9.8 statement and downloads its PDF;
* the supervisor opens "members at risk of losing leave";
* HR records a separation and opens its statement, PDF and payroll CSV;
* the supervisor records a holiday worked, and the employee sees the compensatory day with its last day;
* HR uploads an opening-balance CSV, sees the dry run and confirms.

(The planner and its shared link: test_browser_planner.py.)

Erin Doyle's ledger (the same as tests/statements/statement_helpers.three_vintages, worked by hand in
tests/statements/test_statement_figures.py): vacation 30 h earned in 2024, 60 h in 2025, 20 h in 2026; 16 h and
8 h taken from the oldest (2024) before September 1, 2026, and 4 h booked for 2026-10-05; personal leave 24 h
credited for 2026, 8 h taken. On September 1, 2026: vacation 110 − 24 = 86 h, 6 h of it earned in 2024; at the
2026 year end (2027-01-09) 6 − 4 = 2 h of 2024 vacation (Sec. 9.8) and 24 − 8 = 16 h of personal leave
(Sec. 8.2.B) are forfeited: 18 h at risk."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
H = 1_000_000


def _post(employee, leave, kind, hours, on, key, earned_year=None, cite="opening balance"):
    from openleave.ledger import services

    services.ledger_post(employee=employee, leave=leave, kind=kind, micro=int(hours * H), effective_date=on,
                         cite=cite, reason=f"e2e {key}", key=f"e2e:{employee.pk}:{key}", system="test",
                         earned_year=earned_year)


def _erin():
    from openleave.ledger.models import Kind, Leave
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    load_demo()
    erin = Employee.objects.get(employee_number="100002")
    opening = dt.date(2026, 1, 11)
    _post(erin, Leave.VACATION, Kind.OPENING, 30, opening, "v2024", 2024)
    _post(erin, Leave.VACATION, Kind.OPENING, 60, opening, "v2025", 2025)
    _post(erin, Leave.VACATION, Kind.OPENING, 20, opening, "v2026", 2026)
    _post(erin, Leave.VACATION, Kind.USAGE, -16, dt.date(2026, 3, 2), "use1", cite="Sec. 9.10")
    _post(erin, Leave.VACATION, Kind.USAGE, -8, dt.date(2026, 7, 6), "use2", cite="Sec. 9.10")
    _post(erin, Leave.VACATION, Kind.USAGE, -4, dt.date(2026, 10, 5), "booked", cite="Sec. 9.10")
    _post(erin, Leave.PERSONAL, Kind.OPENING, 24, opening, "p2026", 2026)
    _post(erin, Leave.PERSONAL, Kind.USAGE, -8, dt.date(2026, 5, 4), "puse", cite="Sec. 8.2.B")
    return erin


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    with open(path, "rb") as f:
        return f.read()


def test_the_employee_opens_their_statement_and_downloads_its_pdf(sign_in, live_server):
    from django.core.management import call_command

    from openleave.documents import pdf_text

    _erin()
    call_command("vacation_statements", "--year", "2026", "--late", verbosity=0)  # the clock: December 1, 2026
    page = sign_in(live_server.url, "employee")
    look(page)  # the home page, with its forfeiture warnings (from October 1, Sec. 9.8)
    warnings = page.get_by_role("region", name="Leave you will lose unless you use it").inner_text()
    assert "2 h of vacation earned in 2024 will be forfeited on January 9, 2027 unless used (Sec. 9.8)" in warnings
    assert "16 h of personal leave credited in 2026 will be forfeited on January 9, 2027" in warnings
    page.get_by_role("link", name="My vacation statements").first.click()
    page.get_by_role("heading", name="Vacation statements — Erin Doyle").wait_for()
    look(page)
    page.get_by_role("link", name="2026", exact=True).click()
    page.get_by_role("heading", name="Preliminary vacation statement 2026").wait_for()
    look(page)
    main = page.get_by_role("main").inner_text()
    assert "Balance on 2026-09-01: 86 h" in main
    pdf = _download(page, "Download this statement (PDF)")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for figure in ("86 h", "6 h", "60 h", "20 h", "2 h", "16 h", "Sec. 9.8", "Sec. 8.2.B", "2027-01-09"):
        assert figure in text, figure
    page.context.close()


def test_the_supervisor_opens_members_at_risk(sign_in, live_server):
    _erin()
    page = sign_in(live_server.url, "supervisor")
    page.get_by_role("link", name="Members at risk of losing leave").first.click()
    page.get_by_role("heading", name="Members at risk of losing leave").wait_for()
    look(page)
    row = page.get_by_role("row", name="Erin Doyle")
    cells = row.locator("td").all_inner_texts()
    # seniority, vacation 2 h (Sec. 9.8), personal 16 h (Sec. 8.2.B), emergency 0, total 18 h
    assert cells[2:] == ["2 h", "16 h", "0 h", "18 h"], cells
    page.context.close()
