"""No contract figure in Python: the contract's numbers live in ``contract/**.yaml`` only.

The figures looked for come from the parameter files themselves (so a new parameter is covered
the day it is added):

* every number with a fraction, values and table keys (4.61544, 3.07696, 4.326975, 22.5, the
  title week 37.5, the band years 4.5 / 9.5 / 19.5), and the per-hour rates the biweekly rates
  imply (4.61544 / 80 = 0.057693). Whole numbers are left out: 1, 2, 7, 10, 40, 60 are everywhere
  in code (indexes, field lengths, timeouts) and are no evidence — the mutation test
  (test_parameter_mutation.py) proves no whole-number figure reaches a reason or an answer;
* every date, written as ISO (2011-09-01, 2017-07-09), as ``date(2011, 9, 1)`` or in prose
  (September 1, 2011) — except an agreement's own first day (``index.yaml``'s effective_from),
  which names the agreement rather than a figure of it.

Scanned: every ``openleave/**/*.py`` except the parameter loader and migrations (a migration
freezes the help texts of its day). A hit is a figure to move into a parameter (or to read from
one), listed as file:line.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from openleave.rules.params import CONTRACT_ROOT, load_tree

ROOT = Path(__file__).resolve().parents[2]
EXCLUDED = {Path("openleave/rules/params.py")}


def _walk(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k)
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    else:
        yield value, key


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _pattern(n: str) -> re.Pattern:
    """A figure with two or more decimals is looked for alone; one with a single decimal (4.5, 9.5,
    37.5) is also a section number ("Sec. 9.5"), so only as a quoted literal ("37.5"), next to a unit
    (4.5 years, 7.5 h) or beside another number (37.5 or 40, (37.5, 40), 4.5 but less than 9.5)."""
    bare = rf"(?<![\d.]){re.escape(n)}(?![\d]|\.\d)"
    if len(n.split(".")[1]) > 1:
        return re.compile(bare)
    beside = r"(?:\s*-?\s*(?:years?|hours?|h)\b|\s+but\b|\s*(?:or|,|/)\s*\d+(?![\d.]))"
    return re.compile(rf"[\"']{re.escape(n)}[\"']|{bare}{beside}")


def contract_figures() -> dict[str, re.Pattern]:
    tree = load_tree()
    agreement_days = {a["effective_from"] for a in tree.agreements}
    out: dict[str, re.Pattern] = {}
    for name in tree.names():
        if name == "holidays.days":
            continue  # month/day rules of legal holidays
        for p in tree.history(name):
            for value, key in _walk(p.value):
                if isinstance(value, bool):
                    continue
                if isinstance(value, (int, float)):
                    value = Decimal(str(value))
                if isinstance(value, Decimal) and value != value.to_integral_value():
                    n = _num(value)
                    out[n] = _pattern(n)
                    if isinstance(key, (int, float)) and name.endswith(("accrual_full_time", "bands")):
                        rate = _num(value / Decimal(str(key)))
                        out[rate] = re.compile(rf"(?<![\d.]){re.escape(rate)}(?!\d)")
                elif isinstance(value, dt.date) and value not in agreement_days:
                    iso = value.isoformat()
                    out[iso] = re.compile(re.escape(iso))
                    out[f"date({value.year}, {value.month}, {value.day})"] = re.compile(
                        rf"date\(\s*{value.year},\s*0?{value.month},\s*0?{value.day}\s*\)")
                    prose = f"{value:%B} {value.day}, {value.year}"
                    out[prose] = re.compile(re.escape(prose))
    return out


def python_files():
    for path in sorted((ROOT / "openleave").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel in EXCLUDED or "migrations" in rel.parts:
            continue
        yield rel, path.read_text(encoding="utf-8")


def test_the_known_figures_are_looked_for():
    figures = contract_figures()
    for f in ("4.61544", "3.07696", "0.057693", "37.5", "4.5", "19.5", "2011-09-01", "2017-07-09",
              "date(2011, 9, 1)", "September 1, 2011"):
        assert f in figures, f
    assert str(CONTRACT_ROOT).endswith("contract")


def test_no_contract_figure_in_python():
    figures = contract_figures()
    hits = []
    for rel, text in python_files():
        for lineno, line in enumerate(text.splitlines(), 1):
            for figure, pattern in figures.items():
                if pattern.search(line):
                    hits.append(f"{rel}:{lineno}: {figure}: {line.strip()}")
    assert not hits, "contract figures in Python (read them from the parameter tree):\n" + "\n".join(hits)
