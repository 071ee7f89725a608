"""De-identified aggregates: people per agency, month and kind; any cell under 10 people suppressed."""

from __future__ import annotations

import pytest

from openleave.privacy import aggregates
from openleave.privacy.aggregates import UsageRow, aggregate


def rows(agency, month, kind, people, times=1):
    return [UsageRow(agency, month, kind, 1000 + i) for i in range(people) for _ in range(times)]


def test_cells_count_distinct_people_and_suppress_under_ten():
    data = rows("DMH", "2026-01", "sick", 12, times=3) + rows("DMH", "2026-01", "fmla", 9) + rows("DCR", "2026-02",
                                                                                                   "vacation", 10)
    cells = {(c.agency, c.month, c.kind): c for c in aggregate(data)}
    assert cells[("DMH", "2026-01", "sick")].people == 12  # three uses each, counted once
    assert cells[("DMH", "2026-01", "fmla")].suppressed and cells[("DMH", "2026-01", "fmla")].people is None
    assert cells[("DCR", "2026-02", "vacation")].people == 10


@pytest.fixture
def source():
    @aggregates.register_usage_source("test")
    def fake(start, end):
        yield from rows("DMH", "2026-10", "sick", 11) + rows("DMH", "2026-10", "domestic_violence", 2)

    yield
    aggregates._sources.pop("test")


@pytest.mark.django_db
def test_page_shows_counts_but_never_a_small_cell(users, client_for, source):
    html = client_for(users["hr"]).get("/privacy/aggregates/").content.decode()
    assert "<td class=\"num\">11</td>" in html
    assert "domestic_violence" in html and "fewer than 10" in html
    assert ">2<" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role, status", [("hr", 200), ("steward", 200), ("auditor", 200), ("employee", 404),
                                          ("supervisor", 404), ("medical", 404), ("admin", 404)])
def test_who_sees_aggregates(users, client_for, source, role, status):
    assert client_for(users[role]).get("/privacy/aggregates/").status_code == status
    api = client_for(users[role]).get("/api/privacy/aggregates")
    assert api.status_code == status
    if status == 200:
        assert {"agency": "DMH", "month": "2026-10", "kind": "domestic_violence", "people": None,
                "suppressed": True} in api.json()
