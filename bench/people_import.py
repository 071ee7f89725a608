"""Benchmark: the import from the HR system of record (issue 15, item 1) — N synthetic employees in one CSV (every
tenth with a break in service, every twentieth with an adjustment, a supervisor for nine in ten, in the same file),
through ``importing.read_csv`` + ``importing.import_people`` (set-based: bulk_create / bulk_update, the access-log
rows in bulk), then the same file again (idempotent: nothing written), then one changed name in a thousand (an
update with its before/after in the access log), vs a naive per-row ORM loop (``full_clean()`` and ``save()`` per
employee, one ``record_access`` each) on a sample, rolled back, extrapolated linearly.

    .venv/bin/python bench/people_import.py --db sqlite:///var/bench_people.sqlite3 -n 100000
    .venv/bin/python bench/people_import.py --db postgresql://postgres@127.0.0.1:5432/ol_bench_people -n 100000

The database is (re)created from scratch: never point it at real data.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from accrual import setup  # noqa: E402  (creates the database and migrates)

HEADER = ("employee_number,given_name,family_name,agency_code,agency_name,title_code,title_name,title_weekly_hours,"
          "status,weekly_hours,workdays,daily_hours,hire_date,supervisor_number,service_history\n")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_csv(n: int, rename_every: int = 0) -> str:
    lines = [HEADER]
    for i in range(1, n + 1):
        number = f"E{i:07d}"
        agency = ("DPW", "Department of Public Works") if i % 2 else ("DMH", "Department of Mental Health")
        title = ("T40", "Operator", "40") if i % 3 else ("T375", "Clerk", "37.5")
        part = i % 7 == 0
        weekly = ("20" if title[2] == "40" else "22.5") if part else title[2]
        days, daily = ("mon tue wed thu fri", "") if not part else (
            ("mon tue wed thu fri", "4") if title[2] == "40" else ("mon tue wed", "7.5"))
        year = 1990 + i % 36
        hire = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        boss = f"E{((i - 1) // 10) * 10 + 1:07d}" if i % 10 != 1 else ""
        history = ""
        if i % 10 == 0:
            history = f"break {year + 1}-03-01..{year + 1}-09-01"
        if i % 20 == 0:
            history += "; adjustment +30"
        family = f"Family{i % 997}" + ("x" if rename_every and i % rename_every == 0 else "")
        lines.append(f"{number},Given{i % 89},{family},{agency[0]},{agency[1]},{title[0]},{title[1]},{title[2]},"
                     f"{'part_time' if part else 'full_time'},{weekly},{days},{daily},{hire},{boss},{history}\n")
    return "".join(lines)


def run(text: str, label: str) -> tuple[float, object]:
    from openleave.people import importing

    t0 = time.perf_counter()
    rows = importing.read_csv(text, name=label)
    report = importing.import_people(rows=rows, system="bench/people_import.py", dry_run=False, source=label)
    took = time.perf_counter() - t0
    assert report.ok, report.problems[:5]
    return took, report


def naive(text: str, sample: int) -> float:
    """The per-row way: look up, build, full_clean() and save() one employee at a time, one access-log row each."""
    import csv
    import io
    from decimal import Decimal

    from django.db import transaction

    from openleave.audit.access import System, record_access
    from openleave.people.models import Agency, Employee, JobTitle, PayCalendar

    rows = list(csv.DictReader(io.StringIO(text)))[:sample]

    class Rollback(Exception):
        pass

    t0 = time.perf_counter()
    try:
        with transaction.atomic():
            cal = PayCalendar.objects.get(name="Commonwealth biweekly")
            for r in rows:
                number = "N" + r["employee_number"][1:]
                agency = Agency.objects.get(code=r["agency_code"])
                title = JobTitle.objects.get(code=r["title_code"])
                days = r["workdays"].split()
                weekly = Decimal(r["weekly_hours"])
                per = Decimal(r["daily_hours"]) if r["daily_hours"] else weekly / len(days)
                e = Employee.objects.filter(employee_number=number).first() or Employee(employee_number=number)
                e.given_name, e.family_name, e.agency, e.title = r["given_name"], r["family_name"], agency, title
                e.status, e.scheduled_weekly_hours = r["status"], weekly
                e.work_schedule = {d: str(per) for d in days}
                e.original_hire_date = e.service_start = e.vacation_service_date = r["hire_date"]
                e.pay_calendar = cal
                e.full_clean()
                e.save()
                record_access(actor=System("naive"), subject=e, object_type="employee", object_id=e.pk,
                              category="leave", channel="command", action="change", fields="naive import")
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=1000)
    args = ap.parse_args()
    setup(args.db)
    from django.db import connection

    from openleave.audit.models import AccessLog
    from openleave.people.models import Employee, PayCalendar, ServiceEvent
    from openleave.rules.calendar import pay_period_param

    anchor, length = pay_period_param()
    PayCalendar.objects.create(name="Commonwealth biweekly", anchor=anchor, length_days=length)
    t0 = time.perf_counter()
    text = make_csv(args.n)
    print(f"{connection.vendor}: generated a CSV of {args.n:,} rows ({len(text) / 1e6:.1f} MB) in "
          f"{time.perf_counter() - t0:.1f} s")
    print(f"load average before the runs: {loadavg()} ({os.cpu_count()} cores)", flush=True)
    took, r = run(text, "people.csv")
    c = r.counts()
    print(f"import: {c['new']:,} created, {r.events_written:,} service events, in {took:.2f} s → "
          f"{args.n / took:,.0f} rows/s (employees {Employee.objects.count():,}, events "
          f"{ServiceEvent.objects.count():,}, access-log rows {AccessLog.objects.count():,}; load {loadavg()})",
          flush=True)
    print("    " + ", ".join(f"{k} {v:.2f} s" for k, v in r.timings.items()), flush=True)
    again, r2 = run(text, "people.csv")
    print(f"the same file again: {r2.counts()['unchanged']:,} unchanged, {r2.written} written, in {again:.2f} s "
          f"(load {loadavg()})", flush=True)
    upd, r3 = run(make_csv(args.n, rename_every=1000), "people-renamed.csv")
    print(f"one row in 1,000 renamed: {r3.counts()['update']:,} updated, {r3.counts()['unchanged']:,} unchanged, in "
          f"{upd:.2f} s (load {loadavg()})", flush=True)
    sample = min(args.sample, args.n)
    naive_s = naive(text, sample)
    total = naive_s * args.n / sample
    print(f"naive loop: {sample:,} rows in {naive_s:.2f} s → {sample / naive_s:,.0f} rows/s, extrapolated "
          f"{total:,.0f} s for {args.n:,}")
    print(f"ratio naive / set-based (first import): {total / took:,.1f}×")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
