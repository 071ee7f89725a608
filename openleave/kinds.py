"""The kinds of leave as the web, the API and the scenario command take them — all derived from the rules
core's declarations (``rules/requests/<kind>.py`` → ``DECLARATIONS``): labels, form fields, the one
parser of a request's facts, and the JSON Schema of the facts. No Django here.

A request's facts are categories, dates, yes/no, dollars and the credits for the rest — never free text
about health. ``parse_facts`` takes only the facts the kind declares, each through the shared input layer
(``openleave.inputs``); a bad one raises ``BadInput`` naming the fact. The result is the JSON form kept
with the request; ``ask_facts`` turns it into ``LeaveAsk`` fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openleave import inputs
from openleave.rules.params import ParameterError, ParameterTree, default_tree
from openleave.rules.requests import DECLARATIONS, KINDS, FactDeclaration, LeaveAsk, declaration
from openleave.rules.requests.model import CREDIT_LABELS

LABELS: dict[str, str] = {d.code: d.label for d in DECLARATIONS}
HELP: dict[str, str] = {d.code: d.help for d in DECLARATIONS if d.help}
CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ASK_FIELDS = set(LeaveAsk.__dataclass_fields__) - {"facts"}
TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _label(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _param_codes(names: tuple[str, ...], on: dt.date | None, tree: ParameterTree) -> list[str]:
    """The values the contract lists (a list, or a table's keys) in force on ``on``; without ``on``, every value
    any version listed, in order."""
    out: list[str] = []
    for name in names:
        try:
            versions = [tree.get("use." + name, on)] if on is not None else tree.history("use." + name)
        except ParameterError:
            versions = tree.history("use." + name)
        for p in versions:
            for code in p.value:
                if str(code) not in out:
                    out.append(str(code))
    return out


def choices(fact: FactDeclaration, on: dt.date | None = None, tree: ParameterTree | None = None) -> tuple:
    """(code, label) of a choice or credits fact: its own, or those the contract parameters list."""
    if fact.choices or not fact.choices_param:
        return fact.choices
    return tuple((c, _label(c)) for c in _param_codes(fact.choices_param, on, tree or default_tree()))


# --- the web form --------------------------------------------------------------------------------------

FORM_TYPES = {"choice": "select", "bool": "bool", "date": "date", "money": "number", "credits": "credits"}


@dataclass(frozen=True)
class Field:
    """One field of the request form (leave/_fields.html)."""

    name: str
    label: str
    type: str  # select | bool | date | number | credits
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


def form_fields(kind: str) -> list[Field]:
    """The kind-specific fields of the request form, in the order the kind declares them."""
    if kind not in KINDS:
        return []
    return [Field(f.name, f.label, FORM_TYPES[f.type], choices(f), f.help) for f in declaration(kind).all_facts()]


# --- the one parser --------------------------------------------------------------------------------------

def _choice(fact: FactDeclaration, value, kind: str, on: dt.date | None) -> str:
    if not isinstance(value, str):
        raise inputs.BadInput(fact.name, "give a category (a word such as the ones listed), not free text.")
    v = inputs.text(value, fact.name, max_length=40)
    codes = [c for c, _ in choices(fact, on)]
    if not fact.open and v not in codes:
        raise inputs.BadInput(fact.name, f"{v[:40]!r} is not a {fact.name} of {kind} leave; give one of the "
                                         f"categories ({', '.join(codes)}), not free text.")
    if not CATEGORY.match(v):
        raise inputs.BadInput(fact.name, f"give a category such as {codes[0]!r}, not free text.")
    return v


def _bool(fact: FactDeclaration, value) -> bool:
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in TRUE or v in FALSE:
        return v in TRUE
    raise inputs.BadInput(fact.name, f"{str(value)[:40]!r} is not yes or no.")


def _credits(fact: FactDeclaration, value, kind: str) -> list[str]:
    allowed = [c for c, _ in fact.choices]
    if not isinstance(value, (str, list, tuple)):
        raise inputs.BadInput(fact.name, f"give a list of credits ({', '.join(allowed)}).")
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for i in items:
        if not isinstance(i, str):
            raise inputs.BadInput(fact.name, f"give a list of credits ({', '.join(allowed)}).")
        i = i.strip()
        if i and i not in allowed:
            raise inputs.BadInput(fact.name, f"{i[:40]!r} is not a credit the rest of {kind} leave can be charged "
                                             f"to ({', '.join(allowed)}).")
        if i:
            out.append(i)
    return out


def parse_fact(kind: str, fact: FactDeclaration, value, on: dt.date | None = None):
    """One fact's value as given → its JSON form (date: ISO text; money: decimal text); None when empty."""
    if value is None or value == "" or value == []:
        return None
    if fact.type == "choice":
        return _choice(fact, value, kind, on)
    if fact.type == "bool":
        return _bool(fact, value)
    if fact.type == "date":
        return inputs.day(value, fact.name).isoformat()
    if fact.type == "money":  # jury fees, regular pay (Sec. 8.5.C)
        return str(inputs.money(value, fact.name))
    return _credits(fact, value, kind) or None


def parse_facts(kind: str, raw, on: dt.date | None = None) -> dict[str, Any]:
    """The facts of a request of ``kind`` as given (a form, the API, a scenario) → their JSON form: only the
    facts the kind declares; choices from the contract as in force on ``on`` (the leave's first day)."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        raise inputs.BadInput("facts", "give the facts as an object (fact → value).")
    decl = declaration(kind)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        fact = decl.fact(key)
        if fact is None:
            known = ", ".join(f.name for f in decl.all_facts()) or "none"
            raise inputs.BadInput(str(key), f"{str(key)[:40]!r} is not a fact a {kind} leave request takes; it takes: "
                                            f"{known}.")
        v = parse_fact(kind, fact, value, on)
        if v is not None:
            out[fact.name] = v
    return out


def ask_facts(kind: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON form of a request's facts → ``LeaveAsk`` keyword arguments (facts the kind does not declare,
    e.g. in a request stored before, are left out; a fact without a field of its own goes in ``facts``)."""
    decl = declaration(kind)
    kw: dict[str, Any] = {}
    more: dict[str, Any] = {}
    for key, value in (facts or {}).items():
        fact = decl.fact(key)
        if fact is None:
            continue
        if fact.type == "date":
            value = dt.date.fromisoformat(value)
        elif fact.type == "money":
            value = Decimal(value)
        elif fact.type == "credits":
            value = tuple(value)
        (kw if key in ASK_FIELDS else more)[key] = value
    if more:
        kw["facts"] = more
    return kw


# --- JSON Schema (the scenario's request ask; the API's documentation) ---------------------------------

def facts_by_name() -> dict[str, list[tuple[str, FactDeclaration]]]:
    """Every declared fact name → (kind, declaration) of each kind that takes it, in declaration order."""
    out: dict[str, list[tuple[str, FactDeclaration]]] = {}
    for d in DECLARATIONS:
        for f in d.all_facts():
            out.setdefault(f.name, []).append((d.code, f))
    return out


def all_codes(decls: list[tuple[str, FactDeclaration]]) -> list[str]:
    codes: list[str] = []
    for _, f in decls:
        for c, _ in choices(f):
            if c not in codes:
                codes.append(c)
    return codes


def fact_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one fact over every kind that takes it (a closed choice: the union of its values)."""
    decls = facts_by_name()[name]
    kind = decls[0][1].type
    by_label: dict[str, list[str]] = {}
    for k, f in decls:
        by_label.setdefault(f.label, []).append(k)
    text = "; ".join(f"{label} ({', '.join(ks)})" for label, ks in by_label.items())
    if kind == "choice" and any(f.open for _, f in decls):
        return {"type": "string", "pattern": CATEGORY.pattern,
                "description": f"a category, e.g. {', '.join(all_codes(decls)[:6])}, … ({text})"}
    if kind == "choice":
        return {"enum": all_codes(decls), "description": text}
    if kind == "bool":
        return {"type": "boolean", "description": text}
    if kind == "date":
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": f"a date, YYYY-MM-DD ({text})"}
    if kind == "money":
        return {"type": "number", "minimum": 0, "description": f"dollars ({text})"}
    credits = sorted(all_codes(decls), key=list(CREDIT_LABELS).index)
    return {"type": "array", "items": {"enum": credits}, "description": text}


def facts_schema() -> dict[str, dict[str, Any]]:
    """Fact name → JSON Schema, for every fact any kind declares."""
    return {name: fact_schema(name) for name in facts_by_name()}
