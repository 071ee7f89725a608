"""Union business leave, Sec. 5.2–5.4 (the figures are the ``use.union.*`` parameters).

Paid (``kind="union_paid"``), by ``purpose``:
  grievance (5.2: stewards/officials investigating and processing grievances; grievants processing
  their own, a few grievants for a class action) — in advance, not unreasonably denied;
  convention (5.3: elected delegates; "may be granted"; a yearly total of days for the Union);
  negotiations, labor_management (5.3: "shall be granted"); president_assist (5.3: hours a week for
  the Union Official equivalents of units 1, 3 and 6 combined); exec_board (5.3: work days a
  calendar year); steward_training (5.3: a day, once in a number of months). All 5.3 leave needs
  the prior approval of the Human Resources Division and a request some calendar days ahead unless
  the parties agree → ``needs_decision``.
Unpaid (``kind="union_unpaid"``): full_time_union (5.4: up to a number of years, extendable; one
per so many unit employees; no adverse effect on operations), legislative_hearing (5.4: without
loss of benefits, not wages). HRD prior approval and notice as above.
The union-wide limits (convention days, Executive Board days, steward training once in twelve months, the
President's assistants' hours a week, full-time leaves per unit employees) are counted across every member
(``RequestContext.union_usage``, see ``union_limits``): a request beyond a limit is allowed only in the part
that fits (or not at all), the reason giving the figures and the section.
"""

from __future__ import annotations

import datetime as dt

from openleave.rules.holidays import contract_holidays
from openleave.rules.params import figure
from openleave.rules.requests.common import Draft, add_months, cap_total, first_day, h
from openleave.rules.requests.model import (
    FactDeclaration,
    Finding,
    KindDeclaration,
    RequestError,
)
from openleave.rules.requests.union_limits import full_time_allowed, held_on, monday, training_clash
from openleave.rules.units import to_micro

PAID = {
    "grievance": "Sec. 5.2", "convention": "Sec. 5.3", "negotiations": "Sec. 5.3", "labor_management": "Sec. 5.3",
    "president_assist": "Sec. 5.3", "exec_board": "Sec. 5.3", "steward_training": "Sec. 5.3",
}
UNPAID = {"full_time_union": "Sec. 5.4", "legislative_hearing": "Sec. 5.4"}


def check(d: Draft) -> Finding:
    ask, ctx = d.ask, d.ctx
    table = PAID if d.kind == "union_paid" else UNPAID
    if ask.purpose not in table:
        raise RequestError(f"{d.kind} purpose must be one of {', '.join(table)}")
    cite = table[ask.purpose]
    days = d.by_day()
    requested = sum(days.values())
    d.visible = "union business leave"
    fit: dict[dt.date, int] | None = None  # the hours per date within a union-wide limit
    if cite != "Sec. 5.2":
        d.ground("union_hrd_not_approved", "union_late_request")
        notice = int(d.value("union.notice_days"))
        d.say("Needs the prior approval of the Human Resources Division.", cite)
        if ctx.submitted_at is not None and ctx.submitted_at.date() > first_day(ask.start) - dt.timedelta(days=notice):
            d.human(f"Requested less than {notice} calendar days ahead: allowed only if the parties agree.", cite)
    purpose = ask.purpose
    if purpose == "grievance":
        d.ground("union_operations")
        d.say("Time off without loss of pay for investigating and processing grievances and arbitrations (stewards, "
              f"officials, and grievants for their own grievance — at most {figure(d.value('union.class_action_grievants_max'))} "
              "grievants in a class action); requested in advance and not unreasonably denied.", cite)
    elif purpose == "convention":
        d.ground("union_limit_reached")
        fit = _convention(d, days, cite)
    elif purpose in ("negotiations", "labor_management"):
        what = "negotiating sessions (committee members)" if purpose == "negotiations" else \
            "joint labor/management meetings (representatives and officers)"
        d.say(f"Time off without loss of wages, benefits or privileges shall be granted to attend {what}.", cite)
    elif purpose == "president_assist":
        d.ground("union_limit_reached")
        fit = _president_assist(d, days, cite)
    elif purpose == "exec_board":
        d.ground("union_limit_reached")
        fit = _exec_board(d, days, cite)
    elif purpose == "steward_training":
        d.ground("union_limit_reached")
        fit = _steward_training(d, days, requested, cite)
    elif purpose == "full_time_union":
        d.ground("union_operations")
        fit = _full_time(d, days, cite)
    elif purpose == "legislative_hearing":
        d.say("Leave without loss of benefits (not wages) to attend hearings before the Legislature and State "
              "agencies on matters of importance to the Union.", cite)
    allowed = requested if fit is None else sum(fit.values())
    if allowed:
        d.charges.append((d.kind, allowed))
    return d.finish(requested, allowed, discretionary=True, days=fit)


