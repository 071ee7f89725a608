"""Reconsideration of a decision and the grievance outcomes HR records (Art. 23). One transaction each.

* ``decision_reconsider`` — a decider (``policy.can_decide``) gives reasons and a new outcome: a NEW
  ``Decision`` that ``reconsiders`` the current one, which stays exactly as it was. The contract's check is
  run again at that time (the request's own charges given back to the balance first) and kept on the new
  decision (``finding_at_reconsideration``). The ledger follows, never edited: hours approved beyond the
  charges already fixed are debited (one more ``RequestCharge`` and usage entry, keyed by the new
  decision); fewer hours reverse the type's live debits (cited reversals) and debit the new figure.
* ``grievance_outcome_record`` — HR / the Appointing Authority records the outcome of a grievance over a
  decision or a ledger entry (a forfeiture, an adjustment) or another act: result, step, date, reference,
  text. A sustained or modified outcome may order a correction: the denied hours approved (through the
  reconsideration above, decided as the grievance outcome), credits restored (a cited ``RESTORED`` entry)
  or an adjustment reversed (a cited reversal). The same outcome recorded twice is refused (409).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from openleave import policy
from openleave.audit.access import record_access
from openleave.audit.models import AccessLog
from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import AdjustmentInvalid, ledger_post, ledger_reverse
from openleave.people.models import Employee
from openleave.rules.params import ParameterError, default_tree
from openleave.rules.requests import Finding, RequestError, check_request
from openleave.rules.units import InexactHours, hours_str, to_micro

from . import selectors as sel
from .errors import AlreadyDecided, LeaveError, NotDecider
from .ledger_posting import LEDGER_LEAVE, decision_usage_key, post_usage, reverse_key
from .models import KIND_LABELS, Decision, GrievanceOutcome, LeaveRequest, RequestCharge
from .services import (
    DECISION_TEXT_MAX,
    OUTCOMES,
    _days,
    _decimal,
    _eligible,
    _input_of,
    _overlap,
    _span,
    _text,
    finding_json,
    notify,
)

S = LeaveRequest.Status
RECONSIDERABLE = (S.APPROVED, S.PARTLY_APPROVED, S.DENIED, S.TAKEN)
ART_23 = "Art. 23"
STEP_CITES = {
    "I": "Sec. 23.2 Step I", "II": "Sec. 23.2 Step II", "III": "Sec. 23.2 Step III",
    "IV": "Sec. 23.2 Step IV, Sec. 23.6",
}
REFERENCE_MAX = 80
OUTCOME_TEXT_MAX = 4000


# --- reconsideration ---------------------------------------------------------------------------

def _live_charges(req: LeaveRequest) -> dict[str, list[RequestCharge]]:
    out: dict[str, list[RequestCharge]] = defaultdict(list)
    for c in RequestCharge.objects.filter(request=req, reversed_at__isnull=True).order_by("id"):
        out[c.leave_type].append(c)
    return out


def _rerun(employee: Employee, req: LeaveRequest, live: dict[str, list[RequestCharge]],
           hours: Decimal | None = None) -> tuple[Finding, object, dict[str, int]]:
    """The contract's check of the request now, its own live charges given back to the balances first (they are
    what the reconsideration replaces). Returns the finding, the context and the balances without the give-back."""
    data = _input_of(req)
    _eligible(employee, data)
    ctx = sel.rule_context(employee, data.kind, data.start_date, data.end_date, data.facts, exclude=req.pk,
                           now=timezone.localtime())
    before = dict(ctx.balances)
    back = {t: sum(c.micro for c in cs) for t, cs in live.items() if t in LEDGER_LEAVE}
    ctx = replace(ctx, balances={t: b + back.get(t, 0) for t, b in ctx.balances.items()})
    try:
        finding = check_request(employee.facts(), data.ask(hours), ctx, default_tree())
    except (RequestError, InexactHours, ParameterError) as exc:
        msg = str(exc)
        raise LeaveError(msg[:1].upper() + msg[1:] + ("" if msg.endswith(".") else "."), field="outcome") from None
    return finding, ctx, before


def _approved(req: LeaveRequest, outcome: str, approved_hours, finding: Finding, employee, live):
    """The hours the new outcome approves, checked against the contract now (a partial approval is checked
    again at its own hours). Returns (micro-hours, finding)."""
    if outcome == "denied":
        return 0, finding
    if outcome == "approved":
        if finding.allowed_micro < req.requested_micro:
            raise LeaveError(f"The contract now allows {hours_str(finding.allowed_micro)} of "
                             f"{hours_str(req.requested_micro)} h: approve in part with a ground, or deny.",
                             field="outcome")
        return finding.allowed_micro, finding
    if approved_hours in (None, ""):
        raise LeaveError("Give the hours you approve.", field="approved_hours")
    try:
        approved = to_micro(_decimal(approved_hours, "approved_hours"))
    except InexactHours:
        raise LeaveError(f"{approved_hours!r} is not a number of hours.", field="approved_hours") from None
    if not 0 < approved < req.requested_micro:
        raise LeaveError(f"A partial approval is more than 0 and less than the {hours_str(req.requested_micro)} h "
                         "asked.", field="approved_hours")
    if approved > finding.allowed_micro:
        raise LeaveError(f"The contract now allows at most {hours_str(finding.allowed_micro)} h of this request.",
                         field="approved_hours")
    if approved < finding.allowed_micro:
        finding, _, _ = _rerun(employee, req, live, hours=Decimal(approved) / 1_000_000)
    return finding.allowed_micro, finding


def _post_charges(req: LeaveRequest, new: Decision, charges: dict[str, int], live: dict[str, list[RequestCharge]],
                  *, user, channel: str, why: str) -> None:
    """Move the request's live charges to ``charges`` (leave type → micro-hours), never editing a ledger line:
    more hours are debited by one more charge; fewer reverse the type's live debits and debit the new figure."""
    now = timezone.now()
    label = req.visible_kind if req.protected else req.kind_label
    cite = f"{ART_23}, decision {new.pk}"

    def charge(t: str, m: int) -> None:
        key = ""
        if t in LEDGER_LEAVE:
            entry = post_usage(employee=req.employee, request_id=req.pk, leave_type=t, micro=m, day=req.start_date,
                               label=f"{label} ({why})", by=user, channel=channel,
                               key=decision_usage_key(req.pk, t, new.pk), cite=ART_23)
            key = entry.key or ""
        RequestCharge.objects.create(request=req, decision=new, leave_type=t, micro=m, ledger_key=key)

    for t in sorted(set(charges) | set(live)):
        want, have = charges.get(t, 0), sum(c.micro for c in live.get(t, []))
        if want > have:
            charge(t, want - have)
        elif want < have:
            for c in live[t]:
                rkey = ""
                if c.ledger_key:
                    rev = reverse_key(key=c.ledger_key, by=user, channel=channel,
                                      reason=f"request {req.pk} reconsidered by decision {new.pk} ({ART_23}): {why}")
                    rkey = rev.key if rev is not None else ""
                c.reversed_at, c.reversal_key, c.reversal_cite = now, rkey, cite
                c.save(update_fields=["reversed_at", "reversal_key", "reversal_cite"])
            if want:
                charge(t, want)


