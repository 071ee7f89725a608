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
from page_checks import look

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


def test_hr_records_a_separation_and_opens_its_statement_pdf_and_csv(sign_in, live_server):
    from openleave.documents import pdf_text

    _erin()
    page = sign_in(live_server.url, "hr")
    page.get_by_role("link", name="People").first.click()
    page.get_by_role("link", name="Doyle, Erin").or_(page.get_by_role("link", name="Erin Doyle")).first.click()
    page.get_by_role("heading", name="Erin Doyle", exact=True).wait_for()
    look(page)
    page.get_by_role("link", name="Separation and return").click()
    page.get_by_role("heading", name="Separation and return: Erin Doyle (100002)").wait_for()
    look(page)
    page.get_by_label("Date of separation (last day of employment)").fill("2026-11-30")
    page.get_by_label("Reason").select_option(label="Resignation")
    page.get_by_label("Final regular hourly rate of pay ($, optional)").fill("25.00")
    page.get_by_role("button", name="Record the separation").click()
    page.get_by_role("heading", name="Separation statement: Erin Doyle").wait_for()
    look(page)
    # By hand: vacation 110 h credited − 24 h taken − 4 h taken 2026-10-05 = 82 h on November 30, all paid
    # (Sec. 9.11): 82 × $25.00 = $2,050.00.
    row = page.get_by_role("row", name="Vacation").first.inner_text()
    assert "82" in row and "2,050.00" in row and "Sec. 9.11" in row, row
    pdf = _download(page, "Download the PDF")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Separation statement" in text and "82" in text and "2,050.00" in text and "Sec. 9.11" in text
    csv = _download(page, "Payroll CSV").decode("utf-8")
    assert "100002" in csv and "82" in csv and "Sec. 9.11" in csv, csv
    page.context.close()


def test_a_holiday_worked_gives_the_employee_a_comp_day_with_its_last_day(sign_in, live_server):
    _erin()
    sup = sign_in(live_server.url, "supervisor")
    sup.get_by_role("link", name="Erin Doyle").first.click()
    sup.get_by_role("link", name="Compensatory days and comp time").click()
    sup.get_by_role("heading", name="Compensatory days and comp time: Erin Doyle (100002)").wait_for()
    look(sup)
    form = sup.locator("form", has=sup.get_by_role("button", name="Record")).first
    form.get_by_label("Holiday (as observed)").fill("2026-11-26")  # Thanksgiving, a Thursday (Art. 10)
    form.get_by_label("What happened").select_option("worked_rostered")
    form.get_by_label("The employee receives").select_option("comp_day")
    form.get_by_label("Whose choice").select_option("employer")
    form.get_by_role("button", name="Record").click()
    sup.get_by_role("status").first.wait_for()
    # By hand: a day of a 37.5-hour title is 7.5 h (Sec. 10.3); to be taken within 60 days following the
    # holiday: November 26 + 60 days = January 25, 2027 (4 days of November, 31 of December, 25 of January).
    assert "to be taken by 2027-01-25" in sup.get_by_role("main").inner_text()
    look(sup)
    sup.context.close()
    page = sign_in(live_server.url, "employee")
    page.get_by_role("link", name="My compensatory days and comp time").click()
    page.get_by_role("heading", name="Compensatory days and comp time: Erin Doyle (100002)").wait_for()
    look(page)
    row = page.get_by_role("row", name="2026-11-26").first.inner_text()
    assert "2027-01-25" in row and "7.5" in row and "Sec. 10.3" in row, row
    page.context.close()


def test_hr_imports_opening_balances_with_a_dry_run_first(sign_in, live_server, tmp_path):
    from openleave.ledger.models import Kind, LedgerEntry
    from openleave.people.demo import load_demo

    load_demo()
    csv = tmp_path / "openings.csv"
    csv.write_text("employee_number,leave,vintage,hours,as_of,note\n"
                   "100003,vacation,2025,40,2026-11-29,migrated from the old system\n"
                   "100003,vacation,2026,12.5,2026-11-29,migrated from the old system\n", encoding="utf-8")
    page = sign_in(live_server.url, "hr")
    page.get_by_role("link", name="Import opening balances").click()
    page.get_by_role("heading", name="Import opening balances by the year earned").wait_for()
    look(page)
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Check (dry run)").click()
    page.get_by_role("heading", name="Dry run: nothing written yet").wait_for()
    look(page)
    assert not LedgerEntry.objects.filter(kind=Kind.OPENING, employee__employee_number="100003").exists()
    rows = page.get_by_role("table", name="Rows").inner_text()
    assert "Vacation" in rows and "2025" in rows and "12.5" in rows, rows
    page.get_by_role("button", name="Confirm: post these opening balances").click()
    page.get_by_role("heading", name="Imported").wait_for()
    look(page)
    posted = LedgerEntry.objects.filter(kind=Kind.OPENING, employee__employee_number="100003")
    assert sorted((e.vintage, e.micro) for e in posted) == [(2025, 40 * H), (2026, 12_500_000)]
    page.context.close()
