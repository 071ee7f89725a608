"""Benchmark: the year-end run over N synthetic employees with three vintages of vacation each, set-based, vs a
naive per-employee loop (the rules core's forfeitures per employee + one ``LedgerEntry.save()`` per entry).

    .venv/bin/python bench/year_end.py --db postgresql://postgres@127.0.0.1:5432/ol_bench_ye -n 1000000
    .venv/bin/python bench/year_end.py --db sqlite:///var/bench_ye.sqlite3 -n 100000

The database is (re)created from scratch: never point it at real data. The employees are generated as in
``bench/accrual.py``; each gets, by one INSERT…SELECT per kind, vacation credits of vintages 2024, 2025 and 2026
(dated at the end of a pay period of each vacation year), 0–39 h of vacation used in July 2026, 24 h of personal
leave credited in January 2026 (half of them use 8 h), the emergency day for 10 %, industrial accident leave for
0.1 % (Sec. 9.15 conversions) and a Sec. 8.2.B carry-over for 0.01 % (the rules core's path). The year end of
2025 is marked as run. ``--repeat`` times the run of 2026 (the year-end rows are removed between runs — bench
database only) and reports the median; the naive loop runs on a subsample, rolled back, extrapolated linearly.
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

from accrual import generate, setup  # noqa: E402  (the same employees as the accrual bench)

YEAR = 2026
TODAY = dt.date(2027, 1, 20)


def ledger(n: int) -> float:
    from django.db import connection, transaction

    from openleave.ledger.models import AccrualRun, Kind, Leave
    from openleave.ledger.year_end import plan
    from openleave.people.models import PayCalendar

    cal = PayCalendar.objects.get(name="bench")
    pg = connection.vendor == "postgresql"
    t0 = time.perf_counter()
    cols = "employee_id, leave, kind, micro, effective_date, period_start, cite, reason, vintage"
    with transaction.atomic(), connection.cursor() as c:
        for vintage, day, start in ((2024, "2024-12-28", "2024-12-15"), (2025, "2025-12-27", "2025-12-14"),
                                    (2026, "2026-12-26", "2026-12-13")):  # ~ a year's credit: 80–120 h
            c.execute(f"""INSERT INTO ledger_ledgerentry ({cols})
                SELECT id, {int(Leave.VACATION)}, {int(Kind.OPENING)}, (80 + id %% 41) * 1000000, %s, %s,
                       'bench', 'bench', {vintage} FROM people_employee WHERE status IN ('full_time', 'part_time')""",
                      [day, start])
        c.execute(f"""INSERT INTO ledger_ledgerentry ({cols})
            SELECT id, {int(Leave.VACATION)}, {int(Kind.USAGE)}, -(id %% 40) * 1000000 - 1000000, '2026-07-06',
                   '2026-06-28', 'Sec. 9.10', 'bench', NULL FROM people_employee
            WHERE status IN ('full_time', 'part_time')""", [])
        c.execute(f"""INSERT INTO ledger_ledgerentry ({cols})
            SELECT id, {int(Leave.PERSONAL)}, {int(Kind.ANNUAL_CREDIT)}, 24000000, '2026-01-11', '2026-01-11',
                   'Sec. 8.2.B', 'bench', 2026 FROM people_employee WHERE status IN ('full_time', 'part_time')""", [])
        c.execute(f"""INSERT INTO ledger_ledgerentry ({cols})
            SELECT id, {int(Leave.PERSONAL)}, {int(Kind.USAGE)}, -8000000, '2026-03-09', '2026-03-08',
                   'Sec. 8.2.B', 'bench', NULL FROM people_employee
            WHERE status IN ('full_time', 'part_time') AND id %% 2 = 0""", [])
        c.execute(f"""INSERT INTO ledger_ledgerentry ({cols})
            SELECT id, {int(Leave.EMERGENCY)}, {int(Kind.ANNUAL_CREDIT)}, 8000000, '2026-01-11', '2026-01-11',
                   'MOU Regarding State of Emergency', 'bench', 2026 FROM people_employee
            WHERE status IN ('full_time', 'part_time') AND id %% 10 = 5""", [])
        c.execute("""INSERT INTO people_industrialaccidentleave (employee_id, started, note, recorded_at)
            SELECT id, '2026-10-05', 'bench', %s FROM people_employee WHERE id %% 1000 = 17""", [dt.datetime.now(dt.UTC)])
        c.execute("SELECT id FROM accounts_user LIMIT 1")
        if c.fetchone() is None:
            c.execute("INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, "
                      "is_staff, is_active, date_joined) VALUES ('!', false, 'bench', '', '', '', false, true, %s)",
                      [dt.datetime.now(dt.UTC)])
        c.execute("SELECT id FROM accounts_user LIMIT 1")
        uid = c.fetchone()[0]
        c.execute("""INSERT INTO ledger_personalcarryover (employee_id, year, reasons, cite, recorded_by_id, recorded_at)
            SELECT id, 2026, 'bench', 'Sec. 8.2.B', %s, %s FROM people_employee
            WHERE id %% 10000 = 23 AND status IN ('full_time', 'part_time')""", [uid, dt.datetime.now(dt.UTC)])
        prev = plan(YEAR - 1, cal.anchor)
        AccrualRun.objects.create(pay_calendar=cal, period_start=prev.last_period_start, period_end=prev.last_day,
                                  leave_set=AccrualRun.LeaveSet.YEAR_END, started_at=dt.datetime.now(dt.UTC),
                                  by_label="bench: the year end of 2025, marked as run", summary={})
    if pg:
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")  # as a year-old ledger is: hint bits set, so no run pays for setting them
    return time.perf_counter() - t0


def reset_run() -> None:
    """Bench database only: remove the timed run (its rows and run row) so the next run starts the same."""
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER")
        c.execute("DELETE FROM ledger_ledgerentry WHERE run_id IN (SELECT id FROM ledger_accrualrun "
                  "WHERE leave_set = 'year_end' AND period_end > %s)", [dt.date(2026, 6, 1)])
        c.execute("DELETE FROM ledger_accrualrun WHERE leave_set = 'year_end' AND period_end > %s", [dt.date(2026, 6, 1)])
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE ledger_ledgerentry ENABLE TRIGGER USER")
            c.execute("VACUUM ANALYZE ledger_ledgerentry")
            try:
                c.execute("CHECKPOINT")
            except Exception as exc:  # noqa: BLE001
                print(f"(no CHECKPOINT between runs: {exc})")


def posted(run_id: int) -> str:
    """Counts and sums of the run's entries per (leave, kind), and a checksum over (employee, leave, kind, µh,
    dates, vintage, cite) of every row: equal between two runs iff they posted the same entries (whp)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT leave, kind, COUNT(*), SUM(micro) FROM ledger_ledgerentry WHERE run_id = %s "
                  "GROUP BY leave, kind ORDER BY leave, kind", [run_id])
        groups = " ".join(f"{lv}/{k}: {n:,} rows {int(m):,} µh" for lv, k, n, m in c.fetchall())
        row = ("employee_id || ':' || leave || ':' || kind || ':' || micro || ':' || effective_date || ':' || "
               "period_start || ':' || COALESCE(vintage, -1) || ':' || cite")
        if connection.vendor == "postgresql":
            c.execute(f"SELECT SUM(('x' || substr(md5({row}), 1, 15))::bit(60)::bigint::numeric) "
                      "FROM ledger_ledgerentry WHERE run_id = %s", [run_id])
            return f"{groups}; checksum {int(c.fetchone()[0] or 0) % 10**12:012d}"
        return groups


