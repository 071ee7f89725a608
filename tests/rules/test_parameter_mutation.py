"""Mutation test: every figure a reason or answer prints comes from the parameter tree.

A copy of ``contract/`` is written to a temporary folder with every contract figure changed
(``mutate``), loaded with the strict loader, and every scenario of ``docs/examples/`` is answered
with it. No figure of the real contract may survive in any reason or answer: a survivor is a
number hard-coded in Python (or in prose next to the parameter that decides it).

How figures are changed (so the mutated contract stays valid, and no new figure equals an old one):

* hours (a parameter in hours, or a table column keyed by hours — 75/80 bi-weekly, 37.5/40 weekly)
  × 1.37, kept to six decimals (the micro-hour);
* every other number (days, weeks, months, years, counts) to the next whole step above it that is
  no number of the real contract: 12 months → 13, 7 days → 9 (8 is a figure: the 8-week accrual),
  4.5 years → 5.5; minutes by steps of 3, so a charging unit stays a whole number of micro-hours
  (15 → 18). Small steps keep the scenarios on the same paths (a request outside a 12-month window
  is outside a 13-month one too), so the reasons that print a figure are still printed;
  except a band index (``band``) and the calendar rules of ``holidays.days`` (month, day, nth);
* dates + 7 days (a Sunday stays a Sunday: the pay-period anchor); the pay period's length
  14 → 21 days (still whole weeks, Sunday through Saturday); a month-day (``"07-01"``, the fiscal
  year's start) one month later. Table keys (the title weeks 37.5/40 and 75/80) stay: they are
  the titles of the scenarios' employees, input not contract output.

Which old figures are looked for (``old_figures``), derived from the real tree so the list stays
complete as parameters are added:

* every number with a unit word: "7 days", "7 calendar days", "5 consecutive work days",
  "10-day", "12 months", "2 weeks", "15 minutes", "3 years" (a bare small integer is too common
  to be distinctive — "Art. 10", "band 1" — so it is looked for only next to its unit; not
  "2 h": the hours a request asks come from clock times, 08:00-12:00 is 4 h);
* every number with three or more significant digits (4.61544, 3.07696, 4.326975, 22.5, 175)
  and the per-hour rates the contract's biweekly rates imply (4.61544 / 80 = 0.057693), bare;
* every date, as ISO (2011-09-01) and as written in prose (September 1, 2011); a month-day as
  prose (July 1).

Left out: hours that are a whole number of the title's days (7.5, 8, 15, 22.5, 37.5, 40, ...) —
the scenarios' schedules give such hours themselves — and any figure that the scenario itself
gives as a number or date value (in its employee, events and questions; not its description or
expectations), which an answer may rightly repeat.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from openleave.rules.params import CONTRACT_ROOT, load_tree
from openleave.scenario.runner import run_text

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "examples").glob("*.yaml"))

# Reason paths the examples do not reach (caps, windows, notices, limits), one request each; the
# contract figures they print must follow the mutated parameters too.
MORE_REQUESTS = """
employee: {service_start: 2010-01-04, title_full_time_hours_per_week: 37.5, emergency_personnel: true}
events:
  - {date: 2024-01-02, opening_balance: {leave: sick, hours: 2000}}
  - {date: 2024-01-02, opening_balance: {leave: personal, hours: 20}}