def _over(used: int, cap: int, asked: int) -> int:
    return max(0, used + asked - cap)


def _convention(d: Draft, days: dict[dt.date, int], cite: str) -> dict[dt.date, int]:
    """Sec. 5.3: delegate-days of every member in the calendar year, against the Union's yearly total."""
    cap = int(d.value("union.convention_days_per_year"))
    u = d.ctx.union_usage
    fit: dict[dt.date, int] = {}
    for year in sorted({k.year for k in days}):
        asked = sorted(k for k in days if k.year == year)
        used = int(u.convention_days.get(year, 0))
        room = max(0, cap - used)
        fit.update({k: days[k] for k in asked[:room]})
        over = _over(used, cap, len(asked))
        d.say(f"Convention leave for elected delegates (pending and granted, every delegate): {used} of {cap} days "
              f"used across the unit in {year}; {len(asked)} requested; "
              + (f"{over} over — {cite}." if over else f"within the limit — {cite}."), cite)
    d.extra["union_limit"] = "convention"
    return fit


def _exec_board(d: Draft, days: dict[dt.date, int], cite: str) -> dict[dt.date, int]:
    """Sec. 5.3: the Union's Executive Board meeting days in the calendar year; a day another member already
    holds for the same meeting is no new day. The Employer answers some business days before the meeting."""
    cap = int(d.value("union.exec_board_days_per_year"))
    u = d.ctx.union_usage
    fit: dict[dt.date, int] = {}
    for year in sorted({k.year for k in days}):
        asked = sorted(k for k in days if k.year == year)
        held = {k for k in u.exec_board_dates if k.year == year}
        same = [k for k in asked if k in held]
        new = [k for k in asked if k not in held]
        room = max(0, cap - len(held))
        fit.update({k: days[k] for k in [*same, *new[:room]]})
        over = _over(len(held), cap, len(new))
        d.say(f"Executive Board meetings: {len(held)} of {cap} work days used across the unit in {year}; "
              f"{len(asked)} requested" + (f" ({len(same)} already counted for the same meeting)" if same else "")
              + "; " + (f"{over} over — {cite}." if over else f"within the limit — {cite}."), cite)
    n = int(d.value("union.exec_board_answer_business_days"))
    first = min(days)
    answer_by = _business_days_before(first, n, d)
    d.extra["answer_by"] = answer_by.isoformat()
    d.extra["union_limit"] = "exec_board"
    d.say(f"The Employer answers by {answer_by} ({n} business days before the meeting, {cite}).", cite)
    return fit


def _business_days_before(day: dt.date, n: int, d: Draft) -> dt.date:
    """The n-th business day (Monday to Friday, not an Art. 10 holiday) before ``day``."""
    holidays = set(d.ctx.holidays)
    for y in (day.year - 1, day.year):
        holidays.update(x.date for x in contract_holidays(y, d.tree))
    out, left = day, n
    while left:
        out -= dt.timedelta(days=1)
        if out.weekday() < 5 and out not in holidays:
            left -= 1
    return out


def _steward_training(d: Draft, days: dict[dt.date, int], requested: int, cite: str) -> dict[dt.date, int]:
    """Sec. 5.3: at most a day, and the Union's training request no more than once in any twelve months."""
    most = d.value("union.steward_training_max_days")
    months = int(d.value("union.steward_training_once_in_months"))
    d.extra["union_limit"] = "steward_training"
    clashes = [(k, c) for k in sorted(days) if (c := training_clash(k, d.ctx.union_usage.steward_training_dates, months))]
    if clashes:
        k, c = clashes[0]
        d.say(f"Steward training: the Union already has a training day on {c}, within {figure(months)} months of "
              f"{k}; the Union requests this release no more than once in any {figure(months)} months — {cite}. "
              f"The next training day may be on or after {add_months(c, months)}.", cite)
        return {}
    allowed = min(requested, d.days_to_micro(most, prorate=False))
    d.say(f"Paid release for steward training: not more than {figure(most)} day(s) ({h(allowed)} of "
          f"{h(requested)}); no other training day across the unit within {figure(months)} months — {cite}.", cite)
    return cap_total(days, allowed)


