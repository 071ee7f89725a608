"""Writes: recording a separation and a return. Each is ONE transaction under a lock on the employee row:
the record, its ledger entries (through ``ledger.services.ledger_post``, each with its own access-log row), the
service history and the access-log row naming the employee. A refusal writes nothing.

* ``separation_record`` — the balances at the end of the separation date (``ledger.selectors.balance_parts``,
  the one balance read), the pure core's ``rules.separation.separation_lines``, then one cited ``PAYOUT``
  debit per leave type paid (vacation Sec. 9.11, comp time Sec. 7.2.G, the sick share Sec. 8.1.O) and, for
  the sick credits not paid, one debit that sets them aside for a reinstatement (Sec. 8.1.O, 8.1.H) — the
  statement says how many and why.
* ``return_record`` — the pure core's ``rules.separation.return_rule`` (three years, the CHRO's approval),
  a ``RESTORED`` credit of the sick leave set aside (Sec. 8.1.H), and a service break appended to the service
  history (``people.services.service_event_record``: Sec. 9.7, 9.12 give the service date of the Sec. 9.2
  band; the service start is never overwritten).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from openleave import inputs, policy
from openleave.audit.access import record_access
from openleave.audit.models import AccessLog
from openleave.ledger import selectors as ledger_selectors
from openleave.ledger import services as ledger
from openleave.ledger.models import LEAVE_BY_SLUG, Kind, LedgerEntry
from openleave.people.models import Employee, ServiceEvent
from openleave.people.services import service_event_record
from openleave.rules import separation as core
from openleave.rules.params import default_tree, figure
from openleave.rules.units import hours_str

from .errors import SeparationError
from .models import Return, Separation


class NotAllowed(PermissionError):
    """The user may see the employee but may not record a separation or a return (403)."""


def _when(user) -> str:
    return getattr(user, "display_name", lambda: str(user))()


def open_separation(employee: Employee) -> Separation | None:
    """The employee's separation that no return has closed, if any."""
    return (Separation.objects.filter(employee=employee, return_record__isnull=True)
            .select_related("recorded_by").order_by("-separation_date", "-id").first())


def _check_separation_input(employee: Employee, separation_date, reason, death_payee, hourly_rate, note):
    day = inputs.day(separation_date, "separation_date")
    if day is None:
        raise SeparationError("the date of separation is required (YYYY-MM-DD).", field="separation_date")
    reason = inputs.text(reason, "reason", max_length=16, required=True)
    if reason not in core.REASONS:
        raise SeparationError(f"{reason[:40]!r} is not a reason of separation; use one of "
                              f"{', '.join(core.REASONS)}.", field="reason")
    earliest = max(employee.original_hire_date, employee.service_start)
    if day < earliest:
        raise SeparationError(f"{day} is before the employee was hired ({earliest}).", field="separation_date")
    if day > timezone.localdate():
        raise SeparationError(f"{day} is in the future: record a separation on or after its date, when the "
                              "balances at its end are known.", field="separation_date")
    death_payee = inputs.text(death_payee, "death_payee", max_length=24)
    if reason == "death":
        death_payee = death_payee or "order_of_precedence"
        if death_payee not in core.PAYEES:
            raise SeparationError(f"{death_payee[:40]!r} is not a payee in the order of precedence; use one of "
                                  f"{', '.join(core.PAYEES)} (Sec. 9.11, 8.1.O).", field="death_payee")
    elif death_payee:
        raise SeparationError("a payee in the order of precedence is recorded on death only (Sec. 9.11, 8.1.O).",
                              field="death_payee")
    rate = inputs.money(hourly_rate, "hourly_rate")
    rate_cents = None if rate is None else int(rate * 100)
    if rate_cents == 0:
        raise SeparationError("an hourly rate of 0 pays nothing: leave it empty when the rate is not known.",
                              field="hourly_rate")
    note = inputs.text(note, "note", max_length=500)
    return day, reason, death_payee, rate_cents, note