questions:
  - {id: parental, request: {leave: sick, purpose: parental, from: 2024-03-04, to: 2024-03-08, birth_date: 2022-01-03}}
  - {id: adoption_prep, request: {leave: sick, purpose: adoption_prep, from: 2024-03-04, to: 2024-03-08,
                                  used_hours: {sick.adoption_prep: 70}}}
  - {id: foster, request: {leave: sick, purpose: foster_care, from: 2024-03-04, to: 2024-03-08,
                           used_hours: {sick.foster_care: 70}}}
  - {id: foster_waived, request: {leave: sick, purpose: foster_care, from: 2024-03-04, to: 2024-03-04, hrd_waiver: true}}
  - {id: evidence, request: {leave: sick, from: 2024-03-04, to: 2024-03-14, medical_evidence_required: true,
                             submitted_at: "2024-03-04T09:00", shift_starts: {mon: "08:00"}}}
  - {id: single_shift, request: {leave: sick, from: 2024-03-04, to: 2024-03-04, single_shift_agency: true,
                                 submitted_at: "2024-03-04T09:00", shift_starts: {mon: "08:00"}}}
  - {id: no_credits, request: {leave: sick, from: 2024-03-04, to: 2024-12-31}}
  - {id: lwop_ill, request: {leave: lwop, purpose: illness_no_sick_credits, from: 2024-03-04, to: 2024-12-31,
                             written_request: true, physician_certificate: true}}
  - {id: lwop_long, request: {leave: lwop, purpose: illness, from: 2024-03-04, to: 2024-12-31, written_request: true,
                              physician_certificate: true}}
  - {id: family_paid_late, request: {leave: family_paid, from: 2024-03-04, to: 2024-03-05, birth_date: 2022-01-03}}
  - {id: foster_short, request: {leave: family_paid, from: 2024-03-04, to: 2024-03-05, placement_date: 2024-03-04,
                                 placement_end: 2024-03-05}}
  - {id: intermittent, request: {leave: family_unpaid, relation: child, intermittent: true, from: "2024-03-04T08:00",
                                 to: "2024-03-04T10:00", submitted_at: 2024-03-01}}
  - {id: long_unpaid, request: {leave: family_unpaid, relation: child, from: 2024-03-04, to: 2024-12-31}}
  - {id: grievance, request: {leave: union_paid, purpose: grievance, from: 2024-03-04, to: 2024-03-04,
                              submitted_at: 2024-03-01}}
  - {id: convention, request: {leave: union_paid, purpose: convention, from: 2024-03-04, to: 2024-03-04}}
  - {id: president, request: {leave: union_paid, purpose: president_assist, from: 2024-03-04, to: 2024-03-04}}
  - {id: steward_again, request: {leave: union_paid, purpose: steward_training, from: 2024-03-04, to: 2024-03-04,
                                  used_days: {union.steward_training_12_months: 1}}}
  - {id: steward, request: {leave: union_paid, purpose: steward_training, from: 2024-03-04, to: 2024-03-05}}
  - {id: full_time_union, request: {leave: union_unpaid, purpose: full_time_union, from: 2024-03-04, to: 2024-03-08}}
  - {id: court, request: {leave: civic, summoned_by: commonwealth, from: 2024-03-04, to: 2024-03-04}}
  - {id: late_arrival, request: {leave: emergency, purpose: late_arrival, state_of_emergency: true,
                                 from: "2024-03-04T08:00", to: "2024-03-04T10:00", submitted_at: "2024-03-04T07:30",
                                 shift_starts: {mon: "08:00"}}}
  - {id: vacation_short, request: {leave: vacation, from: 2024-03-04, to: 2024-03-08}}
