"""Reads: the contract holidays with the Employer's designations applied.

``holiday_dates(agency, start, end)`` is what the leave-request services pass to the rule checks as
``holidays`` (a holiday costs no leave). The current designation for a holiday is the newest row of the
agency's own, else the newest Commonwealth-wide row (agency empty); older rows are kept, superseded.
"""

from __future__ import annotations

import datetime as dt
import functools

from openleave.rules.holidays import Designation, Holiday, contract_holidays
from openleave.rules.params import ParameterTree

from .models import HolidayDesignation


def current_designations(agency, years) -> list[Designation]:
    """The designations in force for ``agency`` (None: Commonwealth-wide only) in ``years``."""
    qs = HolidayDesignation.objects.filter(year__in=list(years))
    qs = qs.filter(agency__isnull=True) if agency is None else qs.filter(agency=agency) | qs.filter(agency__isnull=True)
    chosen: dict[tuple[int, str], HolidayDesignation] = {}
    for row in qs.order_by("designated_at", "id"):
        key = (row.year, row.holiday_name)
        held = chosen.get(key)
        if held is not None and held.agency_id is not None and row.agency_id is None:
            continue  # the agency's own designation wins over a Commonwealth-wide one
        chosen[key] = row
    return [Designation(r.holiday_name, r.year, r.designated_date, r.reason) for r in chosen.values()]


def year_holidays(agency, year: int, tree: ParameterTree | None = None) -> list[Holiday]:
    """The Sec. 10.1 holidays of ``year`` as observed for ``agency``."""
    return contract_holidays(year, tree, current_designations(agency, [year]))


@functools.lru_cache(maxsize=1024)
def _observed(year: int, designations: tuple[Designation, ...]) -> tuple[dt.date, ...]:
    """The observed dates of ``year`` with the shipped parameters and these designations (pure: cached
    per process; the designations in force are read from the database on every call, so a new one
    is a new key)."""
    return tuple(h.date for h in contract_holidays(year, None, designations))


def holiday_dates(agency, start: dt.date, end: dt.date, tree: ParameterTree | None = None) -> set[dt.date]:
    """Dates in [start, end] on which a contract holiday is observed for ``agency`` (designations applied).

    Years around the range are included because a designation may move a holiday across a year end
    (New Year's Day 2028, a Saturday, designated Friday 2027-12-31)."""
    if end < start:
        return set()
    years = range(start.year - 1, end.year + 2)
    designations = current_designations(agency, years)
    out: set[dt.date] = set()
    for y in years:
        if tree is None:
            dates = _observed(y, tuple(d for d in designations if d.year == y))
        else:
            dates = tuple(h.date for h in contract_holidays(y, tree, designations))
        out.update(d for d in dates if start <= d <= end)
    return out
