"""The leave planner in Debian's chromium, under the strict CSP: the employee opens it from their record page,
adds a row with htmx, sees the projection swapped in, shares it, and the supervisor opens the link — each page with
no axe violation and no horizontal scrolling at 1280 and 390 px (``look``), no console error."""

from __future__ import annotations

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_share_and_open_at_390px(sign_in, live_server, browser):
    from django.core.management import call_command

    from openleave.people.demo import load_demo

    load_demo()
    call_command("load_demo_leave", verbosity=0)
    page = sign_in(live_server.url, "employee")
    page.get_by_role("link", name="My record").click()
    page.get_by_role("heading", name="Erin Doyle", exact=True).wait_for()
    look(page)
    page.get_by_role("main").get_by_role("link", name="Plan leave").click()
    page.get_by_role("heading", name="Plan your leave").wait_for()
    look(page)
    page.get_by_role("button", name="Add another row").click()
    page.locator("#id_kind_3").wait_for()  # the fourth row came from htmx
    page.locator("#id_kind_0").select_option("vacation")
    page.get_by_label("First day").first.fill("2027-02-08")
    page.get_by_label("Last day").first.fill("2027-02-12")
    page.get_by_role("button", name="Show my balances").click()
    page.get_by_role("heading", name="Balances day by day").wait_for()
    assert page.get_by_role("heading", name="What would be forfeited").is_visible()
    look(page)
    page.get_by_text("Share this plan with my supervisor (read only)").click()
    page.get_by_role("button", name="Share with my supervisor").click()
    page.get_by_role("heading", name="Your shared link").wait_for()
    look(page)
    link = page.locator("#share-link").input_value()
    page.context.close()
    sup = sign_in(live_server.url, "supervisor")
    response = sup.goto(link)
    assert response.status == 200
    assert sup.get_by_role("heading", name="Leave plan of Erin Doyle (100002)").is_visible()
    look(sup)
    sup.context.close()
