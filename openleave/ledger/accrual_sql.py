# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""The set-based biweekly accrual in SQL: one INSERT…SELECT per chunk of employees, amounts computed in SQL
(SQLite, and PostgreSQL with ``method="insert"``); also the per-employee inputs of the numpy + binary
COPY path (``accrual_copy``, the PostgreSQL default), the citation codes and the run's census.

The SQL is generated from ``openleave.rules.accrual.period_rate_plan`` (the contract figures for the
period, each with its citation) and implements exactly the pure functions ``sick_accrual`` and
``vacation_accrual`` for every employee whose whole pay period is in service:

    F     = full-time hours of the period: twice the title's full-time week       Sec. 8.1.A, 9.2.A
    s     = scheduled hours of the period: 2 × the work schedule's week, or 2 × the weekly hours
    p     = hours paid = max(s − unpaid hours loaded for the period
                             − unpaid FMLA hours beyond the weeks of A.6, 0)         Sec. 8.1.D/I, 9.3, 9.6,
                                                                                    Sec. 8.7.2.A.6 (accrual_fmla)
    sick  = (rate_sick[t] × p + F div 2) div F                                      Sec. 8.1.A/B
    vac   = (rate_band[t] × p + F div 2) div F                                      Sec. 9.2.A, 9.5
    band  = last Sec. 9.2.A band whose Sec. 9.4 cutoff ≥ the adjusted service start
            (``Employee.vacation_service_date``), raised to the Sec. 9.2.C / Vacation MOU band when the
            enhanced rule applies.

Employees whose period is *not* wholly in service — a start or separation inside the period, a break
overlapping it — are few; they are computed by the pure functions themselves (``exceptions``), so
the mid-period start proration of Sec. 9.2.B is the rules core's, not a copy.

Exactness: PostgreSQL computes in NUMERIC/BIGINT. SQLite has no decimal type: hours with at most
six decimals are turned into micro-hours by ``ROUND(x × 1e6)``, exact for any such figure below
10⁹ hours (a double carries 15 significant digits); the rest is 64-bit integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openleave.rules.accrual import PeriodRatePlan
from openleave.rules.calendar import PayPeriod, full_time_weeks, weeks_text

from . import accrual_fmla as A6
from .models import Kind, Leave

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The shorter and the longer full-time week of a title (calendar.day_hours); the SQL flags the longer one.
H375, H40 = full_time_weeks()
WEEKS_SQL = f"({H375.normalize():f}, {H40.normalize():f})"


@dataclass(frozen=True)
class Dialect:
    vendor: str  # "postgresql" | "sqlite"

    def micro(self, expr: str) -> str:
        """Exact hours expression → BIGINT micro-hours."""
        if self.vendor == "postgresql":
            return f"(({expr}) * 1000000)::bigint"
        return f"CAST(ROUND(({expr}) * 1000000) AS INTEGER)"

    def sched_hour(self, day: str) -> str:
        if self.vendor == "postgresql":
            return f"COALESCE((e.work_schedule->>'{day}')::numeric, 0)"
        return f"COALESCE(json_extract(e.work_schedule, '$.{day}'), 0)"

    def barrier(self) -> str:
        """Appended to a subquery so that it is not flattened into the query using it: its columns are
        computed once per row instead of their expressions being copied into every use (the LATERAL
        VALUES uses each of them several times)."""
        return " OFFSET 0" if self.vendor == "postgresql" else " LIMIT -1 OFFSET 0"

    def empty_schedule(self) -> str:
        if self.vendor == "postgresql":
            return "(e.work_schedule IS NULL OR e.work_schedule = '{}'::jsonb)"
        return "(e.work_schedule IS NULL OR json(e.work_schedule) = '{}')"


def _date(d: dt.date) -> str:
    return f"'{d.isoformat()}'"  # a date we made ourselves, never user input


