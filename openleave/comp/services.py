"""Writes: compensatory days for holidays (Sec. 10.3, 10.4, 10.5), comp time earned (Sec. 7.2.G), a compensatory
day taken, and the warnings before a compensatory day expires. Each is ONE transaction: the record, its ledger
entry (through the ledger's ``ledger_post``) and an access-log row naming the employee; notifications are
e-mailed after commit (``leave.services.notify``).

Who records: the employee's supervisor, or HR / the Appointing Authority of the agency (``policy.can_record_comp``)
— a timekeeper works under one of those roles. The employee's own Sec. 10.5 election is recorded with the
employee as the one who chose (``chosen_by="employee"``) and the recorder named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from openleave import clock, inputs, policy
from openleave.audit.access import COMMAND, Access, System, record_access, record_many
from openleave.audit.models import AccessLog
from openleave.holidays.selectors import year_holidays
from openleave.leave.errors import LeaveError
from openleave.leave.models import Notification
from openleave.leave.services import mail_message, notify, send_after_commit
from openleave.ledger import comp_days as ledger_comp
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.selectors import balance_parts, no_balance
from openleave.ledger.services import AdjustmentInvalid, ledger_post
from openleave.people.models import Employee
from openleave.rules import comp as comp_rules
from openleave.rules.facts import WEEKDAYS
from openleave.rules.holidays import Holiday, holiday_credit
from openleave.rules.params import ParameterError, default_tree
from openleave.rules.requests.common import unit_micro
from openleave.rules.requests.comp_time import comp_time_earned
from openleave.rules.schedule import weekly_schedule
from openleave.rules.units import MICRO, hours_str, to_micro

from .models import CompDayWarning, CompTimeEarning, HolidayOccasion

# How long before its last day a compensatory day is warned about. Not a contract figure: the organisation's
# choice (the contract sets the sixty-day window itself, ``holidays.comp_day_window_days``).
WARNING_DAYS = 14

SITUATIONS = {
    "worked_rostered": "required to work a holiday the schedule had the employee working anyway (Sec. 10.3)",
    "worked_regular_shift": "required to work the regular shift on a holiday the employee would otherwise have had "
                            "off (Sec. 10.5)",
    "day_off": "the holiday fell on a day that is not the employee's regular workday (Sec. 10.4)",
}


class CompError(LeaveError):
    """The record cannot be made as asked (``field`` names what to fix). Nothing was written."""


def _check_may_record(user, employee: Employee) -> None:
    if not policy.can_view(user, employee, policy.LEAVE):
        raise policy.NotVisible()
    if not policy.can_record_comp(user, employee):
        raise CompError("Only the employee's supervisor, or HR / the Appointing Authority of the agency, records "
                        "compensatory days and comp time.", status=403)


def _day(value, name: str, today: dt.date) -> dt.date:
    try:
        d = inputs.day(value, name)
    except inputs.BadInput as exc:
        raise CompError(exc.message, field=name) from None
    if d is None:
        raise CompError("give a date (YYYY-MM-DD).", field=name)
    if d > today:
        raise CompError(f"{d} has not come yet: record it on or after the day.", field=name)
    return d


def _text(value, name: str, max_length: int, required: bool = False) -> str:
    try:
        return inputs.text(value or "", name, max_length=max_length, required=required)
    except inputs.BadInput as exc:
        raise CompError(exc.message, field=name) from None


def _lock(employee: Employee) -> None:
    Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()


# --- a holiday worked / on a day off / the Sec. 10.5 election ---------------------------------------------------


def find_holiday(employee: Employee, day: dt.date) -> Holiday | None:
    """The Art. 10 holiday observed on ``day`` for the employee's agency (designations applied, Sec. 10.2)."""
    for year in (day.year - 1, day.year, day.year + 1):
        try:
            for h in year_holidays(employee.agency, year):
                if h.date == day:
                    return h
        except (ParameterError, ValueError):
            continue
    return None


