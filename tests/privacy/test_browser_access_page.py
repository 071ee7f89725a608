"""In Debian's chromium at phone width: an employee finds who looked at their data (Playwright)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_employee_sees_that_hr_looked_at_their_record(sign_in, live_server):
    from openleave.people.demo import load_demo

    load_demo()
    hr = sign_in(live_server.url, "hr")
    hr.goto(live_server.url + "/employees/100002/")
    assert hr.get_by_role("heading", level=1).inner_text() == "Erin Doyle"

    page = sign_in(live_server.url, "employee")
    page.get_by_role("link", name="Who looked at my data").first.click()
    page.wait_for_url(live_server.url + "/me/access/")
    assert page.get_by_role("heading", level=1).inner_text() == "Who looked at my data"
    entry = page.locator("ol.access-log li").filter(has_text="Helen Rivera (hr)").first
    assert entry.is_visible()
    text = entry.inner_text()
    assert "leave administration for the Appointing Authority" in text and "Channel\nui" in text
    assert "Category" in text and "When" in text
    # Nothing overflows sideways at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Own visits are hidden until asked for.
    assert page.locator("ol.access-log li").filter(has_text="Erin Doyle (employee)").count() == 0
    page.get_by_role("link", name="Show my own visits too").click()
    assert page.locator("ol.access-log li").filter(has_text="Erin Doyle (employee)").count() >= 1
