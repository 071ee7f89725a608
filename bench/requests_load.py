"""Load test of the leave-request API against a real server on loopback (PostgreSQL).

    .venv/bin/python bench/requests_load.py --db postgresql://postgres@127.0.0.1:5432/ol_bench_leave \
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
import statistics
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


def populate(n: int, years: int) -> dict[str, str]:
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from openleave.accounts.models import ApiToken, User
    from openleave.ledger.models import Kind, Leave, LedgerEntry
    from openleave.people.demo import load_demo
    from openleave.people.models import Employee

    call_command("migrate", verbosity=0)
    load_demo()
    t0 = time.perf_counter()
    with connection.cursor() as c:  # synthetic employees: one INSERT…SELECT
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
        periods = years * 26
        c.execute("""
            INSERT INTO ledger_ledgerentry (employee_id, leave, kind, micro, effective_date, period_start, cite, reason)
            SELECT e.id, l.leave, 1, l.micro, DATE '2026-11-07' - 14 * p, DATE '2026-11-07' - 14 * p - 13,
                   l.cite, 'bench accrual'
            FROM people_employee e CROSS JOIN generate_series(0, %s - 1) p
            CROSS JOIN (VALUES (1, 4326975, 'Sec. 8.1.A'), (2, 4326975, 'Sec. 9.2.A')) AS l(leave, micro, cite)
        """, [periods])
        c.execute("ANALYZE")
    rows = LedgerEntry.objects.count()
    print(f"populated {Employee.objects.count():,} employees, {rows:,} ledger rows in {time.perf_counter() - t0:.1f} s")
    call_command("load_demo_leave", verbosity=0)
    erin = Employee.objects.get(employee_number="100002")
    LedgerEntry.objects.create(employee=erin, leave=Leave.VACATION, kind=Kind.ADJUSTMENT, micro=100_000 * 1_000_000,
                               effective_date=dt.date(2026, 1, 4), period_start=dt.date(2026, 1, 4), cite="bench",
                               reason="bench: room for many submissions", key="bench-room", recorded_at=timezone.now())
    tokens = {u: ApiToken.issue(user=User.objects.get(username=u), name="bench")[1] for u in ("employee", "supervisor")}
    # 64 signed-in bench employees, so concurrent submissions come from different people (as in real life);
    # one person's submissions are serialised by the row lock by design.
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
        tokens[f"bench{i}"] = ApiToken.issue(user=u, name="bench")[1]
    return tokens


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(port: int, token, method: str, path: str, body_fn, clients: int, seconds: float) -> dict:
    """Closed loop: ``clients`` threads, each with its own keep-alive connection (and token, if a list)."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(i: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        k = 0
        mine: list[float] = []
        while time.perf_counter() < stop:
            body = json.dumps(body_fn(i, k)) if body_fn else None
            t = time.perf_counter()
            tok = token[i % len(token)] if isinstance(token, list) else token
            conn.request(method, path, body=body, headers={"Authorization": f"Bearer {tok}",
                                                            "Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            if r.status >= 400:
                with lock:
                    errors[0] += 1
            k += 1
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    return {"n": len(lat), "rps": len(lat) / wall, "p50": statistics.median(lat) * 1000,
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000, "errors": errors[0]}


WORKDAYS = [dt.date(2027, 1, 4) + dt.timedelta(days=d) for d in range(0, 3650)
            if (dt.date(2027, 1, 4) + dt.timedelta(days=d)).weekday() < 5]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/ol_bench_leave")
    ap.add_argument("--employees", type=int, default=20000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=15)
    a = ap.parse_args()
    if not a.db.startswith("postgres"):
        sys.exit("PostgreSQL only (the submit path's row lock is what is measured)")
    os.environ.update(DATABASE_URL=a.db, DJANGO_SETTINGS_MODULE="openleave.settings", DEBUG="0", CONN_MAX_AGE="600")
    create_db(a.db)
    tokens = populate(a.employees, a.years)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", "--skip-checks",
                               f"127.0.0.1:{port}"], env=os.environ.copy(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        check = {"kind": "sick", "start_date": "2027-01-05", "end_date": "2027-01-07",
                 "facts": {"purpose": "family_care", "relation": "parent"}}
        cases = [
            ("my balances", "employee", "GET", "/api/leave/balances", None),
            ("check a request", "employee", "POST", "/api/leave/requests/check", lambda i, k: check),
            ("submit (one person)", "employee", "POST", "/api/leave/requests",
             lambda i, k: {"kind": "vacation", "start_date": WORKDAYS[(k * 16 + i) % len(WORKDAYS)].isoformat(),
                           "hours": "1"}),
            ("submit (8 people)", "bench", "POST", "/api/leave/requests",
             lambda i, k: {"kind": "vacation", "start_date": WORKDAYS[(k * 16 + i) % len(WORKDAYS)].isoformat(),
                           "hours": "1"}),
            ("supervisor's queue", "supervisor", "GET", "/api/leave/queue", None),
        ]
        print(f"server: manage.py runserver (one process, threaded) on 127.0.0.1:{port}; {a.clients} clients, "
              f"{a.seconds:.0f} s per endpoint")
        print(f"{'endpoint':<20} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for name, who, method, path, body in cases:
            tok = [t for u, t in tokens.items() if u.startswith("bench")] if who == "bench" else tokens[who]
            run(port, tok, method, path, body, 2, 1.0)  # warm-up
            r = run(port, tok, method, path, body, a.clients, a.seconds)
            print(f"{name:<20} {r['n']:>9} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
