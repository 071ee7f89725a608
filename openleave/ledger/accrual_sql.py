# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""The set-based biweekly accrual: one INSERT…SELECT per chunk of employees, amounts computed in SQL.

The SQL is generated from ``openleave.rules.accrual.period_rate_plan`` (the contract figures for the
period, each with its citation) and implements exactly the pure functions ``sick_accrual`` and
``vacation_accrual`` for every employee whose whole pay period is in service:

    F     = full-time hours of the period: 75 (37.5-hour title) or 80 (40-hour title)  Sec. 8.1.A, 9.2.A
    s     = scheduled hours of the period: 2 × the work schedule's week, or 2 × the weekly hours
    p     = hours paid = max(s − unpaid hours loaded for the period, 0)           Sec. 8.1.D/I, 9.3, 9.6
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
from decimal import Decimal

from openleave.rules.accrual import PeriodRatePlan

from .models import Kind, Leave

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
H40, H375 = Decimal("40"), Decimal("37.5")


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

    def empty_schedule(self) -> str:
        if self.vendor == "postgresql":
            return "(e.work_schedule IS NULL OR e.work_schedule = '{}'::jsonb)"
        return "(e.work_schedule IS NULL OR json(e.work_schedule) = '{}')"


def _date(d: dt.date) -> str:
    return f"'{d.isoformat()}'"  # a date we made ourselves, never user input


def band_sql(plan: PeriodRatePlan, d: Dialect) -> tuple[str, str]:
    """Sec. 9.2.A band by Sec. 9.4 cutoffs, then the 9.2.C / MOU enhanced band; and the enhanced
    rule's citation ('' when none applies)."""
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
        return by_service, "''"
    enh = "(CASE " + " ".join(f"WHEN {c} THEN {i}" for c, i, _ in enhanced) + " ELSE 0 END)"
    cite = "(CASE " + " ".join(f"WHEN {c} THEN ', {k}'" for c, _, k in enhanced) + " ELSE '' END)"
    return f"(CASE WHEN {enh} > {by_service} THEN {enh} ELSE {by_service} END)", cite


def common_where(calendar_id: int, plan: PeriodRatePlan) -> str:
    """Employees of the calendar whose whole period is in service and who accrue (Sec. 8.1.A/B, 9.2.A, 9.5)."""
    ps, pe = _date(plan.period_start), _date(plan.period_end)
    return (
        f"e.pay_calendar_id = {int(calendar_id)} AND e.status IN ('full_time', 'part_time')"
        f" AND t.full_time_weekly_hours IN (37.5, 40)"
        f" AND e.service_start <= {ps} AND (e.separation_date IS NULL OR e.separation_date >= {pe})"
        f" AND NOT EXISTS (SELECT 1 FROM people_serviceevent b WHERE b.employee_id = e.id AND b.kind = 'break'"
        f" AND b.\"left\" <= {pe} AND b.returned > {ps})"
    )


def source_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, id_range: bool) -> str:
    """One row per accruing employee: title hours flag, scheduled and paid micro-hours, band."""
    week = " + ".join(d.sched_hour(day) for day in WEEK)
    sched = (f"(CASE WHEN {d.empty_schedule()} THEN {d.micro('e.scheduled_weekly_hours * 2')}"
             f" ELSE {d.micro(f'({week}) * 2')} END)")
    band, enh_cite = band_sql(plan, d)
    rng = " AND e.id >= %(lo)s AND e.id < %(hi)s" if id_range else ""
    return f"""
        SELECT e.id AS employee_id,
               CASE WHEN t.full_time_weekly_hours = 40 THEN 1 ELSE 0 END AS h40,
               CASE WHEN e.status = 'part_time' OR e.scheduled_weekly_hours < t.full_time_weekly_hours
                    THEN 1 ELSE 0 END AS pt,
               {sched} AS sched,
               COALESCE(u.unpaid_micro, 0) AS unpaid,
               {band} AS band,
               {enh_cite} AS enh_cite
        FROM people_employee e
        JOIN people_jobtitle t ON t.id = e.title_id
        LEFT JOIN ledger_periodunpaidhours u ON u.employee_id = e.id AND u.period_start = {_date(plan.period_start)}
        WHERE {common_where(calendar_id, plan)}{rng}"""


