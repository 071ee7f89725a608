"""In Debian's chromium: the medical coordinator signs in and her home page is the FMLA work queue — an overdue
certification first, the case waiting for its eligibility notice (Sec. 8.1.M) — accessible (axe) and without
sideways scrolling at desktop and phone width; the row's link opens the case."""

from __future__ import annotations

import datetime as dt

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_home_is_the_work_queue(sign_in, live_server):
    from openleave.accounts.models import User
    from openleave.medical import services
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    load_demo()
    erin = Employee.objects.get(employee_number="100002")
    case = services.fmla_case_open(employee=erin, reason="own_condition", schedule="continuous",
                                   expected_start="2026-12-14", by=User.objects.get(username="employee"))
    case.certification_due = dt.date(2026, 11, 28)  # the clock is frozen at 2026-12-01: 3 days overdue
    case.save(update_fields=["certification_due"])

    page = sign_in(live_server.url, "medical")
    page.goto(live_server.url + "/")
    page.get_by_role("heading", name="FMLA work queue (2)").wait_for()
    text = page.locator("main").inner_text()
    assert text.index("Certification overdue since 2026-11-28") < text.index("Eligibility notice due 2026-12-08")
    assert "serious health" not in text
    look(page)
    page.get_by_role("link", name=f"Case no. {case.pk}").first.click()
    page.get_by_role("heading", name="FMLA case no.").wait_for()
