"""Shared fixtures: the demo organisation and its users."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(db):
    from openleave.people.demo import load_demo

    return load_demo()


@pytest.fixture
def users(demo):
    from openleave.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def people(demo):
    """Named demo employees: erin (employee), sean (supervisor), stan (steward), dana (DCR supervisor)."""
    from openleave.people.models import Employee

    by_number = {e.employee_number: e for e in Employee.objects.all()}
    return {
        "erin": by_number["100002"],
        "sean": by_number["100001"],
        "stan": by_number["100003"],
        "dana": by_number["200001"],
        "dcr_report": next(e for e in by_number.values() if e.supervisor_id == by_number["200001"].pk),
        "dmh_other": next(
            e for e in by_number.values()
            if e.agency.code == "DMH" and e.supervisor_id is None and e.user_id is None
        ),
    }


@pytest.fixture
def client_for(client):
    """Sign the test client in as a demo user: ``client_for(users['hr'])``."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


# --- the browser tests: Debian's chromium driven by Playwright ------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    """Headless Debian chromium (never a downloaded browser). Playwright's sync API runs an event loop in the
    test thread, so Django's async-safety check is relaxed for these tests."""
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert os.path.exists(CHROMIUM), "Debian's chromium is required: apt-get install -y chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def sign_in(browser):
    """``sign_in(base_url, username)`` → a phone-width page signed in through the real sign-in form."""

    def go(base_url: str, username: str):
        from openleave.people.demo import DEMO_PASSWORD

        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(base_url + "/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base_url + "/")
        return page

    return go
