"""In Debian's chromium, under the strict Content-Security-Policy: every page of each role loads with no
console error and no failed request (the ``browser`` fixture fails the test on any), and /api/docs renders
the Swagger UI from the app's own static files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_an_operation_under_the_csp(browser, live_server):
    from openleave.people.demo import load_demo

    load_demo()
    page = browser.new_page()
    page.goto(live_server.url + "/api/docs")
    op = page.locator(".opblock-summary-path", has_text="/api/employees/{employee_number}/balances")
    op.first.wait_for()
    assert op.count() >= 1
    assert "openleave" in page.title().lower()
    page.close()


PAGES = {
    "employee": ["/", "/leave/", "/leave/new/", "/me/", "/me/access/", "/me/consents/", "/holidays/",
                 "/me/statements/", "/employees/100002/comp/", "/planner/"],
    "supervisor": ["/", "/leave/queue/", "/leave/team/", "/employees/", "/statements/at-risk/",
                   "/employees/100002/comp/"],
    "hr": ["/", "/employees/", "/employees/100002/", "/employees/100002/ledger/", "/leave/emergency/",
           "/privacy/aggregates/", "/statements/at-risk/", "/employees/100002/separation/",
           "/employees/100002/statements/", "/ledger/opening-balances/"],
    "steward": ["/", "/steward/", "/union/denials/", "/union/denials/?by=decider_role"],
    "admin": ["/admin/"],
}


def test_every_page_loads_without_console_errors(sign_in, live_server, browser):
    """The browser fixture fails this test on teardown if any page logged an error or a request failed."""
    from django.core.management import call_command

    from openleave.people.demo import load_demo

    load_demo()
    call_command("load_demo_leave", verbosity=0)
    call_command("load_demo_requests", verbosity=0)
    anonymous = browser.new_page()
    anonymous.goto(live_server.url + "/login/")
    assert anonymous.get_by_role("heading", name="Sign in").is_visible()
    for username, urls in PAGES.items():
        page = sign_in(live_server.url, username)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (username, url)
            page.wait_for_load_state("networkidle")
        page.context.close()
    # The request form's live check runs through htmx (its indicator style now lives in app.css).
    page = sign_in(live_server.url, "employee")
    page.goto(live_server.url + "/leave/new/")
    page.get_by_label("Kind of leave").select_option("personal")
    page.get_by_label("First day", exact=True).fill("2026-12-07")
    page.get_by_role("button", name="Check against the contract").click()
    page.locator("#preview").get_by_text("Sec. 8.2").first.wait_for()
