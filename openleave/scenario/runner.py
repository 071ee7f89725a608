"""Run a scenario: load → validate (JSON Schema) → parse facts and events → simulate once → answer.

Every problem becomes a ``ScenarioError`` naming the key path; ``cli`` prints it as one line
with the file's line number and exits with status 2. A question's ``expect:`` is checked against
its answer (``expect``); ``cli`` exits 1 when one is not met.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema

from openleave.rules.ledger import InsufficientBalance
from openleave.rules.params import ParameterTree, default_tree
from openleave.rules.units import hours_str

from .asks import ASKS, Context
from .errors import ScenarioError
from .expect import Failure, check
from .loader import load
from .parse import parse_employee, parse_events
from .schema import build_schema, current_names


def validate(doc: Any) -> None:
    """The first JSON Schema error as a ScenarioError naming the key."""
    validator = jsonschema.Draft202012Validator(build_schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return
    err = errors[0]
    path = tuple(err.absolute_path)
    if err.validator == "additionalProperties":
        allowed = set(err.schema.get("properties", {}))
        extra = sorted(k for k in err.instance if k not in allowed)
        raise ScenarioError((*path, extra[0]), f"unknown key {extra[0]!r}; allowed: {', '.join(sorted(allowed))}")
    if err.validator == "oneOf" and path[:1] == ("questions",):
        raise ScenarioError(path, f"a question needs an id and exactly one ask, one of: {', '.join(ASKS)}")
    if err.validator in ("minProperties", "maxProperties") and path[:1] == ("events",):
        raise ScenarioError(path, "an event needs `date` (or `period_including`) and exactly one kind")
    if err.validator == "required":
        raise ScenarioError(path, err.message.replace("is a required property", "is required"))
    if err.validator == "enum":
        raise ScenarioError(path, f"{err.instance!r} is not one of {', '.join(map(str, err.validator_value))}")
    if err.validator == "pattern":
        raise ScenarioError(path, f"{err.instance!r} is not a date (YYYY-MM-DD)")
    raise ScenarioError(path, err.message)


def run_text(text: str, tree: ParameterTree | None = None) -> tuple[dict[str, Any], dict[tuple, int], list[tuple[str, Failure]]]:
    """Answer the questions of a scenario given as YAML/JSON text. Returns (output, line map,
    failed expectations as (question id, Failure)); raises ScenarioError (with ``.lines`` attached
    for locating it)."""
    lines: dict[tuple, int] = {}
    try:
        doc, lines = load(text)
        if not isinstance(doc, dict):
            raise ScenarioError((), "a scenario is a mapping with employee:, events:, questions:")
        validate(doc)
        current_names(doc)
        output, failures = answer(doc, tree or default_tree())
        return output, lines, failures
    except ScenarioError as exc:
        exc.lines = lines  # type: ignore[attr-defined]
        raise


def answer(doc: dict, tree: ParameterTree) -> tuple[dict[str, Any], list[tuple[str, Failure]]]:
    """The answers (and, when questions carry ``expect:``, the verdicts) and the failed expectations."""
    facts = parse_employee(doc["employee"])
    events, paths = parse_events(doc.get("events", []), facts)
    questions = doc["questions"]
    seen: set[str] = set()
    asks = []
    for i, q in enumerate(questions):
        if q["id"] in seen:
            raise ScenarioError(("questions", i, "id"), f"id {q['id']!r} is used twice")
        seen.add(q["id"])
        name = next(k for k in q if k not in ("id", "expect"))
        asks.append((q["id"], ASKS[name], q[name], ("questions", i, name)))
    horizon = max([a.horizon(args, path) for _, a, args, path in asks] + [_event_day(e) for e in events] + [facts.service_start])
    ctx = Context(facts, events, tree, horizon, paths)
    out: dict[str, Any] = {}
    for qid, ask, args, path in asks:
        try:
            d = ask.answer(args, ctx, path)
        except InsufficientBalance as exc:
            raise ScenarioError(paths[events.index(exc.event)] if exc.event in events else ("events",), str(exc)) from None
        except ValueError as exc:
            raise ScenarioError(path, str(exc)) from None
        out[qid] = {
            "value": hours_str(d.value) if d.unit == "hours" else d.value,
            "unit": d.unit,
            "citations": list(d.citations),
            "reasons": list(d.reasons),
        }
        out[qid].update(d.extra.get("answer", {}))  # ask-specific keys, e.g. request: outcome, allowed_hours
    failed: list[tuple[str, Failure]] = []
    checked = {"met": 0, "failed": 0}
    for i, q in enumerate(questions):
        if "expect" not in q:
            continue
        missed = check(q["expect"], out[q["id"]], ("questions", i, "expect"))
        out[q["id"]]["expected"] = {"failed": [f.as_json() for f in missed]} if missed else "met"
        checked["failed" if missed else "met"] += 1
        failed += [(q["id"], f) for f in missed]
    result: dict[str, Any] = {"answers": out}
    if any("expect" in q for q in questions):
        result["checked"] = checked
    return result, failed


def _event_day(event: object) -> dt.date:
    for attr in ("on", "day", "end", "start"):
        if hasattr(event, attr):
            return getattr(event, attr)
    return dt.date.min
