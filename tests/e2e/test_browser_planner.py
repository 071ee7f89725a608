"""The leave planner in Debian's chromium at phone width (390 px), under the strict CSP: add a row with htmx,
see the projection swapped in, no horizontal scrolling, no console error; then share it and open the link as the
supervisor."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_share_and_open_at_390px(sign_in, live_server, browser):
    from django.core.management import call_command

    from openleave.people.demo import load_demo

    load_demo()
    call_command("load_demo_leave", verbosity=0)
    page = sign_in(live_server.url, "employee")
    page.goto(live_server.url + "/planner/")
    assert page.get_by_role("heading", name="Plan your leave").is_visible()
    page.get_by_role("button", name="Add another row").click()
    page.locator("#id_kind_3").wait_for()  # the fourth row came from htmx
    page.locator("#id_kind_0").select_option("vacation")
    page.get_by_label("First day").first.fill("2027-02-08")
    page.get_by_label("Last day").first.fill("2027-02-12")
    page.get_by_role("button", name="Show my balances").click()
    page.get_by_role("heading", name="Balances day by day").wait_for()
    assert page.get_by_role("heading", name="What would be forfeited").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
    page.get_by_text("Share this plan with my supervisor (read only)").click()
    page.get_by_role("button", name="Share with my supervisor").click()
    page.get_by_role("heading", name="Your shared link").wait_for()
    link = page.locator("#share-link").input_value()
    page.context.close()
    sup = sign_in(live_server.url, "supervisor")
    response = sup.goto(link)
    assert response.status == 200
    assert sup.get_by_role("heading", name="Leave plan of Erin Doyle (100002)").is_visible()
    assert sup.evaluate("document.documentElement.scrollWidth") <= 390
    sup.context.close()