def _occasions_this_year(employee: Employee, day: dt.date) -> list[HolidayOccasion]:
    return list(HolidayOccasion.objects.filter(employee=employee, year=day.year,
                                               section=HolidayOccasion.Section.ELECTION).order_by("holiday_date"))


@dataclass
class OccasionInput:
    holiday_date: object
    situation: str
    outcome: str
    chosen_by: str
    reasons: str = ""


def holiday_occasion_record(*, employee: Employee, data: OccasionInput, by, channel: str = "ui") -> HolidayOccasion:
    """Record what the employee receives for a holiday worked or falling on a day off, and — for a compensatory
    day — post it to the ledger (``Leave.HOLIDAY``, ``Kind.EARNED``, dated the holiday, ``vintage`` its year, its
    last day the holiday + the contract's window).

    ``situation``: ``worked_rostered`` (Sec. 10.3 ¶2), ``worked_regular_shift`` (Sec. 10.5; before it took effect,
    10.3) or ``day_off`` (Sec. 10.4). ``outcome``: ``comp_day`` or ``pay``. ``chosen_by``: ``employee`` — only for
    the first occasions of the calendar year under Sec. 10.5 — or ``employer``: the Employer's option under
    Sec. 10.4 (with ``reasons``), or the agency that cannot grant a compensatory day under Sec. 10.3/10.5
    (``pay``, with ``reasons``)."""
    _check_may_record(by, employee)
    today = clock.today()
    day = _day(data.holiday_date, "holiday_date", today)
    holiday = find_holiday(employee, day)
    if holiday is None:
        raise CompError(f"{day} ({day:%A}) is not an Art. 10 holiday as observed for {employee.agency.code} "
                        "(Sec. 10.1, 10.2).", field="holiday_date")
    if data.situation not in SITUATIONS:
        raise CompError(f"one of {', '.join(SITUATIONS)}.", field="situation")
    if data.outcome not in HolidayOccasion.Outcome.values:
        raise CompError("comp_day or pay.", field="outcome")
    if data.chosen_by not in HolidayOccasion.Chooser.values:
        raise CompError("employee or employer.", field="chosen_by")
    reasons = _text(data.reasons, "reasons", 2000)
    facts = employee.facts()
    weekday = WEEKDAYS[day.weekday()]
    on_schedule = weekly_schedule(facts)[weekday] > 0
    if data.situation == "day_off" and on_schedule:
        raise CompError(f"{day:%A} is a regular workday in the employee's schedule: a holiday worked is "
                        "worked_rostered or worked_regular_shift; not worked, it is the regular day's pay "
                        "(Sec. 10.3) and nothing is recorded here.", field="situation")
    if data.situation != "day_off" and not on_schedule:
        raise CompError(f"{day:%A} is not a regular workday in the employee's schedule: the holiday is under "
                        "Sec. 10.4 (situation day_off).", field="situation")
    with transaction.atomic():
        _lock(employee)
        if HolidayOccasion.objects.filter(employee=employee, holiday_date=day).exists():
            raise CompError(f"{holiday.name} {day} is already recorded for this employee; HR corrects a record with "
                            "a ledger reversal.", status=409, field="holiday_date")
        elections = _occasions_this_year(employee, day)
        later = [o for o in elections if o.holiday_date > day]
        if data.situation == "worked_regular_shift" and later:
            raise CompError(f"a later occasion of {day.year} ({later[0].holiday_date}) is already recorded: Sec. 10.5 "
                            "counts the occasions of a calendar year in order; record them in date order.",
                            status=409, field="holiday_date")
        prior = len(elections)
        d = holiday_credit(facts, holiday, worked=data.situation != "day_off", scheduled_workday=on_schedule,
                           rostered_for_holiday=data.situation == "worked_rostered", prior_elections_this_year=prior)
        answer = d.extra["answer"]
        verdict = answer["outcome"]
        if verdict == "not_covered":
            raise CompError(d.reasons[-1], field="employee")
        section, occasion = _section_of(d, data.situation)
        _check_choice(verdict, section, data, reasons, prior, elections, day)
        last_day = comp_rules.comp_day_last_day(day) if data.outcome == "comp_day" else None
        if last_day is not None and last_day < today:
            days, _ = comp_rules.comp_day_window(day)
            raise CompError(f"the {days} days following the holiday ended on {last_day}: a compensatory day can no "
                            f"longer be taken within them; record pay (Sec. {section}).", field="outcome")
        cites = [f"Sec. {section}", *(c for c in d.citations if c in ("Sec. 10.2", "Sec. 10.6.A", "Sec. 10.9"))]
        cite = ", ".join(dict.fromkeys(cites))
        explanation = " ".join(d.reasons)
        entry = None
        if data.outcome == "comp_day":
            try:
                entry = ledger_post(
                    employee=employee, leave=Leave.HOLIDAY, kind=Kind.EARNED, micro=d.value, effective_date=day,
                    cite=cite, key=f"comp-day:{employee.pk}:{day.isoformat()}", by=by, channel=channel,
                    reason=(f"compensatory day for {holiday.name} {day} ({SITUATIONS[data.situation].split(' (')[0]}), "
                            f"{hours_str(d.value)} h, to be taken by {last_day}"
                            + (f"; occasion {occasion} of {day.year}" if occasion else "")),
                    earned_year=day.year)
            except AdjustmentInvalid as exc:
                raise CompError(str(exc)) from None
        occ = HolidayOccasion.objects.create(
            employee=employee, holiday_date=day, holiday_name=holiday.name, year=day.year, section=section,
            occasion=occasion, outcome=data.outcome, chosen_by=data.chosen_by, decided_by=by, reasons=reasons,
            micro=d.value, last_day=last_day, cite=cite, explanation=explanation, entry=entry, recorded_by=by,
            recorded_at=timezone.now())
        record_access(actor=by, subject=employee, object_type="holiday_occasion", object_id=occ.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"{holiday.name} {day}: {occ.get_outcome_display()} (Sec. {section}), chosen by "
                             f"{data.chosen_by}")
        if employee.user_id:
            what = (f"a compensatory day ({hours_str(d.value)} h) to take by {last_day}" if entry is not None
                    else "a day's pay")
            notify(user=employee.user, subject=f"{holiday.name} {day}: {what}",
                   body=f"Recorded by {by.get_full_name() or by.username}: {what} ({cite}). {explanation}",
                   url=f"/employees/{employee.employee_number}/comp/")
    return occ


