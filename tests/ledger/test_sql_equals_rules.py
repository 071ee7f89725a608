"""The set-based run's rows equal helper A's pure functions (sick_accrual, vacation_accrual) for the same
employees — a broad deterministic sample over bands, both title weeks, part-time, unpaid hours, 9.2.C/MOU."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from ledger_helpers import credits

from openleave.ledger.models import LEAVE_SLUGS, LedgerEntry, PeriodUnpaidHours
from openleave.ledger.services import tree
from openleave.rules import accrual as rules
from openleave.rules.calendar import period_containing

pytestmark = pytest.mark.django_db


def _people(make_employee, day: dt.date, n: int = 120) -> list:
    rnd = random.Random(day.toordinal())
    people = []
    for _ in range(n):
        title = rnd.choice(["t40", "t375"])
        full = "40" if title == "t40" else "37.5"
        start = dt.date(1985, 1, 1) + dt.timedelta(days=rnd.randrange(0, (day - dt.date(1985, 1, 1)).days - 14))
        weekly = rnd.choice([full, full, full, "20", "18.75", "32.5"])
        status = "full_time" if weekly == full else "part_time"
        approved = rnd.random() < 0.3
        prior = rnd.choice([None, "3", "4.5", "6"])
        hire = start if rnd.random() < 0.7 else start + dt.timedelta(days=rnd.randrange(0, 400))
        hire = min(hire, day - dt.timedelta(days=20))
        sched = None
        if rnd.random() < 0.3:
            per_day = str(float(weekly) / 5).rstrip("0").rstrip(".")
            sched = {d: per_day for d in ("mon", "tue", "wed", "thu", "fri")}
        e = make_employee(start=start, title=title, weekly=weekly, status=status, hire=max(hire, start),
                          prior=prior, approved=approved, schedule=sched)
        unpaid = rnd.choice([0, 0, 0, 8_000_000, 12_500_000, 90_000_000, 1_234_567])
        period = period_containing(day)
        if unpaid:
            PeriodUnpaidHours.objects.create(employee=e, period_start=period.start, unpaid_micro=unpaid)
        people.append((e, unpaid))
    return people


def _check(people, day: dt.date) -> None:
    period = period_containing(day)
    for e, unpaid in people:
        facts = e.facts()
        sched = rules.period_scheduled_micro(facts, period, only_in_service=False)
        paid = max(sched - unpaid, 0)
        want, want_cites = {}, {}
        for leave, fn in (("sick", rules.sick_accrual), ("vacation", rules.vacation_accrual)):
            dec = fn(facts, period, tree(), hours_paid=paid)
            if dec.value:
                want[leave] = dec.value
                want_cites[leave] = ", ".join(dec.citations)
        assert credits(e) == want, (e.service_start, e.original_hire_date, e.scheduled_weekly_hours, unpaid)
        # the bulk rows' citations (a 2-byte citation-set id, resolved) are the pure functions' citations
        got_cites = {LEAVE_SLUGS[x.leave]: x.citations() for x in LedgerEntry.objects.filter(employee=e)}
        assert got_cites == want_cites, (e.service_start, e.scheduled_weekly_hours, unpaid)
        # the vintage the core gives an accrual: the vacation year of its period (Sec. 9.1)
        vintages = set(LedgerEntry.objects.filter(employee=e).values_list("vintage", flat=True))
        assert vintages == ({period.vacation_year} if want else set())


@pytest.mark.parametrize("method", [None, "insert"])  # None: the default (PostgreSQL: numpy + binary COPY)
@pytest.mark.parametrize("day", [dt.date(2026, 11, 1), dt.date(2026, 6, 25), dt.date(2026, 7, 1), dt.date(2019, 1, 3)])
def test_bulk_rows_equal_pure_rules(make_employee, accrue, day, method):
    people = _people(make_employee, day)
    accrue(day=day, method=method)
    _check(people, day)


@pytest.mark.django_db(transaction=True)
def test_pipelined_run_equals_pure_rules(make_employee, accrue, monkeypatch):
    """Not nested in a test transaction: on PostgreSQL the COPY path reads on a second connection
    (the run's exported snapshot) while the run's connection writes, in several chunks."""
    from openleave.ledger import services

    monkeypatch.setattr(services, "COPY_CHUNKS", 3)
    monkeypatch.setattr(services, "CHUNKS", 3)
    day = dt.date(2026, 11, 1)
    people = _people(make_employee, day, n=60)
    seen = []
    accrue(day=day, _after_chunk=seen.append)
    assert seen == [0, 1, 2]
    _check(people, day)