def band_sql(plan: PeriodRatePlan, d: Dialect) -> tuple[str, str, str]:
    """Sec. 9.2.A band by Sec. 9.4 cutoffs, then the 9.2.C / MOU enhanced band; and which enhanced
    rule is cited (1-based index into ``plan.enhanced_rules``, 0 when none applies); and the band by
    service alone (Sec. 9.4 is cited when that one is above the first)."""
    whens = [
        f"WHEN e.vacation_service_date <= {_date(b.service_start_cutoff)} THEN {b.index}"
        for b in sorted(plan.vacation_bands, key=lambda b: -b.index)
        if b.service_start_cutoff != dt.date.max
    ]
    by_service = f"(CASE {' '.join(whens)} ELSE 0 END)" if whens else "0"
    enhanced = []
    new_hire = next((r for r in plan.enhanced_rules if r.kind == "new_hire"), None)
    for r in plan.enhanced_rules:
        cond = [
            "e.prior_experience_approved",
            "e.prior_relevant_experience_years IS NOT NULL",
            f"e.prior_relevant_experience_years >= {r.min_prior_experience_years}",
        ]
        if r.kind == "new_hire":
            cond += [f"e.original_hire_date >= {_date(r.hired_on_or_after)}",
                     f"e.original_hire_date <= {_date(plan.period_end)}"]
        else:  # current_employee (Vacation MOU); only reached when the new-hire rule does not decide
            if new_hire is not None:
                cond.append(f"e.original_hire_date < {_date(new_hire.hired_on_or_after)}")
            cond += [f"e.original_hire_date <= {_date(r.service_below_on)}",
                     f"e.vacation_service_date > {_date(r.service_start_after)}"]
            if r.effective_from is not None and plan.period_end < r.effective_from:
                cond.append("1 = 0")
        enhanced.append((" AND ".join(cond), r.band_index, r.cite.replace("'", "''")))
    if not enhanced:
        return by_service, "0", by_service
    enh = "(CASE " + " ".join(f"WHEN {c} THEN {i}" for c, i, _ in enhanced) + " ELSE 0 END)"
    # which enhanced rule (1-based, in plan order) is cited; 0 = none — see ``cite_texts``
    code = "(CASE " + " ".join(f"WHEN {c} THEN {n}" for n, (c, _, _) in enumerate(enhanced, 1)) + " ELSE 0 END)"
    return f"(CASE WHEN {enh} > {by_service} THEN {enh} ELSE {by_service} END)", code, by_service


def common_where(calendar_id: int, plan: PeriodRatePlan, exclude: tuple[int, ...] = ()) -> str:
    """Employees of the calendar whose whole period is in service and who accrue (Sec. 8.1.A/B, 9.2.A, 9.5).

    ``exclude``: the few employees with a break overlapping the period (``breaks_sql``), who go to the
    pure rules instead — cheaper than a NOT EXISTS probe of the service events for every employee."""
    ps, pe = _date(plan.period_start), _date(plan.period_end)
    out = (
        f"e.pay_calendar_id = {int(calendar_id)} AND e.status IN ('full_time', 'part_time')"
        f" AND t.full_time_weekly_hours IN {WEEKS_SQL}"
        f" AND e.service_start <= {ps} AND (e.separation_date IS NULL OR e.separation_date >= {pe})"
    )
    if exclude:
        out += f" AND e.id NOT IN ({', '.join(str(int(i)) for i in exclude)})"
    return out


def breaks_sql(plan: PeriodRatePlan) -> str:
    """Employees with a break in service overlapping the period (computed by the pure rules)."""
    ps, pe = _date(plan.period_start), _date(plan.period_end)
    return (f"SELECT DISTINCT b.employee_id FROM people_serviceevent b WHERE b.kind = 'break'"
            f" AND b.\"left\" <= {pe} AND b.returned > {ps}")


def payroll_hours_sql(period_start: dt.date, upto: int | None = None) -> str:
    """The newest version of each employee's payroll hours of the period (``PayrollHours``), of the batches up to
    ``upto`` (all when None): employee_id, paid_micro, unpaid_micro."""
    bound = "" if upto is None else f" AND h.batch_id <= {int(upto)}"
    bound2 = "" if upto is None else f" AND h2.batch_id <= {int(upto)}"
    ps = _date(period_start)
    return (f"SELECT h.employee_id, h.paid_micro, h.unpaid_micro FROM ledger_payrollhours h"
            f" WHERE h.period_start = {ps}{bound} AND h.version = (SELECT MAX(h2.version) FROM ledger_payrollhours h2"
            f" WHERE h2.employee_id = h.employee_id AND h2.period_start = {ps}{bound2})")