def _section_of(d, situation: str) -> tuple[str, int | None]:
    cites = d.citations
    if "Sec. 10.4" in cites:
        return HolidayOccasion.Section.DAY_OFF, None
    if "Sec. 10.5" in cites:
        return HolidayOccasion.Section.ELECTION, int(d.extra["answer"]["occasion"])
    return HolidayOccasion.Section.WORKED, None


def _check_choice(verdict: str, section: str, data: OccasionInput, reasons: str, prior: int,
                  elections: list[HolidayOccasion], day: dt.date) -> None:
    if verdict == "employee_elects":
        if data.chosen_by != "employee":
            raise CompError(f"occasion {prior + 1} of {day.year}: for the first occasions of a calendar year the "
                            "employee elects a day's pay or a compensatory day (Sec. 10.5); record the employee's "
                            "choice with chosen_by employee.", field="chosen_by")
        return
    if verdict == "employer_chooses":
        if data.chosen_by != "employer":
            raise CompError("a holiday on a day that is not a regular workday is paid or given as a compensatory day "
                            "at the option of the Employer (Sec. 10.4): chosen_by employer.", field="chosen_by")
        if not reasons:
            raise CompError("the Employer's option needs its reasons (Sec. 10.4), with the deciding person.",
                            field="reasons")
        return
    # verdict == "comp_day": Sec. 10.3, or Sec. 10.5 after the first occasions of the year
    if data.chosen_by == "employee":
        if section == HolidayOccasion.Section.ELECTION:
            dates = ", ".join(str(o.holiday_date) for o in elections)
            raise CompError(f"the employee's elections of {day.year} are used ({dates}): once those occasions have "
                            "passed the employee receives a compensatory day, or a day's pay only if the agency "
                            "cannot grant one (Sec. 10.5) — no election; record it with chosen_by employer.",
                            field="chosen_by")
        raise CompError("Sec. 10.3 gives the employee no election: a compensatory day, or a day's pay if the agency "
                        "cannot grant one; chosen_by employer.", field="chosen_by")
    if data.outcome == "pay" and not reasons:
        raise CompError(f"a day's pay instead of the compensatory day only if the agency cannot grant one because of a "
                        f"shortage of personnel or other reason (Sec. {section}): give the reasons.", field="reasons")


