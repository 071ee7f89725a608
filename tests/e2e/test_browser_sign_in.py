"""Sign in through the real page in Debian's chromium (Playwright, executable /usr/bin/chromium)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def page(browser, live_server):
    return browser.new_page(viewport={"width": 390, "height": 844})  # phone width


def test_employee_signs_in_and_sees_their_home(page, live_server):
    from openleave.people.demo import DEMO_PASSWORD, load_demo

    load_demo()
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.get_by_label("User name").fill("employee")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("Those sign-in details did not match")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="My leave").is_visible()
    assert "Erin" in page.get_by_role("heading", level=1).inner_text()
