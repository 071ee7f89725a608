"""Load test of the leave-request API against a real server on loopback (PostgreSQL).

    .venv/bin/python bench/requests_load.py --db postgresql://postgres@127.0.0.1:5432/ol_bench_leave \\
        --employees 20000 --years 10 --clients 8 --seconds 15

The database is (re)created from scratch — never point it at real data. It holds the demo organisation,
``--employees`` synthetic employees with ``--years`` of biweekly sick and vacation accruals (2 ledger rows a
pay period each), and demo opening balances. A server (``manage.py runserver --noreload``, threaded, one
process — the only WSGI server in the lock file) is started on 127.0.0.1, and ``--clients`` threads with
keep-alive connections call each endpoint for ``--seconds`` (closed loop). Printed per endpoint: requests,
throughput (req/s), p50 and p99 latency (ms), errors.

Endpoints: my balances (GET /api/leave/balances), checking a request (POST /api/leave/requests/check),
submitting one (POST /api/leave/requests — 1 h of vacation on rotating dates; by one person, whose
submissions the row lock serialises by design, and by 8 different people), the supervisor's queue
(GET /api/leave/queue).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def create_db(db: str) -> None:
    name, base = db.rsplit("/", 1)[1], db.rsplit("/", 1)[0]
    host = base.split("@")[1].split(":")[0]
    subprocess.run(["dropdb", "-h", host, "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", host, "-U", "postgres", name], check=True)


def populated(n: int, years: int) -> bool:
    """The database already holds this data set (``bench_meta`` is written last by ``populate``)."""
    import django

    django.setup()
    from django.db import connection

    try:
        with connection.cursor() as c:
            c.execute("SELECT employees, years FROM bench_meta")
            return tuple(c.fetchone() or ()) == (n, years)
    except Exception:  # noqa: BLE001 — no such database/table: populate
        return False


def populate(n: int, years: int, pending: int) -> None:
    """Demo organisation + ``n`` synthetic employees × ``years`` of biweekly sick and vacation accruals
    (2 rows a pay period each), written set-based; then the Sec. 9.1 year-end checkpoints."""
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from openleave.accounts.models import User
    from openleave.leave.models import LeaveRequest
    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.ledger.services import checkpoint_year
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee
    from openleave.rules.calendar import vacation_year

    call_command("migrate", verbosity=0)
    load_demo()
    call_command("load_demo_leave", verbosity=0)  # demo opening balances, before the synthetic employees
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SET synchronous_commit = off")
        c.execute("SET maintenance_work_mem = '1GB'")
        c.execute("""
            INSERT INTO people_employee (employee_number, given_name, family_name, work_email, bargaining_unit,
              agency_id, title_id, status, scheduled_weekly_hours, work_schedule, original_hire_date, service_start,
              vacation_service_date, pay_calendar_id, emergency_personnel, prior_experience_approved)
            SELECT 'B' || lpad(g::text, 8, '0'), 'Bench', 'Person' || g, '', 'NAGE Unit 3', a.id, t.id, 'full_time',
              37.5, '{"mon":"7.5","tue":"7.5","wed":"7.5","thu":"7.5","fri":"7.5"}'::jsonb,
              DATE '2005-01-03' + (g %% 6000), DATE '2005-01-03' + (g %% 6000), DATE '2005-01-03' + (g %% 6000),
              pc.id, false, false
            FROM generate_series(1, %s) g,
                 (SELECT id FROM people_agency WHERE code = 'DMH') a,
                 (SELECT id FROM people_jobtitle WHERE code = 'FSW1') t,
                 (SELECT id FROM people_paycalendar LIMIT 1) pc
        """, [n])
        # 52 M rows: load without the index, then build it once (much faster than maintaining it per row).
        c.execute("DROP INDEX ledger_emp_leave_date")
        c.execute("""
            INSERT INTO ledger_ledgerentry (employee_id, leave, kind, micro, effective_date, period_start, cite, reason)
            SELECT e.id, l.leave, 1, l.micro, DATE '2026-11-07' - 14 * p, DATE '2026-11-07' - 14 * p - 13,
                   l.cite, ''
            FROM people_employee e CROSS JOIN generate_series(0, %s - 1) p
            CROSS JOIN (VALUES (1, 4326975, 'Sec. 8.1.A'), (2, 4326975, 'Sec. 9.2.A')) AS l(leave, micro, cite)
        """, [years * 26])
        t1 = time.perf_counter()
        c.execute('CREATE INDEX ledger_emp_leave_date ON ledger_ledgerentry (employee_id, "leave", effective_date)')
        t2 = time.perf_counter()
        c.execute("ANALYZE")
    rows = LedgerEntry.objects.count()
    print(f"populated {Employee.objects.count():,} employees, {rows:,} ledger rows: insert {t1 - t0:.0f} s, "
          f"index {t2 - t1:.0f} s", flush=True)
    erin = Employee.objects.get(employee_number="100002")
    LedgerEntry.objects.create(employee=erin, leave=Leave.VACATION, kind=Kind.ADJUSTMENT, micro=100_000 * 1_000_000,
                               effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="bench",
                               reason="bench: room for many submissions", key="bench-room", recorded_at=timezone.now())
    # ``pending`` requests already awaiting the supervisor (a backlog), spread over the supervisor's reports.
    reports = list(Employee.objects.filter(supervisor__user__username="supervisor"))
    now = timezone.now()
    LeaveRequest.objects.bulk_create([
        LeaveRequest(employee=reports[i % len(reports)], kind="vacation", start_date=WORKDAYS[i % len(WORKDAYS)],
                     end_date=WORKDAYS[i % len(WORKDAYS)], hours=1, status=LeaveRequest.Status.SUBMITTED,
                     requested_micro=1_000_000, allowed_micro=1_000_000, reserved={}, submitted_at=now,
                     finding_at_submission={"outcome": "allowed", "requested": "1", "allowed": "1", "grounds": []})
        for i in range(pending)], batch_size=1000)
    # 64 signed-in bench employees (synthetic, each with 10 years of history) read and submit concurrently.
    group = Group.objects.get(name="employee")
    for i, e in enumerate(Employee.objects.filter(employee_number__startswith="B").order_by("id")[:64]):
        u = User.objects.create(username=f"bench{i}")
        u.groups.add(group)
        e.user = u
        e.save(update_fields=["user"])
        LedgerEntry.objects.create(employee=e, leave=Leave.VACATION, kind=Kind.ADJUSTMENT, micro=100_000 * 1_000_000,
                                   effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="bench",
                                   reason="bench: room for many submissions", key=f"bench-room-{i}",
                                   recorded_at=timezone.now())
    # Checkpoints last: every entry above is dated on or before them (the services drop a checkpoint when
    # such an entry is posted later; these bench rows are written directly).
    t0 = time.perf_counter()
    today = timezone.localdate()
    first = 2026 - years
    cps = 0
    for y in range(first, today.year + 1):
        if vacation_year(y)[1] < today:
            cps += checkpoint_year(year=y)
    with connection.cursor() as c:
        c.execute("ANALYZE ledger_ledgercheckpoint")
    print(f"checkpoints: {cps:,} rows (vacation years {first}..{today.year - 1}) in {time.perf_counter() - t0:.0f} s",
          flush=True)
    with connection.cursor() as c:
        c.execute("CREATE TABLE bench_meta (employees int, years int)")
        c.execute("INSERT INTO bench_meta VALUES (%s, %s)", [n, years])
        c.execute("VACUUM ANALYZE")


def tokens() -> dict[str, str]:
    """Fresh API tokens for the bench users (tokens are stored hashed, so issued per run)."""
    from openleave.accounts.models import ApiToken, User

    out = {u: ApiToken.issue(user=User.objects.get(username=u), name="bench")[1] for u in ("employee", "supervisor")}
    for u in User.objects.filter(username__startswith="bench"):
        out[u.username] = ApiToken.issue(user=u, name="bench")[1]
    return out


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    f = [float(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(f) - f[3] - f[4], sum(f)


def run(port: int, token, method: str, path: str, body_fn, rate: float, seconds: float, conns: int = 64) -> dict:
    """Open loop: request k is due at ``k / rate`` s whatever the server does; its latency runs from that due
    time (so a queue in front of a slow server counts — no coordinated omission). ``conns`` keep-alive
    connections take the due requests in turn; a token list rotates over different people."""
    import queue

    n = int(rate * seconds)
    due: queue.Queue = queue.Queue()
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def worker(i: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while True:
            item = due.get()
            if item is None:
                break
            k, t_due = item
            body = json.dumps(body_fn(i, k)) if body_fn else None
            tok = token[k % len(token)] if isinstance(token, list) else token
            try:
                conn.request(method, path, body=body, headers={"Authorization": f"Bearer {tok}",
                                                                "Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                if r.status >= 400:
                    with lock:
                        errors.append(f"{r.status} {data[:120]!r}")
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors.append(repr(exc))
            mine.append(time.perf_counter() - t_due)
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(conns)]
    for t in threads:
        t.start()
    busy0, total0 = cpu_times()
    t0 = time.perf_counter()
    for k in range(n):
        t_due = t0 + k / rate
        pause = t_due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        due.put((k, t_due))
    for _ in threads:
        due.put(None)
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    busy1, total1 = cpu_times()
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] * 1000  # noqa: E731
    return {"n": len(lat), "rps": len(lat) / wall, "p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99),
            "max": lat[-1] * 1000, "errors": len(errors), "first_error": errors[0] if errors else "",
            "cpu": 100 * (busy1 - busy0) / max(total1 - total0, 1)}


WORKDAYS = [dt.date(2027, 1, 4) + dt.timedelta(days=d) for d in range(0, 3650)
            if (dt.date(2027, 1, 4) + dt.timedelta(days=d)).weekday() < 5]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/ol_bench_leave")
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--pending", type=int, default=2000, help="requests already awaiting the supervisor")
    ap.add_argument("--rebuild", action="store_true", help="drop and populate the database even if it matches")
    ap.add_argument("--setup-only", action="store_true")
    ap.add_argument("--rate", default="200", help="requests per second (open loop); several: 200,100,50")
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    ap.add_argument("--only", default="", help="comma-separated endpoint names (prefixes) to run")
    a = ap.parse_args()
    if not a.db.startswith("postgres"):
        sys.exit("PostgreSQL only (the submit path's row lock is what is measured)")
    os.environ.update(DATABASE_URL=a.db, DJANGO_SETTINGS_MODULE="openleave.settings", DEBUG="0", CONN_MAX_AGE="600",
                      EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    os.environ.setdefault("ACCESS_LOG_SEAL_SECONDS", "0.2")
    if a.rebuild or not populated(a.employees, a.years):
        from django.db import connections

        connections.close_all()
        create_db(a.db)
        t0 = time.perf_counter()
        populate(a.employees, a.years, a.pending)
        print(f"setup took {time.perf_counter() - t0:.0f} s", flush=True)
    if a.setup_only:
        return
    toks = tokens()
    from openleave.holidays.selectors import holiday_dates

    off = holiday_dates(None, WORKDAYS[0], WORKDAYS[-1])
    WORKDAYS[:] = [d for d in WORKDAYS if d not in off]  # a holiday is not a day of leave (400)
    shift = int(time.time()) % len(WORKDAYS)  # another run: other dates
    from django.db import connections

    connections.close_all()
    port = free_port()
    cmd = [str(Path(sys.executable).with_name("gunicorn")), "openleave.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(a.workers), "--worker-class", "gthread", "--threads", str(a.threads),
           "--keep-alive", "30", "--backlog", "2048", "--log-level", "warning"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy())
    print("gunicorn " + " ".join(cmd[2:]) + f"; ACCESS_LOG_SEAL_SECONDS={os.environ['ACCESS_LOG_SEAL_SECONDS']}")
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        check = {"kind": "sick", "start_date": "2027-01-05", "end_date": "2027-01-07",
                 "facts": {"purpose": "family_care", "relation": "parent"}}
        bench = [t for u, t in toks.items() if u.startswith("bench")]
        cases = [
            ("my balances", bench, "GET", "/api/leave/balances", None),
            ("check a request", bench, "POST", "/api/leave/requests/check", lambda i, k: check),
            ("submit (64 people)", bench, "POST", "/api/leave/requests",
             lambda i, k: {"kind": "vacation", "start_date": WORKDAYS[(shift + k * 7) % len(WORKDAYS)].isoformat(),
                           "hours": "1"}),
            ("submit (one person)", toks["employee"], "POST", "/api/leave/requests",
             lambda i, k: {"kind": "vacation", "start_date": WORKDAYS[(shift + k * 7) % len(WORKDAYS)].isoformat(),
                           "hours": "1"}),
            ("supervisor's queue", toks["supervisor"], "GET", "/api/leave/queue", None),
        ]
        if a.only:
            cases = [c for c in cases if any(c[0].startswith(o.strip()) for o in a.only.split(","))]
        rates = [float(x) for x in a.rate.split(",")]
        print(f"server: gunicorn {a.workers} workers x {a.threads} threads (gthread) on 127.0.0.1:{port}; "
              f"open loop, {a.seconds:.0f} s per endpoint and rate; {os.cpu_count()} CPUs shared by server, "
              f"PostgreSQL and this load generator; load average before {os.getloadavg()[0]:.2f}")
        print(f"{'endpoint':<20} {'target':>6} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} "
              f"{'p99 ms':>7} {'max ms':>7} {'errors':>6} {'CPU %':>6}")
        for name, tok, method, path, body in cases:
            run(port, tok, method, path, body, 50, 1.0)  # warm-up
            for rate in rates:
                r = run(port, tok, method, path, body, rate, a.seconds)
                print(f"{name:<20} {rate:>6.0f} {r['n']:>8} {r['rps']:>7.1f} {r['p50']:>7.1f} {r['p90']:>7.1f} "
                      f"{r['p99']:>7.1f} {r['max']:>7.1f} {r['errors']:>6} {r['cpu']:>6.0f}", flush=True)
                if r["errors"]:
                    print(f"  first error: {r['first_error']}")
                time.sleep(2)  # let a backlog drain before the next rate
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
