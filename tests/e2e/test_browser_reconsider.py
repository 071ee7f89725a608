"""In Debian's chromium: a supervisor reconsiders a denial on the request page (reasons required), the chain of
decisions shows both with their reasons, and the employee's balance follows — axe finds nothing on the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Mon 7 Dec 2026, the week after the suite's frozen clock (tests/conftest.py FROZEN = 1 December 2026): one
# scheduled day of 7.5 h (Erin Doyle, 37.5 h a week, Mon–Fri), charged hour for hour (Sec. 9.10).


def test_supervisor_reconsiders_a_denial_and_the_chain_shows_both(sign_in, live_server):
    from django.utils import timezone

    from openleave.leave import services as svc
    from openleave.leave.models import Decision
    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.ledger.selectors import balance_parts
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    load_demo()
    erin = Employee.objects.get(employee_number="100002")
    LedgerEntry.objects.create(employee=erin, leave=Leave.VACATION, kind=Kind.OPENING, micro=75_000_000,
                               effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="opening",
                               reason="test opening balance", key="e2e-open-recon", recorded_at=timezone.now())
    req = svc.leave_request_submit(employee=erin, user=erin.user,
                                   data=svc.parse_input({"kind": "vacation", "start_date": "2026-12-07"}))
    sup_user = erin.supervisor.user
    svc.leave_request_decide(request_id=req.pk, user=sup_user, outcome="denied", grounds=["vacation_impracticable"],
                             text="Two of the three cooks are already on leave that day.")

    sup = sign_in(live_server.url, "supervisor")
    sup.goto(f"{live_server.url}/leave/requests/{req.pk}/")
    sup.get_by_role("heading", name="Reconsider the decision").wait_for()
    look(sup)
    sup.get_by_label("Approve", exact=True).check()
    sup.get_by_label("Reasons for the reconsideration").fill("A cook came back from leave early; approved.")
    sup.get_by_role("button", name="Record the reconsideration").click()
    sup.get_by_text("Decision reconsidered; the employee has been notified.").wait_for()
    sup.wait_for_load_state("load")  # the message is at the top of <main>: wait for the whole page, not just it
    sup.get_by_role("heading", name=re.compile(r"reconsidering decision \d+ \(current\)")).wait_for()
    main = sup.get_by_role("main").inner_text()
    assert "(superseded)" in main and "(current)" in main
    assert "Two of the three cooks are already on leave that day." in main  # the old reasons, kept
    assert "A cook came back from leave early; approved." in main
    look(sup)
    # 75 − 7.5 = 67.5 h available before the day (Sec. 9.10).
    assert balance_parts(erin, dt.date(2026, 12, 6))["vacation"].available == 67_500_000
    assert Decision.objects.filter(request=req).count() == 2

    page = sign_in(live_server.url, "employee")
    page.goto(f"{live_server.url}/leave/requests/{req.pk}/")
    page.get_by_role("heading", name=f"Leave request {req.pk}: Vacation").wait_for()
    detail = page.get_by_role("main").inner_text()
    assert "reconsidering decision" in detail and "Approved" in detail
    look(page)