def _president_assist(d: Draft, days: dict[dt.date, int], cite: str) -> dict[dt.date, int]:
    """Sec. 5.3: per week (Monday to Sunday), this member at most the weekly hours (one Union Official
    equivalent), and every member of the units together at most the equivalents times those hours."""
    per = to_micro(d.value("union.president_assist_hours_per_week"))
    eq = int(d.value("union.president_assist_official_equivalents"))
    units = ", ".join(str(figure(x)) for x in d.value("union.president_assist_units"))
    total = per * eq
    u = d.ctx.union_usage
    out: dict[dt.date, int] = {}
    for week in sorted({monday(k) for k in days}):
        asked = {k: m for k, m in days.items() if monday(k) == week}
        used, own = int(u.president_assist_hours.get(week, 0)), int(u.president_assist_own_hours.get(week, 0))
        room = max(0, min(per - own, total - used))
        fit = cap_total(asked, room)
        out.update(fit)
        want = sum(asked.values())
        over = want - sum(fit.values())
        d.say(f"Assisting the Union President, week of {week}: {h(used)} of {h(total)} used across units {units} "
              f"({figure(eq)} Union Official equivalents × {h(per)}), {h(own)} of them by this member (at most "
              f"{h(per)} a week each); {h(want)} requested; " + (f"{h(over)} over — {cite}." if over else
                                                                f"within the limit — {cite}."), cite)
    d.extra["union_limit"] = "president_assist"
    return out


def _full_time(d: Draft, days: dict[dt.date, int], cite: str) -> dict[dt.date, int]:
    """Sec. 5.4: up to a year at a time (extendable), not more than one per so many unit employees at a time."""
    years = int(d.value("union.unpaid_full_time_max_years"))
    start = first_day(d.ask.start)
    last = add_months(start, 12 * years) - dt.timedelta(days=1)
    per = int(d.value("union.unpaid_full_time_per_unit_employees"))
    u = d.ctx.union_usage
    within = {k: v for k, v in days.items() if k <= last}
    d.extra["union_limit"] = "full_time_union"
    d.say(f"Unpaid leave for full-time Union duties shall be granted on the Union's request, for up to {years} "
          f"year(s) at a time (to {last}), extendable, without adverse effect on operations.", cite)
    if u.unit_employees is None:
        d.human(f"The number of unit employees is not known: at most one full-time union leave per {per:,} unit "
                f"employees — {cite}.", cite)
        return within
    allowed_n = full_time_allowed(u.unit_employees, per)
    held = max((held_on(k, u.full_time_leaves) for k in within), default=0)
    fit = {k: v for k, v in within.items() if held_on(k, u.full_time_leaves) < allowed_n}
    short = len(within) - len(fit)
    d.say(f"{u.unit_employees:,} employees in the unit → at most {allowed_n} full-time union leave(s) at a time "
          f"(one per {per:,}); {held} held by other members during this period; 1 requested; "
          + (f"over on {short} scheduled day(s) — {cite}." if short else f"within the limit — {cite}."), cite)
    return fit


def _purposes(table: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, f"{k.replace('_', ' ').capitalize()} ({cite})") for k, cite in table.items())


DECLARATIONS = (
    KindDeclaration(
        code="union_paid", label="Union business leave, paid (Sec. 5.2, 5.3)", cite="Sec. 5.2, 5.3", check=check,
        facts=(FactDeclaration("purpose", "choice", "Union business", choices=_purposes(PAID)),),
    ),
    KindDeclaration(
        code="union_unpaid", label="Union business leave, unpaid (Sec. 5.4)", cite="Sec. 5.4", check=check,
        facts=(FactDeclaration("purpose", "choice", "Union business", choices=_purposes(UNPAID)),),
    ),
)