def source_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, id_range: bool,
               exclude: tuple[int, ...] = (), upto: int | None = None, only: tuple[int, ...] | None = None) -> str:
    """One row per accruing employee: title hours flag, scheduled and paid micro-hours, band.

    Hours without pay: the newest ``PayrollHours`` version of the period (of the batches up to ``upto``), else the
    ``PeriodUnpaidHours`` loaded; ``only``: just these employees (a correction, ``reaccrue``)."""
    week = " + ".join(d.sched_hour(day) for day in WEEK)
    sched = (f"(CASE WHEN {d.empty_schedule()} THEN {d.micro('e.scheduled_weekly_hours * 2')}"
             f" ELSE {d.micro(f'({week}) * 2')} END)")
    band, enh, by_service = band_sql(plan, d)
    rng = " AND e.id >= %(lo)s AND e.id < %(hi)s" if id_range else ""
    if A6.enabled(plan):  # Sec. 8.7.2.A.6: unpaid FMLA hours beyond its weeks are hours without pay
        a6_join = f"\n        LEFT JOIN ({A6.a6_sql(plan, d, calendar_id)}) f ON f.employee_id = e.id"
        unpaid = "COALESCE(ph.unpaid_micro, u.unpaid_micro, 0) + COALESCE(f.fmla_unpaid - f.fmla_credited, 0)"
        a6 = "CASE WHEN f.fmla_unpaid > 0 THEN 1 ELSE 0 END"
    else:
        a6_join, unpaid, a6 = "", "COALESCE(ph.unpaid_micro, u.unpaid_micro, 0)", "0"
    if only is not None:
        rng += f" AND e.id IN ({', '.join(str(int(i)) for i in only) or 'NULL'})"
    return f"""
        SELECT e.id AS employee_id,
               CASE WHEN t.full_time_weekly_hours = {H40.normalize():f} THEN 1 ELSE 0 END AS h40,
               CASE WHEN e.status = 'part_time' OR e.scheduled_weekly_hours < t.full_time_weekly_hours
                    THEN 1 ELSE 0 END AS pt,
               {sched} AS sched,
               {unpaid} AS unpaid,
               {band} AS band,
               {enh} AS enh,
               CASE WHEN {by_service} > 0 THEN 1 ELSE 0 END AS hif,
               {a6} AS a6
        FROM people_employee e
        JOIN people_jobtitle t ON t.id = e.title_id
        LEFT JOIN ledger_periodunpaidhours u ON u.employee_id = e.id AND u.period_start = {_date(plan.period_start)}
        LEFT JOIN ({payroll_hours_sql(plan.period_start, upto)}) ph ON ph.employee_id = e.id{a6_join}
        WHERE {common_where(calendar_id, plan, exclude)}{rng}"""


A6_BIT = 64  # the citation-code bit of Sec. 8.7.2.A.6 (above the enhanced rules' 8 × n)


def cite_texts(plan: PeriodRatePlan) -> dict[tuple[int, int], str]:
    """(leave, citation code) → the citation text the pure functions give (Sec. 8.1.A/B/D/I; 9.2.A/B,
    9.4, 9.2.C/MOU, 9.5, 9.3/9.6). Code bits: 1 part-time, 2 hours without pay, 4 band by service above
    the first (Sec. 9.4); + 8 × the cited enhanced rule (1-based); + ``A6_BIT`` when unpaid FMLA hours were
    counted under Sec. 8.7.2.A.6 (``accrual_fmla``). In the pure functions' order (9.2.B first: the
    adjusted service start, then the band). Each text is stored once (``LedgerCitation``)
    and a bulk row carries its 2-byte id."""
    if 8 * (len(plan.enhanced_rules) + 1) > A6_BIT:
        raise ValueError("too many enhanced-band rules for the citation code")
    a6s = (0, 1) if A6.enabled(plan) else (0,)
    a6_cite = f", {plan.fmla_accrual_cite or A6.A6_CITE}"
    out = {}
    for pt in (0, 1):
        for up in (0, 1):
            for a6 in a6s:
                code = pt + 2 * up + A6_BIT * a6
                out[(int(Leave.SICK), code)] = (plan.sick_cite + (", Sec. 8.1.B" if pt else "")
                                                + ((", Sec. 8.1.I" if pt else ", Sec. 8.1.D") if up else "")
                                                + (a6_cite if a6 else ""))
                for hi in (0, 1):
                    for n in range(len(plan.enhanced_rules) + 1):
                        out[(int(Leave.VACATION), code + 4 * hi + 8 * n)] = (
                            "Sec. 9.2.B, Sec. 9.2.A" + (", Sec. 9.4" if hi else "")
                            + (f", {plan.enhanced_rules[n - 1].cite}" if n else "")
                            + (", Sec. 9.5" if pt else "") + ((", Sec. 9.6" if pt else ", Sec. 9.3") if up else "")
                            + (a6_cite if a6 else ""))
    return out


