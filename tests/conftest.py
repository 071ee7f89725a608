"""Shared fixtures: the clock, the demo organisation and its users, the browser."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

# --- the clock: no test depends on the day it runs ----------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")
#: Every test runs at this instant (the clock then ticks), unless it is swept or travels on its own.
FROZEN = dt.datetime(2026, 12, 1, 12, 0, tzinfo=NEW_YORK)


def _sweep() -> list[tuple[str, dt.datetime]]:
    """The instants a first run must survive (issue: "works on every day of the year"), each worked out
    from the calendar, not typed in: the year end, a leap day, both daylight-saving changes, the fiscal-year
    turn of Sec. 9.4, the day before the first full pay period of January (Sec. 9.1), and late evening in
    New York when the UTC date has already moved on."""
    from openleave.rules.calendar import DEFAULT_ANCHOR, first_full_period_in_january

    def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NEW_YORK)

    def second_sunday_of_march(y: int) -> dt.date:
        first = dt.date(y, 3, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7)

    def first_sunday_of_november(y: int) -> dt.date:
        first = dt.date(y, 11, 1)
        return first + dt.timedelta(days=(6 - first.weekday()) % 7)

    saturday_before = first_full_period_in_january(2027, DEFAULT_ANCHOR).start - dt.timedelta(days=1)
    assert saturday_before.weekday() == 5
    return [
        ("24-dec", at(dt.date(2026, 12, 24))),
        ("31-dec", at(dt.date(2026, 12, 31))),
        ("1-jan", at(dt.date(2027, 1, 1))),
        ("saturday-before-first-full-january-period", at(saturday_before)),
        ("29-feb-2028", at(dt.date(2028, 2, 29))),
        ("dst-starts", at(second_sunday_of_march(2027), 3, 30)),
        ("dst-ends", at(first_sunday_of_november(2027), 1, 30)),
        ("30-jun", at(dt.date(2027, 6, 30))),
        ("1-jul", at(dt.date(2027, 7, 1))),
        ("23:30-new-york-utc-is-tomorrow", at(dt.date(2026, 12, 31), 23, 30)),
    ]


SWEEP = _sweep()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and on PostgreSQL no session left on it when it is dropped: the SIGKILL tests kill a
    client on purpose, and its server session can outlive the test by a moment. The sessions found are named
    on stderr (so a real leak shows), then ended, and the database drops cleanly."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as c:
        c.execute("SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        for pid, app, state, query in c.fetchall():
            import sys

            print(f"\ntest database: ending a session left open (pid {pid}, {app or '-'}, {state}): {query}",
                  file=sys.stderr)
            c.execute("SELECT pg_terminate_backend(%s)", [pid])


def pytest_generate_tests(metafunc):
    """A test marked ``every_day`` runs once at each instant of ``SWEEP``."""
    if metafunc.definition.get_closest_marker("every_day"):
        metafunc.parametrize("clock_instant", [t for _, t in SWEEP], ids=[n for n, _ in SWEEP], indirect=True)


@pytest.fixture
def clock_instant(request) -> dt.datetime:
    """The instant the test starts at: a sweep's, a ``clock(instant)`` marker's, or ``FROZEN``."""
    marker = request.node.get_closest_marker("clock")
    return getattr(request, "param", marker.args[0] if marker else FROZEN)


@pytest.fixture(autouse=True)
def _clock(request, clock_instant):
    """Set the clock for every test, ticking from there unless ``clock(instant, tick=False)`` stops it;
    tests may travel further with time_machine."""
    marker = request.node.get_closest_marker("clock")
    with time_machine.travel(clock_instant, tick=marker.kwargs.get("tick", True) if marker else True):
        yield clock_instant


@pytest.fixture
def demo(db):
    from openleave.people.demo import load_demo

    return load_demo()


@pytest.fixture
def users(demo):
    from openleave.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def people(demo):
    """Named demo employees: erin (employee), sean (supervisor), stan (steward), dana (DCR supervisor)."""
    from openleave.people.models import Employee

    by_number = {e.employee_number: e for e in Employee.objects.all()}
    return {
        "erin": by_number["100002"],
        "sean": by_number["100001"],
        "stan": by_number["100003"],
        "dana": by_number["200001"],
        "dcr_report": next(e for e in by_number.values() if e.supervisor_id == by_number["200001"].pk),
        "dmh_other": next(
            e for e in by_number.values()
            if e.agency.code == "DMH" and e.supervisor_id is None and e.user_id is None
        ),
    }


@pytest.fixture
def client_for(client):
    """Sign the test client in as a demo user: ``client_for(users['hr'])``."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


