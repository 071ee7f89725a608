"""De-identified leave-use counts for HR and the union: people per (agency, month, kind), small cells hidden.

Apps that record leave use register a source that yields ``UsageRow`` for a date range::

    from openleave.privacy.aggregates import UsageRow, register_usage_source

    @register_usage_source("requests")
    def approved_leave(start, end):
        for r in LeaveRequest.objects.filter(status="approved", start__range=(start, end)):
            yield UsageRow(agency=r.employee.agency.code, month=r.start.strftime("%Y-%m"),
                           kind=r.kind, employee_id=r.employee_id)

A cell counts distinct people; any cell under ``MIN_CELL`` (10) people is shown only as "fewer than 10",
and no row or column totals are shown (they would let a reader subtract back to a hidden cell).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MIN_CELL = 10


@dataclass(frozen=True)
class UsageRow:
    agency: str
    month: str  # "YYYY-MM"
    kind: str
    employee_id: int


@dataclass(frozen=True)
class Cell:
    agency: str
    month: str
    kind: str
    people: int | None  # None: suppressed (fewer than MIN_CELL)

    @property
    def suppressed(self) -> bool:
        return self.people is None


_sources: dict[str, Callable[[dt.date, dt.date], Iterable[UsageRow]]] = {}


def register_usage_source(name: str):
    def deco(fn):
        _sources[name] = fn
        return fn

    return deco


def sources() -> dict[str, Callable]:
    return dict(_sources)


def shown(people: int, *, min_cell: int = MIN_CELL) -> int | None:
    """A cell's count of distinct people as it may be shown: ``None`` ("fewer than ``min_cell``") when it is
    under ``min_cell``. The one suppression rule of every de-identified count (these aggregates, the union's
    denial statistics in ``openleave.steward.selectors``)."""
    return people if people >= min_cell else None


def aggregate(rows: Iterable[UsageRow], *, min_cell: int = MIN_CELL) -> list[Cell]:
    people: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for r in rows:
        people[(r.agency, r.month, r.kind)].add(r.employee_id)
    return [Cell(a, m, k, shown(len(ids), min_cell=min_cell))
            for (a, m, k), ids in sorted(people.items())]


def usage_cells(start: dt.date, end: dt.date, *, min_cell: int = MIN_CELL) -> list[Cell]:
    def rows():
        for fn in _sources.values():
            yield from fn(start, end)

    return aggregate(rows(), min_cell=min_cell)
