"""Scenario opening balances by vintage (issue 12, item 1): two or three vacation openings on one date are
accepted when their vintages differ; a duplicate (same leave, vintage and date), a vintage in the future and
both spellings at once are refused with the event's line (exit 2). The forfeiture figures themselves are worked
by hand in docs/examples/opening_vintages.yaml."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAD = """employee:
  service_start: 2012-03-05
events:
"""
ASK = """questions:
  - id: b
    balance: {leave: vacation, on: 2026-06-01}
"""


def run(path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openleave", "scenario", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def write(tmp_path, events: str) -> Path:
    f = tmp_path / "s.yaml"
    f.write_text(HEAD + events + ASK)
    return f


def test_three_vintages_on_one_date_are_three_balances(tmp_path):
    f = write(tmp_path, "  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 1, earned_year: 2024}}\n"
                        "  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 2, vintage: 2025}}\n"
                        "  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 4}}\n")
    out = run(f)
    assert out.returncode == 0, out.stderr
    assert '"value": "7"' in out.stdout  # 1 + 2 + 4 h


@pytest.mark.parametrize(("events", "line", "says"), [
    # the same vintage twice on one date
    ("  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 1, earned_year: 2025}}\n"
     "  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 2, earned_year: 2025}}\n",
     5, "a second vacation opening balance earned in 2025 on 2026-06-01"),
    # no earned_year = the vacation year of the date (2026), which the first one names explicitly
    ("  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 1, vintage: 2026}}\n"
     "  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 2}}\n",
     5, "earned in 2026"),
    # a vintage after the vacation year of the date
    ("  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 1, earned_year: 2027}}\n",
     4, "vacation earned in 2027 is in the future"),
    ("  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 1, earned_year: 2025, vintage: 2025}}\n",
     4, "not both"),
])
def test_a_bad_opening_is_refused_with_its_line(tmp_path, events, line, says):
    f = write(tmp_path, events)
    out = run(f)
    assert out.returncode == 2 and out.stdout == ""
    err = out.stderr.strip()
    assert err.startswith(f"{f}:{line}: error: events["), err
    assert says in err and "Traceback" not in err


def test_the_same_vintage_on_another_leave_type_is_not_a_duplicate(tmp_path):
    f = write(tmp_path, "  - {date: 2026-06-01, opening_balance: {leave: vacation, hours: 3, earned_year: 2026}}\n"
                        "  - {date: 2026-06-01, opening_balance: {leave: sick, hours: 5, earned_year: 2026}}\n")
    out = run(f)
    assert out.returncode == 0, out.stderr
    assert '"value": "3"' in out.stdout