# --- the browser tests: Debian's chromium driven by Playwright ------------------------------------------------

@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time when the test database is SQLite.

    The SQLite test database lives in memory, shared between the connections of one process (Django names it
    ``file:memorydb_default?mode=memory&cache=shared``). Django's threaded live server answers each request in a
    thread of its own on a connection of its own, and two at once on that shared cache — an htmx preview beside
    a page load — break each other's transaction ("OperationalError: not an error" on the session's save, then
    HTTP 400). Shared-cache SQLite does not wait for a lock as a database file does; it fails at once. One
    request at a time is what it can do: Django's server closes each HTTP connection after its answer when it
    is not threaded, so the browser's parallel requests queue and none hangs. On PostgreSQL the server stays
    threaded (every request thread has a connection of its own to a real server)."""
    import os

    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
    from pytest_django.live_server_helper import LiveServer

    class OneRequestAtATime(LiveServerThread):
        def _create_server(self, connections_override=None):
            return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    threaded = server.thread
    if connection.vendor == "sqlite":
        server.thread = OneRequestAtATime(threaded.host, threaded.static_handler,
                                          connections_override=threaded.connections_override, port=threaded.port)
        server.thread.daemon = True
    server.start()
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def watch_page(page, seen: list[tuple[str, str, str]]) -> None:
    """Record every console error, script error, failed request and error response of ``page``: a CSP
    violation, a missing favicon or a broken script all show up there (``browser_problems`` judges them)."""
    page.on("console", lambda m: m.type == "error" and seen.append(("console", m.location.get("url", ""), m.text)))
    page.on("pageerror", lambda e: seen.append(("script", page.url, str(e))))
    page.on("requestfailed", lambda r: seen.append(("failed", r.url, f"{r.method}: {r.failure}")))
    page.on("response", lambda r: r.status >= 400 and seen.append(
        ("document" if r.request.resource_type == "document" else "response", r.url, f"HTTP {r.status}")))


def browser_problems(seen: list[tuple[str, str, str]]) -> list[str]:
    """What the browser saw that is wrong. A page answered 4xx on purpose (a form sent back with its errors,
    a refusal) is not: neither is chromium's console line about that status, nor a load the page's own
    navigation aborted. Everything else is — a 5xx, any failed sub-resource, any other console error."""
    documents_4xx = {url for kind, url, text in seen if kind == "document" and text < "HTTP 5"}
    out = []
    for kind, url, text in seen:
        if kind == "document" and url in documents_4xx:
            continue
        if kind == "console" and url in documents_4xx and text.startswith("Failed to load resource: the server "
                                                                           "responded with a status of 4"):
            continue
        if kind == "failed" and text.endswith("net::ERR_ABORTED"):
            continue
        out.append(f"{kind}: {url}: {text}")
    return out


@pytest.fixture
def browser():
    """Headless Debian chromium (never a downloaded browser). Every page it opens is watched: the test fails
    on any console error, script error or failed request (``watch_page``). Playwright's sync API runs an
    event loop in the test thread, so Django's async-safety check is relaxed for these tests."""
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    assert os.path.exists(CHROMIUM), "Debian's chromium is required: apt-get install -y chromium"
    problems: list[tuple[str, str, str]] = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        new_context, new_page = b.new_context, b.new_page

        def watched_context(*args, **kwargs):
            ctx = new_context(*args, **kwargs)
            ctx.on("page", lambda page: watch_page(page, problems))
            return ctx

        def watched_page(*args, **kwargs):
            page = new_page(*args, **kwargs)
            watch_page(page, problems)
            return page

        b.new_context, b.new_page = watched_context, watched_page
        b.problems = problems
        yield b
        b.close()
    wrong = browser_problems(problems)
    assert not wrong, "the browser saw errors:\n" + "\n".join(wrong)


@pytest.fixture
def sign_in(browser):
    """``sign_in(base_url, username)`` → a phone-width page signed in through the real sign-in form."""

    def go(base_url: str, username: str):
        from openleave.people.demo import DEMO_PASSWORD

        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(base_url + "/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(base_url + "/")
        return page

    return go
