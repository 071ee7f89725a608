# ruff: noqa: S608  — SQL is built only from integers and dates this module computes (and the accrual run's own
# band expressions), never user input; the agency id is a bound parameter.
"""What a successor agreement would change, before the switch — set-based (issue 15, item 5).

``impact(folder=…, on=D)`` loads the shipped agreements plus the successor folder (``params.load_tree(extra=…)``,
which refuses a value without a citation or dates that overlap) and compares the two trees on ``D``:

1. the pure figures (``rules.contract_diff``): every changed parameter (caps among them), the Art. 10 holidays,
   the Sec. 9.2.A band table;
2. ONE grouped query over the employees: per (title week, hours scheduled per period, band under the old and
   the new plan — the accrual run's own Sec. 9.4 / 9.2.C band SQL, ``ledger.accrual_sql.band_sql``) the number
   of employees; the credits of each group are computed once in Python (``contract_diff.group_figures``);
3. the per-employee rows (page, CSV) are the same SELECT without the GROUP BY, streamed and joined to the
   groups by key — nothing per employee is computed that depends only on the group;
4. forfeitures at the next year end: only when a figure the year end reads differs
   (``contract_diff.forfeiture_parameters_change``) is each employee's ledger read — one aggregate query per chunk
   (``statements.selectors.ledger_sums``) and the rules core's FIFO arithmetic under each tree; otherwise the
   next year end forfeits the same under both, which the report says.

Every person listed (page) or exported (CSV) gets an access-log row; the totals name no one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from openleave.audit.access import Access, record_many
from openleave.ledger.accrual_sql import H40 as _H40
from openleave.ledger.accrual_sql import WEEKS_SQL, Dialect, band_sql
from openleave.people.models import Employee
from openleave.rules import contract_diff as D
from openleave.rules.calendar import periods_between, vacation_year, vacation_year_of
from openleave.rules.params import ParameterError, ParameterTree, default_tree, load_tree
from openleave.rules.units import hours_str
from openleave.rules.vintages import year_end
from openleave.statements import selectors as S

WEEK_OF = {1: str(_H40.normalize())}
CHUNK = 5000


class ImpactError(ValueError):
    """A bad agreement folder or date: the message names it (CLI error line, 400 on the page)."""


@dataclass
class Group:
    fig: D.GroupFigures
    employees: int


@dataclass
class Impact:
    folder: str
    on: dt.date
    old_agreement: dict
    new_agreement: dict
    changes: list[D.Change]
    holidays: D.HolidayChanges
    bands: list[dict]
    groups: list[Group]
    periods_left: int  # pay periods from the one including ``on`` to the vacation year's end (Sec. 9.1)
    vacation_year: int
    year_end_on: dt.date
    forfeitures_differ: bool
    forfeiture_totals: dict[str, tuple[int, int]] = field(default_factory=dict)  # leave → (old, new) µh
    old_tree: ParameterTree | None = None
    new_tree: ParameterTree | None = None
    agency_id: int | None = None

    @property
    def caps(self) -> list[D.Change]:
        return [c for c in self.changes if c.is_cap]

    @property
    def employees(self) -> int:
        return sum(g.employees for g in self.groups)

    @property
    def vacation_diff_period(self) -> int:
        return sum(g.fig.vacation_diff * g.employees for g in self.groups)

    @property
    def sick_diff_period(self) -> int:
        return sum(g.fig.sick_diff * g.employees for g in self.groups)

    def by_key(self) -> dict[tuple, D.GroupFigures]:
        return {(g.fig.week, g.fig.sched_micro, g.fig.band_old, g.fig.band_new): g.fig for g in self.groups}


def _employee_sql(impact_plans, on: dt.date, d: Dialect, agency: bool, select: str) -> str:
    _, old_plan, new_plan = impact_plans
    band_old = band_sql(old_plan, d)[0]
    band_new = band_sql(new_plan, d)[0]
    week = " + ".join(d.sched_hour(day) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    sched = (f"(CASE WHEN {d.empty_schedule()} THEN {d.micro('e.scheduled_weekly_hours * 2')}"
             f" ELSE {d.micro(f'({week}) * 2')} END)")
    day = f"'{on.isoformat()}'"
    where = (f"e.status IN ('full_time', 'part_time') AND t.full_time_weekly_hours IN {WEEKS_SQL}"
             f" AND e.service_start <= {day} AND (e.separation_date IS NULL OR e.separation_date >= {day})")
    if agency:
        where += " AND e.agency_id = %(agency)s"
    return f"""
        SELECT {select} FROM (
            SELECT e.id, e.employee_number, e.given_name, e.family_name,
                   CASE WHEN t.full_time_weekly_hours = {_H40.normalize():f} THEN 1 ELSE 0 END AS h40,
                   {sched} AS sched, {band_old} AS band_old, {band_new} AS band_new
            FROM people_employee e JOIN people_jobtitle t ON t.id = e.title_id
            WHERE {where}) g"""


def _week(h40: int, old_plan) -> str:
    if h40:
        return WEEK_OF[1]
    return str(next(w for w in old_plan.full_time_period_micro if w != _H40).normalize())


def load_successor(folder: str | Path) -> tuple[ParameterTree, ParameterTree, dict]:
    """(the shipped tree, the tree with the successor, the successor's index) — or ImpactError."""
    path = Path(folder)
    try:
        new = load_tree(extra=[path])
    except ParameterError as exc:
        raise ImpactError(f"--agreement {folder}: {exc}") from None
    meta = next((a for a in new.agreements if Path(a["path"]).resolve() == path.resolve()), None)
    if meta is None:  # the folder is one shipped already
        raise ImpactError(f"--agreement {folder}: is an agreement already in force, not a successor")
    return default_tree(), new, meta


def impact(*, folder: str | Path, on: dt.date, agency_id: int | None = None) -> Impact:
    old, new, meta = load_successor(folder)
    if on < meta["effective_from"]:
        raise ImpactError(f"--from {on.isoformat()}: before the successor takes effect "
                          f"({meta['effective_from'].isoformat()}); nothing would change yet")
    try:
        plans = D.plans(old, new, on)
        changes = D.parameter_changes(old, new, on)
        holidays = D.holiday_changes(old, new, on)
        bands = D.band_table(plans[1], plans[2])
        vy = vacation_year_of(on, tree=new)
        vy_end = vacation_year(vy, tree=new)[1]
        periods_left = sum(1 for _ in periods_between(plans[0].start, vy_end, tree=new))
        ye = year_end("vacation", vy, new)
        differ = D.forfeiture_parameters_change(old, new, on, ye)
    except ParameterError as exc:
        raise ImpactError(f"--agreement {folder}: {exc}") from None
    d = Dialect(connection.vendor)
    sql = _employee_sql(plans, on, d, agency_id is not None,
                        "h40, sched, band_old, band_new, COUNT(*)") + " GROUP BY h40, sched, band_old, band_new"
    groups = []
    with connection.cursor() as c:
        c.execute(sql, {"agency": agency_id})
        for h40, sched, bo, bn, n in c.fetchall():
            fig = D.group_figures(plans[1], plans[2], _week(h40, plans[1]), int(sched), int(bo), int(bn))
            groups.append(Group(fig, int(n)))
    groups.sort(key=lambda g: (g.fig.week, -g.fig.sched_micro, g.fig.band_old, g.fig.band_new))
    out = Impact(folder=str(folder), on=on, old_agreement=old.agreement_on(on), new_agreement=meta,
                 changes=changes, holidays=holidays, bands=bands, groups=groups, periods_left=periods_left,
                 vacation_year=vy, year_end_on=ye, forfeitures_differ=differ, old_tree=old, new_tree=new,
                 agency_id=agency_id)
    out._plans = plans  # type: ignore[attr-defined]
    return out


@dataclass(frozen=True)
class Row:
    employee_id: int
    employee_number: str
    name: str
    fig: D.GroupFigures
    forfeit: dict[str, tuple[int, int]]  # leave → (old, new) µh at the next year end; {} when they cannot differ

    def rest_of_year(self, periods: int) -> int:
        return self.fig.vacation_diff * periods


def rows(imp: Impact, *, limit: int | None = None) -> Iterator[Row]:
    """Every employee of the report, by employee number, joined to their group's figures (streamed)."""
    d = Dialect(connection.vendor)
    sql = _employee_sql(imp._plans, imp.on, d, imp.agency_id is not None,  # type: ignore[attr-defined]
                        "id, employee_number, given_name, family_name, h40, sched, band_old, band_new")
    sql += " ORDER BY employee_number"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    figs = imp.by_key()
    old_plan = imp._plans[1]  # type: ignore[attr-defined]
    with connection.chunked_cursor() as c:
        c.execute(sql, {"agency": imp.agency_id})
        while batch := c.fetchmany(CHUNK):
            forfeit = _forfeitures(imp, [r[0] for r in batch])
            for i, num, given, family, h40, sched, bo, bn in batch:
                fig = figs[(_week(h40, old_plan), int(sched), int(bo), int(bn))]
                yield Row(i, num, f"{given} {family}", fig, forfeit.get(i, {}))


def _forfeitures(imp: Impact, ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """What the next year end would forfeit under each tree (only if a year-end figure differs)."""
    if not imp.forfeitures_differ or not ids:
        return {}
    until = max(year_end(slug, imp.vacation_year, imp.new_tree) for slug in S.FORFEITED)
    sums = S.ledger_sums(ids, as_of=imp.on, until=until)
    out: dict[int, dict[str, tuple[int, int]]] = {}
    for i in ids:
        old = {w.leave: w.micro for w in S.risk_of(i, sums[i], imp.vacation_year, imp.old_tree)}
        new = {w.leave: w.micro for w in S.risk_of(i, sums[i], imp.vacation_year, imp.new_tree)}
        per = {slug: (old.get(slug, 0), new.get(slug, 0)) for slug in set(old) | set(new)}
        out[i] = per
        for slug, (a, b) in per.items():
            ta, tb = imp.forfeiture_totals.get(slug, (0, 0))
            imp.forfeiture_totals[slug] = (ta + a, tb + b)
    return out


def log_rows(*, actor, channel: str, rows_: list[Row], fields: str) -> None:
    """One access-log row per person listed or exported."""
    record_many(actor=actor, channel=channel, accesses=[
        Access(subject=Employee(pk=r.employee_id), object_type="contract_impact", object_id=r.employee_id,
               category="leave", fields=fields) for r in rows_])


CSV_HEADER = ["employee_number", "name", "title_week_hours", "scheduled_hours_per_period",
              "vacation_band_old", "vacation_band_new", "vacation_per_period_old", "vacation_per_period_new",
              "vacation_diff_per_period", "vacation_diff_rest_of_year", "vacation_cite_old", "vacation_cite_new",
              "sick_per_period_old", "sick_per_period_new", "sick_diff_per_period", "sick_cite",
              "holidays_old", "holidays_new", "forfeit_next_year_end_old", "forfeit_next_year_end_new"]


def csv_row(imp: Impact, r: Row) -> list[str]:
    f = r.fig
    fo = sum(a for a, _ in r.forfeit.values())
    fn = sum(b for _, b in r.forfeit.values())
    same = "" if imp.forfeitures_differ else "unchanged"
    return [r.employee_number, r.name, f.week, hours_str(f.sched_micro), str(f.band_old), str(f.band_new),
            hours_str(f.vacation_old), hours_str(f.vacation_new), hours_str(f.vacation_diff),
            hours_str(r.rest_of_year(imp.periods_left)), f.vacation_cite_old, f.vacation_cite_new,
            hours_str(f.sick_old), hours_str(f.sick_new), hours_str(f.sick_diff), f.sick_cite,
            str(len(imp.holidays.old)), str(len(imp.holidays.new)),
            hours_str(fo) if imp.forfeitures_differ else same, hours_str(fn) if imp.forfeitures_differ else same]


def total_lines(imp: Impact) -> list[list[str]]:
    """The totals (also the CSV's last lines, after a blank one)."""
    lines = [["TOTAL employees", str(imp.employees)],
             ["TOTAL vacation diff per period (h)", hours_str(imp.vacation_diff_period)],
             ["TOTAL vacation diff rest of vacation year (h)", hours_str(imp.vacation_diff_period * imp.periods_left)],
             ["TOTAL sick diff per period (h)", hours_str(imp.sick_diff_period)],
             ["holidays added", "; ".join(imp.holidays.added) or "none"],
             ["holidays removed", "; ".join(imp.holidays.removed) or "none"]]
    for c in imp.changes:
        lines.append([f"changed {c.name}", f"{_v(c.old)} -> {_v(c.new)}"])
    if imp.forfeitures_differ:
        for slug, (a, b) in sorted(imp.forfeiture_totals.items()):
            lines.append([f"TOTAL forfeit {slug} at {imp.year_end_on} (h)", f"{hours_str(a)} -> {hours_str(b)}"])
    else:
        lines.append([f"forfeitures at {imp.year_end_on}", "unchanged (no year-end figure differs)"])
    return lines


def _v(p) -> str:
    if p is None:
        return "(none)"
    from openleave.rules.params import figure
    value = p.value
    text = figure(value) if not isinstance(value, (list, dict)) else "table"
    return f"{text} ({p.cite}, {p.agreement})"
