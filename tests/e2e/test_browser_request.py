"""In Debian's chromium: an employee requests vacation (seeing the contract's finding first), the supervisor
denies it with a ground and reasons, and the employee sees the reasons — at phone width, by label and role."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The dates below are the week after the suite's frozen clock (tests/conftest.py FROZEN = 1 December 2026):
# Monday 7 – Wednesday 9 December 2026, three scheduled days with no Art. 10 holiday.

def test_request_denied_with_reasons_reaches_the_employee(sign_in, live_server):
    from django.utils import timezone

    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    load_demo()
    erin = Employee.objects.get(employee_number="100002")
    LedgerEntry.objects.create(employee=erin, leave=Leave.VACATION, kind=Kind.OPENING, micro=75_000_000,
                               effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="opening",
                               reason="test opening balance", key="e2e-open", recorded_at=timezone.now())

    # The employee asks for three days of vacation and sees the finding and the balance after it first.
    page = sign_in(live_server.url, "employee")
    page.get_by_role("link", name="Request leave").first.click()
    page.get_by_label("Kind of leave").select_option("vacation")
    page.get_by_label("First day", exact=True).fill("2026-12-07")
    page.get_by_label("Last day", exact=True).fill("2026-12-09")
    page.get_by_role("button", name="Check against the contract").click()
    preview = page.locator("#preview")
    preview.get_by_text("A named person must decide").wait_for()
    assert "22.5 of 22.5 h may be granted" in preview.inner_text()
    assert "Sec. 9.8" in preview.inner_text()
    row = preview.get_by_role("row", name="Vacation")
    assert "75" in row.inner_text() and "52.5" in row.inner_text()
    page.get_by_role("button", name="Submit request").click()
    page.get_by_role("heading", name="Leave request").wait_for()
    assert "Submitted" in page.get_by_role("main").inner_text()

    # The supervisor opens the queue, sees the finding and the balance, and denies with a ground and reasons.
    sup = sign_in(live_server.url, "supervisor")
    sup.get_by_role("link", name="Requests to decide").first.click()
    sup.get_by_role("link", name="Decide Erin Doyle's request").click()
    sup.get_by_role("heading", name="Balances as of 2026-12-07").wait_for()  # waits for the decision page
    sup.get_by_role("button", name="Record the decision").click()  # nothing chosen: the browser asks for a choice
    sup.get_by_label("Deny", exact=True).check()
    sup.get_by_role("button", name="Record the decision").click()
    sup.get_by_role("alert").wait_for()
    assert sup.get_by_role("alert").inner_text() == "A denial or partial approval needs a ground from the contract."
    sup.get_by_label("Impossible or impracticable because of work schedules or emergencies").check()
    sup.get_by_label("Reasons in your own words").fill("Two of the three cooks are already on leave that week.")
    sup.get_by_role("button", name="Record the decision").click()
    sup.get_by_role("heading", name="Requests to decide").wait_for()
    assert "Nothing awaits your decision" in sup.get_by_role("main").inner_text()

    # The employee sees the denial, its ground with the section, the reasons and who decided.
    page.goto(live_server.url + "/leave/")
    page.get_by_role("main").wait_for()
    main = page.get_by_role("main").inner_text()
    assert "Your leave request was denied" in main
    assert "Two of the three cooks are already on leave that week." in main
    assert "Sec. 9.8" in main
    page.get_by_role("link", name="2026-12-07 to 2026-12-09").click()
    page.get_by_role("heading", name="Leave request").wait_for()
    detail = page.get_by_role("main").inner_text()
    assert "Denied" in detail and "Sean McCarthy" in detail
    assert "Impossible or impracticable because of work schedules or emergencies (Sec. 9.8)" in detail