"""
HOURS_FACTOR = Decimal("1.37")
MINUTES_STEP = 3  # a multiple of 3 minutes is a whole number of micro-hours (the charging units)
UNIT_WORDS = {"days": "days?", "weeks": "weeks?", "months": "months?", "years": "years?", "minutes": "minutes?"}
KEEP_KEYS = {"band", "month", "day", "nth"}


# --- the mutated contract ------------------------------------------------------------------------

def _hours(x) -> float:
    return float((Decimal(str(x)) * HOURS_FACTOR).quantize(Decimal("0.000001")).normalize())


def _number(x, unit: str, taken: set[Decimal]):
    """The next figure above ``x`` (by 1, minutes by 3) that is no figure of the real contract: small
    enough to keep the scenarios on the same paths (a window of 12 months becomes 13, not 1012)."""
    step = MINUTES_STEP if unit == "minutes" else 1
    new = Decimal(str(x)) + step
    while new in taken:
        new += step
    return int(new) if new == new.to_integral_value() else float(new)


def mutate(value, unit: str, key=None, name: str = "", taken: frozenset = frozenset()):
    """One parameter value with every contract figure changed (see the module docstring); ``taken``:
    every number of the real contract, which a changed figure must not become."""
    if isinstance(value, bool) or key in KEEP_KEYS or name == "holidays.days":
        return value
    if isinstance(value, dict):
        return {k: mutate(v, unit, k, name, taken) for k, v in value.items()}
    if isinstance(value, list):
        return [mutate(v, unit, key, name, taken) for v in value]
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=7)
    if isinstance(value, str) and re.fullmatch(r"\d\d-01", value) and unit == "text":
        return f"{int(value[:2]) % 12 + 1:02d}-01"
    if isinstance(value, (int, float)):
        if value == 0:
            return value
        if name == "calendar.pay_period" and key == "days":
            return 21
        if unit == "hours" or isinstance(key, (int, float)):
            return _hours(value)
        return _number(value, unit, taken)
    return value


def mutated_root(tmp: Path, real) -> Path:
    root = tmp / "contract"
    shutil.copytree(CONTRACT_ROOT, root)
    taken = frozenset(v for n in real.names() for p in real.history(n) for v, _, _ in _leaves(p.value, p.unit, name=n)
                      if isinstance(v, Decimal))
    for path in root.rglob("*.yaml"):
        if path.name == "index.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = ".".join(path.relative_to(next(root.iterdir())).with_suffix("").parts)
        for entry in doc["values"].values():
            entry["value"] = mutate(entry["value"], doc.get("unit", ""), name=name, taken=taken)
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


# --- the old figures -----------------------------------------------------------------------------

def _leaves(value, unit: str, key=None, name: str = ""):
    """(figure, unit, key) for every figure of a value, as ``mutate`` sees them."""
    if isinstance(value, bool) or key in KEEP_KEYS or name == "holidays.days":
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, unit, k, name)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, unit, key, name)
    elif isinstance(value, (Decimal, dt.date)) or (isinstance(value, str) and re.fullmatch(r"\d\d-\d\d", value)
                                                    and unit == "text"):
        hour_column = isinstance(key, (int, float)) and not isinstance(key, bool)
        yield value, ("hours" if hour_column else unit), (Decimal(str(key)) if hour_column else key)


def _num(d: Decimal) -> str:
    s = format(d.normalize(), "f")
    return s


def _long_date(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def old_figures(tree) -> dict[str, tuple[re.Pattern, re.Pattern]]:
    """Figure → (pattern of the figure alone, pattern that finds it in output); see the module docstring."""
    out: dict[str, tuple[re.Pattern, re.Pattern]] = {}
    days = [Decimal(str(v)) for v in tree.history("calendar.day_hours")[0].value.values()]
    for name in tree.names():
        for p in tree.history(name):
            for value, unit, key in _leaves(p.value, p.unit, name=name):
                if isinstance(value, dt.date):
                    iso = re.compile(re.escape(value.isoformat()))
                    out[value.isoformat()] = (iso, iso)
                    out[_long_date(value)] = (iso, re.compile(re.escape(_long_date(value))))
                    continue
                if isinstance(value, str):
                    md = dt.date(2000, int(value[:2]), int(value[3:]))
                    prose = re.compile(rf"{md:%B} {md.day}\b")
                    out[f"{md:%B} {md.day}"] = (prose, prose)
                    continue
                if value == 0 or (unit == "hours" and any(value % d == 0 for d in days)):
                    continue
                n = _num(value)
                bare = rf"(?<![\d.]){re.escape(n)}(?![\d]|\.\d)"
                if len(value.normalize().as_tuple().digits) >= 3:
                    out[n] = (re.compile(bare), re.compile(bare))
                words = UNIT_WORDS.get(unit)
                if words:
                    phrase = bare + rf"(?:[- ](?:calendar|consecutive|work|paid))*[- ]{words}\b"
                    out[f"{n} {unit}"] = (re.compile(bare), re.compile(phrase))
                if isinstance(key, Decimal) and unit == "hours" and name.endswith(("accrual_full_time", "bands")):
                    per_hour = _num(value / key)
                    rate = re.compile(rf"(?<![\d.]){re.escape(per_hour)}(?!\d)")
                    out[per_hour] = (rate, rate)
    return out


def _given(obj):
    """The numbers and dates a scenario gives as values (not its keys, nor the hours of its clock times)."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _given(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _given(v)
    elif isinstance(obj, (int, float, Decimal)) and not isinstance(obj, bool):
        yield _num(Decimal(str(obj)))
    elif isinstance(obj, dt.date):
        yield obj


