"""Benchmark: the payroll export of one pay period for N synthetic employees (issue 15, item 2). Each employee has
an opening balance, accruals in the period (the bulk rows the export must skip), a vacation and a sick debit in the
period, and one in ten an unpaid charge. Times the export (INSERT … SELECT … GROUP BY, the checksum stream, the
access log), the re-download (byte-identical) and the reconciliation; prints the queries, which do not grow with N.

    .venv/bin/python bench/payroll.py --db postgresql://postgres@127.0.0.1:5432/ol_payroll_bench -n 20000

The database is (re)created from scratch: never point it at real data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

H = 1_000_000
DAY = dt.date(2026, 10, 20)  # in the pay period 2026-10-18 .. 10-31


def generate(n: int):
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from openleave.leave.models import LeaveRequest, RequestCharge
    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.people.models import Agency, Employee, JobTitle, PayCalendar

    cal = PayCalendar.objects.create(name="bench", anchor=dt.date(2017, 7, 9))
    ag = Agency.objects.create(code="BEN", name="Bench agency")
    t40 = JobTitle.objects.create(code="B40", name="Bench 40", full_time_weekly_hours=Decimal("40"))
    with transaction.atomic():
        Employee.objects.bulk_create([Employee(
            employee_number=f"B{i:07d}", given_name="Bench", family_name=f"E{i}", agency=ag, title=t40,
            scheduled_weekly_hours=Decimal("40"), original_hire_date=dt.date(2010, 1, 4),
            service_start=dt.date(2010, 1, 4), vacation_service_date=dt.date(2010, 1, 4), pay_calendar=cal,
            work_email=f"b{i}@example.org") for i in range(n)], batch_size=5000)
        now, ps = timezone.now(), dt.date(2026, 10, 18)
        rows, reqs = [], []
        for i, pk in enumerate(Employee.objects.order_by("pk").values_list("pk", flat=True)):
            def e(leave, kind, micro, k, pk=pk):
                rows.append(LedgerEntry(employee_id=pk, leave=leave, kind=kind, micro=micro, effective_date=DAY,
                                        period_start=ps, cite="bench", reason="bench", key=f"b:{pk}:{k}",
                                        recorded_at=now))
            e(Leave.VACATION, Kind.OPENING, 80 * H, "o")
            e(Leave.VACATION, Kind.ACCRUAL, 4_615_440, "a1")
            e(Leave.SICK, Kind.ACCRUAL, 4_615_440, "a2")
            e(Leave.VACATION, Kind.USAGE, -(7_500_000 + (i % 8) * 250_000), "u1")
            e(Leave.SICK, Kind.USAGE, -3_750_000, "u2")
            if i % 10 == 0:
                reqs.append(LeaveRequest(employee_id=pk, kind="lwop", start_date=DAY, end_date=DAY, status="approved",
                                         requested_micro=8 * H, approved_micro=8 * H))
        LedgerEntry.objects.bulk_create(rows, batch_size=10000)
        LeaveRequest.objects.bulk_create(reqs, batch_size=5000)
        RequestCharge.objects.bulk_create([RequestCharge(request=r, leave_type="lwop", micro=8 * H)
                                           for r in LeaveRequest.objects.all()], batch_size=5000)
    return cal, len(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("-n", type=int, default=20000)
    args = ap.parse_args()
    from accrual import setup

    setup(args.db)
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from openleave.payroll import selectors, services

    t = time.perf_counter()
    cal, nrows = generate(args.n)
    print(f"generated {args.n} employees, {nrows} ledger rows in {time.perf_counter() - t:.1f} s")
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC), tick=True):
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            b = services.payroll_batch_export(calendar=cal, period_including=DAY, by=None, command="bench")
            export = time.perf_counter() - t
        print(f"export: {b.rows} lines, {b.employees} employees in {export:.2f} s "
              f"({b.employees / export:.0f} employees/s), {len(q.captured_queries)} queries "
              f"(incl. {-(-b.employees // services.ACCESS_CHUNK)} access-log bulk inserts), {b.size / 1e6:.1f} MB CSV")
        t = time.perf_counter()
        digest = hashlib.sha256()
        for chunk in selectors.csv_chunks(b):
            digest.update(chunk)
        print(f"re-download: {time.perf_counter() - t:.2f} s, identical: {digest.hexdigest() == b.sha256}")
        t = time.perf_counter()
        rec = selectors.reconcile(b)
        print(f"reconciliation: {'equal' if rec.ok else 'MISMATCH'} in {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
