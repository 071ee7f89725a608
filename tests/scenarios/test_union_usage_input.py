"""Bad ``union_usage`` in a scenario: one line naming the key, exit 2, no traceback; the older ``used_days: {union.*}``
spelling gives the same answers as ``union_usage``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAD = "employee:\n  service_start: 2010-01-04\n  title_full_time_hours_per_week: 37.5\nquestions:\n  - id: a\n"


def run(tmp_path, body: str) -> subprocess.CompletedProcess:
    f = tmp_path / "s.yaml"
    f.write_text(HEAD + body)
    return subprocess.run([sys.executable, "-m", "openleave", "scenario", str(f)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


@pytest.mark.parametrize(("usage", "key"), [
    ("{exec_board_dates: [2027-02-30]}", "union_usage.exec_board_dates"),
    ("{full_time_leaves: [{from: 2027-03-01, to: 2027-02-01}]}", "union_usage.full_time_leaves[0].to"),
    ("{convention_days: -1}", "union_usage.convention_days"),
    ("{convention_days: 3, delegates: 2}", "union_usage"),
])
def test_bad_union_usage_names_the_key(tmp_path, usage, key):
    out = run(tmp_path, "    request: {leave: union_paid, purpose: convention, from: 2027-03-01, to: 2027-03-01,\n"
                        f"              union_usage: {usage}}}\n")
    assert out.returncode == 2 and out.stdout == ""
    err = out.stderr.strip()
    assert "\n" not in err and "Traceback" not in err and key in err, err


def test_usage_given_twice_refused(tmp_path):
    out = run(tmp_path, "    request: {leave: union_paid, purpose: convention, from: 2027-03-01, to: 2027-03-01,\n"
                        "              union_usage: {convention_days: 3}, used_days: {union.convention: 3}}\n")
    assert out.returncode == 2 and "give the usage once" in out.stderr


def test_older_used_days_spelling_same_answer(tmp_path):
    new = run(tmp_path, "    request: {leave: union_paid, purpose: convention, from: 2027-03-01, to: 2027-03-02,\n"
                        "              union_usage: {convention_days: 174}}\n")
    old = run(tmp_path, "    request: {leave: union_paid, purpose: convention, from: 2027-03-01, to: 2027-03-02,\n"
                        "              used_days: {union.convention: 174}}\n")
    assert new.returncode == old.returncode == 0
    assert json.loads(new.stdout)["answers"]["a"]["value"] == json.loads(old.stdout)["answers"]["a"]["value"] == "7.5"