def _strings(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)
    elif obj is not None:
        yield str(obj)


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    real = load_tree()
    mutated = load_tree(mutated_root(tmp_path_factory.mktemp("mutated"), real))
    return real, mutated


def test_every_figure_is_mutated(trees):
    """The mutation changes every figure the test looks for (else a survivor could be legitimate)."""
    real, mutated = trees
    assert real.names() == mutated.names()
    old = old_figures(real)
    assert {"4.61544", "0.057693", "2011-09-01", "September 1, 2011", "12 months", "7 days", "July 1"} <= set(old)
    new_text = " ".join(_strings([mutated.history(n)[0].value for n in mutated.names() if n != "holidays.days"]))
    for figure, (_, pattern) in old.items():
        if " " not in figure:
            assert not pattern.search(new_text), f"{figure} is still a value of the mutated contract"


def survivors(real, text: str, tree) -> list[str]:
    """Old figures (of ``real``) in the answers to scenario ``text`` computed with ``tree``. The questions'
    ``expect:`` blocks hold the real contract's answers, so they are left out (of the figures the file gives and of
    the output's ``expected``/``checked`` report): only what is computed counts."""
    doc = yaml.safe_load(text)
    for q in doc.get("questions") or []:
        q.pop("expect", None)
    values = list(_given({k: doc.get(k) for k in ("employee", "events", "questions")}))
    numbers = " ".join(v for v in values if isinstance(v, str))
    dates = " ".join(v.isoformat() for v in values if isinstance(v, dt.date))
    out, _, _ = run_text(text, tree=tree)
    out = {"answers": {qid: {k: v for k, v in a.items() if k != "expected"} for qid, a in out["answers"].items()}}
    produced = list(_strings(out))
    found = []
    for figure, (alone, pattern) in old_figures(real).items():
        if alone.search(dates if "-" in alone.pattern else numbers):  # a date figure, or a number
            continue
        found += [f"{figure!r} in: {s}" for s in produced if pattern.search(s)]
    return found


def test_the_check_finds_the_real_figures(trees):
    """Under the real contract the same check finds the figures (the reasons print them, the matcher sees them)."""
    real, _ = trees
    found = {line.split("'")[1] for line in survivors(real, MORE_REQUESTS, real)}
    assert {"12 months", "10 days", "3 months", "7 days", "2 weeks", "175"} <= found, found
    accrual = (EXAMPLES[0].parent / "annual_credit.yaml").read_text(encoding="utf-8")
    assert "September 1, 2011" in {line.split("'")[1] for line in survivors(real, accrual, real)}


@pytest.mark.parametrize("example", [*EXAMPLES, "more_requests"], ids=lambda p: getattr(p, "stem", p))
def test_no_old_figure_survives(trees, example):
    real, mutated = trees
    text = MORE_REQUESTS if example == "more_requests" else example.read_text(encoding="utf-8")
    found = survivors(real, text, mutated)
    assert not found, "\n".join(found)
