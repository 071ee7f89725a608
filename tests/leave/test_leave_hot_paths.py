"""The hot API paths stay cheap: query counts per request (a regression fails here), balances read from the
Sec. 9.1 checkpoint plus the entries after it, and the supervisor's queue is paginated."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from openleave.accounts.models import ApiToken
from openleave.leave.models import LeaveRequest
from openleave.ledger.models import Kind, Leave, LedgerCheckpoint, LedgerEntry
from openleave.ledger.selectors import balance_parts
from openleave.ledger.services import checkpoint_year

pytestmark = pytest.mark.django_db

CHECK = {"kind": "sick", "start_date": "2027-01-05", "end_date": "2027-01-07",
         "facts": {"purpose": "family_care", "relation": "parent"}}


@pytest.fixture
def api(client):
    def as_user(user):
        raw = ApiToken.issue(user=user, name="test")[1]

        def call(method, path, body=None):
            kw = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
            if body is not None:
                kw.update(data=json.dumps(body), content_type="application/json")
            return getattr(client, method)(path, **kw)

        return call

    return as_user


def _warm(call, *args):
    r = call(*args)  # first call: per-process caches (parameters, holidays, URL resolver)
    assert r.status_code < 400, r.content
    return r


# Counted inside the test transaction (savepoints included) and with a seal attempt on every append
# (ACCESS_LOG_SEAL_SECONDS=0). Balances: token + user, the employee, the access-log row (append; seal: head,
# pending rows, their update, head update), pending reservations, checkpoints, entries since them.
@pytest.mark.parametrize(("who", "method", "path", "body", "most"), [
    ("employee", "get", "/api/leave/balances", None, 14),
    ("employee", "post", "/api/leave/requests/check", CHECK, 12),
    ("employee", "post", "/api/leave/requests", {"kind": "vacation", "start_date": "2027-03-03", "hours": "1"}, 31),
    ("supervisor", "get", "/api/leave/queue", None, 16),
])
def test_hot_paths_query_counts(erin, users, api, django_assert_max_num_queries, who, method, path, body, most):
    call = api(users[who])
    if who == "supervisor":  # something in the queue
        api(users["employee"])("post", "/api/leave/requests", {"kind": "vacation", "start_date": "2027-03-04",
                                                                  "hours": "1"})
    _warm(call, method, path, body)
    if body and body.get("start_date") == "2027-03-03":
        body = {**body, "start_date": "2027-03-05"}
    with django_assert_max_num_queries(most):
        r = call(method, path, body)
    assert r.status_code < 400, r.content


def test_queue_queries_do_not_grow_with_its_length(erin, users, api, django_assert_num_queries):
    call = api(users["supervisor"])
    for i in range(3):
        LeaveRequest.objects.create(employee=erin, kind="vacation", start_date=dt.date(2027, 3, 1 + i),
                                    end_date=dt.date(2027, 3, 1 + i), status=LeaveRequest.Status.SUBMITTED)
    _warm(call, "get", "/api/leave/queue")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        call("get", "/api/leave/queue")
    for i in range(30):
        LeaveRequest.objects.create(employee=erin, kind="vacation", start_date=dt.date(2027, 4, 1) + dt.timedelta(i),
                                    end_date=dt.date(2027, 4, 1) + dt.timedelta(i), status=LeaveRequest.Status.SUBMITTED)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(call("get", "/api/leave/queue").json()) == 33


def test_queue_is_paginated(erin, users, api):
    LeaveRequest.objects.bulk_create([
        LeaveRequest(employee=erin, kind="vacation", start_date=dt.date(2027, 1, 4) + dt.timedelta(i),
                     end_date=dt.date(2027, 1, 4) + dt.timedelta(i), status=LeaveRequest.Status.SUBMITTED)
        for i in range(60)])
    call = api(users["supervisor"])
    first = call("get", "/api/leave/queue").json()
    assert len(first) == 50 and first[0]["start_date"] == "2027-01-04"
    rest = call("get", "/api/leave/queue?offset=50").json()
    assert len(rest) == 10 and not {r["id"] for r in rest} & {r["id"] for r in first}
    assert len(call("get", "/api/leave/queue?limit=5").json()) == 5


def test_balances_from_the_checkpoint_equal_the_sum_of_entries(erin):
    def total(on):
        from django.db.models import Q, Sum

        rows = (LedgerEntry.objects.filter(employee=erin)
                .filter(Q(effective_date__lte=on) | Q(kind__in=(Kind.USAGE, Kind.REVERSAL)))
                .values("leave").annotate(m=Sum("micro")))
        return {int(r["leave"]): int(r["m"]) for r in rows}

    LedgerEntry.objects.create(employee=erin, leave=Leave.SICK, kind=Kind.ACCRUAL, micro=4_326_975,
                               effective_date=dt.date(2026, 2, 7), period_start=dt.date(2026, 1, 25), cite="Sec. 8.1.A")
    LedgerEntry.objects.create(employee=erin, leave=Leave.VACATION, kind=Kind.USAGE, micro=-7_500_000,
                               effective_date=dt.date(2026, 12, 1), period_start=dt.date(2026, 11, 22),
                               cite="Sec. 9.10", key="test-usage-later")
    days = (dt.date(2026, 1, 5), dt.date(2026, 1, 20), dt.date(2026, 3, 1), dt.date(2027, 2, 1))
    def ledger(on):  # the credits less every charge, later days' included (no pending requests here)
        return {k: p.available for k, p in balance_parts(erin, on).items()}

    before = {d: ledger(d) for d in days}
    assert checkpoint_year(year=2025) and LedgerCheckpoint.objects.filter(employee_id=erin.pk).exists()
    for d in days:
        assert ledger(d) == before[d]
        expect = total(d)
        assert before[d].get("sick", 0) == expect.get(int(Leave.SICK), 0)
        assert before[d].get("vacation", 0) == expect.get(int(Leave.VACATION), 0)