def _cte(calendar_id: int, plan: PeriodRatePlan, d: Dialect, id_range: bool) -> str:
    """WITH src, paid, amt: one row per (employee, leave) with micro, band, paid and cite."""
    f40, f75 = plan.full_time_period_micro[H40], plan.full_time_period_micro[H375]
    full = f"(CASE WHEN h40 = 1 THEN {f40} ELSE {f75} END)"
    sick_rate = f"(CASE WHEN h40 = 1 THEN {plan.sick_rate_micro[H40]} ELSE {plan.sick_rate_micro[H375]} END)"
    vac_rate = "(CASE band " + " ".join(
        f"WHEN {b.index} THEN (CASE WHEN h40 = 1 THEN {b.rate_micro[H40]} ELSE {b.rate_micro[H375]} END)"
        for b in plan.vacation_bands
    ) + " END)"
    half = f"(CASE WHEN h40 = 1 THEN {f40 // 2} ELSE {f75 // 2} END)"
    # Citations as the pure functions give them (Sec. 8.1.A/B/D/I; 9.2.A/B, 9.4, 9.5, 9.3/9.6).
    unpaid = "(paid < sched)"
    sick_cite = (f"'{plan.sick_cite}' || CASE WHEN pt = 1 OR sched < {full} THEN ', Sec. 8.1.B' ELSE '' END"
                 f" || CASE WHEN {unpaid} THEN (CASE WHEN pt = 1 OR sched < {full} THEN ', Sec. 8.1.I'"
                 f" ELSE ', Sec. 8.1.D' END) ELSE '' END")
    vac_cite = ("'Sec. 9.2.A, Sec. 9.2.B' || CASE WHEN band > 0 THEN ', Sec. 9.4' ELSE '' END || enh_cite"
                f" || CASE WHEN pt = 1 OR sched < {full} THEN ', Sec. 9.5' ELSE '' END"
                f" || CASE WHEN {unpaid} THEN (CASE WHEN pt = 1 OR sched < {full} THEN ', Sec. 9.6'"
                f" ELSE ', Sec. 9.3' END) ELSE '' END")
    return f"""
        WITH src AS ({source_sql(calendar_id, plan, d, id_range)}),
        paid AS (SELECT employee_id, h40, pt, sched, band, enh_cite,
                        CASE WHEN sched > unpaid THEN sched - unpaid ELSE 0 END AS paid FROM src),
        amt AS (
            SELECT employee_id, {int(Leave.SICK)} AS leave, ({sick_rate} * paid + {half}) / {full} AS micro,
                   NULL AS band, paid, {sick_cite} AS cite FROM paid
            UNION ALL
            SELECT employee_id, {int(Leave.VACATION)} AS leave, ({vac_rate} * paid + {half}) / {full} AS micro,
                   band, paid, {vac_cite} AS cite FROM paid
        )"""


def amounts_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect, id_range: bool = False) -> str:
    """SELECT employee_id, leave, micro, band, paid, cite for every credit of the period (micro > 0)."""
    return _cte(calendar_id, plan, d, id_range) + """
        SELECT employee_id, leave, micro, band, paid, cite FROM amt WHERE micro > 0"""


def totals_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect) -> str:
    """Per leave type: rows, micro-hours, and employees not credited for lack of hours paid."""
    return _cte(calendar_id, plan, d, False) + """
        SELECT leave, SUM(CASE WHEN micro > 0 THEN 1 ELSE 0 END), SUM(micro),
               SUM(CASE WHEN micro > 0 THEN 0 ELSE 1 END) FROM amt GROUP BY leave"""


def insert_sql(calendar_id: int, plan: PeriodRatePlan, d: Dialect) -> str:
    """INSERT…SELECT of one chunk of employee ids (params: run, lo, hi)."""
    return _cte(calendar_id, plan, d, True) + f"""
        INSERT INTO ledger_ledgerentry (employee_id, leave, kind, micro, effective_date, period_start, cite, reason,
                                        band, paid_micro, run_id, by_id, reverses_id, key, recorded_at)
        SELECT employee_id, leave, {int(Kind.ACCRUAL)}, micro, {_date(plan.period_end)}, {_date(plan.period_start)},
               cite, '', band, paid, %(run)s, NULL, NULL, NULL, NULL
        FROM amt WHERE micro > 0"""


def skipped_sql(calendar_id: int, plan: PeriodRatePlan) -> str:
    """Employees of the calendar not credited by the SQL path, with the reason (one row per reason)."""
    ps, pe = _date(plan.period_start), _date(plan.period_end)
    return f"""
        SELECT reason, COUNT(*) FROM (
            SELECT CASE
                WHEN e.status = 'contractor' THEN 'contractor: not covered (Art. 2, Sec. 8.1.A)'
                WHEN e.status IN ('intermittent', 'seasonal') THEN 'intermittent/seasonal: no accrual (Sec. 8.1.A/B, 9.2.A, 9.5)'
                WHEN e.service_start > {pe} THEN 'not yet started'
                WHEN e.separation_date IS NOT NULL AND e.separation_date < {ps} THEN 'separated before the period'
                ELSE NULL END AS reason
            FROM people_employee e WHERE e.pay_calendar_id = {int(calendar_id)}
        ) r WHERE reason IS NOT NULL GROUP BY reason"""


def exceptions_sql(calendar_id: int, plan: PeriodRatePlan) -> str:
    """Accruing employees whose period is partly out of service: computed by the pure functions."""
    ps, pe = _date(plan.period_start), _date(plan.period_end)
    return f"""
        SELECT e.id FROM people_employee e
        WHERE e.pay_calendar_id = {int(calendar_id)} AND e.status IN ('full_time', 'part_time')
          AND e.service_start <= {pe} AND (e.separation_date IS NULL OR e.separation_date >= {ps})
          AND (e.service_start > {ps} OR e.separation_date < {pe}
               OR EXISTS (SELECT 1 FROM people_serviceevent b WHERE b.employee_id = e.id AND b.kind = 'break'
                          AND b."left" <= {pe} AND b.returned > {ps}))"""
