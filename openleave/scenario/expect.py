"""``expect:`` — a question's answer worked by hand, checked against the answer (docs/scenarios.md,
*Expected answers*).

``value`` and every other answer key (``unit``, ``outcome``, ``allowed_hours``, …) must equal the
answer; numbers compare as exact decimals (``7.5`` = ``"7.50"``, never floats); a list must match
item by item, and in a mapping item only the keys given are compared. ``citations``: each listed
citation is among the answer's. ``reasons_mention``: each text appears in some reason (case aside).
An expect key that is neither of these two nor a key of the answer is a ``ScenarioError``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .errors import ScenarioError

SUBSET_KEYS = ("citations", "reasons_mention")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
MISSING = "(no such key)"


@dataclass(frozen=True)
class Failure:
    """One expectation not met: ``key`` as in the answer (``value[2].hours``), the expected and the
    actual value (JSON-ready), and ``path`` — where the expectation is written in the scenario."""

    key: str
    expected: Any
    got: Any
    path: tuple

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "expected": self.expected, "got": self.got}

    def line_text(self) -> str:
        return f"expected {self.key} = {show(self.expected)}, got {show(self.got)}"


def check(expect: dict, answer: dict, path: tuple) -> list[Failure]:
    """The failures of ``expect`` (written at ``path``) against one question's ``answer``."""
    failures: list[Failure] = []
    for key, want in expect.items():
        kp = (*path, key)
        if key == "citations":
            have = answer.get("citations", [])
            failures += [Failure(key, c, have, p) for c, p in _texts(want, kp) if c not in have]
        elif key == "reasons_mention":
            reasons = answer.get("reasons", [])
            failures += [Failure(key, t, reasons, p) for t, p in _texts(want, kp)
                         if not any(t.casefold() in str(r).casefold() for r in reasons)]
        elif key not in answer:
            keys = ", ".join(sorted({*answer, *SUBSET_KEYS} - {"expected"}))
            raise ScenarioError(kp, f"unknown expect key {key!r}; this answer has: {keys}")
        else:
            failures += _compare(want, answer[key], key, kp)
    return failures


def _texts(want: Any, path: tuple) -> list[tuple[str, tuple]]:
    """A text or a list of texts, each with where it is written."""
    return [(str(w), (*path, i)) for i, w in enumerate(want)] if isinstance(want, list) else [(str(want), path)]


def _compare(want: Any, got: Any, key: str, path: tuple) -> list[Failure]:
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [Failure(key, jsonable(want), got, path)]
        out: list[Failure] = []
        for i, (w, g) in enumerate(zip(want, got, strict=True)):
            out += _compare(w, g, f"{key}[{i}]", (*path, i))
        return out
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [Failure(key, jsonable(want), got, path)]
        out = []
        for k, w in want.items():
            if k not in got:
                out.append(Failure(f"{key}.{k}", jsonable(w), MISSING, (*path, k)))
            else:
                out += _compare(w, got[k], f"{key}.{k}", (*path, k))
        return out
    return [] if same(want, got) else [Failure(key, jsonable(want), got, path)]


def same(want: Any, got: Any) -> bool:
    """Scalar equality; numbers (and numeric strings) as exact decimals; a boolean is not a number."""
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return want is got
    w, g = decimal_of(want), decimal_of(got)
    if w is not None or g is not None:
        return w is not None and g is not None and w == g
    return want == got


def decimal_of(x: Any) -> Decimal | None:
    """The exact decimal of a number or of a plain decimal string ("7.50"); None for anything else."""
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, Decimal)):
        return Decimal(x)
    if isinstance(x, float):  # pragma: no cover - the loader never makes floats; be exact about what it would print
        return Decimal(str(x))
    if isinstance(x, str) and NUMBER.match(x.strip()):
        return Decimal(x.strip())
    return None


def jsonable(x: Any) -> Any:
    """Decimals as their text (as written), recursively."""
    if isinstance(x, Decimal):
        return str(x)
    if isinstance(x, list):
        return [jsonable(v) for v in x]
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    return x


def show(x: Any) -> str:
    """A value for the one-line report: text as is, anything else as compact JSON."""
    return x if isinstance(x, str) else json.dumps(x, ensure_ascii=False, separators=(", ", ": "))
