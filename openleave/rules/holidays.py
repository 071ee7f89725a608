"""Article 10 (Holidays): which days are holidays, and what an employee is credited for one.

Dates (Sec. 10.1, 10.2)
    ``contract_holidays(year)`` gives the eleven holidays of Sec. 10.1 — and only those: Juneteenth
    (a Massachusetts legal holiday since 2021) and Suffolk County's Evacuation Day and Bunker Hill Day
    are not in Sec. 10.1, so they are not contract holidays. Each is observed on the Commonwealth's
    legal holiday (Sec. 10.2), computed from the rule in ``contract/.../holidays/days.yaml``
    (M.G.L. c. 4, s. 7, cl. 18: fixed dates, or the nth Monday/Thursday of a month).

    Weekends (``holidays/observance.yaml``): Massachusetts makes the *Monday* the legal holiday
    when a fixed-date holiday falls on a Sunday (Christmas 2022, Sunday → Monday 2022-12-26), and has
    no rule moving a Saturday holiday (Christmas 2027 stays on Saturday 2027-12-25); for a
    Monday–Friday employee a Saturday holiday is a day that is not a regular workday, which is
    exactly Sec. 10.4 (pay or a compensatory day at the Employer's option). This is also what
    ``holidays.US(subdiv="MA")`` gives (its Massachusetts observed rule is Sunday → next Monday
    only; Saturday → Friday is the federal rule, which Massachusetts does not follow).
    openleave computes the dates from its own parameter file rather than the library so the rule
    is data with a citation and a library upgrade cannot add or move a contract holiday;
    tests/rules/test_holidays.py checks every year 2000–2050 against the library.

    An Employer designation of an alternative day (Sec. 10.2) replaces the date
    (``Designation``; the Django app stores them, append-only).

Credit (Sec. 10.3–10.9)  — ``holiday_credit(facts, holiday, worked=..., ...)``
    The amount is a "day" (Sec. 10.9: ``holidays.day_hours`` by the title's full-time week, also for
    a longer or irregular workday), for a regular part-time employee in proportion to full-time
    service (Sec. 10.6.A: day × weekly hours / full-time weekly hours). What the day is *paid as*:

    * on a regular workday, not required to work → the regular day's pay (10.3 ¶1), unless leave
      or absence without pay touched the scheduled workday immediately before or after
      (10.7.A → no holiday pay; the Employer may waive it for severe weather or tardiness of at
      most ``holidays.lwop_waiver_tardy_max_hours`` beyond the employee's control, 10.7.B — a human
      decision);
    * on a regular workday, required to work → a compensatory day within
      ``holidays.comp_day_window_days``, or a day's pay if the agency cannot grant one (10.3 ¶2);
      when the employee was otherwise not scheduled to work the holiday, for the first
      ``holidays.election_times_per_year`` such occasions in a calendar year the *employee elects*
      pay or a compensatory day (10.5, from the date that parameter is in force);
    * on a day that is not a regular workday → pay or a compensatory day at the *Employer's*
      option (10.4);
    * sick leave granted for all or part of a holiday the employee was scheduled to work → no
      holiday pay or compensatory day for the portion not worked (10.8).

Readings (where the text leaves room, the one a steward would defend):
    1. 10.5 "required to work his/her regular shift on a holiday (and … otherwise not scheduled to
       work said holiday)": the holiday falls on the employee's regular workday and the employee
       would have had it off, but is required to work. An employee rostered to work the holiday
       anyway (``rostered_for_holiday``, e.g. a 24/7 rotation) is under 10.3 ¶2.
    2. 10.8 applies only when the employee was scheduled to work the holiday (``worked=True``):
       a holiday off costs no sick leave (only scheduled hours are charged), so being ill on it
       does not forfeit holiday pay. The portion not worked is the sick hours over the scheduled
       hours of that day.
    3. 10.7.A counts only when the holiday is on a regular workday and the employee is not
       required to work it — the case the text names.
    4. Full-time with a workday longer than the Sec. 10.9 day (e.g. 4 × 10): the holiday credit is
       the Sec. 10.9 day; the rest of the scheduled hours are not holiday hours (reported as
       ``shortfall``). For part-time employees 10.6.B lets the shortfall be covered by other leave
       or made up the same workweek with the Appointing Authority's approval.
    5. "Within sixty days following the holiday": the last day is the holiday + ``holidays.comp_day_window_days``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from openleave.rules.calendar import weeks_text
from openleave.rules.decision import Decision
from openleave.rules.facts import WEEKDAYS, EmployeeFacts
from openleave.rules.params import ParameterError, ParameterTree, default_tree
from openleave.rules.schedule import weekly_schedule
from openleave.rules.units import div_half_up, hours_str, to_micro

WAIVER_GROUNDS = ("severe_weather", "beyond_control")


@dataclass(frozen=True)
class Holiday:
    """One contract holiday as observed: ``date`` is the day off; ``observed_from`` the legal
    holiday's own date when it moved (Sunday → Monday, or an Employer designation), else None."""

    date: dt.date
    name: str
    cite: str
    observed_from: dt.date | None = None
    year: int = 0
    designated: bool = False
    reason: str = ""

    def as_dict(self) -> dict:
        out = {"date": self.date.isoformat(), "name": self.name, "cite": self.cite}
        if self.observed_from is not None:
            out["observed_from"] = self.observed_from.isoformat()
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True)
class Designation:
    """The Employer's alternative day for one holiday of one year (Sec. 10.2)."""

    name: str
    year: int
    date: dt.date
    reason: str = ""