# --- comp time earned (Sec. 7.2.G) ------------------------------------------------------------------------------


@dataclass
class CompTimeInput:
    worked_on: object
    overtime_hours: object
    requested_by_employee: bool = True
    overtime_form: str = ""
    note: str = ""


def comp_time_balance(employee: Employee, on: dt.date | None = None) -> int:
    """The comp time balance (µh) at the end of ``on`` (default today), from the one balance selector."""
    on = on or clock.today()
    return balance_parts(employee, on, pending=False).get("comp_time", no_balance(Leave.COMP, on)).balance


def comp_time_earn(*, employee: Employee, data: CompTimeInput, by, channel: str = "ui") -> CompTimeEarning:
    """Credit comp time for overtime the employee asked to take as comp time (Sec. 7.2.G): the overtime × the
    contract's rate, never above the cap — what would go over it is not banked and its overtime is paid instead
    (Sec. 7.2.A), and the record says both. One transaction under a lock on the employee."""
    _check_may_record(by, employee)
    today = clock.today()
    worked_on = _day(data.worked_on, "worked_on", today)
    try:
        hours = inputs.hours(data.overtime_hours, "overtime_hours")
    except inputs.BadInput as exc:
        raise CompError(exc.message, field="overtime_hours") from None
    if hours is None or hours <= 0:
        raise CompError("give the overtime hours worked, more than zero.", field="overtime_hours")
    overtime = to_micro(hours)
    tree = default_tree()
    try:
        unit = unit_micro(tree.get("use.comp_time.charge_unit_minutes", worked_on).value)
        rate = tree.get("use.comp_time.earn_rate", worked_on)
    except ParameterError as exc:
        raise CompError(str(exc), field="worked_on") from None
    if overtime % unit:
        raise CompError(f"{hours} h: give overtime in units of {hours_str(unit)} h — comp time is kept and used in "
                        f"those increments ({rate.cite}).", field="overtime_hours")
    if data.requested_by_employee is not True:
        raise CompError("comp time in lieu of overtime pay is granted only upon the request of the employee "
                        "(Sec. 7.2.G, 7.2.C); otherwise the overtime is paid.", field="requested_by_employee")
    form = _text(data.overtime_form, "overtime_form", 60)
    note = _text(data.note, "note", 300)
    with transaction.atomic():
        _lock(employee)
        before = max(comp_time_balance(employee, today), comp_time_balance(employee, max(worked_on, today)))
        d = comp_time_earned(overtime, before, worked_on, tree)
        earned = overtime * to_micro(rate.value) // MICRO
        banked = d.value
        paid = int(d.extra["overtime_paid_micro"])
        text = " ".join(d.reasons)
        if banked == earned:
            summary = f"{hours_str(banked)} h comp time credited"
        else:
            summary = (f"{hours_str(banked)} h comp time credited, {hours_str(earned - banked)} h over the cap not "
                       f"banked: {hours_str(paid)} h of the overtime paid as overtime instead")
        n = CompTimeEarning.objects.filter(employee=employee, worked_on=worked_on).count() + 1
        entry = None
        if banked > 0:
            try:
                entry = ledger_post(
                    employee=employee, leave=Leave.COMP, kind=Kind.EARNED, micro=banked, effective_date=worked_on,
                    cite="Sec. 7.2.G", key=f"comp-time:{employee.pk}:{worked_on.isoformat()}:{n}", by=by,
                    channel=channel,
                    reason=(f"{hours_str(overtime)} h overtime on {worked_on} taken as comp time at the employee's "
                            f"request: {summary}" + (f" (overtime form {form})" if form else "")))
            except AdjustmentInvalid as exc:
                raise CompError(str(exc)) from None
        rec = CompTimeEarning.objects.create(
            employee=employee, worked_on=worked_on, overtime_micro=overtime, earned_micro=earned,
            credited_micro=banked, not_credited_micro=earned - banked, overtime_paid_micro=paid,
            balance_before_micro=before, requested_by_employee=True, overtime_form=form, note=note,
            cite=", ".join(dict.fromkeys(("Sec. 7.2.G", *d.citations))), explanation=text, entry=entry,
            recorded_by=by, recorded_at=timezone.now())
        record_access(actor=by, subject=employee, object_type="comp_time_earning", object_id=rec.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"comp time for {hours_str(overtime)} h overtime on {worked_on}: {summary}")
        if employee.user_id:
            notify(user=employee.user, subject=f"Comp time for overtime on {worked_on}",
                   body=f"{summary} (Sec. 7.2.G). {text}", url=f"/employees/{employee.employee_number}/comp/")
    return rec


