"""In Debian's chromium at phone width: an employee finds who looked at their data (Playwright)."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser(live_server):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert os.path.exists(CHROMIUM), "Debian's chromium is required: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _sign_in(browser, live_server, username):
    from openleave.people.demo import DEMO_PASSWORD

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + "/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    return page


def test_employee_sees_that_hr_looked_at_their_record(browser, live_server):
    from openleave.people.demo import load_demo

    load_demo()
    hr = _sign_in(browser, live_server, "hr")
    hr.goto(live_server.url + "/employees/100002/")
    assert hr.get_by_role("heading", level=1).inner_text() == "Erin Doyle"

    page = _sign_in(browser, live_server, "employee")
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