def holiday_names(on: dt.date, tree: ParameterTree | None = None) -> list[str]:
    """The names of the Sec. 10.1 holidays in force on ``on``, in the contract's order."""
    tree = tree or default_tree()
    return [str(r["name"]) for r in tree.at(on).holidays.days.value]


def _nth_weekday(year: int, month: int, weekday: str, nth: int) -> dt.date:
    wd = WEEKDAYS.index(weekday)
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - wd) % 7 + 7 * (-nth - 1))


def legal_date(rule: dict, year: int) -> dt.date:
    """The date a rule from ``holidays/days.yaml`` gives in ``year`` (before any weekend move)."""
    month = int(rule["month"])
    if "day" in rule:
        return dt.date(year, month, int(rule["day"]))
    return _nth_weekday(year, month, str(rule["weekday"]), int(rule["nth"]))


def _param_day(year: int) -> dt.date:
    """The holiday list of a year is the one in force on its December 31 (a successor agreement that
    adds a holiday is dated; before the first agreement there is no list and the lookup says so)."""
    return dt.date(year, 12, 31)


def contract_holidays(
    year: int, tree: ParameterTree | None = None, designations: Iterable[Designation] = ()
) -> list[Holiday]:
    """The Sec. 10.1 holidays of ``year`` as observed (Sec. 10.2), in date order.

    A Sunday legal holiday is observed on the Monday; a Saturday one stays on the Saturday
    (``holidays/observance.yaml``). A designation for (name, year) replaces the date; when several
    are given for the same holiday the last one wins (the caller passes them oldest first).
    """
    tree = tree or default_tree()
    node = tree.at(_param_day(year)).holidays
    days, observance = node.days, node.observance
    by_name: dict[str, Designation] = {}
    for d in designations:
        if d.year == year:
            by_name[d.name] = d
    names = [str(r["name"]) for r in days.value]
    unknown = sorted(set(by_name) - set(names))
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a holiday of Sec. 10.1 (one of: {', '.join(names)})")
    out: list[Holiday] = []
    for rule in days.value:
        name = str(rule["name"])
        legal = legal_date(rule, year)
        observed, moved_from = legal, None
        cite = days.cite
        if legal.weekday() == 6 and observance.value.get("sunday") == "next_monday":
            observed, moved_from, cite = legal + dt.timedelta(days=1), legal, f"{days.cite}; {observance.cite}"
        elif legal.weekday() == 5 and observance.value.get("saturday") not in (None, "same_day"):
            raise ParameterError(f"holidays.observance: unknown Saturday rule {observance.value.get('saturday')!r}")
        if name in by_name:
            d = by_name[name]
            out.append(Holiday(d.date, name, f"{days.cite}; {observance.cite}", legal, year, True,
                               d.reason or "alternative day designated by the Employer"))
            continue
        out.append(Holiday(observed, name, cite, moved_from, year))
    return sorted(out, key=lambda h: (h.date, h.name))


