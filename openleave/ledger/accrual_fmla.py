# ruff: noqa: S608  — SQL is built only from integers and dates this module computes, never user input.
"""Sec. 8.7.2.A.6 in the biweekly accrual run: "Employees taking an unpaid leave of absence under this provision
will accrue sick and vacation leave benefits only for the first eight (8) weeks of such unpaid leave."

One set-based subquery (``a6_sql``) gives, per employee with unpaid FMLA hours in the pay period,

    fmla_unpaid    the unpaid FMLA hours of the period (micro-hours), and
    fmla_credited  those of them that still count as hours paid for the accrual (A.6);

the run (``accrual_sql.source_sql``, both the INSERT…SELECT and the binary COPY path, and the few employees the
pure rules compute) then takes ``fmla_unpaid − fmla_credited`` as hours without pay, on which nothing accrues
(Sec. 8.1.D/I, 9.3/9.6), and cites Sec. 8.7.2.A.6 on every credit of an employee with unpaid FMLA hours.

Readings (each the one a steward would defend; the text leaves room):
    1. "This provision" is Sec. 8.7.2 (family and medical leave): unpaid medical leave (B) is covered as family
       leave (A) is — the same reading as ``rules.accrual.unpaid_leave_accrual_until('family_medical', …)``.
       B has no accrual paragraph of its own (B.6 is the return to the same or an equivalent position).
    2. The unpaid FMLA hours are the approved hours of an approved (or partly approved, or taken) ``fmla_family``
       / ``fmla_medical`` request charged as ``fmla`` (the unpaid rest after any credits the employee chose,
       A.4/B.5). The credits fall on the first days of the request and the unpaid rest on its last days: the
       unpaid leave begins when the chosen credits run out.
    3. The "eight weeks" are weeks of the employee's own workweek (Sec. 8.9; the rules core's reading 2 for the
       entitlement): the first ``unpaid.family_medical_accrual_weeks`` × the weekly scheduled hours of unpaid
       FMLA leave count as hours paid. For a continuous leave this is its first calendar weeks; intermittent
       time counts by its hours, so a day off here and there does not run the clock like a calendar week.
    4. "Such unpaid leave" is counted within the FMLA look-back (``fmla.lookback_weeks``, Sec. 8.7.2.B.4.c): the
       unpaid FMLA hours of the days ``d − lookback`` … ``d − 1`` come before day ``d``'s; once the weeks of A.6
       are used in that rolling period, a day's unpaid FMLA hours are hours without pay.
    5. The hours the payroll loads as hours without pay (``PeriodUnpaidHours``) are other hours without pay;
       the unpaid FMLA hours come from the requests and are added to them (as the rules core adds an unpaid
       leave to the loaded unpaid hours, ``rules.ledger.period_hours``).
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.accrual import PeriodRatePlan

FMLA_KINDS = ("fmla_family", "fmla_medical")  # openleave.rules.requests.fmla_leave
CHARGED_STATUSES = ("approved", "partly_approved", "taken")  # leave.LeaveRequest.Status with charges in force
UNPAID_CHARGE = "fmla"  # the unpaid rest of an FMLA request (rules.requests.fmla_leave)
A6_CITE = "Sec. 8.7.2.A.6"


def _date(d: dt.date) -> str:
    return f"'{d.isoformat()}'"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def enabled(plan: PeriodRatePlan) -> bool:
    return bool(plan.fmla_accrual_weeks and plan.fmla_lookback_weeks)


def a6_sql(plan: PeriodRatePlan, d, calendar_id: int | None = None) -> str:
    """SELECT employee_id, fmla_unpaid, fmla_credited for the pay period ``plan`` (``d``: ``accrual_sql.Dialect``).

    Steps, all in SQL: the approved hours of each request per day (the request's ``days``); the unpaid part of
    each day — the request's ``fmla`` charge laid on its last days (reading 2); per employee and day the unpaid
    FMLA hours, and those of the look-back days before it (a RANGE window, reading 4); credited = what fits
    under the cap of A.6 (reading 3); summed over the days of the period."""
    back = 7 * int(plan.fmla_lookback_weeks)
    first = plan.period_start - dt.timedelta(days=back)
    pe, ps = _date(plan.period_end), _date(plan.period_start)
    weeks = int(plan.fmla_accrual_weeks)
    from .accrual_sql import WEEK  # the schedule's day keys

    week_sum = " + ".join(d.sched_hour(day) for day in WEEK)
    week = (f"(CASE WHEN {d.empty_schedule()} THEN {d.micro('e.scheduled_weekly_hours')}"
            f" ELSE {d.micro(week_sum)} END)")
    if d.vendor == "postgresql":
        expand = "CROSS JOIN LATERAL jsonb_each_text(r.days) AS j(key, value)"
        day, hours = "CAST(j.key AS date)", "CAST(j.value AS bigint)"
        order, frame = "day", f"RANGE BETWEEN INTERVAL '{back} days' PRECEDING AND INTERVAL '1 day' PRECEDING"
        first_sql, pe_sql, ps_sql = f"DATE {_date(first)}", f"DATE {pe}", f"DATE {ps}"
    else:
        expand = "CROSS JOIN json_each(r.days) AS j"
        day, hours = "j.key", "CAST(j.value AS INTEGER)"
        order, frame = "julianday(day)", f"RANGE BETWEEN {back} PRECEDING AND 1 PRECEDING"
        first_sql, pe_sql, ps_sql = _date(first), pe, ps
    cal = f" AND e.pay_calendar_id = {int(calendar_id)}" if calendar_id is not None else ""
    return f"""
        SELECT emp AS employee_id, CAST(SUM(u) AS BIGINT) AS fmla_unpaid,
               CAST(SUM(CASE WHEN prior >= cap THEN 0 WHEN prior + u <= cap THEN u ELSE cap - prior END) AS BIGINT)
               AS fmla_credited
        FROM (
            SELECT emp, day, u, cap,
                   CAST(COALESCE(SUM(u) OVER (PARTITION BY emp ORDER BY {order} {frame}), 0) AS BIGINT) AS prior
            FROM (
                SELECT emp, day, MAX(cap) AS cap,
                       CAST(SUM(CASE WHEN fmla >= suffix THEN h WHEN fmla > suffix - h THEN fmla - (suffix - h)
                                ELSE 0 END) AS BIGINT) AS u
                FROM (
                    SELECT r.employee_id AS emp, {day} AS day, {hours} AS h, c.micro AS fmla,
                           {weeks} * {week} AS cap,
                           CAST(SUM({hours}) OVER (PARTITION BY r.id ORDER BY {day} DESC ROWS UNBOUNDED PRECEDING)
                                AS BIGINT) AS suffix
                    FROM leave_leaverequest r
                    JOIN leave_requestcharge c ON c.request_id = r.id AND c.leave_type = '{UNPAID_CHARGE}'
                         AND c.reversed_at IS NULL AND c.micro > 0
                    JOIN people_employee e ON e.id = r.employee_id{cal}
                    {expand}
                    WHERE r.kind IN {_in(FMLA_KINDS)} AND r.status IN {_in(CHARGED_STATUSES)}
                      AND r.start_date <= {pe_sql} AND r.end_date >= {first_sql}
                ) x
                WHERE day >= {first_sql} AND day <= {pe_sql}
                GROUP BY emp, day
            ) y
            WHERE u > 0
        ) z
        WHERE day >= {ps_sql}
        GROUP BY emp"""


def a6_by_employee(cursor, plan: PeriodRatePlan, d, ids: list[int]) -> dict[int, tuple[int, int]]:
    """{employee id: (fmla_unpaid, fmla_credited)} for the few employees the pure rules compute (one query)."""
    if not ids or not enabled(plan):
        return {}
    cursor.execute(f"SELECT employee_id, fmla_unpaid, fmla_credited FROM ({a6_sql(plan, d)}) f "
                   f"WHERE employee_id IN ({', '.join(str(int(i)) for i in ids)})")
    return {int(e): (int(u or 0), int(c or 0)) for e, u, c in cursor.fetchall()}


def reason_text(plan: PeriodRatePlan, unpaid: int, credited: int) -> str:
    """The A.6 sentence of one credit (hours in the run's ``hours_str``)."""
    from openleave.rules.units import hours_str

    return (f"Unpaid family or medical leave in this period: {hours_str(unpaid)} h, of which {hours_str(credited)} h "
            f"fall within the first {plan.fmla_accrual_weeks} weeks of the unpaid leave and count as hours paid "
            f"({A6_CITE}); the rest is leave without pay (Sec. 8.1.D, Sec. 9.3).")
