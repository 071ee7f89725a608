"""The registry of questions a scenario can ask.

HOW TO ADD AN ASK (e.g. ``request:``): write a module in this folder that builds an ``Ask`` and
calls ``register(...)`` on it, then add ONE import line at the bottom of this file. The ask's
``schema`` joins the scenario JSON Schema automatically (regenerate docs/scenario.schema.json with
``python -m openleave scenario --schema > docs/scenario.schema.json``; a test checks it), and
its ``answer`` returns a ``Decision`` that the runner prints in the common shape
``{"value", "unit", "citations", "reasons"}`` (hours as decimal strings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openleave.rules.decision import Decision
from openleave.rules.facts import EmployeeFacts
from openleave.rules.ledger import Entry, simulate
from openleave.rules.params import ParameterTree

from ..errors import ScenarioError
from ..parse import date_at


@dataclass
class Context:
    """What an ask may use. ``entries()`` is the simulated ledger up to ``horizon``."""

    facts: EmployeeFacts
    events: list[object]
    tree: ParameterTree
    horizon: dt.date
    event_paths: list[tuple] = field(default_factory=list)
    _entries: list[Entry] | None = None

    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = simulate(self.facts, self.events, self.horizon, self.tree)
        return self._entries


@dataclass(frozen=True)
class Ask:
    """One kind of question: its name (the key in the question), the JSON Schema of its
    arguments, ``horizon(args, path)`` — the last day the ledger must reach to answer it — and
    ``answer(args, ctx, path)`` → Decision. Both raise ``ScenarioError(path + (key,), ...)`` for
    impossible arguments."""

    name: str
    schema: dict[str, Any]
    answer: Callable[[dict, Context, tuple], Decision]
    horizon: Callable[[dict, tuple], dt.date]
    description: str = ""


ASKS: dict[str, Ask] = {}


def register(ask: Ask) -> Ask:
    if ask.name in ASKS:
        raise ValueError(f"ask {ask.name!r} registered twice")
    ASKS[ask.name] = ask
    return ask


def arg_date(args: dict, key: str, path: tuple) -> dt.date:
    return date_at(args[key], (*path, key))


def refuse(path: tuple, message: str) -> ScenarioError:
    return ScenarioError(path, message)


# One import per ask module (keep this list at the bottom; order = order in the docs).
from . import (  # noqa: E402, F401
    accrued,
    balance,
    credited,
    fmla,
    forfeits,
    grievance,
    holidays,
    ledger,
    projected_balance,
    request,
)