def _cte(calendar_id: int, plan: PeriodRatePlan, d: Dialect, id_range: bool, exclude: tuple[int, ...] = (),
         cite_ids: dict[tuple[int, int], int] | None = None, upto: int | None = None,
         only: tuple[int, ...] | None = None) -> str:
    """WITH src, paid, amt: one row per (employee, leave), in (employee, leave) order, with micro, band,
    paid and the citation code (or, given ``cite_ids``, the ``LedgerCitation`` id)."""
    f40, f75 = plan.full_time_period_micro[H40], plan.full_time_period_micro[H375]
    full = f"(CASE WHEN h40 = 1 THEN {f40} ELSE {f75} END)"
    sick_rate = f"(CASE WHEN h40 = 1 THEN {plan.sick_rate_micro[H40]} ELSE {plan.sick_rate_micro[H375]} END)"
    vac_rate = "(CASE band " + " ".join(
        f"WHEN {b.index} THEN (CASE WHEN h40 = 1 THEN {b.rate_micro[H40]} ELSE {b.rate_micro[H375]} END)"
        for b in plan.vacation_bands
    ) + " END)"
    half = f"(CASE WHEN h40 = 1 THEN {f40 // 2} ELSE {f75 // 2} END)"
    sick_code = f"(ptf + 2 * upf + {A6_BIT} * a6)"
    vac_code = f"(ptf + 2 * upf + 4 * hif + 8 * enh + {A6_BIT} * a6)"

    def cite(leave: int, code: str) -> str:
        if cite_ids is None:
            return code
        whens = " ".join(f"WHEN {c} THEN {i}" for (lv, c), i in sorted(cite_ids.items()) if lv == leave)
        return f"(CASE {code} {whens} END)"

    sick = f"({sick_rate} * paid + {half}) / {full}"
    vac = f"({vac_rate} * paid + {half}) / {full}"
    # (employee, leave) order: sick then vacation of each employee, so the (employee, leave, date) index
    # grows at its right edge: ``paid`` is the outer side of a nested loop over the two leave types
    # (SQLite: CROSS JOIN keeps its left side outermost). Not a LATERAL VALUES: re-scanning a VALUES
    # list per employee was measured 4× slower than this join.
    two = f"(SELECT {int(Leave.SICK)} AS leave UNION ALL SELECT {int(Leave.VACATION)})"
    amt = f"""SELECT p.employee_id, l.leave,
                     CASE WHEN l.leave = {int(Leave.SICK)} THEN {sick} ELSE {vac} END AS micro,
                     CASE WHEN l.leave = {int(Leave.SICK)} THEN NULL ELSE band END AS band, p.paid,
                     CASE WHEN l.leave = {int(Leave.SICK)} THEN {cite(int(Leave.SICK), sick_code)}
                          ELSE {cite(int(Leave.VACATION), vac_code)} END AS cite
              FROM paid p CROSS JOIN {two} l"""
    return f"""
        WITH src AS ({source_sql(calendar_id, plan, d, id_range, exclude, upto, only)}{d.barrier()}),
        paid AS (SELECT employee_id, h40, band, enh, hif, a6, sched,
                        CASE WHEN sched > unpaid THEN sched - unpaid ELSE 0 END AS paid,
                        CASE WHEN pt = 1 OR sched < {full} THEN 1 ELSE 0 END AS ptf,
                        CASE WHEN unpaid > 0 AND sched > 0 THEN 1 ELSE 0 END AS upf FROM src{d.barrier()}),
        amt AS ({amt})"""


def amounts_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, id_range: bool = False,
                exclude: tuple[int, ...] = ()) -> str:
    """SELECT employee_id, leave, micro, band, paid, cite code for every credit of the period (micro > 0)."""
    return _cte(calendar_id, plan, d, id_range, exclude) + """
        SELECT employee_id, leave, micro, band, paid, cite FROM amt WHERE micro > 0"""


def correction_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, only: tuple[int, ...], upto: int | None,
                   exclude: tuple[int, ...] = ()) -> str:
    """The accrual run's own arithmetic (``_cte``) on the given employees only, with the payroll hours of the batches
    up to ``upto``: employee_id, leave, micro (0 included), band, paid, cite code — one row per whole-period
    accruing employee and leave type (``reaccrue``)."""
    return _cte(calendar_id, plan, d, False, exclude, upto=upto, only=only) + """
        SELECT employee_id, leave, micro, band, paid, cite FROM amt ORDER BY employee_id, leave"""


