"""Each docs/examples/request_<kind>.yaml, run through `python -m openleave scenario`, gives the outcome
worked by hand in its description (one example per leave kind)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from openleave.rules.requests import KINDS

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

# kind: (question id, outcome, allowed hours) — the arithmetic is in each file's description
EXPECTED = {
    "sick": ("family_care", "partly_allowed", "15"),  # 450 − 435 h used = 15 h of 22.5 (Sec. 8.1.C.2)
    "personal": ("afternoon", "needs_decision", "2"),  # 13:00–15:00, AA approves (Sec. 8.2.A)
    "vacation": ("week", "needs_decision", "37.5"),  # 5 × 7.5 h, scheduling by the AA (Sec. 9.8)
    "bereavement": ("parent", "partly_allowed", "30"),  # 4 days × 7.5 h of 5 days (Sec. 8.3.B)
    "voting": ("election", "partly_allowed", "2"),  # at most 2 h of the 7.5 h day (Sec. 8.4)
    "civic": ("jury", "allowed", "22.5"),  # 3 days × 7.5 h lost from the schedule (Sec. 8.5.A)
    "military": ("tour", "partly_allowed", "82.5"),  # 11 work days in the first 17 tour days (Sec. 8.6.B)
    "family_paid": ("birth", "partly_allowed", "75"),  # 10 days × 7.5 h of 15 days (Sec. 8.7.1)
    "family_unpaid": ("child", "needs_decision", "75"),  # 10 days × 7.5 h, may be granted (Sec. 8.8.A)
    "educational": ("conference", "needs_decision", "7.5"),  # may be granted (Sec. 8.10)
    "lwop": ("two_weeks", "needs_decision", "75"),  # 10 days × 7.5 h, may be granted (Sec. 8.11)
    "domestic_violence": ("court", "partly_allowed", "7.5"),  # 112.5 − 105 h used (Sec. 8.12)
    "comp_time": ("morning", "needs_decision", "3"),  # 3.2 h → 3 h in ½-hour units (Sec. 7.2.G)
    "union_paid": ("exec_board", "needs_decision", "7.5"),  # 10 − 9 days used = 1 day (Sec. 5.3)
    "union_unpaid": ("hearing", "needs_decision", "7.5"),  # HRD prior approval (Sec. 5.4)
    "emergency": ("storm", "allowed", "7.5"),  # personal leave first (MOU State of Emergency)
}


def test_one_example_per_kind():
    assert set(EXPECTED) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_request_example(kind):
    qid, outcome, hours = EXPECTED[kind]
    proc = subprocess.run([sys.executable, "-m", "openleave", "scenario", str(EXAMPLES / f"request_{kind}.yaml")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)["answers"][qid]
    assert answer["value"] == hours and answer["unit"] == "hours"
    assert answer["reasons"][0].startswith(f"Outcome: {outcome} — {hours} h")
    assert answer["citations"]
    if "outcome" in answer:  # once the runner passes Decision.extra["answer"] through
        assert answer["outcome"] == outcome and answer["allowed_hours"] == hours
