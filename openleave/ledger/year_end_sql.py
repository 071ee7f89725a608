# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""The year-end run in SQL: one INSERT…SELECT per chunk of employee ids (PostgreSQL and SQLite).

What is forfeited at the end of year Y is what the rules core's ``with_forfeitures`` gives (credits kept by
``vintage``, debits using the oldest first, ``openleave.rules.ledger``), computed for every employee at once:

    D      = the last day of vacation year Y (the last pay period including December 31, Sec. 9.1); also the
             last Saturday prior to the first full pay period in January of Y+1 (Sec. 8.2.B, MOU) — the
             periods are contiguous, so the two days are one
    cut    = Y − ``vacation.carry_over_years`` for vacation (Sec. 9.8: the credit of vintage Y−2 and older),
             Y for personal leave and the emergency day (what was credited for Y, and the day carried into it)
    B      = the balance at the end of D (every entry of the leave type dated on or before D)
    new    = the credits of a vintage after ``cut`` dated on or before D
    R      = B − new: what is left of the credits of vintage ≤ cut, forfeited if positive.

Why R is the core's figure: debits use the oldest vintage first, so at any time the credits of a vintage
after ``cut`` are untouched while any older credit remains — provided every older credit is dated before the
first newer one (``max_old < min_new``). Then the older credits left are max(0, C_old − debits) = max(0, B − new).
Employees for whom that proviso fails (an old-vintage credit dated on or after a newer one), who have a credit
of unknown vintage, or a personal-leave carry-over (Sec. 8.2.B, a day by the title, Sec. 8.9) are marked
``exc`` and left to the rules core itself (``year_end._exceptions``) — the few, as the accrual run does with
the partial pay periods. Earlier year ends are taken as posted: a run refuses when the previous year's run is
missing and the ledger has entries dated in it (``year_end.YearEndOutOfOrder``).

Sec. 9.15: for an employee on industrial accident leave on D, the vacation R is not forfeited but converted
to sick leave "in the new calendar year beginning with the first full pay period in January": two
``CONVERSION`` entries dated the first day of that period, a vacation debit and a sick credit.

