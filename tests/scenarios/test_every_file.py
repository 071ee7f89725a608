"""Every scenario file under tests/scenarios/ and docs/examples/ carries its expected answers (``expect:``,
worked by hand with the arithmetic beside) and ``python -m openleave scenario FILE`` meets them all; and the
``expect:`` mechanism itself: exit 1 with one line per failure, exit 2 for an unknown key, exact decimals,
citations as a subset, reasons_mention."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from openleave.scenario.loader import load

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
FILES = sorted([*(ROOT / "tests" / "scenarios").rglob("*.yaml"), *(ROOT / "docs" / "examples").rglob("*.yaml")])


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openleave", "scenario", *args], capture_output=True, text=True,
                          cwd=ROOT, input=stdin, timeout=60)


def test_the_files_are_found():
    names = {f.relative_to(ROOT).as_posix() for f in FILES}
    assert "docs/examples/accrual.yaml" in names and "docs/examples/request_voting.yaml" in names
    assert len([n for n in names if n.startswith("docs/examples/")]) == 31
    assert len([n for n in names if n.startswith("tests/scenarios/cases/")]) >= 6


@pytest.mark.parametrize("path", FILES, ids=[f.relative_to(ROOT).as_posix() for f in FILES])
def test_every_expectation_is_met(path):
    doc, _ = load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)  # the published schema accepts it, expect: and all
    questions = doc["questions"]
    without = [q["id"] for q in questions if "expect" not in q]
    assert not without, f"questions without an expect: block: {without}"
    out = run(str(path))
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    result = json.loads(out.stdout)
    assert result["checked"] == {"met": len(questions), "failed": 0}
    assert all(a["expected"] == "met" for a in result["answers"].values())


# --- the mechanism ---------------------------------------------------------------------------------------

# A 37.5-hour title, designated emergency personnel: one emergency day = 7.5 h (MOU Regarding State of
# Emergency, Sec. 8.9); sick leave 75 h bi-weekly = 4.326975 h a period (Sec. 8.1.A).
HEAD = """employee:
  service_start: 2005-04-04
  title_full_time_hours_per_week: 37.5
  emergency_personnel: true
questions:
  - id: day
    credited: {leave: emergency, year: 2019}
"""


def scenario(tmp_path, expect: str, head: str = HEAD) -> tuple[Path, subprocess.CompletedProcess]:
    f = tmp_path / "case.yaml"
    f.write_text(head + "    expect:\n" + "".join(f"      {line}\n" for line in expect.strip().split("\n")))
    return f, run(str(f))


def test_a_failed_expectation_exits_1_after_the_json_with_one_line_naming_file_line_question_key(tmp_path):
    f, out = scenario(tmp_path, 'unit: hours\nvalue: "8"\ncitations: [Sec. 8.9]')
    assert out.returncode == 1
    result = json.loads(out.stdout)  # the answers are printed all the same
    assert result["checked"] == {"met": 0, "failed": 1}
    assert result["answers"]["day"]["value"] == "7.5"
    assert result["answers"]["day"]["expected"] == {"failed": [{"key": "value", "expected": "8", "got": "7.5"}]}
    # line 10 of the file is `value: "8"` (1-7 the head, 8 `expect:`, 9 `unit: hours`)
    assert out.stderr.splitlines() == [f"{f}:10: question day: expected value = 8, got 7.5"]


def test_every_failure_gets_its_own_line_and_met_questions_are_counted(tmp_path):
    head = HEAD.replace("questions:\n", "questions:\n  - id: sick\n    accrued: {leave: sick, period_including: 2019-07-01}\n"
                        "    expect: {value: 4.326975}\n")
    f, out = scenario(tmp_path, "value: 7\nunit: days", head=head)
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert result["checked"] == {"met": 1, "failed": 1}
    assert result["answers"]["sick"]["expected"] == "met"
    assert out.stderr.splitlines() == [f"{f}:12: question day: expected value = 7, got 7.5",
                                       f"{f}:13: question day: expected unit = days, got hours"]


def test_an_unknown_expect_key_exits_2_naming_it(tmp_path):
    f, out = scenario(tmp_path, "value: 7.5\nallowed_hours: 7.5")
    assert out.returncode == 2 and out.stdout == ""
    err = out.stderr.strip()
    assert err.startswith(f"{f}:10: error: questions[0].expect.allowed_hours: unknown expect key 'allowed_hours'"), err
    assert "\n" not in err and "Traceback" not in err


def test_expect_must_be_a_mapping(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_text(HEAD + "    expect: 7.5\n")
    out = run(str(f))
    assert out.returncode == 2 and out.stderr.startswith(f"{f}:8: error: questions[0].expect:")


@pytest.mark.parametrize("written", ["7.5", "7.50", '"7.50"', "'7.5'", "7.500000"])
def test_numbers_compare_as_exact_decimals(tmp_path, written):
    _, out = scenario(tmp_path, f"value: {written}")
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("written", ["7.5000001", '"7.5000001"', "7.49999999999999999999", "8", "true", "null", "seven"])
def test_a_number_that_differs_at_all_fails(tmp_path, written):
    _, out = scenario(tmp_path, f"value: {written}")
    assert out.returncode == 1, out.stdout
    assert "expected value = " in out.stderr


def test_more_digits_than_a_float_holds_are_kept(tmp_path):
    # 26 × 4.61544 = 120.00144 is exact; so is a 17-digit figure that a float would round
    head = """employee: {service_start: 2015-09-15}
