"""In Debian's chromium: a steward whom Erin authorised (Sec. 24.1) opens the workspace and sees her denied vacation
with its ground, section and reasons and the Sec. 23.2 Step I date; Erin revokes the authorisation on her consents
page; the steward's workspace no longer shows her and her page is gone (404). Every page passes ``look()`` (axe)."""

from __future__ import annotations

import datetime as dt

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASONS = "Two of the three cooks are already off that week; the kitchen cannot run."


def test_steward_sees_the_denial_until_the_member_revokes(sign_in, live_server):
    from django.utils import timezone

    from openleave.accounts.models import User
    from openleave.leave import services as svc
    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee
    from openleave.privacy.consent import consent_grant

    load_demo()
    erin = Employee.objects.get(employee_number="100002")
    LedgerEntry.objects.create(employee=erin, leave=Leave.VACATION, kind=Kind.OPENING, micro=75_000_000,
                               effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="opening",
                               reason="test opening balance", key="e2e-open", recorded_at=timezone.now())
    data = svc.parse_input({"kind": "vacation", "start_date": "2026-12-07", "end_date": "2026-12-07", "facts": {}})
    req = svc.leave_request_submit(employee=erin, user=erin.user, data=data)
    svc.leave_request_decide(request_id=req.pk, user=User.objects.get(username="supervisor"), outcome="denied",
                             grounds=["vacation_impracticable"], text=REASONS)
    until = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=30), dt.time(23, 59)))
    consent_grant(actor=erin.user, employee=erin, steward=User.objects.get(username="steward"), basis="grievance",
                  purpose="Grievance about a denied vacation", valid_until=until, channel="ui")

    stan = sign_in(live_server.url, "steward")
    stan.get_by_role("link", name="Steward's workspace").click()
    stan.get_by_role("heading", level=1, name="Steward's workspace").wait_for()
    deadlines = stan.get_by_role("table", name="Upcoming grievance deadlines, soonest first")
    # Decided 2026-12-01 (the frozen clock); Sec. 23.2 Step I: within 21 calendar days → 2026-12-22.
    assert "2026-12-22" in deadlines.inner_text() and "Sec. 23.2" in deadlines.inner_text()
    look(stan)
    stan.get_by_role("link", name="Erin Doyle").first.click()
    stan.get_by_role("heading", level=1, name="Erin Doyle").wait_for()
    decision = stan.locator("article.decided").first
    text = decision.inner_text()
    assert "Denied" in text and "Sec. 9.8" in text and REASONS in text and "Sean McCarthy" in text
    look(stan)
    stan.get_by_role("link", name="All members who authorised you").click()
    stan.get_by_role("link", name="Denial statistics").click()
    stan.get_by_role("heading", level=1, name="Denial statistics, de-identified").wait_for()
    assert "Erin" not in stan.get_by_role("main").inner_text()
    look(stan)

    # Erin sees the steward's look, then revokes.
    member = sign_in(live_server.url, "employee")
    member.get_by_role("link", name="Who looked at my data").first.click()
    assert member.locator("ol.access-log li").filter(has_text="Stan Kowalczyk (steward)").count() >= 2
    member.goto(live_server.url + "/me/consents/")
    member.get_by_role("button", name="Revoke access for Stan Kowalczyk").click()
    member.get_by_text("can no longer see your leave records").wait_for()

    stan.goto(live_server.url + "/steward/")
    main = stan.get_by_role("main").inner_text()
    assert "Erin Doyle" not in main and "No member has authorised you" in main and "2026-12-22" not in main
    look(stan)
    gone = stan.goto(live_server.url + f"/steward/members/{erin.employee_number}/")
    assert gone.status == 404 and REASONS not in stan.content()
