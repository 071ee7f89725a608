"""In Debian's chromium: the payroll office exports a closed pay period, lands on the batch with its checksum and
reconciliation, and sees it in the list — no axe violation at either width (issue 15, item 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_payroll_office_exports_a_closed_period(sign_in, live_server):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from openleave.accounts import roles as R
    from openleave.accounts.models import User
    from openleave.ledger import services as ledger
    from openleave.ledger.models import Kind, Leave
    from openleave.people.demo import DEMO_PASSWORD, load_demo
    from openleave.people.models import Employee

    load_demo()
    u = User.objects.create(username="payroll", first_name="Paula", last_name="Roll", password=make_password(DEMO_PASSWORD))
    u.groups.set(Group.objects.filter(name=R.HR))
    erin = Employee.objects.get(employee_number="100002")
    ledger.ledger_post(employee=erin, leave=Leave.VACATION, kind=Kind.USAGE, micro=-7_500_000,
                       effective_date=dt.date(2026, 10, 20), cite="Sec. 9.10", reason="leave request test",
                       key="e2e-vac", system="test")

    page = sign_in(live_server.url, "payroll")
    page.goto(live_server.url + "/payroll/")
    look(page)
    page.get_by_label("A date in the pay period (YYYY-MM-DD)").fill("2026-10-25")
    page.get_by_role("button", name="Export").click()
    page.get_by_role("heading", name="Payroll batch").wait_for()
    assert "equal the ledger's debits" in page.locator("main").inner_text()
    row = page.get_by_role("row", name="vacation")
    assert "VAC" in row.inner_text() and "7.5" in row.inner_text()
    look(page)
    page.get_by_role("link", name="All batches").click()
    assert "Reconciled" in page.get_by_role("table").inner_text()
    look(page)