def separation_record(*, employee: Employee, separation_date, reason, by, death_payee: str = "", hourly_rate=None,
                      note: str = "", channel: str = "ui") -> Separation:
    """Record that ``employee`` left on ``separation_date`` for ``reason``, and post the payouts.

    Refused (``SeparationError`` naming the field; nothing written): a date outside the input bounds, before
    hire or in the future; an unknown reason; a payee other than on death; an open separation (no return since);
    ledger entries dated after the separation date or hours held by pending requests (cancel or reverse them
    first). ``NotAllowed`` when ``by`` may not record it (``policy.can_record_separation``)."""
    if by is None or not policy.can_record_separation(by, employee):
        raise NotAllowed("Only HR / the Appointing Authority of the employee's agency records a separation.")
    day, reason, death_payee, rate_cents, note = _check_separation_input(
        employee, separation_date, reason, death_payee, hourly_rate, note)
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        current = open_separation(employee)
        if current is not None:
            raise SeparationError(
                f"already separated on {current.separation_date} ({current.get_reason_display().lower()}, recorded "
                f"by {_when(current.recorded_by)} on {timezone.localtime(current.recorded_at):%Y-%m-%d}): record "
                "the return before another separation.", field="separation_date", status=409)
        last_return = Return.objects.filter(employee=employee).order_by("-return_date").first()
        if last_return is not None and day < last_return.return_date:
            raise SeparationError(f"{day} is before the employee's return on {last_return.return_date}.",
                                  field="separation_date")
        later = LedgerEntry.objects.filter(employee_id=employee.pk, effective_date__gt=day).count()
        if later:
            raise SeparationError(
                f"{later} ledger entr{'y is' if later == 1 else 'ies are'} dated after {day} (leave booked for "
                "later days, or credits after it): cancel or reverse them first, so the balances at the end of "
                "the separation date are the whole balances.", field="separation_date", status=409)
        parts = ledger_selectors.balance_parts(employee, day)
        held = {p.slug: p.pending for p in parts.values() if p.pending}
        if held:
            what = ", ".join(f"{hours_str(v)} h {k}" for k, v in held.items())
            raise SeparationError(f"requests awaiting a decision hold {what}: decide or cancel them first.",
                                  field="separation_date", status=409)
        balances = {slug: p.balance for slug, p in parts.items()}
        tree = default_tree()
        lines = core.separation_lines(reason, balances, day, tree)
        others = [{"leave": slug, "balance": bal, "paid": 0, "kept": 0, "cites": [],
                   "reasons": [NOT_PAID.get(slug, "not paid on separation")]}
                  for slug, bal in balances.items() if slug not in core.PAID_LEAVES and bal]
        sep = Separation.objects.create(
            employee=employee, separation_date=day, reason=reason, death_payee=death_payee,
            hourly_rate_cents=rate_cents, note=note, recorded_by=by, recorded_at=timezone.now(),
            lines=[{"leave": ln.leave, "balance": ln.balance, "paid": ln.paid, "kept": ln.kept, "cites": list(ln.cites),
                    "reasons": list(ln.reasons)} for ln in lines] + others)
        for ln in lines:
            leave = int(LEAVE_BY_SLUG[ln.leave])
            if ln.paid:
                ledger.ledger_post(employee=employee, leave=leave, kind=Kind.PAYOUT, micro=-ln.paid, effective_date=day,
                                   cite=ln.cites[0], reason=f"{sep.get_reason_display()}: {ln.reasons[0]}",
                                   key=f"separation:{sep.pk}:payout:{ln.leave}", by=by, channel=channel)
            if ln.kept:
                why = ("not paid (Sec. 8.1.O): set aside, credited again on reinstatement or re-employment "
                       "(Sec. 8.1.H)") if reason != "death" else "not paid on death (Sec. 8.1.O)"
                ledger.ledger_post(employee=employee, leave=leave, kind=Kind.ADJUSTMENT, micro=-ln.kept,
                                   effective_date=day, cite=", ".join(ln.cites),
                                   reason=f"{sep.get_reason_display()}: {hours_str(ln.kept)} h sick leave {why}",
                                   key=f"separation:{sep.pk}:set_aside:{ln.leave}", by=by, channel=channel)
        Employee.objects.filter(pk=employee.pk).update(separation_date=day)
        employee.separation_date = day
        record_access(actor=by, subject=employee, object_type="separation", object_id=sep.pk, category=policy.LEAVE,
                      channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"separation {day} ({reason}); payouts posted")
    return sep


NOT_PAID = {
    "personal": "not paid: the Agreement provides no payment of personal leave on separation (Sec. 8.2)",
    "emergency_day": "not paid: the MOU provides no payment of the emergency day on separation",
    "holiday": "not paid by this statement: payment instead of a compensatory day that cannot be granted is the "
               "Appointing Authority's finding (Sec. 10.3–10.5)",
}


def _check_return_input(sep: Separation, return_date, kind, approved_by, approved_on, cause, reasons):
    day = inputs.day(return_date, "return_date")
    if day is None:
        raise SeparationError("the date of return is required (YYYY-MM-DD).", field="return_date")
    if day <= sep.separation_date:
        raise SeparationError(f"{day} is not after the separation on {sep.separation_date}.", field="return_date")
    if day > timezone.localdate():
        raise SeparationError(f"{day} is in the future: record a return on or after its date.", field="return_date")
    kind = inputs.text(kind, "kind", max_length=16) or "reinstated"
    if kind not in core.RETURN_KINDS:
        raise SeparationError(f"{kind[:40]!r} is not a kind of return; use one of {', '.join(core.RETURN_KINDS)}.",
                              field="kind")
    approved_by = inputs.text(approved_by, "chro_approved_by", max_length=200)
    approved_on = inputs.day(approved_on, "chro_approved_on")
    cause = inputs.text(cause, "chro_cause", max_length=24)
    reasons = inputs.text(reasons, "chro_reasons", max_length=500)
    given = [bool(approved_by), approved_on is not None, bool(cause)]
    if any(given) and not all(given):
        missing = [f for f, g in zip(("chro_approved_by", "chro_approved_on", "chro_cause"), given, strict=True) if not g]
        raise SeparationError("the Chief Human Resources Officer's approval needs who approved, the date and the "
                              "cause (Sec. 8.1.H, 9.12).", field=missing[0])
    if cause and cause not in core.APPROVAL_CAUSES:
        raise SeparationError(f"{cause[:40]!r} is not a cause the CHRO may approve; use one of "
                              f"{', '.join(core.APPROVAL_CAUSES)} (Sec. 8.1.H.1–3, 9.12.1–3).", field="chro_cause")
    if approved_on is not None and not sep.separation_date < approved_on <= timezone.localdate():
        raise SeparationError(f"{approved_on} is not between the separation ({sep.separation_date}) and today.",
                              field="chro_approved_on")
    return day, kind, approved_by, approved_on, cause, reasons