questions:
  - id: year
    credited: {leave: sick, year: 2020}
"""
    assert scenario(tmp_path, "value: 120.00144", head)[1].returncode == 0
    _, out = scenario(tmp_path, "value: 120.001440000000001", head)
    assert out.returncode == 1
    assert "expected value = 120.001440000000001, got 120.00144" in out.stderr


def test_citations_are_a_subset_of_the_answers(tmp_path):
    assert scenario(tmp_path, "citations: [MOU Regarding State of Emergency]")[1].returncode == 0
    assert scenario(tmp_path, "citations: [Sec. 8.9, MOU Regarding State of Emergency]")[1].returncode == 0
    assert scenario(tmp_path, "citations: Sec. 8.9")[1].returncode == 0  # one citation may be written alone
    f, out = scenario(tmp_path, "citations:\n  - Sec. 8.9\n  - Sec. 9.8")
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        f'{f}:11: question day: expected citations = Sec. 9.8, got ["MOU Regarding State of Emergency", "Sec. 8.9"]']


def test_reasons_mention_finds_each_text_in_some_reason(tmp_path):
    assert scenario(tmp_path, "reasons_mention: [designated emergency personnel, 37.5-hour title]")[1].returncode == 0
    assert scenario(tmp_path, "reasons_mention: [DESIGNATED Emergency]")[1].returncode == 0  # case aside
    f, out = scenario(tmp_path, "reasons_mention: [designated emergency personnel, two emergency days]")
    assert out.returncode == 1
    [line] = out.stderr.splitlines()
    assert line.startswith(f"{f}:9: question day: expected reasons_mention = two emergency days, got [")


def test_lists_match_item_by_item_and_mapping_items_on_the_keys_given(tmp_path):
    head = """employee: {service_start: 2016-01-04, title_full_time_hours_per_week: 40}
events:
  - {date: 2019-01-06, opening_balance: {leave: sick, hours: 100}}
questions:
  - id: lines
    ledger: {leave: sick, from: 2019-01-06, to: 2019-01-19}
"""
    # the opening balance, then the full-time accrual of 2019-01-06..01-19 on its last day: 4.61544 h (Sec. 8.1.A)
    good = 'value:\n  - {date: 2019-01-06, kind: opening, hours: 100}\n  - {date: 2019-01-19, kind: accrual, hours: "4.61544"}'
    assert scenario(tmp_path, good, head)[1].returncode == 0
    f, out = scenario(tmp_path, good.replace('"4.61544"', '"4.6154"'), head)
    assert out.returncode == 1
    assert out.stderr.splitlines() == [f"{f}:10: question lines: expected value[1].hours = 4.6154, got 4.61544"]
    f, out = scenario(tmp_path, "value:\n  - {date: 2019-01-06, kind: opening, hours: 100}", head)  # one item short
    assert out.returncode == 1 and f"{f}:8: question lines: expected value = [" in out.stderr
    f, out = scenario(tmp_path, "value:\n  - {dat: 2019-01-06}\n  - {}", head)
    assert out.returncode == 1 and "expected value[0].dat = 2019-01-06, got (no such key)" in out.stderr


def test_a_file_without_expect_prints_no_verdicts_and_exits_0(tmp_path):
    f = tmp_path / "plain.yaml"
    f.write_text(HEAD)
    out = run(str(f))
    assert out.returncode == 0 and out.stderr == ""
    result = json.loads(out.stdout)
    assert set(result) == {"answers"} and "expected" not in result["answers"]["day"]


def test_expect_alone_is_not_a_question(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_text("employee: {service_start: 2016-01-04}\nquestions:\n  - id: a\n    expect: {value: 1}\n")
    out = run(str(f))
    assert out.returncode == 2
    assert out.stderr.startswith(f"{f}:3: error: questions[0]: a question needs an id and exactly one ask")