# --- a compensatory day taken -----------------------------------------------------------------------------------


def comp_day_take(*, employee: Employee, on, by, note: str = "", channel: str = "ui") -> LedgerEntry:
    """Record a compensatory day off taken on ``on`` (at a time approved by the agency head, Sec. 10.3–10.5): a
    usage of the oldest compensatory day open that day, for what is left of it."""
    _check_may_record(by, employee)
    try:
        day = inputs.day(on, "date")
    except inputs.BadInput as exc:
        raise CompError(exc.message, field="date") from None
    if day is None:
        raise CompError("give the date of the day off (YYYY-MM-DD).", field="date")
    note = _text(note, "note", 300)
    with transaction.atomic():
        _lock(employee)
        days = ledger_comp.comp_days(employee, day)
        open_days = [c for c in days if c.earned_on < day <= c.last_day and c.remaining > 0]
        if not open_days:
            listing = "; ".join(f"{c.earned_on} (last day {c.last_day}, {hours_str(c.remaining)} h left)" for c in days
                                if c.remaining > 0) or "none"
            raise CompError(f"no compensatory day can be taken on {day}: open days: {listing} (Art. 10).",
                            field="date")
        lot = open_days[0]
        if LedgerEntry.objects.filter(key=ledger_comp.expiry_key(lot.entry_id)).exists():
            raise CompError(f"the compensatory day of {lot.earned_on} has already been expired by the run; HR reverses "
                            "that expiry first.", status=409, field="date")
        if LedgerEntry.objects.filter(key=f"comp-day-taken:{employee.pk}:{day.isoformat()}").exists():
            raise CompError(f"a compensatory day taken on {day} is already recorded.", status=409, field="date")
        try:
            return ledger_post(
                employee=employee, leave=Leave.HOLIDAY, kind=Kind.USAGE, micro=-lot.remaining, effective_date=day,
                cite=lot.cite.split(",")[0] or "Art. 10", key=f"comp-day-taken:{employee.pk}:{day.isoformat()}", by=by,
                channel=channel,
                reason=(f"compensatory day off taken on {day} (earned {lot.earned_on}, last day {lot.last_day})"
                        + (f": {note}" if note else "")))
        except AdjustmentInvalid as exc:
            raise CompError(str(exc)) from None


# --- the warnings and the expiry run ----------------------------------------------------------------------------


