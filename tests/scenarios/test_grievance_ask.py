"""``grievance_deadlines:`` refuses what cannot be a grievance track, one line naming the key (exit 2)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEAD = "employee: {service_start: 2015-01-05}\nquestions:\n  - id: g\n"


def run(text: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openleave", "scenario", "-"], capture_output=True, text=True,
                          cwd=ROOT, input=text, timeout=60)


@pytest.mark.parametrize(("ask", "key", "words"), [
    ("{event_date: 2026-12-02, today: 2026-12-01}", "questions[0].grievance_deadlines.event_date", "after today"),
    ("{event_date: 2026-03-02, replies: {step1_filed: 2026-03-10, step1_reply: 2026-03-09}}",
     "questions[0].grievance_deadlines.replies.step1_reply", "before step1_filed"),
    ("{event_date: 2026-03-02, today: 2026-03-05, replies: {step1_filed: 2026-03-10}}",
     "questions[0].grievance_deadlines.replies.step1_filed", "after today"),
    ("{event_date: 2026-03-02, replies: {step2_reply: 2026-03-10}}",
     "questions[0].grievance_deadlines.replies.step2_reply", "step2_filed is not"),
    ("{event_date: 2026-03-02, replies: {step1_answer: 2026-03-10}}",
     "questions[0].grievance_deadlines.replies.step1_answer", "unknown key"),
])
def test_bad_tracks_are_one_line_naming_the_key(ask, key, words):
    out = run(HEAD + f"    grievance_deadlines: {ask}\n")
    assert out.returncode == 2, out.stdout
    err = out.stderr.strip()
    assert len(err.splitlines()) == 1
    assert key in err and words in err and ":4: error:" in err
