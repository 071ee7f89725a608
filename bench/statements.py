"""Benchmark: the Sec. 9.8 statements for N synthetic employees (three vacation vintages, usage, personal leave
and a booked day each), set-based (``statements.services.statements_generate``: one aggregate ledger read per
chunk of 2,000 employees), vs the per-employee way (``ledger.selectors.balance_parts`` + ``forfeits`` — the
rules core over each employee's rows, several queries each) on a subsample, extrapolated linearly.

    .venv/bin/python bench/statements.py --db postgresql://postgres@127.0.0.1:5432/ol_statements_bench -n 5000
    .venv/bin/python bench/statements.py --db sqlite:///var/bench_statements.sqlite3 -n 5000

The database is (re)created from scratch: never point it at real data. E-mail goes to Django's locmem backend.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

H = 1_000_000


def generate(n: int) -> None:
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.people.models import Agency, Employee, JobTitle, PayCalendar
    from openleave.rules.calendar import period_containing

    cal = PayCalendar.objects.create(name="bench", anchor=dt.date(2017, 7, 9))
    ag = Agency.objects.create(code="BEN", name="Bench agency")
    t40 = JobTitle.objects.create(code="B40", name="Bench 40", full_time_weekly_hours=Decimal("40"))
    with transaction.atomic():
        Employee.objects.bulk_create([Employee(
            employee_number=f"B{i:07d}", given_name="Bench", family_name=f"E{i}", agency=ag, title=t40,
            scheduled_weekly_hours=Decimal("40"), original_hire_date=dt.date(2010, 1, 4),
            service_start=dt.date(2010, 1, 4), vacation_service_date=dt.date(2010, 1, 4) + dt.timedelta(days=i % 3000),
            pay_calendar=cal, work_email=f"b{i}@example.org") for i in range(n)], batch_size=5000)
        opening, now = dt.date(2026, 1, 11), timezone.now()
        rows = []
        for i, pk in enumerate(Employee.objects.values_list("pk", flat=True)):
            def e(leave, kind, hours, day, vintage=None, k="", pk=pk):
                rows.append(LedgerEntry(employee_id=pk, leave=leave, kind=kind, micro=int(hours * H), effective_date=day,
                                        period_start=period_containing(day).start,
                                        cite="bench", reason="bench", vintage=vintage, key=f"b:{pk}:{k}", recorded_at=now))
            e(Leave.VACATION, Kind.OPENING, 20 + i % 30, opening, 2024, "v24")
            e(Leave.VACATION, Kind.OPENING, 60, opening, 2025, "v25")
            e(Leave.VACATION, Kind.OPENING, 20, opening, 2026, "v26")
            e(Leave.VACATION, Kind.USAGE, -(i % 24), dt.date(2026, 3, 2), None, "u1")
            e(Leave.VACATION, Kind.USAGE, -4, dt.date(2026, 10, 5), None, "u2")
            e(Leave.PERSONAL, Kind.OPENING, 24, opening, 2026, "p")
            e(Leave.PERSONAL, Kind.USAGE, -8, dt.date(2026, 5, 4), None, "pu")
        LedgerEntry.objects.bulk_create(rows, batch_size=10000)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("-n", type=int, default=5000)
    ap.add_argument("--sample", type=int, default=300)
    args = ap.parse_args()
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    from accrual import setup

    setup(args.db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openleave.ledger.selectors import balance_parts, forfeits
    from openleave.people.models import Employee
    from openleave.statements import services

    t = time.perf_counter()
    generate(args.n)
    print(f"generated {args.n} employees, {7 * args.n} ledger rows in {time.perf_counter() - t:.1f} s")

    today = dt.date(2026, 9, 15)
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        s = services.statements_generate(year=2026, today=today)
        set_based = time.perf_counter() - t
    print(f"set-based: {s.written} statements in {set_based:.2f} s ({s.written / set_based:.0f}/s), "
          f"{len(q.captured_queries)} queries ({len(q.captured_queries) / max(s.written, 1):.3f} per employee)")

    sample = list(Employee.objects.select_related("title", "pay_calendar")[: args.sample])
    with CaptureQueriesContext(connection) as q:
        t = time.perf_counter()
        for e in sample:
            balance_parts(e, dt.date(2026, 9, 1), pending=False)
            forfeits(e, 2026)
        naive = (time.perf_counter() - t) / len(sample) * args.n
    print(f"per-employee (balance_parts + forfeits, figures only, no writes): {naive:.2f} s extrapolated to "
          f"{args.n}, {len(q.captured_queries) / len(sample):.1f} queries per employee; "
          f"ratio {naive / set_based:.1f}x")


if __name__ == "__main__":
    main()
