"""The first minutes of a new user: the refusal page in development, the favicon, `make run`'s checks."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.mark.django_db
def test_in_development_a_refusal_is_the_production_404_not_the_debug_page(users, people, client_for):
    c = client_for(users["employee"])
    production = c.get(f"/employees/{people['sean'].employee_number}/")
    with override_settings(DEBUG=True):
        refused = c.get(f"/employees/{people['sean'].employee_number}/")
        missing = c.get("/employees/999999/")
    assert refused.status_code == missing.status_code == production.status_code == 404
    assert CSRF.sub(b"", refused.content) == CSRF.sub(b"", missing.content) == CSRF.sub(b"", production.content)
    assert b"Not found, or you may not see it." in refused.content
    assert b"Sean" not in refused.content and b"technical" not in refused.content.lower()


@pytest.mark.django_db
def test_favicon_is_ours(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 302 and r["Location"].endswith("/static/openleave/favicon.svg")
    assert client.get(r["Location"]).status_code == 200


def _check_port(arg: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check_port.py"), arg],
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("bad", ["abc", "0", "65536", "", "80a"])
def test_make_run_refuses_a_port_that_is_not_a_number_in_one_line(bad):
    r = _check_port(bad)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "PORT=" in r.stderr and "make run PORT=8001" in r.stderr


def test_make_run_says_when_the_port_is_taken():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = _check_port(str(port))
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in r.stderr


def test_make_run_accepts_a_free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = _check_port(str(port))
    assert r.returncode == 0 and r.stderr == ""


def _make(*args: str) -> subprocess.CompletedProcess:
    """``make`` as a new user runs it (not as a sub-make of ``make test``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.run(["make", "-s", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, env=env)


@pytest.mark.parametrize("script, says", [
    (None, "was not found"),
    ("#!/bin/sh\necho 3.9.18\n", "is Python 3.9.18"),  # an older Python answers with its version
    ("#!/bin/sh\nexit 1\n", "could not be run"),
])
def test_make_says_which_python_it_needs(tmp_path, script, says):
    py = tmp_path / "python3"
    if script is not None:
        py.write_text(script)
        py.chmod(0o755)
    r = _make("python-ok", f"PY={py}")
    assert r.returncode != 0
    ours = [line for line in r.stderr.splitlines() if not re.match(r"make(\[\d+\])?: \*\*\*", line)]
    assert len(ours) == 1 and says in ours[0] and "make run PY=" in ours[0] and "3.11" in ours[0]


def test_make_accepts_this_python():
    r = _make("python-ok", f"PY={sys.executable}")
    assert r.returncode == 0, r.stderr
