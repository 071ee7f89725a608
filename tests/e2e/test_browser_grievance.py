"""Issue 14's member flow in Debian's chromium: an employee whose vacation request was denied goes from the home
page to the decision, sees the Art. 23 time limits with their citations ("Challenge this decision"), opens the
pre-filled grievance report (Appendix B) and downloads its PDF, whose text has the Article numbers and the dates.
Each page is checked by ``look`` (axe-core, no sideways scroll) and by the ``browser`` fixture (no console error).

Erin's vacation on Mon 2026-12-07 is denied by Sean on the frozen day, Tue 2026-12-01, on the Sec. 9.8 ground
"impossible or impracticable because of work schedules or emergencies". The Step I grievance is due 21 calendar
days after the denial: 2026-12-01 + 21 = 2026-12-22 (Sec. 23.2 Step I)."""

from __future__ import annotations

import datetime as dt

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _denied():
    from openleave.leave import services as svc
    from openleave.ledger import services as ledger
    from openleave.ledger.models import Kind, Leave
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    users = load_demo()
    erin = Employee.objects.get(employee_number="100002")
    ledger.ledger_post(employee=erin, leave=Leave.VACATION, kind=Kind.OPENING, micro=75_000_000,
                       effective_date=dt.date(2026, 1, 11), cite="opening balance", reason="e2e opening",
                       key=f"e2e:{erin.pk}:griev-v", system="test", earned_year=2026)
    data = svc.parse_input({"kind": "vacation", "start_date": "2026-12-07", "end_date": "2026-12-07", "facts": {}})
    req = svc.leave_request_submit(employee=erin, user=erin.user, data=data)
    svc.leave_request_decide(request_id=req.pk, user=erin.supervisor.user, outcome="denied",
                             grounds=["vacation_impracticable"], text="We are short-staffed that week.")
    return req, users


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    with open(info.value.path(), "rb") as f:
        return f.read()


def test_the_member_goes_from_a_denial_to_a_cited_grievance_report(sign_in, live_server):
    from openleave.documents import pdf_text

    req, _ = _denied()
    page = sign_in(live_server.url, "employee")
    page.get_by_role("link", name="My requests and notifications").click()
    page.get_by_role("link", name="2026-12-07").first.click()
    panel = page.get_by_role("region", name="Challenge this decision")
    panel.wait_for()
    look(page)
    text = panel.inner_text()
    assert "2026-12-22" in text and "Sec. 23.2 Step I" in text  # 2026-12-01 + 21 calendar days
    pdf = _download(page, "Download the grievance report (PDF)")
    assert pdf.startswith(b"%PDF-")
    words = " ".join(pdf_text(pdf).split())
    for needle in ("Grievance Report", "Article 9", "Sec. 9.8", "2026-12-01", "2026-12-07", "2026-12-22",
                   "Sec. 23.2 Step I", "Unit 3", "Erin Doyle"):
        assert needle in words, needle
    page.get_by_role("link", name="See the grievance report").click()
    page.get_by_role("heading", name="Grievance Report").wait_for()
    look(page)
    page.get_by_role("link", name="Time limits and what you recorded").click()
    page.get_by_role("heading", name="Grievance time limits (Art. 23)").wait_for()
    look(page)
    page.get_by_label("Step").select_option("step1_filed")
    page.get_by_label("Date", exact=True).fill("2026-12-01")
    page.get_by_role("button", name="Record").click()
    page.get_by_text("Recorded: Step I grievance filed on 2026-12-01.").wait_for()
    # the Step I reply: 10 calendar days following the submission: 2026-12-01 + 10 = 2026-12-11 (Sec. 23.2 Step I)
    assert "2026-12-11" in page.get_by_role("main").inner_text()
    look(page)
    page.context.close()
