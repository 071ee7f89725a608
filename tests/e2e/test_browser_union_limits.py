"""In Debian's chromium: a member asks for convention leave beyond what the Union has left (Sec. 5.3: 175 days a
year across the unit) and is told the figures; the steward opens the union-limits page from the home page and sees
what is used and what remains, with no axe violation at either width."""

from __future__ import annotations

import datetime as dt

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_limit_refuses_and_the_steward_sees_what_remains(sign_in, live_server):
    from openleave.leave.models import LeaveRequest
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    load_demo()
    dcr = Employee.objects.filter(agency__code="DCR", user__isnull=True).first()
    dates, d = [], dt.date(2027, 1, 4)
    while len(dates) < 175:  # the Union's 175 days of 2027 all held
        if d.weekday() < 5:
            dates.append(d)
        d += dt.timedelta(days=1)
    LeaveRequest.objects.create(employee=dcr, kind="union_paid", start_date=dates[0], end_date=dates[-1],
                                facts={"purpose": "convention"}, status="approved",
                                days={x.isoformat(): 7_500_000 for x in dates})

    member = sign_in(live_server.url, "employee")
    member.goto(live_server.url + "/leave/new/")
    member.get_by_label("Kind of leave").select_option("union_paid")
    member.get_by_label("Union business").select_option("convention")
    member.get_by_label("First day", exact=True).fill("2027-10-04")
    member.get_by_label("Last day", exact=True).fill("2027-10-04")
    member.get_by_role("button", name="Check against the contract").click()
    preview = member.locator("#preview")
    preview.get_by_text("175 of 175 days used across the unit in 2027; 1 requested; 1 over").wait_for()
    assert "Sec. 5.3" in preview.inner_text()

    page = sign_in(live_server.url, "steward")
    page.get_by_role("link", name="What has been used and what remains of each union-wide limit").click()
    page.get_by_role("heading", name="Union release time: the limits of Art. 5").wait_for()
    page.get_by_label("Show the limits on").fill("2027-10-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/union/limits/?on=2027-10-01")
    row = page.get_by_role("region", name="Used and remaining").get_by_role("row", name="Convention leave for elected delegates")
    assert "175 days" in row.inner_text() and "Sec. 5.3" in row.inner_text()  # limit 175, used 175, remaining 0
    assert dcr.name in page.locator("main").inner_text()
    look(page)