def return_record(*, separation: Separation, return_date, by, kind: str = "reinstated", chro_approved_by: str = "",
                  chro_approved_on=None, chro_cause: str = "", chro_reasons: str = "",
                  channel: str = "ui") -> Return:
    """Record the employee's return after ``separation``: restore the sick credits set aside (Sec. 8.1.H) and the
    prior service for vacation status (Sec. 9.7, 9.12).

    After an absence of three years or more (the parameters), only with the CHRO's approval recorded here
    (who, when, the cause, reasons); without it the return is refused and nothing is written — a person
    re-employed without the prior credits is a new hire, not a return."""
    employee = separation.employee
    if by is None or not policy.can_record_separation(by, employee):
        raise NotAllowed("Only HR / the Appointing Authority of the employee's agency records a return.")
    if separation.reason == "death":
        raise SeparationError("a separation by death has no return.", field="return_date", status=409)
    day, kind, approved_by, approved_on, cause, reasons = _check_return_input(
        separation, return_date, kind, chro_approved_by, chro_approved_on, chro_cause, chro_reasons)
    rule = core.return_rule(separation.separation_date, day, bool(approved_by), default_tree())
    if not rule.long_absence and approved_by:
        raise SeparationError(f"an absence of less than {figure(rule.sick_years)} years needs no approval of the Chief "
                              f"Human Resources Officer ({', '.join(rule.cites)}): leave the approval empty.",
                              field="chro_approved_by")
    if rule.long_absence and not rule.credited:
        raise SeparationError(" ".join(rule.reasons) + ": record the approval (who approved, the date, the cause), "
                              "or record a new hire instead.", field="chro_approved_by", status=422)
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        if Return.objects.filter(separation=separation).exists():
            raise SeparationError(f"the return after the separation of {separation.separation_date} is already "
                                  "recorded.", field="return_date", status=409)
        later = LedgerEntry.objects.filter(employee_id=employee.pk, effective_date__gt=day).exists()
        if later:
            raise SeparationError(f"ledger entries are dated after {day}: a return is recorded before later entries.",
                                  field="return_date", status=409)
        kept = int(separation.line("sick").get("kept", 0))
        event = service_event_record(
            employee=employee, kind=ServiceEvent.Kind.BREAK, left=separation.separation_date, returned=day,
            prior_service_approved=rule.long_absence and rule.credited, by=by, cite=", ".join(rule.cites)[:80],
            reason=f"{core.RETURN_KINDS[kind]} {day} after {separation.get_reason_display().lower()} "
                   f"{separation.separation_date}: " + " ".join(rule.reasons))
        ret = Return.objects.create(
            separation=separation, employee=employee, return_date=day, kind=kind, long_absence=rule.long_absence,
            chro_approved_by=approved_by, chro_approved_on=approved_on, chro_cause=cause, chro_reasons=reasons,
            sick_restored_micro=kept, service_event=event, reasons=list(rule.reasons), cites=", ".join(rule.cites),
            recorded_by=by, recorded_at=timezone.now())
        if kept:
            ledger.ledger_post(
                employee=employee, leave=int(LEAVE_BY_SLUG["sick"]), kind=Kind.RESTORED, micro=kept, effective_date=day,
                cite="Sec. 8.1.H" if not rule.long_absence else "Sec. 8.1.H, CHRO approval",
                reason=(f"{core.RETURN_KINDS[kind]}: the {hours_str(kept)} h of sick leave credits held at the "
                        f"separation of {separation.separation_date} credited again")
                       + (f" with the approval of {approved_by} on {approved_on}" if rule.long_absence else ""),
                key=f"separation:{separation.pk}:restored:sick", by=by, channel=channel)
        Employee.objects.filter(pk=employee.pk).update(separation_date=None)
        employee.separation_date = None
        record_access(actor=by, subject=employee, object_type="separation_return", object_id=ret.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"return {day} after the separation of {separation.separation_date}"
                             + ("; CHRO approval recorded" if rule.long_absence else ""))
    return ret