INSERT_COLUMNS = ("employee_id, leave, kind, micro, effective_date, period_start, cite, reason, band, paid_micro, "
                  "run_id, cite_set_id, vintage")


def vintage(plan: PeriodRatePlan) -> int:
    """The vintage of every credit of the period: its vacation year (Sec. 9.1 — the year the period starts in;
    ``rules.calendar.PayPeriod.vacation_year``), one value for the whole run."""
    return PayPeriod(plan.period_start, plan.period_end).vacation_year


def insert_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, cite_ids: dict[tuple[int, int], int],
               exclude: tuple[int, ...] = (), id_range: bool = True) -> str:
    """INSERT…SELECT of the credits (of one chunk of employee ids when ``id_range``; params run, lo, hi).

    PostgreSQL: the statement also returns the totals per leave type from the rows it inserted
    (``RETURNING`` aggregated in the same statement — no second pass). The bulk row's reason is
    derived from the run, ``band`` and ``paid_micro`` (``selectors.explain``); its citations are
    ``cite_set``; its ``vintage`` the period's vacation year (a constant of the statement). The NULL columns (by, reverses, key, recorded_at) are left out."""
    insert = f"""INSERT INTO ledger_ledgerentry ({INSERT_COLUMNS})
        SELECT employee_id, leave, {int(Kind.ACCRUAL)}, micro, {_date(plan.period_end)}, {_date(plan.period_start)},
               '', '', band, paid, %(run)s, cite, {int(vintage(plan))}
        FROM amt WHERE micro > 0"""
    cte = _cte(calendar_id, plan, d, id_range, exclude, cite_ids)
    if d.vendor != "postgresql":
        return cte + "\n        " + insert
    return cte + f""",
        ins AS ({insert} RETURNING leave, micro)
        SELECT leave, COUNT(*), SUM(micro) FROM ins GROUP BY leave"""


def totals_since_sql() -> str:
    """SQLite: totals per leave type of the rows one run inserted (ids above the last id before it)."""
    return ("SELECT leave, COUNT(*), SUM(micro) FROM ledger_ledgerentry WHERE id > %(after)s AND run_id = %(run)s"
            " GROUP BY leave")


BULK, PARTIAL = "~bulk", "~partial"


def census_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, exclude: tuple[int, ...] = ()) -> str:
    """One pass over the calendar's employees: (reason, count, ids). Reasons: skipped with a reason;
    ``PARTIAL`` — accruing but the period is partly out of service (start, separation or break inside
    it), computed by the pure rules, ids listed; ``BULK`` — credited by the INSERT…SELECT."""
    ps, pe = _date(plan.period_start), _date(plan.period_end)
    brk = f" OR e.id IN ({', '.join(str(int(i)) for i in exclude)})" if exclude else ""
    ids = (f"STRING_AGG(CASE WHEN reason = '{PARTIAL}' THEN CAST(id AS TEXT) END, ',')" if d.vendor == "postgresql"
           else f"GROUP_CONCAT(CASE WHEN reason = '{PARTIAL}' THEN id END)")
    return f"""
        SELECT reason, COUNT(*), {ids} FROM (
            SELECT e.id, CASE
                WHEN e.status = 'contractor' THEN 'contractor: not covered (Art. 2, Sec. 8.1.A)'
                WHEN e.status IN ('intermittent', 'seasonal') THEN 'intermittent/seasonal: no accrual (Sec. 8.1.A/B, 9.2.A, 9.5)'
                WHEN e.status NOT IN ('full_time', 'part_time') THEN NULL
                WHEN e.service_start > {pe} THEN 'not yet started'
                WHEN e.separation_date IS NOT NULL AND e.separation_date < {ps} THEN 'separated before the period'
                WHEN e.service_start > {ps} OR e.separation_date < {pe}{brk} THEN '{PARTIAL}'
                WHEN t.full_time_weekly_hours NOT IN {WEEKS_SQL} THEN 'title week not {weeks_text((H375, H40))} hours (Sec. 9.16)'
                ELSE '{BULK}' END AS reason
            FROM people_employee e JOIN people_jobtitle t ON t.id = e.title_id
            WHERE e.pay_calendar_id = {int(calendar_id)}
        ) r WHERE reason IS NOT NULL GROUP BY reason"""