Every row carries its citation text, ``vintage`` = Y (the year it closes, as the core's forfeitures) and the
run's id; its reason is derived from the run (``selectors.explain``). PostgreSQL returns the totals from the
rows it inserted in the same statement, and the employees left to the core.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .accrual_sql import Dialect, _date
from .models import Kind, Leave

FORFEITED = (int(Leave.VACATION), int(Leave.PERSONAL), int(Leave.EMERGENCY))
CITES = {int(Leave.VACATION): "Sec. 9.1, Sec. 9.8", int(Leave.PERSONAL): "Sec. 8.2.B",
         int(Leave.EMERGENCY): "MOU Regarding State of Emergency"}
CONVERSION_CITES = {int(Leave.VACATION): "Sec. 9.15, Sec. 9.8", int(Leave.SICK): "Sec. 9.15"}
# the rows written per employee: (source leave, leave written, kind, sign, ia: −1 any, 0 not, 1 on industrial
# accident leave) — the forfeitures, then the Sec. 9.15 conversion's two legs (a vacation debit, a sick credit)
LEGS = (*((lv, lv, int(Kind.FORFEITURE), -1, 0 if lv == int(Leave.VACATION) else -1) for lv in FORFEITED),
        (int(Leave.VACATION), int(Leave.VACATION), int(Kind.CONVERSION), -1, 1),
        (int(Leave.VACATION), int(Leave.SICK), int(Kind.CONVERSION), 1, 1))
INSERT_COLUMNS = "employee_id, leave, kind, micro, effective_date, period_start, cite, reason, run_id, vintage"


@dataclass(frozen=True)
class Plan:
    """The dates and cut-offs of one year end (``year_end.plan``)."""

    year: int
    last_day: dt.date  # D
    last_period_start: dt.date
    conversion_day: dt.date  # D + 1: the first day of the first full pay period in January of Y+1
    vacation_cut: int  # vintages up to this one forfeit (Sec. 9.8)
    window_after: dt.date  # the last day of vacation year ``vacation_cut``: a newer credit is dated after it


def _year(d: Dialect, expr: str) -> str:
    return f"CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER)" if d.vendor == "postgresql" else \
        f"CAST(strftime('%%Y', {expr}) AS INTEGER)"


def cte(calendar_id: int, p: Plan, d: Dialect, id_range: bool, every_employee: bool = False) -> str:
    """WITH rows, agg, amt, legs, out: one ``agg`` row per employee of the calendar with entries of the forfeited
    leave types dated on or before D — per leave type L its balance, newer credits, and the dates that check the
    proviso — then ``amt``: ``r<L>`` (µh left of the doomed vintages), ``ia`` (on industrial accident leave on D),
    ``exc`` (left to the rules core, all leave types of the employee); ``out``: the rows to write. Params: lo, hi
    when ``id_range``. ``every_employee``: the calendar is the only one, so every employee is on it and the
    per-row check of the calendar is left out (a nested loop over the employees' index: ~25 % of a chunk's read,
    measured in docs/benchmarks.md)."""
    rng = " AND e.id >= %(lo)s AND e.id < %(hi)s" if id_range else ""
    lrng = " AND l.employee_id >= %(lo)s AND l.employee_id < %(hi)s" if id_range else ""
    cut = f"CASE WHEN l.leave = {int(Leave.VACATION)} THEN {int(p.vacation_cut)} ELSE {int(p.year)} END"
    vint = (f"COALESCE(l.vintage, CASE l.kind WHEN {int(Kind.ACCRUAL)} THEN {_year(d, 'l.period_start')} "
            f"WHEN {int(Kind.REVERSAL)} THEN {_year(d, 'l.effective_date')} END)")
    D, W = _date(p.last_day), _date(p.window_after)
    cols, checks, rs = [], [], []

    def dl(day: dt.date) -> str:  # a typed date literal (a UNION of bare literals would be text on PostgreSQL)
        return f"DATE {_date(day)}" if d.vendor == "postgresql" else _date(day)

    for lv in FORFEITED:
        cols.append(f"""SUM(CASE WHEN leave = {lv} THEN micro ELSE 0 END) AS bal{lv},
                   SUM(CASE WHEN leave = {lv} AND micro > 0 AND v > cut THEN micro ELSE 0 END) AS new{lv},
                   MIN(CASE WHEN leave = {lv} AND micro > 0 AND v > cut THEN effective_date END) AS min_new{lv},
                   MAX(CASE WHEN leave = {lv} AND micro > 0 AND v <= cut THEN effective_date END) AS max_old{lv}""")
        # the proviso fails when an old credit is dated after a newer one, or on the same day as a debit
        checks.append(f"""a.max_old{lv} > a.min_new{lv}
                             OR (a.max_old{lv} = a.min_new{lv} AND EXISTS (
                                 SELECT 1 FROM ledger_ledgerentry x WHERE x.employee_id = a.employee_id
                                 AND x.leave = {lv} AND x.effective_date = a.min_new{lv} AND x.micro < 0))""")
        rs.append(f"a.bal{lv} - a.new{lv} AS r{lv}")
    def leg_day(kind: int) -> tuple[dt.date, dt.date]:
        return (p.last_day, p.last_period_start) if kind == int(Kind.FORFEITURE) else \
            (p.conversion_day, p.conversion_day)

    legs = " UNION ALL ".join(
        f"SELECT {i} AS leg, {src} AS src, {dst} AS leave, {kind} AS kind, {sign} AS sign, {ia} AS ia, "
        f"'{CITES[src] if kind == int(Kind.FORFEITURE) else CONVERSION_CITES[dst]}' AS cite, "
        f"{dl(leg_day(kind)[0])} AS effective_date, {dl(leg_day(kind)[1])} AS period_start"
        for i, (src, dst, kind, sign, ia) in enumerate(LEGS))
    r_of = "CASE g.src " + " ".join(f"WHEN {lv} THEN a.r{lv}" for lv in FORFEITED) + " END"
    return f"""
        WITH emp AS (SELECT e.id FROM people_employee e WHERE e.pay_calendar_id = {int(calendar_id)}{rng}),
        rows AS (
            SELECT l.employee_id, l.leave, l.micro, l.effective_date,
                   CASE WHEN l.micro > 0 THEN {vint} END AS v, {cut} AS cut
            FROM ledger_ledgerentry l
            WHERE l.leave IN ({", ".join(map(str, FORFEITED))}) AND l.effective_date <= {D}{lrng}{d.barrier()}),
        agg AS (
            SELECT employee_id, {", ".join(cols)},
                   SUM(CASE WHEN micro > 0 AND v IS NULL AND effective_date > {W} THEN 1 ELSE 0 END) AS unknown
            FROM rows GROUP BY employee_id{d.barrier()}),
        amt AS (
            SELECT a.employee_id, {", ".join(rs)},
                   CASE WHEN a.employee_id IN (
                        SELECT i.employee_id FROM people_industrialaccidentleave i
                        WHERE i.started <= {D} AND (i.ended IS NULL OR i.ended >= {D})) THEN 1 ELSE 0 END AS ia,
                   CASE WHEN a.unknown > 0 OR {" OR ".join(f"({c})" for c in checks)}
                             OR a.employee_id IN (
                                 SELECT c.employee_id FROM ledger_personalcarryover c WHERE c.year = {int(p.year)})
                        THEN 1 ELSE 0 END AS exc
            FROM agg a{"" if every_employee else " JOIN emp ON emp.id = a.employee_id"}),
        legs AS ({legs}),
        out AS (
            SELECT a.employee_id, g.leg, g.leave, g.kind, g.sign * ({r_of}) AS micro, g.effective_date, g.period_start, g.cite
            FROM amt a CROSS JOIN legs g
            WHERE a.exc = 0 AND ({r_of}) > 0 AND (g.ia = -1 OR g.ia = a.ia))"""


def _insert(p: Plan) -> str:
    return (f"INSERT INTO ledger_ledgerentry ({INSERT_COLUMNS}) SELECT employee_id, leave, kind, micro, "
            f"effective_date, period_start, cite, '', %(run)s, {int(p.year)} FROM out")


def write_sql(calendar_id: int, p: Plan, d: Dialect, id_range: bool) -> str:
    """PostgreSQL: insert the chunk's rows and return ('t', leave, kind, rows, µh), ('n', employees) and
    ('x', employee id) for each employee left to the rules core — one statement, one pass.
    SQLite: the INSERT only (see ``exceptions_sql`` and ``totals_sql``)."""
    if d.vendor != "postgresql":
        return cte(calendar_id, p, d, id_range) + "\n        " + _insert(p)
    return cte(calendar_id, p, d, id_range) + f""",
        ins AS ({_insert(p)} RETURNING employee_id, leave, kind, micro)
        SELECT 't', leave, kind, COUNT(*), SUM(micro) FROM ins GROUP BY leave, kind
        UNION ALL SELECT 'n', COUNT(DISTINCT employee_id), 0, 0, 0 FROM ins
        UNION ALL SELECT DISTINCT 'x', employee_id, 0, 0, 0 FROM amt WHERE exc = 1"""


def preview_sql(calendar_id: int, p: Plan, d: Dialect, id_range: bool) -> str:
    """The same rows, not written (the dry run; SQLite's totals come from ``totals_sql``)."""
    return cte(calendar_id, p, d, id_range) + """
        SELECT 't', leave, kind, COUNT(*), SUM(micro) FROM out GROUP BY leave, kind
        UNION ALL SELECT 'n', COUNT(DISTINCT employee_id), 0, 0, 0 FROM out
        UNION ALL SELECT DISTINCT 'x', employee_id, 0, 0, 0 FROM amt WHERE exc = 1"""


def exceptions_sql(calendar_id: int, p: Plan, d: Dialect, id_range: bool) -> str:
    return cte(calendar_id, p, d, id_range) + "\n        SELECT DISTINCT employee_id FROM amt WHERE exc = 1"


def totals_sql() -> str:
    """SQLite: ('t', leave, kind, rows, µh) and ('n', employees) of the rows one chunk inserted (ids above ``after``)."""
    return ("SELECT 't', leave, kind, COUNT(*), SUM(micro) FROM ledger_ledgerentry WHERE id > %(after)s "
            "AND run_id = %(run)s GROUP BY leave, kind UNION ALL SELECT 'n', COUNT(DISTINCT employee_id), 0, 0, 0 "
            "FROM ledger_ledgerentry WHERE id > %(after)s AND run_id = %(run)s")