def naive(sample: int) -> float:
    """Per employee: the rules core's forfeitures over its ledger rows (``selectors.forfeitures``) and one
    ``save()`` per forfeiture, in one atomic block; rolled back."""
    from django.db import transaction

    from openleave.ledger import selectors
    from openleave.ledger.models import LEAVE_BY_SLUG, Kind, LedgerEntry
    from openleave.ledger.services import tree
    from openleave.ledger.year_end import plan
    from openleave.people.models import Employee, PayCalendar

    p = plan(YEAR, PayCalendar.objects.get(name="bench").anchor)

    class Rollback(Exception):
        pass

    t0 = time.perf_counter()
    try:
        with transaction.atomic():
            for emp in (Employee.objects.filter(status__in=("full_time", "part_time")).select_related("title")
                        .order_by("id")[:sample]):
                for f in selectors.forfeitures(emp, p.last_day, tree()):
                    if f.effective == p.last_day and not f.key.startswith("db:"):
                        LedgerEntry(employee=emp, leave=LEAVE_BY_SLUG[f.leave], kind=Kind.FORFEITURE, micro=f.amount,
                                    effective_date=f.effective, period_start=p.last_period_start,
                                    cite=", ".join(f.citations)[:120], reason=f.cause[:500], vintage=YEAR).save()
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - t0


