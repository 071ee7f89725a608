"""One balance everywhere (issue 11, item 3): the two API balance endpoints, the home page, the ledger page, the
request form's preview and the decision screen show the same figures for the same person and day — all read
``ledger.selectors.balance_parts``, under the same leave names.

Erin (tests/leave/conftest.py): opening balances on 2026-01-04 of sick 150 h, vacation 75 h, personal 15 h; a
37.5-hour week, so a day is 7.5 h (Sec. 8.9, 9.16); the clock is 2026-12-01 (tests/conftest.py). Vacation is
charged hour for hour (Sec. 9.10):
* approved: 2026-12-14, one day = 7.5 h — already charged, for a later day ("booked");
* pending: 2026-12-07..09, three days = 22.5 h — held ("pending").
So on 2026-12-01 vacation is: balance 75, booked 7.5, pending 22.5, available 75 − 7.5 − 22.5 = 45 h.
"""

from __future__ import annotations

import re

import pytest

from openleave.leave import services as svc
from openleave.ledger.selectors import balance_parts

pytestmark = pytest.mark.django_db

TODAY = "2026-12-01"
ROW = re.compile(r'<tr data-leave="(\w+)"><td>[^<]*</td>' + r'<td class="num" data-label="\w+">([-\d.]+) h</td>' * 4)


def _history(erin, users, ask):
    booked = svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-14"))
    svc.leave_request_decide(request_id=booked.pk, user=users["supervisor"], outcome="approved")
    return svc.leave_request_submit(employee=erin, user=users["employee"], data=ask("vacation", "2026-12-07",
                                                                                      "2026-12-09"))


def _table(html: str) -> dict[str, tuple[str, str, str, str]]:
    """{leave: (balance, booked, pending, available)} of a page's balance table (ledger/_parts.html)."""
    return {m[0]: m[1:] for m in ROW.findall(html)}


def test_both_api_endpoints_and_every_page_agree(erin, users, ask, client_for):
    pending = _history(erin, users, ask)
    n = erin.employee_number
    c = client_for(users["employee"])
    mine = c.get(f"/api/leave/balances?on={TODAY}").json()
    hers = c.get(f"/api/employees/{n}/balances?on={TODAY}").json()
    assert mine == hers  # the same rows: the same parts, leave names and labels
    vac = next(r for r in mine if r["leave"] == "vacation")
    assert (vac["hours"], vac["booked"], vac["pending"], vac["available"]) == ("75", "7.5", "22.5", "45")
    assert [r["leave"] for r in mine] == ["sick", "vacation", "personal"]
    want = {r["leave"]: (r["hours"], r["booked"], r["pending"], r["available"]) for r in mine}

    assert _table(c.get("/").content.decode()) == want  # the home page (today)
    assert _table(c.get(f"/employees/{n}/ledger/").content.decode()) == want  # the ledger page
    hr = client_for(users["hr"])
    assert _table(hr.get(f"/employees/{n}/").content.decode()) == want  # the employee page HR sees

    # The request form's preview: "Now" is the available part on the first day of the leave asked for.
    c = client_for(users["employee"])
    html = c.post("/leave/new/preview/", {"kind": "sick", "start_date": TODAY, "end_date": TODAY,
                                          "facts_purpose": "own_illness"}).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    for r in mine:
        assert re.search(rf"{r['label']}\s+{re.escape(r['available'])}\s", text), (r, text)

    # The decision screen: as of the first day of the request, its own hold given back (22.5 h).
    on = pending.start_date.isoformat()
    at_start = {r["leave"]: r for r in c.get(f"/api/leave/balances?on={on}").json()}
    html = client_for(users["supervisor"]).get(f"/leave/requests/{pending.pk}/decide/").content.decode()
    shown = _table(html)
    assert shown["vacation"] == ("75", "7.5", "0", "67.5")  # 75 − 7.5 booked; its own 22.5 h not held
    assert at_start["vacation"]["available"] == "45"  # … and with it held, as the API says
    for leave in ("sick", "personal"):
        r = at_start[leave]
        assert shown[leave] == (r["hours"], r["booked"], r["pending"], r["available"])


def test_the_rules_draw_the_available_part(erin, users, ask):
    """The request rules see exactly the ``available`` part (their credit names mapped to the ledger's)."""
    _history(erin, users, ask)
    from openleave.leave import selectors as sel

    parts = balance_parts(erin, sel.dt.date(2026, 12, 1))
    credits = sel.credit_balances(erin, sel.dt.date(2026, 12, 1))
    assert credits["vacation"] == parts["vacation"].available == 45_000_000
    assert credits["sick"] == parts["sick"].available == 150_000_000
    assert credits["comp_time"] == 0 and credits["emergency_day"] == 0  # nothing of them in the ledger