@dataclass
class WarningResult:
    on: dt.date
    dry_run: bool
    due: int = 0
    warned: int = 0
    already: int = 0
    no_account: int = 0
    micro: int = 0
    rows: list = field(default_factory=list)

    def summary(self) -> dict:
        return {"on": self.on.isoformat(), "dry_run": self.dry_run,
                f"compensatory days ending within {WARNING_DAYS} days with hours left": self.due,
                "warned now": self.warned, "warned before": self.already,
                "no sign-in to notify (recorded)": self.no_account, "hours at risk": hours_str(self.micro)}


def comp_day_warn(*, on: dt.date, dry_run: bool = False, command: str = "manage.py expire_comp_days") -> WarningResult:
    """Warn each employee once about every compensatory day whose last day is within ``WARNING_DAYS`` days of
    ``on`` and that would expire (hours left, counting days off already booked): an in-app notification, and an
    e-mail after commit. Set-based: one statement finds them (``ledger.comp_days.due_sql``), the notifications,
    the warning rows (unique per day earned: a second run sends nothing) and one access-log row per employee are
    bulk-written in one transaction."""
    result = WarningResult(on=on, dry_run=dry_run)
    rows = [r for r in ledger_comp.due_rows(on + dt.timedelta(days=WARNING_DAYS))
            if r.last_day >= on and r.expire > 0]
    result.due = len(rows)
    with transaction.atomic():
        done = set(CompDayWarning.objects.filter(entry_id__in=[r.entry_id for r in rows])
                   .values_list("entry_id", flat=True))
        todo = [r for r in rows if r.entry_id not in done]
        result.already = len(rows) - len(todo)
        result.rows = todo
        result.micro = sum(r.expire for r in todo)
        emps = Employee.objects.in_bulk([r.employee_id for r in todo])
        users = {e.pk: e.user for e in Employee.objects.filter(pk__in=list(emps)).select_related("user")
                 if e.user_id and e.user.is_active}
        result.no_account = sum(1 for r in todo if r.employee_id not in users)
        result.warned = len(todo) - result.no_account
        if dry_run or not todo:
            return result
        notes: dict[int, Notification] = {}
        mails = []
        for r in todo:
            user = users.get(r.employee_id)
            if user is None:
                continue
            left = (r.last_day - on).days
            subject = f"Compensatory day ends {r.last_day}: take it or lose it"
            body = (f"{hours_str(r.expire)} h of the compensatory day for the holiday of {r.earned_on} are not taken "
                    f"yet. Its last day is {r.last_day} ({left} day(s) from {on}); what is not taken by then expires "
                    f"(Art. 10, {r.cite}). Ask your supervisor for the day off — the agency head approves the time; "
                    "if the agency cannot grant it, a day's pay is due instead.")
            notes[r.entry_id] = Notification(user=user, subject=subject[:200], body=body,
                                             url=f"/employees/{emps[r.employee_id].employee_number}/comp/")
            if user.email:
                mails.append(mail_message(to=user.email, subject=subject, body=body, url=notes[r.entry_id].url))
        Notification.objects.bulk_create(list(notes.values()))
        CompDayWarning.objects.bulk_create([
            CompDayWarning(entry_id=r.entry_id, employee_id=r.employee_id, last_day=r.last_day, micro=r.expire,
                           sent_on=on, notification=notes.get(r.entry_id)) for r in todo])
        record_many(actor=System(command), channel=COMMAND, accesses=[
            Access(subject=emps[emp_id], object_type="comp_day_warning", object_id=emp_id, category=policy.LEAVE,
                   action=AccessLog.Action.CHANGE, fields="warning: compensatory day expiring (Art. 10)")
            for emp_id in sorted({r.employee_id for r in todo})])
        send_after_commit(mails)
    return result


__all__ = ["CompError", "CompTimeInput", "OccasionInput", "WARNING_DAYS", "comp_day_take", "comp_day_warn",
           "comp_time_earn", "holiday_occasion_record"]