def holiday_on(day: dt.date, tree: ParameterTree | None = None, designations: Iterable[Designation] = ()) -> Holiday | None:
    """The contract holiday observed on ``day``, if any (designations may move one across a year end)."""
    designations = tuple(designations)
    for y in (day.year - 1, day.year, day.year + 1):
        if y < 1900:
            continue
        for h in contract_holidays(y, tree, designations):
            if h.date == day:
                return h
    return None


def _day_micro(facts: EmployeeFacts, node) -> int:
    """Sec. 10.9's "day" for the title's week (``holidays.day_hours``)."""
    table = node.day_hours.value
    full = facts.title_full_time_hours_per_week
    if full not in table:
        weeks = weeks_text(tuple(sorted(Decimal(str(k)) for k in table)))
        raise ValueError(f"a title's full-time week is {weeks} hours, not {full} (Sec. 10.9)")
    return to_micro(Decimal(str(table[full])))


def holiday_credit(
    facts: EmployeeFacts,
    holiday: Holiday,
    worked: bool,
    on_leave_without_pay_adjacent: bool = False,
    sick_on_holiday: bool = False,
    *,
    tree: ParameterTree | None = None,
    scheduled_workday: bool | None = None,
    rostered_for_holiday: bool = False,
    prior_elections_this_year: int = 0,
    sick_micro: int | None = None,
    waiver_ground: str | None = None,
    tardy_micro: int | None = None,
    waived: bool | None = None,
) -> Decision:
    """What the employee is credited for ``holiday`` (Sec. 10.3–10.9). ``value`` = micro-hours.

    ``worked``: the employee was required to work the holiday (and so was scheduled to work it).
    ``on_leave_without_pay_adjacent``: leave/absence without pay on part of the scheduled workday
    immediately before or after (Sec. 10.7.A). ``sick_on_holiday``: sick leave granted for the
    holiday or part of it (``sick_micro``; default the whole scheduled day; Sec. 10.8).
    ``scheduled_workday``: is the holiday a regular workday? Default: from the work schedule.
    ``rostered_for_holiday``: the schedule had the employee working the holiday anyway (so 10.5's
    "otherwise not scheduled" is false). ``prior_elections_this_year``: earlier 10.5 occasions this
    calendar year. ``waiver_ground`` (``severe_weather`` | ``beyond_control``), ``tardy_micro`` and
    ``waived`` (None = not yet decided): the Employer's Sec. 10.7.B waiver.

    ``extra["answer"]``: ``outcome`` (``holiday_pay``, ``comp_day``, ``employee_elects``,
    ``employer_chooses``, ``needs_decision``, ``no_holiday_pay``, ``not_covered``), ``paid_as``
    options, ``decided_by``, ``comp_day_by``, ``shortfall_hours``, ``needs_human``.
    """
    tree = tree or default_tree()
    node = tree.at(holiday.date).holidays
    day = holiday.date
    weekday = WEEKDAYS[day.weekday()]
    reasons: list[str] = []
    cites: list[str] = [holiday.cite.split(";")[0].strip()]
    if holiday.observed_from is not None:
        cites.append("Sec. 10.2")
    title = f"{holiday.name} observed {day.isoformat()} ({day.strftime('%A')})"
    if holiday.observed_from is not None:
        title += f", moved from {holiday.observed_from.isoformat()}"
    reasons.append(title + ".")

    def done(value: int, outcome: str, *, paid_as=(), decided_by=None, comp_by=None, shortfall=0, human=False,
             more: dict | None = None) -> Decision:
        answer = {
            "outcome": outcome,
            "holiday_hours": hours_str(value),
            "paid_as": list(paid_as),
            "decided_by": decided_by,
            "comp_day_by": comp_by.isoformat() if comp_by else None,
            "shortfall_hours": hours_str(shortfall),
            "needs_human": human,
            **(more or {}),
        }
        return Decision(value, tuple(dict.fromkeys(cites)), tuple(reasons), unit="hours", extra={"answer": answer})

    # Covered at all?
    if facts.status not in ("full_time", "part_time"):
        reasons.append(f"Status {facts.status}: Article 10 credits regular full-time and part-time employees "
                       "(Sec. 10.6, 10.9); no holiday credit computed here.")
        return done(0, "not_covered")
    if day < facts.service_start or (facts.separation_date and day > facts.separation_date):
        reasons.append("Not employed on the holiday: no holiday credit.")
        return done(0, "not_covered")

    # The amount: a day (Sec. 10.9), prorated for part-time (Sec. 10.6.A).
    full_day = _day_micro(facts, node)
    cites.append(node.day_hours.cite)
    amount = full_day
    reasons.append(f"A day is {hours_str(full_day)} h for a {facts.title_full_time_hours_per_week}-hour title "
                   f"({node.day_hours.cite}).")
    if facts.is_part_time:
        weekly, full_week = to_micro(facts.weekly_hours), to_micro(facts.title_full_time_hours_per_week)
        amount = div_half_up(full_day * weekly, full_week)
        cites.append(node.part_time_proportion.cite)
        reasons.append(f"Part-time: {hours_str(full_day)} × {facts.weekly_hours} / "
                       f"{facts.title_full_time_hours_per_week} = {hours_str(amount)} h "
                       f"({node.part_time_proportion.cite}).")

    scheduled_hours = to_micro(weekly_schedule(facts)[weekday])
    on_workday = scheduled_hours > 0 if scheduled_workday is None else scheduled_workday
    window = int(node.comp_day_window_days.value)
    comp_by = day + dt.timedelta(days=window)

    if not on_workday:
        # Sec. 10.4: the Employer chooses pay or a compensatory day.
        cites.append("Sec. 10.4")
        reasons.append(f"{day.strftime('%A')} is not a regular workday for this employee: at the Employer's option "
                       f"one day's pay or a compensatory day off with pay by {comp_by.isoformat()} "
                       f"({window} days following the holiday), at a time the agency head approves (Sec. 10.4).")
        if worked:
            reasons.append("Work on a day that is not a regular workday is paid as work (Art. 7); the holiday "
                           "credit is still the Sec. 10.4 day.")
        reasons.append("A named person for the Employer decides pay or compensatory day.")
        return done(amount, "employer_chooses", paid_as=("pay", "comp_day"), decided_by="employer", comp_by=comp_by,
                    human=True)

    shortfall = max(0, scheduled_hours - amount)

    if worked:
        if sick_on_holiday:
            sick = scheduled_hours if sick_micro is None else min(sick_micro, scheduled_hours)
            worked_part = max(0, scheduled_hours - sick)
            cites.append("Sec. 10.8")
            if scheduled_hours == 0 or worked_part == 0:
                reasons.append("Sick leave granted for the whole holiday the employee was scheduled to work: no "
                               "holiday pay or compensatory day (Sec. 10.8).")
                return done(0, "no_holiday_pay", more={"sick_hours": hours_str(sick)})
            kept = div_half_up(amount * worked_part, scheduled_hours)
            reasons.append(f"Sick leave for {hours_str(sick)} of {hours_str(scheduled_hours)} scheduled hours: no "
                           f"holiday credit for the portion not worked — {hours_str(amount)} × "
                           f"{hours_str(worked_part)} / {hours_str(scheduled_hours)} = {hours_str(kept)} h (Sec. 10.8).")
            amount = kept
        elect_n = _election_times(tree, day)
        if not rostered_for_holiday and elect_n is not None:
            cites.append("Sec. 10.5")
            if prior_elections_this_year < elect_n:
                n = prior_elections_this_year + 1
                reasons.append(f"Required to work the regular shift on a holiday the employee would otherwise have "
                               f"had off — occasion {n} of the first {elect_n} this calendar year: the employee "
                               f"elects (a) one day's pay in addition to regular pay, or (b) a compensatory day off "
                               f"with pay by {comp_by.isoformat()}, at a time the employee requests and the agency "
                               f"head approves (or a day's pay if one cannot be granted) (Sec. 10.5).")
                return done(amount, "employee_elects", paid_as=("pay", "comp_day"), decided_by="employee",
                            comp_by=comp_by, human=True, more={"occasion": n})
            reasons.append(f"Required to work a holiday after the first {elect_n} occasions this calendar year: a "
                           f"compensatory day off with pay by {comp_by.isoformat()}, at a time the employee requests "
                           f"and the agency head approves; a day's pay if the agency cannot grant one (Sec. 10.5).")
            return done(amount, "comp_day", paid_as=("comp_day",), comp_by=comp_by,
                        more={"occasion": prior_elections_this_year + 1})
        cites.append("Sec. 10.3")
        reasons.append(f"Required to work the holiday: a compensatory day off with pay by {comp_by.isoformat()} "
                       f"({window} days following the holiday), at a time the agency head approves; a day's pay in "
                       "addition to pay for the holiday worked if the agency cannot grant one (Sec. 10.3).")
        return done(amount, "comp_day", paid_as=("comp_day",), comp_by=comp_by)

    # A regular workday, not required to work: Sec. 10.3 ¶1.
    cites.append("Sec. 10.3")
    if sick_on_holiday:
        reasons.append("Not required to work the holiday, so no sick leave is charged for it and Sec. 10.8 "
                       "(sick leave on a holiday one is scheduled to work) does not apply.")
    if on_leave_without_pay_adjacent:
        cites.append("Sec. 10.7.A")
        reasons.append("Leave or absence without pay on the scheduled workday immediately before or after the "
                       "holiday: no holiday pay (Sec. 10.7.A).")
        cap = to_micro(Decimal(str(node.lwop_waiver_tardy_max_hours.value)))
        ground_ok = waiver_ground == "severe_weather" or (
            waiver_ground == "beyond_control" and tardy_micro is not None and tardy_micro <= cap)
        if waiver_ground is not None:
            cites.append(node.lwop_waiver_tardy_max_hours.cite)
        if waiver_ground is not None and not ground_ok:
            reasons.append(f"Tardiness beyond the employee's control of more than {hours_str(cap)} hours (or not "
                           f"stated) is not a ground for the waiver (Sec. 10.7.B).")
            return done(0, "no_holiday_pay")
        if ground_ok and waived is None:
            why = "severe weather" if waiver_ground == "severe_weather" else \
                f"tardiness of {hours_str(tardy_micro or 0)} h due to events beyond the employee's control"
            reasons.append(f"The Employer may waive this for {why} (Sec. 10.7.B): a named person decides; "
                           f"if waived, {hours_str(amount)} h holiday pay.")
            return done(0, "needs_decision", decided_by="employer", human=True,
                        more={"hours_if_waived": hours_str(amount)})
        if ground_ok and waived:
            reasons.append(f"The Employer waived Sec. 10.7.A (Sec. 10.7.B): the regular day's pay, {hours_str(amount)} h.")
            return done(amount, "holiday_pay", paid_as=("pay",), shortfall=shortfall)
        if ground_ok and waived is False:
            reasons.append("The Employer denied the waiver; a denial the Union considers arbitrary or capricious "
                           "may be appealed up to Step III of the grievance procedure (Sec. 10.7.B).")
        return done(0, "no_holiday_pay")
    reasons.append(f"{day.strftime('%A')} is a regular workday and the employee is not required to work: the regular "
                   f"day's pay, {hours_str(amount)} h (Sec. 10.3).")
    if shortfall:
        if facts.is_part_time:
            cites.append("Sec. 10.6.B")
            reasons.append(f"Scheduled {hours_str(scheduled_hours)} h that day: the {hours_str(shortfall)} h not covered "
                           "may be taken from other available leave or, on the employee's request and with the "
                           "Appointing Authority's approval, made up that same workweek (Sec. 10.6.B).")
        else:
            reasons.append(f"Scheduled {hours_str(scheduled_hours)} h that day: the holiday credit is a "
                           f"{hours_str(amount)}-hour day (Sec. 10.9); the other {hours_str(shortfall)} h are not "
                           "holiday hours.")
    return done(amount, "holiday_pay", paid_as=("pay",), shortfall=shortfall)


def _election_times(tree: ParameterTree, day: dt.date) -> int | None:
    """Sec. 10.5's number of elective occasions in force on ``day``; None before 2008-01-01."""
    try:
        return int(tree.get("holidays.election_times_per_year", day).value)
    except ParameterError:
        return None