def _reconsider(req: LeaveRequest, *, user, outcome: str, approved_hours, grounds: list[str], text: str,
                decided_as: str, channel: str, why: str, expect: Decision | None = None) -> Decision:
    """Under the caller's transaction: lock the employee and the request, re-run the contract, write the new
    decision, move the charges and tell the employee."""
    employee = (Employee.objects.select_for_update(of=("self",)).select_related("agency", "pay_calendar", "user")
                .get(pk=req.employee_id))
    req = LeaveRequest.objects.select_for_update(of=("self",)).get(pk=req.pk)
    req.employee = employee
    if req.status not in RECONSIDERABLE:
        raise LeaveError(f"This request is {req.get_status_display().lower()}: there is no decision to reconsider.",
                         status=409, field="outcome")
    current = Decision.objects.filter(request=req, reconsidered_by__isnull=True).order_by("-id").first()
    if current is None:
        raise LeaveError("This request has no decision to reconsider.", status=409)
    if expect is not None and expect.pk != current.pk:
        raise AlreadyDecided(f"Decision {expect.pk} was superseded by decision {current.pk}: reconsider the "
                             "current decision.")
    live = _live_charges(req)
    finding, ctx, before = _rerun(employee, req, live)
    approved, finding = _approved(req, outcome, approved_hours, finding, employee, live)
    charges = finding.charge_totals() if approved else {}
    for t, m in charges.items():  # belt and braces: what is charged beyond the live charges must be available
        more = m - sum(c.micro for c in live.get(t, []))
        if t in before and more > 0 and more > before[t]:
            raise LeaveError(f"Not enough {sel.LEDGER_NAMES[t].lower()}: {hours_str(more)} h more asked, "
                             f"{hours_str(max(before[t], 0))} h available (Sec. 8.1.N).", field="outcome")
    if approved:
        clash = _overlap(employee, _input_of(req), _days(finding.days, approved), ctx.holidays, user=user,
                         exclude=req.pk, statuses=sel.DECIDED_WITH_LEAVE)
        if clash is not None:
            raise clash
    table = {g["code"]: g for g in req.finding_at_submission.get("grounds", [])}
    try:
        with transaction.atomic():  # the one-to-one ``reconsiders``: a second reconsideration of it is refused
            new = Decision.objects.create(
                request=req, reconsiders=current, outcome=outcome, approved_micro=approved,
                grounds=[table[g] for g in grounds], text=text, decided_by=user,
                decided_by_label=f"{user.display_name()} ({user.username})", decided_as=decided_as,
                decided_at=timezone.now(), finding_at_reconsideration=finding_json(finding))
    except IntegrityError:
        raise AlreadyDecided("This decision was reconsidered in the meantime; reload it.") from None
    status = S.TAKEN if req.status == S.TAKEN and approved else outcome
    LeaveRequest.objects.filter(pk=req.pk).update(
        status=status, approved_micro=approved, days=_days(finding.days, approved) if approved else {})
    _post_charges(req, new, charges, live, user=user, channel=channel, why=why)
    record_access(actor=user, subject=employee, object_type="leave_decision", object_id=new.pk,
                  category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                  fields=f"request {req.pk} reconsidered ({why}): decision {current.pk} {current.outcome} "
                         f"{hours_str(current.approved_micro)} h → {outcome} {hours_str(approved)} h")
    words = {"approved": "approved", "partly_approved": "partly approved", "denied": "denied"}[outcome]
    notify(user=employee.user, request=req, subject="The decision on your leave request was reconsidered",
           body=f"Your request for {KIND_LABELS[req.kind]} on {_span(req)} was reconsidered ({why}) by "
                f"{new.decided_by_label}: now {words}, {hours_str(approved)} of {hours_str(req.requested_micro)} h "
                f"(before: {hours_str(current.approved_micro)} h). Reasons: {text}",
           url=f"/leave/requests/{req.pk}/")
    return new


