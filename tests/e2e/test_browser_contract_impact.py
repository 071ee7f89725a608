"""In Debian's chromium: HR opens what the made-up successor (tests/fixtures/contract_successor — not the real next
contract) would change on 2027-07-01, with no axe violation and no sideways scroll at either width."""

from __future__ import annotations

import pytest
from page_checks import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_sees_the_successor_impact(sign_in, live_server):
    from openleave.people.demo import load_demo

    load_demo()
    page = sign_in(live_server.url, "hr")
    page.goto(live_server.url + "/contract/impact/?agreement=tests/fixtures/contract_successor&from=2027-07-01")
    page.get_by_role("heading", name="What a successor agreement would change").wait_for()
    text = page.inner_text("main")
    # Art. 10: the fixture adds Juneteenth to Sec. 10.1's eleven; Sec. 9.2.A second band +0.5 h (4.61544 → 5.11544)
    assert "Juneteenth" in text and "5.11544" in text and "4.61544" in text
    look(page)
