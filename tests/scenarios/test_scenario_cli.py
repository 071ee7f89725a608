"""Run ``python -m openleave scenario`` itself on the shipped examples and on broken files.

Expected figures are worked by hand from the contract (see each comment), not copied from output."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openleave", "scenario", *args], capture_output=True, text=True,
                          cwd=ROOT, input=stdin, timeout=60)


def answers(name: str) -> dict:
    out = run(str(EXAMPLES / name))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["answers"]


def test_accrual_example():
    a = answers("accrual.yaml")
    # 4.5 years on 2020-03-15 (FY2020): 2019-06-09..06-22 → band "less than 4.5", 80 h → 3.07696 (Sec. 9.2.A)
    assert a["vacation_june_2019"]["value"] == "3.07696"
    # Sec. 9.4: from the period including 2019-07-01 → 4.61544
    assert a["vacation_july_2019"]["value"] == "4.61544"
    assert "Sec. 9.4" in a["vacation_july_2019"]["citations"]
    # Sec. 8.1.D: 72 of 80 h paid → 72 × 0.057693 = 4.153896
    assert a["sick_with_8_unpaid_hours"] == {
        "value": "4.153896", "unit": "hours", "citations": ["Sec. 8.1.A", "Sec. 8.1.D"],
        "reasons": a["sick_with_8_unpaid_hours"]["reasons"], "expected": "met",  # the file's own expect: block
    }
    # vacation year 2020 = 26 periods (2020-01-05..2021-01-02): 26 × 4.61544 = 120.00144
    assert a["sick_vacation_year_2020"]["value"] == "120.00144"
    assert all(v["reasons"] for v in a.values())


def test_balance_example():
    a = answers("balance.yaml")
    # 100 opening + 4 periods × (40/80 × 4.61544 = 2.30772) − 4 taken + 2.5 adjustment = 107.73088
    assert a["sick_balance"]["value"] == "107.73088"
    assert {"Sec. 8.1.A", "Sec. 8.1.B"} <= set(a["sick_balance"]["citations"])
    lines = a["sick_ledger"]["value"]
    assert a["sick_ledger"]["unit"] == "entries"
    assert [x["kind"] for x in lines] == ["opening", "accrual", "accrual", "usage", "accrual", "adjustment", "accrual"]  # by date
    assert sum(float(x["hours"]) for x in lines) == pytest.approx(107.73088)


def test_annual_credit_example():
    a = answers("annual_credit.yaml")
    # Sec. 8.2.A: on the payroll 2011-09-01, 37.5 h/week → 37.500 h; MOU: one day = 7.5 h (Sec. 8.9)
    assert a["personal_2019"]["value"] == "37.5"
    assert a["personal_2019"]["citations"] == ["Sec. 8.2.A"]
    assert a["emergency_2019"]["value"] == "7.5"
    assert "MOU Regarding State of Emergency" in a["emergency_2019"]["citations"]


def test_forfeiture_example():
    a = answers("forfeiture.yaml")
    # Sec. 8.2.B: 24 credited, 8 taken → 16 forfeited on 2020-01-04
    assert a["personal_2019"]["value"] == "16"
    # Sec. 9.8: 26 × 3.07696 = 80.00096 earned in 2019, 10 used in 2020 (FIFO) → 70.00096 forfeited end of 2021
    assert a["vacation_2021"]["value"] == "70.00096"
    assert a["vacation_2021"]["citations"] == ["Sec. 9.8"]


def test_json_input_is_accepted():
    doc = {"employee": {"service_start": "2016-01-04"},
           "questions": [{"id": "q", "accrued": {"leave": "sick", "period_including": "2019-07-01"}}]}
    out = run("-", stdin=json.dumps(doc))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["answers"]["q"]["value"] == "4.61544"  # Sec. 8.1.A, 80 h


BROKEN = [
    # (text, key named in the message, line)
    ("employee:\n  service_start: 2016-01-04\n  shoe_size: 9\nquestions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n",
     "employee.shoe_size", 3),
    ("employee:\n  service_start: 2019-02-30\nquestions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n",
     "employee.service_start", 2),
    ("employee:\n  service_start: 2016-01-04\nquestions:\n  - id: a\n    balance: {leave: comp, on: 2019-03-01}\n",
     "questions[0].balance.leave", 5),
    ("employee:\n  service_start: 2016-01-04\nevents:\n  - {date: 2019-01-06, leave_taken: {leave: sick, hours: -4}}\n"
     "questions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n", "events[0].leave_taken.hours", 4),
    ("employee:\n  service_start: 2016-01-04\nevents:\n  - date: 2019-01-06\n    unpaid_leave: {kind: other, from: 2019-02-01, to: 2019-01-01}\n"
     "questions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n", "events[0].unpaid_leave.to", 5),
    ("employee:\n  service_start: 2016-01-04\nquestions:\n  - id: a\n    accrued: {leave: sick, period_including: 2015-03-01}\n",
     "questions[0].accrued.period_including", 5),
    ("employee:\n  service_start: 2016-01-04\nevents:\n  - {period_including: 2015-03-01, unpaid_hours: 8}\n"
     "questions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n", "events[0].period_including", 4),
    ("employee:\n  service_start: 2019-01-06\nevents:\n  - {date: 2019-01-07, leave_taken: {leave: vacation, hours: 40}}\n"
     "questions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n", "events[0].leave_taken", 4),
    ("employee:\n  service_start: 2016-01-04\nquestions:\n  - id: a\n    balance: {leave: sick, on: 2019-03-01}\n"
     "    credited: {leave: sick, year: 2019}\n", "questions[0]", 4),
]


@pytest.mark.parametrize(("text", "key", "line"), BROKEN)
def test_errors_name_the_key_and_line_and_exit_2(tmp_path, text, key, line):
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    out = run(str(f))
    assert out.returncode == 2
    assert out.stdout == ""
    err = out.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith(f"{f}:{line}: error: {key}:"), err


def test_missing_file_exits_2():
    out = run("no/such/file.yaml")
    assert out.returncode == 2 and "cannot read" in out.stderr


def test_schema_file_is_up_to_date():
    out = run("--schema")
    assert json.loads(out.stdout) == json.loads((ROOT / "docs" / "scenario.schema.json").read_text())


def test_examples_are_valid_against_the_schema_file():
    import jsonschema

    from openleave.scenario.loader import load

    schema = json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    for example in (EXAMPLES / n for n in ("accrual.yaml", "balance.yaml", "annual_credit.yaml", "forfeiture.yaml")):
        doc, _ = load(example.read_text())
        jsonschema.Draft202012Validator(schema).validate(doc)