def decision_reconsider(*, request_id: int, user, outcome: str, text: str, approved_hours=None,
                        grounds: list[str] | None = None, decision_id: int | None = None,
                        channel: str = "ui") -> Decision:
    """A decider reconsiders the current decision of a request: reasons (required) and a new outcome (approve,
    approve in part, deny). ``decision_id``: the decision the decider saw — refused when it was superseded."""
    req = sel.request_for(user, request_id)  # NotVisible → 404
    if not policy.can_decide(user, req):
        raise NotDecider("Only the employee's supervisor or the agency's Appointing Authority / HR may reconsider "
                         "this decision.")
    if outcome not in OUTCOMES:
        raise LeaveError(f"Choose approve, approve in part or deny (got {outcome!r}).", field="outcome")
    if outcome != "approved" and req.visible_kind == "protected leave" and not policy.sees_everything(user, req):
        raise NotDecider("Protected leave is denied or partly approved only by the Appointing Authority / HR.")
    text = _text(text, "text", DECISION_TEXT_MAX)
    if not text or len(text) < 10:
        raise LeaveError("Give the reasons for the reconsideration in your own words (at least 10 characters).",
                         field="text")
    grounds = [str(g) for g in (grounds or []) if g]
    offered = {g["code"] for g in req.finding_at_submission.get("grounds", [])}
    if outcome != "approved" and not grounds:
        raise LeaveError("A denial or partial approval needs a ground from the contract.", field="grounds")
    unknown = [g for g in grounds if g not in offered]
    if unknown:
        raise LeaveError(f"Not a ground the contract gives for this kind of leave: {', '.join(unknown)}.",
                         field="grounds")
    expect = None
    if decision_id not in (None, ""):
        expect = Decision.objects.filter(pk=decision_id, request_id=req.pk).first()
        if expect is None:
            raise LeaveError(f"Decision {decision_id} is not a decision of request {req.pk}.", field="decision_id",
                             status=404)
    with transaction.atomic():
        return _reconsider(req, user=user, outcome=outcome, approved_hours=approved_hours, grounds=grounds,
                           text=text, decided_as=sel.decider_role(user, req), channel=channel, why="reconsideration",
                           expect=expect)