def reusable(db: str, n: int) -> bool:
    """``--reuse``: the database holds a finished bench ledger of ``n`` employees (else it is made again)."""
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openleave.settings")
    import django

    django.setup()
    from django.db import connection

    try:
        with connection.cursor() as c:
            c.execute("SELECT COUNT(*) FROM people_employee")
            employees = c.fetchone()[0]
            c.execute("SELECT COUNT(*) FROM ledger_accrualrun WHERE by_label LIKE 'bench:%%'")
            marked = c.fetchone()[0]
    except Exception:  # noqa: BLE001 — no database or no tables: make it
        connection.close()
        return False
    if employees == n and marked == 1:
        reset_run()
        return True
    connection.close()
    return False


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("-n", type=int, default=100_000)
    ap.add_argument("--sample", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--methods", default="copy,insert",
                    help="PostgreSQL: the write paths to time, interleaved (copy: year_end_copy; insert: INSERT…SELECT)")
    ap.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of one chunk's read")
    ap.add_argument("--reuse", action="store_true",
                    help="keep the database a previous bench of the same N generated (its timed run is removed)")
    args = ap.parse_args()
    if not (args.reuse and reusable(args.db, args.n)):
        setup(args.db)
    from django.db import connection

    from openleave.ledger import year_end
    from openleave.ledger.models import LedgerEntry
    from openleave.people.models import PayCalendar

    if PayCalendar.objects.filter(name="bench").exists():
        print(f"{connection.vendor}: reusing {args.n:,} employees and {LedgerEntry.objects.count():,} ledger rows")
    else:
        g = generate(args.n)
        secs = ledger(args.n)
        print(f"{connection.vendor}: generated {args.n:,} employees in {g['seconds']:.1f} s and "
              f"{LedgerEntry.objects.count():,} ledger rows in {secs:.1f} s")
    cal = PayCalendar.objects.get(name="bench")
    print(f"load average before the runs: {loadavg()} ({os.cpu_count()} cores)")
    if args.explain and connection.vendor == "postgresql":
        from openleave.ledger import year_end_sql as S

        p = year_end.plan(YEAR, cal.anchor)
        with connection.cursor() as c:
            c.execute("SELECT MIN(id), MAX(id) FROM people_employee")
            lo, hi = c.fetchone()
            step = (hi - lo + year_end.CHUNKS) // year_end.CHUNKS
            c.execute("SET jit = off")
            c.execute("SET work_mem = '128MB'")
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + S.cte(cal.pk, p, S.Dialect("postgresql"), True)
                      + " SELECT employee_id, leg, micro FROM out", {"lo": lo, "hi": lo + step})
            print("\n".join(r[0] for r in c.fetchall()))
    methods = args.methods.split(",") if connection.vendor == "postgresql" else ["insert"]
    times: dict[str, list[float]] = {m: [] for m in methods}
    prints: dict[str, list[str]] = {}
    for i in range(args.repeat):
        for m in methods:
            reset_run()
            t0 = time.perf_counter()
            r = year_end.year_end_run(calendar=cal, year=YEAR, today=TODAY, method=m)
            took = time.perf_counter() - t0
            times[m].append(took)
            s = r.summary()
            print(f"run {i + 1} ({m}): {r.rows:,} rows for {r.employees:,} employees in {took:.2f} s → "
                  f"{args.n / took:,.0f} employees/s (forfeited {s['forfeited_hours']}, conversions "
                  f"{s['conversions']['employees']:,}, by the rules core {s['computed_by_rules_core']:,}; "
                  f"load {loadavg()})", flush=True)
            if r.timings:
                print("    " + ", ".join(f"{k} {v:.2f} s" for k, v in r.timings.items()), flush=True)
            fp = posted(r.run.pk)
            print(f"    posted: {fp}", flush=True)
            prints.setdefault(fp, []).append(f"{m} run {i + 1}")
    print("the posted entries of every run are identical" if len(prints) == 1 else
          "THE RUNS POSTED DIFFERENT ENTRIES: " + "; ".join(f"{v}: {k}" for k, v in prints.items()))
    for m, ts in times.items():
        print(f"{m}: median of {len(ts)}: {sorted(ts)[len(ts) // 2]:.2f} s (min {min(ts):.2f} s, max {max(ts):.2f} s)")
    t0 = time.perf_counter()
    dry = year_end.year_end_run(calendar=cal, year=YEAR + 1, today=dt.date(2028, 2, 1), dry_run=True)
    print(f"(a dry run of {YEAR + 1}: {time.perf_counter() - t0:.2f} s, {dry.rows:,} rows previewed)")
    sample = min(args.sample, args.n)
    naive_s = naive(sample)
    total = naive_s * args.n / sample
    print(f"naive loop: {sample:,} employees in {naive_s:.2f} s → {sample / naive_s:,.0f} employees/s, "
          f"extrapolated {total:,.0f} s for {args.n:,}")
    for m, ts in times.items():
        print(f"ratio naive / set-based ({m}, median): {total / sorted(ts)[len(ts) // 2]:,.0f}×")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