def decision_chain(req: LeaveRequest) -> list[Decision]:
    """The request's decisions, first to current (a read: the caller logs it with the request)."""
    return list(Decision.objects.filter(request=req).order_by("id"))


# --- grievance outcomes ------------------------------------------------------------------------

def _refuse(message: str, field: str | None = None, status: int = 400):
    raise LeaveError(message, field=field, status=status)


def grievance_outcome_record(*, employee: Employee, user, result: str, step: str, decided_on, reference: str,
                             text: str, decision_id: int | None = None, ledger_entry_id: int | None = None,
                             act: str = "", correction: str = "none", correction_hours=None,
                             channel: str = "ui") -> GrievanceOutcome:
    """HR / the Appointing Authority records a grievance outcome (Art. 23) and, when it orders one, the
    correction: in one transaction, with the access-log row and the member told after commit."""
    R, C = GrievanceOutcome.Result, GrievanceOutcome.Correction
    if not policy.can_view(user, employee, policy.LEAVE):
        raise policy.NotVisible()
    if not policy.can_record_grievance_outcome(user, employee):
        raise NotDecider("Only HR / the Appointing Authority of the employee's agency records a grievance outcome.")
    if result not in R.values:
        _refuse(f"Choose the outcome: {', '.join(R.values)} (got {result!r}).", "result")
    if step not in GrievanceOutcome.Step.values:
        _refuse(f"Choose the step: I, II, III or IV (arbitration) (got {step!r}).", "step")
    decided_on = _checked_day(decided_on)
    reference = _text(reference, "reference", REFERENCE_MAX)
    text = _text(text, "text", OUTCOME_TEXT_MAX)
    act = _text(act, "act", 300)
    if not reference:
        _refuse("Give the grievance's reference (its number or docket).", "reference")
    if not text or len(text) < 10:
        _refuse("Give the outcome's text (at least 10 characters).", "text")
    if correction not in C.values:
        _refuse(f"Choose the correction: {', '.join(C.values)} (got {correction!r}).", "correction")
    if correction != C.NONE and result not in (R.SUSTAINED, R.MODIFIED):
        _refuse(f"A {result} grievance orders no correction: only a sustained or modified outcome does.",
                "correction")
    decision = entry = None
    if decision_id not in (None, ""):
        decision = (Decision.objects.select_related("request").filter(pk=decision_id, request__employee=employee)
                    .first())
        if decision is None:
            _refuse(f"Decision {decision_id} is not a decision on {employee.name}'s leave.", "decision_id", 404)
    if ledger_entry_id not in (None, ""):
        entry = (LedgerEntry.objects.select_related("employee__pay_calendar")
                 .filter(pk=ledger_entry_id, employee_id=employee.pk).first())
        if entry is None:
            _refuse(f"Ledger entry {ledger_entry_id} is not an entry of {employee.name}'s ledger.", "ledger_entry_id",
                    404)
    if sum(x is not None for x in (decision, entry)) + bool(act) != 1:
        _refuse("Name the one act grieved: a decision, a ledger entry, or another act in words.", "decision_id")
    if correction == C.APPROVE and decision is None:
        _refuse("Approving the denied hours corrects a decision: name the decision grieved.", "correction")
    if correction in (C.RESTORE, C.REVERSE) and entry is None:
        _refuse("Restoring credits or reversing an adjustment corrects a ledger entry: name it.", "correction")
    if correction == C.RESTORE and entry.kind != Kind.FORFEITURE:
        _refuse(f"Entry {entry.pk} is {entry.get_kind_display().lower()}, not a forfeiture: nothing to restore.",
                "correction")
    if correction == C.REVERSE and entry.kind != Kind.ADJUSTMENT:
        _refuse(f"Entry {entry.pk} is {entry.get_kind_display().lower()}, not an adjustment: a leave request's "
                "charge is corrected through its decision.", "correction")
    micro = 0
    if correction_hours not in (None, ""):
        try:
            micro = to_micro(_decimal(correction_hours, "correction_hours"))
        except InexactHours:
            _refuse(f"{correction_hours!r} is not a number of hours.", "correction_hours")
        if micro <= 0:
            _refuse("The hours ordered must be more than zero.", "correction_hours")
    label = f"grievance {reference}, {STEP_CITES[step]}, {result}"
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=employee.pk).first()
        same = GrievanceOutcome.objects.filter(employee=employee, step=step, decision=decision, ledger_entry=entry,
                                               **({"act": act} if act else {})).first()
        dup = same or GrievanceOutcome.objects.filter(employee=employee, reference=reference, step=step).first()
        if dup is not None:
            raise AlreadyDecided(f"An outcome at {STEP_CITES[step]} is already recorded for this grievance "
                                 f"(outcome {dup.pk}, reference {dup.reference}, {dup.get_result_display().lower()}, "
                                 f"{dup.decided_on}); nothing was recorded again.")
        new_decision = new_entry = None
        if correction == C.APPROVE:
            req = decision.request
            partial = result == R.MODIFIED and micro and micro < req.requested_micro
            new_decision = _reconsider(
                req, user=user, outcome="partly_approved" if partial else "approved",
                approved_hours=Decimal(micro) / 1_000_000 if partial else None, grounds=[],
                text=f"Grievance outcome ({label}, {ART_23}): {text}", decided_as=Decision.As.GRIEVANCE,
                channel=channel, why=f"grievance outcome, {label}")
            micro = new_decision.approved_micro
        elif correction == C.RESTORE:
            most = -entry.micro
            micro = micro or most
            if micro > most:
                _refuse(f"Entry {entry.pk} forfeited {hours_str(most)} h: restore at most that.", "correction_hours")
            new_entry = ledger_post(
                employee=employee, leave=entry.leave, kind=Kind.RESTORED, micro=micro, effective_date=entry.effective_date,
                cite=f"{ART_23}, {STEP_CITES[step]}", key=f"grievance-restore:{entry.pk}",
                reason=f"restores {hours_str(micro)} h of {Leave(entry.leave).label} forfeited by entry {entry.pk}: "
                       f"{label}", by=user, channel=channel, earned_year=entry.vintage)
        elif correction == C.REVERSE:
            if micro and micro != abs(entry.micro):
                _refuse(f"An adjustment is reversed whole ({hours_str(abs(entry.micro))} h); for a part, record the "
                        "outcome and post a cited adjustment.", "correction_hours")
            if LedgerEntry.objects.filter(reverses=entry).exists():
                _refuse(f"Entry {entry.pk} is already reversed.", "correction", 409)
            new_entry = ledger_reverse(entry=entry, reason=f"{label} ({ART_23})", by=user, channel=channel)
            micro = abs(entry.micro)
        try:
            with transaction.atomic():
                outcome = GrievanceOutcome.objects.create(
                    employee=employee, decision=decision, ledger_entry=entry, act=act, result=result, step=step,
                    decided_on=decided_on, reference=reference, text=text, correction=correction,
                    correction_micro=micro, correction_decision=new_decision, correction_entry=new_entry,
                    recorded_by=user, recorded_at=timezone.now())
        except IntegrityError:
            raise AlreadyDecided("This outcome was recorded in the meantime; nothing was recorded again.") from None
        record_access(actor=user, subject=employee, object_type="grievance_outcome", object_id=outcome.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"{label}; correction: {correction}" + (f" {hours_str(micro)} h" if micro else ""))
        done = {C.NONE: "", C.APPROVE: f" The hours are approved: {hours_str(micro)} h charged as decided.",
                C.RESTORE: f" {hours_str(micro)} h of credits are restored to your ledger.",
                C.REVERSE: " The adjustment is reversed in your ledger."}[correction]
        notify(user=employee.user, request=decision.request if decision else None,
               subject=f"Grievance outcome recorded: {outcome.get_step_display()}, {outcome.get_result_display()}",
               body=f"{user.display_name()} recorded the outcome of grievance {reference} "
                    f"({STEP_CITES[step]}, {decided_on}): {outcome.get_result_display().lower()}.{done}",
               url=f"/leave/requests/{decision.request_id}/" if decision else "/leave/")
    return outcome


def _checked_day(value) -> dt.date:
    from openleave import inputs

    try:
        day = inputs.day(value, "decided_on")
    except inputs.BadInput as exc:
        raise LeaveError(f"decided_on: {exc.message}", field="decided_on") from None
    if day is None:
        raise LeaveError("Give the date of the outcome.", field="decided_on")
    if day > timezone.localdate():
        raise LeaveError(f"The outcome's date ({day}) is in the future.", field="decided_on")
    return day


def outcomes_of(employee: Employee) -> list[GrievanceOutcome]:
    return list(GrievanceOutcome.objects.filter(employee=employee).select_related("recorded_by").order_by("id"))


__all__ = ["decision_reconsider", "decision_chain", "grievance_outcome_record", "outcomes_of", "AdjustmentInvalid"]
