"""Writes: check (no write), submit, decide, cancel/correct, mark taken, record an absence. One transaction each.

* ``leave_request_submit`` locks the employee row (``select_for_update``) before reading balances
  and earlier requests, so two submissions for the same employee are checked one after the other
  and can never overdraw: the second sees the first's reservation.
* ``leave_request_decide`` moves the status with a conditional UPDATE (``status = submitted``): a
  request is decided once; a second decider gets ``AlreadyDecided``.
* Charges are fixed at decision (``RequestCharge``) and ledger credits are debited then, keyed per
  request and leave type; a cancellation or correction is an explicit, cited reversal.
* A scheduled hour is covered by at most one live request (``overlap.overlapping``): checked in submit
  under the same employee lock as the balance, and again when a request is approved; the second request
  for the same hours gets ``Overlap`` (409) naming the first. The check shows it as a finding.
* A union-leave request of a purpose with a union-wide limit (Art. 5) takes that limit's lock
  (``union_limits.lock``: a PostgreSQL advisory lock) after the employee's, before the usage across all
  members is read: two members racing for the last days are checked one after the other.
* Notifications are written in the same transaction; e-mail goes out only after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone

from openleave import inputs, kinds, policy
from openleave.accounts import roles as R
from openleave.accounts.models import User
from openleave.audit.access import COMMAND, Access, System, record_access, record_many
from openleave.audit.models import AccessLog
from openleave.ledger.models import LEAVE_SLUGS
from openleave.people.models import Employee
from openleave.rules import provenance
from openleave.rules.params import ParameterError, default_tree
from openleave.rules.requests import KINDS, Finding, LeaveAsk, RequestError, check_request
from openleave.rules.schedule import micro_by_day
from openleave.rules.units import InexactHours, hours_str, to_micro

from . import selectors as sel
from . import union_limits
from .errors import AlreadyDecided, LeaveError, NotDecider, Overlap
from .ledger_posting import LEDGER_LEAVE, post_usage, reverse_key
from .models import (
    KIND_LABELS,
    Absence,
    AutoApproval,
    Decision,
    LeaveRequest,
    Notification,
    RequestCharge,
    StateOfEmergency,
)
from .overlap import overlapping

S = LeaveRequest.Status
NOTE_MAX = 300  # Absence.note, StateOfEmergency.reason: longer text is refused, never cut
CLOSE_REASON_MAX = 300  # LeaveRequest.close_reason (500) also carries "replaced by request N" and the ledger reason
CITE_MAX = 120  # RequestCharge.reversal_cite
DECISION_TEXT_MAX = 4000


# --- input -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestInput:
    """What the employee asks for, parsed and checked for shape (not yet against the contract)."""

    kind: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    hours: Decimal | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def ask(self, hours: Decimal | None = None) -> LeaveAsk:
        start: dt.date | dt.datetime = self.start_date
        end: dt.date | dt.datetime = self.end_date
        if self.start_time is not None:
            start = dt.datetime.combine(self.start_date, self.start_time)
        if self.end_time is not None:
            end = dt.datetime.combine(self.end_date, self.end_time)
        if isinstance(start, dt.datetime) and not isinstance(end, dt.datetime):
            end = dt.datetime.combine(self.end_date + dt.timedelta(days=1), dt.time())
        if isinstance(end, dt.datetime) and not isinstance(start, dt.datetime):
            start = dt.datetime.combine(self.start_date, dt.time())
        kw = kinds.ask_facts(self.kind, self.facts)
        return LeaveAsk(kind=self.kind, start=start, end=end, hours=hours if hours is not None else self.hours, **kw)


def _checked(parse, value, name: str, **kw):
    """One value through the shared input layer (``openleave.inputs``); a bad one is a LeaveError on its field."""
    try:
        return parse(value, name, **kw)
    except inputs.BadInput as exc:
        raise LeaveError(f"{name}: {exc.message}", field=name) from None


def _date(value, name: str) -> dt.date | None:
    return _checked(inputs.day, value, name)


def _time(value, name: str) -> dt.time | None:
    return _checked(inputs.time_of_day, value, name)


def _decimal(value, name: str) -> Decimal | None:
    return _checked(inputs.hours, value, name)


def _text(value, name: str, max_length: int) -> str:
    return _checked(inputs.text, value, name, max_length=max_length)


def clean_facts(kind: str, raw, on: dt.date | None = None) -> dict[str, Any]:
    """The facts of a request of ``kind`` → their JSON form, through the one parser derived from the kinds'
    declarations (``openleave.kinds.parse_facts``); a bad fact is a LeaveError naming it."""
    try:
        return kinds.parse_facts(kind, raw, on)
    except inputs.BadInput as exc:
        raise LeaveError(str(exc), field=exc.field) from None


def parse_input(data: dict) -> RequestInput:
    """A request from a form or the API → RequestInput, with specific messages for each bad field."""
    kind = (data.get("kind") or "").strip()
    if kind not in KINDS:
        raise LeaveError(f"Choose a kind of leave ({', '.join(KINDS)}).", field="kind")
    start = _date(data.get("start_date"), "start_date")
    end = _date(data.get("end_date"), "end_date") or start
    if start is None:
        raise LeaveError("Give the first day of the leave.", field="start_date")
    if end < start:
        raise LeaveError(f"The leave ends ({end}) before it starts ({start}).", field="end_date")
    st, et = _time(data.get("start_time"), "start_time"), _time(data.get("end_time"), "end_time")
    if st and et and start == end and et <= st:
        raise LeaveError(f"The leave ends ({et:%H:%M}) before it starts ({st:%H:%M}).", field="end_time")
    hours = _decimal(data.get("hours"), "hours")
    if hours is not None and hours <= 0:
        raise LeaveError("The hours asked must be more than zero.", field="hours")
    if (end - start).days > 366:
        raise LeaveError("A request covers at most one year; make separate requests.", field="end_date")
    facts = clean_facts(kind, data.get("facts") or {}, start)
    return RequestInput(kind, start, end, st, et, hours, facts)


# --- checking ----------------------------------------------------------------------------------

def _eligible(employee: Employee, data: RequestInput) -> None:
    if employee.status == Employee.Status.CONTRACTOR:
        raise LeaveError("Contractors are not covered by the Agreement (Art. 2): they cannot request leave here.",
                         field="kind")
    if data.start_date < employee.service_start:
        raise LeaveError(f"The leave starts ({data.start_date}) before your employment began ({employee.service_start}).",
                         field="start_date")
    if employee.separation_date and data.end_date > employee.separation_date:
        raise LeaveError(f"The leave ends ({data.end_date}) after your employment ends ({employee.separation_date}).",
                         field="end_date")


def _run(employee: Employee, data: RequestInput, *, exclude: int | None = None, hours: Decimal | None = None,
         now: dt.datetime | None = None):
    """The contract's finding on ``data``, its context, and the inputs it relied on (``replay_inputs``: the
    employee's facts, the ask, the context, the parameters' hash and the code version)."""
    _eligible(employee, data)
    ctx = sel.rule_context(employee, data.kind, data.start_date, data.end_date, data.facts, exclude=exclude, now=now)
    facts, tree = employee.facts(), default_tree()
    try:
        finding = check_request(facts, data.ask(hours), ctx, tree)
    except (RequestError, InexactHours, ParameterError) as exc:  # ParameterError: no contract value on a date
        msg = str(exc)
        raise LeaveError(msg[:1].upper() + msg[1:] + ("" if msg.endswith(".") else "."), field="kind") from None
    return finding, ctx, provenance.inputs(facts, ask_json(data, hours), ctx, tree)


def ask_json(data: RequestInput, hours: Decimal | None = None) -> dict[str, Any]:
    """The request as asked, in the JSON form it is stored and replayed in (``RequestInput``; ``hours``: the hours
    of a partial approval checked again)."""
    h = hours if hours is not None else data.hours
    return {"kind": data.kind, "start_date": data.start_date.isoformat(), "end_date": data.end_date.isoformat(),
            "start_time": data.start_time.isoformat() if data.start_time else None,
            "end_time": data.end_time.isoformat() if data.end_time else None,
            "hours": format(h, "f") if h is not None else None, "facts": dict(data.facts or {})}


def input_of_ask(ask: dict[str, Any]) -> tuple[RequestInput, Decimal | None]:
    """``ask_json`` back: the RequestInput and the hours asked (``RequestInput.ask(hours)`` is the LeaveAsk)."""
    def t(x):
        return (dt.time.fromisoformat(x) if x else None)
    hours = Decimal(ask["hours"]) if ask.get("hours") is not None else None
    return RequestInput(ask["kind"], dt.date.fromisoformat(ask["start_date"]), dt.date.fromisoformat(ask["end_date"]),
                        t(ask.get("start_time")), t(ask.get("end_time")), hours, dict(ask.get("facts") or {})), hours


def _charges(finding: Finding) -> dict[str, int]:
    return finding.charge_totals()


def finding_json(finding: Finding) -> dict:
    """The finding's one JSON form (``Finding.as_json``), as stored with the request."""
    return finding.as_json()


@dataclass
class Preview:
    finding: Finding
    balances_before: dict[str, int]
    balances_after: dict[str, int]

    def as_json(self) -> dict:
        return {
            **finding_json(self.finding),
            "balances": [
                {"leave_type": LEAVE_SLUGS[LEDGER_LEAVE[t][0]], "label": sel.LEDGER_NAMES[t],
                 "before": hours_str(self.balances_before.get(t, 0)),
                 "after": hours_str(self.balances_after.get(t, 0))}
                for t in sel.LEDGER_NAMES if t in self.balances_before
            ],
        }


def _overlap(employee: Employee, data: RequestInput, days: dict[str, int], holidays, *, user,
             exclude: int | None = None, statuses=sel.ACTIVE) -> Overlap | None:
    """``Overlap`` naming the first live request that already covers some of the hours ``days`` (ISO date →
    micro-hours, from the finding) of ``data``, or None."""
    other = overlapping(employee=employee, start_date=data.start_date, end_date=data.end_date,
                        start_time=data.start_time, end_time=data.end_time, days=days, holidays=holidays,
                        exclude=[exclude] if exclude else [], statuses=statuses)
    if other is None:
        return None
    other.employee = employee
    label = sel.kind_shown(user, other) if user is not None else other.kind_label
    return Overlap(f"These hours are already covered by request {other.pk} ({label}, {_span(other)}, "
                   f"{other.get_status_display().lower()}): the same scheduled hour is charged only once. "
                   "Withdraw or amend that request first, or ask for other hours.", request_id=other.pk)


def _as_overlap_finding(finding: Finding, exc: Overlap) -> Finding:
    """The finding of a request whose hours another live request already covers: none of it can be granted."""
    return replace(finding, outcome="not_allowed", allowed_micro=0, charges=(), grounds_for_denial=(), days=(),
                   reasons=(exc.message,) + tuple(finding.reasons), alternatives=(),
                   extra={**dict(finding.extra), "overlaps_request": exc.request_id})


def leave_request_check(*, employee: Employee, data: RequestInput, exclude: int | None = None,
                        user=None) -> Preview:
    """The contract's finding and the balance after the request, before anything is written (``exclude``: the
    request being amended, whose reservation is given back). Hours another live request already covers make
    it not allowed, naming that request."""
    finding, ctx, _ = _run(employee, data, exclude=exclude, now=timezone.localtime())
    clash = _overlap(employee, data, _days(finding.requested_days), ctx.holidays, user=user or employee.user,
                     exclude=exclude)
    if clash is not None:
        finding = _as_overlap_finding(finding, clash)
    before = dict(ctx.balances)
    after = dict(before)
    for t, m in _charges(finding).items():
        if t in after:
            after[t] -= m
    return Preview(finding, before, after)


def _days(pairs, micro: int | None = None) -> dict[str, int]:
    """A finding's hours per date (``days``, ``requested_days``) as stored: ISO date → micro-hours, the first
    ``micro`` of them when given (a partial approval is checked again, so it is all of them)."""
    out: dict[str, int] = {}
    for d, m in pairs:
        take = m if micro is None else min(m, micro - sum(out.values()))
        if take <= 0:
            break
        out[d.isoformat()] = take
    return out


def _input_of(req: LeaveRequest) -> RequestInput:
    return RequestInput(req.kind, req.start_date, req.end_date, req.start_time, req.end_time, req.hours, req.facts or {})


# --- notifications -----------------------------------------------------------------------------

def site_url(path: str = "/") -> str:
    """``path`` (a site-relative link, e.g. ``/me/statements/``) as an absolute address on the site members open,
    ``settings.OPENLEAVE_SITE_URL`` — the one place an e-mail's links are made absolute."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.OPENLEAVE_SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def mail_body(body: str, url: str = "") -> str:
    """An e-mail's text: ``body``, then the absolute link to see it (``site_url``), or the sign-in page."""
    return f"{body}\n\nSee it in openleave: {site_url(url or '/')}"


def mail_message(*, to: str, subject: str, body: str, url: str = "") -> EmailMessage:
    """The e-mail of a notification (``notify``; the bulk runs of statements, warnings and comp days build theirs
    here too and send them with ``send_after_commit``)."""
    return EmailMessage(subject=f"openleave: {subject}"[:200], body=mail_body(body, url), to=[to])


def send_after_commit(messages: list[EmailMessage]) -> None:
    """Send ``messages`` through Django's mail backend once the current transaction commits (never a mail for
    what was rolled back)."""
    if not messages:
        return
    transaction.on_commit(lambda: get_connection(fail_silently=True).send_messages(messages))


def notify(*, user, subject: str, body: str, url: str = "", request: LeaveRequest | None = None) -> Notification | None:
    """An in-app notification now; an e-mail through Django's mail backend once the transaction commits, its link
    absolute (``site_url``)."""
    if user is None:
        return None
    n = Notification.objects.create(user=user, request=request, subject=subject[:200], body=body, url=url)
    if user.email:
        send_after_commit([mail_message(to=user.email, subject=subject, body=body, url=url)])
    return n


def _deciders(req: LeaveRequest) -> list:
    emp = req.employee
    out = []
    if policy.is_fmla(req):  # the medical (FMLA) coordinators of the agency, then the AA (never the supervisor)
        out.extend(User.objects.filter(groups__name=R.MEDICAL, is_active=True)
                   .filter(Q(agency_id=emp.agency_id) | Q(agency__isnull=True)).distinct().order_by("pk"))
    elif emp.supervisor_id and emp.supervisor.user_id:
        out.append(emp.supervisor.user)
    aa = emp.agency.appointing_authority
    if aa is not None and aa not in out:
        out.append(aa)
    return out


def _span(req: LeaveRequest) -> str:
    return str(req.start_date) if req.start_date == req.end_date else f"{req.start_date} to {req.end_date}"


# --- submit ------------------------------------------------------------------------------------

def _entered_on_behalf(user, employee: Employee) -> bool:
    """False for the employee's own request, True for HR / the AA entering it for them; anyone else: 404."""
    own = user.employee_or_none
    if own is not None and own.pk == employee.pk:
        return False
    if policy.can_submit_for(user, employee):
        return True
    raise policy.NotVisible()


def leave_request_submit(*, employee: Employee, user, data: RequestInput, amends: LeaveRequest | None = None,
                         channel: str = "ui") -> LeaveRequest:
    """Check the request under a lock on the employee and submit it for a decision (or auto-approve it
    when the organisation switched that on for its kind and the contract allows it). HR / the Appointing
    Authority may enter it on the employee's behalf: ``created_by`` records who, and the employee is told."""
    on_behalf = _entered_on_behalf(user, employee)
    now = timezone.now()
    with transaction.atomic():
        employee = Employee.objects.select_for_update(of=("self",)).select_related("agency", "title", "pay_calendar",
                                                                        "supervisor__user").get(pk=employee.pk)
        prefetch_related_objects([employee], "service_events")  # facts() for the rules, the overlap and the days
        if amends is not None:
            amends = LeaveRequest.objects.select_for_update().get(pk=amends.pk)
            if amends.employee_id != employee.pk or amends.status not in (S.SUBMITTED, S.APPROVED, S.PARTLY_APPROVED):
                raise LeaveError("Only a request of this employee that is pending or approved, and not yet taken, "
                                 "can be amended.")
            if amends.status != S.SUBMITTED and amends.start_date <= timezone.localdate():
                raise LeaveError("Leave that has begun is corrected by HR / the Appointing Authority, not amended.")
        union_limits.lock(data.kind, data.facts)  # two members racing for a union-wide limit: one at a time
        finding, ctx, inputs_used = _run(employee, data, exclude=amends.pk if amends else None,
                                         now=timezone.localtime(now))
        clash = _overlap(employee, data, _days(finding.requested_days), ctx.holidays, user=user,
                         exclude=amends.pk if amends else None)
        if clash is not None:  # under the same lock as the balance check below
            raise clash
        if finding.outcome == "not_allowed":
            raise LeaveError("The contract allows none of this request: " + " ".join(finding.reasons), field="kind")
        charges = _charges(finding)
        for t, m in charges.items():  # belt and braces: the rules never charge beyond the balance
            if t in ctx.balances and m > ctx.balances[t]:
                raise LeaveError(f"Not enough {sel.LEDGER_NAMES[t].lower()}: {hours_str(m)} h asked, "
                                 f"{hours_str(max(ctx.balances[t], 0))} h available (Sec. 8.1.N).")
        req = LeaveRequest.objects.create(
            employee=employee, kind=data.kind, start_date=data.start_date, end_date=data.end_date,
            start_time=data.start_time, end_time=data.end_time, hours=data.hours, facts=data.facts,
            status=S.SUBMITTED, requested_micro=finding.requested_micro, allowed_micro=finding.allowed_micro,
            protected=finding.protected, visible_kind=finding.visible_to_supervisor,
            finding_at_submission=finding_json(finding),
            replay_inputs={"submission": inputs_used},
            reserved=charges,
            days=_days(finding.days),
            amends=amends, created_by=user, submitted_at=now,
        )
        if amends is not None:
            _close(amends, user=user, status=S.AMENDED, reason=f"replaced by request {req.pk}", cite="",
                   channel=channel)
        record_access(actor=user, subject=employee, object_type="leave_request", object_id=req.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"submitted {hours_str(finding.requested_micro)} h"
                             + (" on the employee's behalf" if on_behalf else ""))
        if on_behalf:
            notify(user=employee.user, request=req, subject="A leave request was entered for you",
                   body=f"{user.display_name()} (HR / Appointing Authority) entered a request for "
                        f"{KIND_LABELS[req.kind]} on {_span(req)} ({hours_str(req.requested_micro)} h) on your "
                        "behalf. You can see it, and withdraw it, on your leave page.", url=f"/leave/requests/{req.pk}/")
        setting = AutoApproval.objects.filter(agency_id=employee.agency_id, kind=data.kind, enabled=True).first()
        if setting is not None and finding.outcome in ("allowed", "partly_allowed") and not finding.needs_human:
            _decide(req, finding, user=None, outcome=("approved" if finding.outcome == "allowed" else "partly_approved"),
                    approved_micro=finding.allowed_micro, grounds=[], text="", setting=setting, channel=channel,
                    inputs_used=inputs_used)
        else:
            for d in _deciders(req):
                notify(user=d, request=req, subject=f"Leave request to decide: {employee.name}",
                       body=f"{employee.name} asked for {req.visible_kind or 'leave'} on {_span(req)} "
                            f"({hours_str(req.requested_micro)} h).", url=f"/leave/requests/{req.pk}/decide/")
    return req


# --- decide ------------------------------------------------------------------------------------

OUTCOMES = ("approved", "partly_approved", "denied")


def leave_request_decide(*, request_id: int, user, outcome: str, approved_hours: Decimal | str | None = None,
                         grounds: list[str] | None = None, text: str = "", channel: str = "ui") -> LeaveRequest:
    """A named human decides: approve, partly approve (hours + ground + reasons) or deny (ground + reasons)."""
    req = sel.request_for(user, request_id)  # NotVisible → 404 for someone who may not see it
    if not policy.can_decide(user, req):
        if policy.is_fmla(req):
            raise NotDecider("Family and medical leave is decided by the medical (FMLA) coordinator or the agency's "
                             "Appointing Authority / HR (Sec. 8.7.2.B.4.c), not the supervisor.")
        raise NotDecider("Only the employee's supervisor or the agency's Appointing Authority / HR may decide this "
                         "request.")
    if outcome not in OUTCOMES:
        raise LeaveError(f"Choose approve, partly approve or deny (got {outcome!r}).", field="outcome")
    if outcome != "approved" and req.visible_kind == "protected leave" and not policy.sees_everything(user, req):
        raise NotDecider("Protected leave is denied or partly approved only by the Appointing Authority / HR, who may "
                         "see its reason; you may approve it or leave it to them.")
    grounds = [str(g) for g in (grounds or []) if g]
    text = _text(text, "text", DECISION_TEXT_MAX)
    if req.status != S.SUBMITTED:
        raise AlreadyDecided(f"This request was already decided or withdrawn ({req.get_status_display().lower()}).")
    offered = {g["code"] for g in req.finding_at_submission.get("grounds", [])}
    if (outcome == "approved" and policy.is_fmla(req) and req.finding_at_submission.get("needs_human")
            and len(text) < 10):
        raise LeaveError("This family and medical leave needs a person's decision (the intermittent days of "
                         "Sec. 8.7.2.B.4.a are used, or the documentation, the notice or a waiver is in question): explain the "
                         "approval in your own words (at least 10 characters; Sec. 8.7.2.B.4.c).", field="text")
    if outcome != "approved":
        if not grounds:
            raise LeaveError("A denial or partial approval needs a ground from the contract.", field="grounds")
        if not text or len(text) < 10:
            raise LeaveError("Explain the decision in your own words (at least 10 characters).", field="text")
    unknown = [g for g in grounds if g not in offered]
    if unknown:
        raise LeaveError(f"Not a ground the contract gives for this kind of leave: {', '.join(unknown)}.", field="grounds")
    with transaction.atomic():
        employee = Employee.objects.select_for_update(of=("self",)).select_related("agency", "pay_calendar").get(pk=req.employee_id)
        req.employee = employee
        data = _input_of(req)
        union_limits.lock(data.kind, data.facts)
        finding, ctx, inputs_used = _run(employee, data, exclude=req.pk)
        if outcome == "denied":
            approved = 0
        elif outcome == "approved":
            if finding.allowed_micro < req.requested_micro:
                raise LeaveError(f"The contract now allows {hours_str(finding.allowed_micro)} of "
                                 f"{hours_str(req.requested_micro)} h: partly approve with a ground, or deny.",
                                 field="outcome")
            approved = finding.allowed_micro
        else:
            if approved_hours in (None, ""):
                raise LeaveError("Give the hours you approve.", field="approved_hours")
            try:
                approved = to_micro(_decimal(approved_hours, "approved_hours"))
            except InexactHours:
                raise LeaveError(f"{approved_hours!r} is not a number of hours.", field="approved_hours") from None
            if not 0 < approved < req.requested_micro:
                raise LeaveError(f"A partial approval is more than 0 and less than the "
                                 f"{hours_str(req.requested_micro)} h asked.", field="approved_hours")
            if approved > finding.allowed_micro:
                raise LeaveError(f"The contract allows at most {hours_str(finding.allowed_micro)} h of this request.",
                                 field="approved_hours")
            if approved < finding.allowed_micro:
                finding, ctx, inputs_used = _run(employee, data, exclude=req.pk, hours=Decimal(approved) / 1_000_000)
                approved = finding.allowed_micro
        if approved:  # hours already granted to another request are not granted twice
            clash = _overlap(employee, data, _days(finding.days, approved), ctx.holidays,
                             user=user, exclude=req.pk, statuses=sel.DECIDED_WITH_LEAVE)
            if clash is not None:
                raise clash
        _decide(req, finding, user=user, outcome=outcome, approved_micro=approved, grounds=grounds, text=text,
                setting=None, channel=channel, inputs_used=inputs_used)
    req.refresh_from_db()
    return req


def _auto(setting: AutoApproval | None) -> str:
    """Who decides when no person does: the agency's automatic approval (its setting's id)."""
    return f"automatic approval (setting {setting.pk})" if setting is not None else ""


def _decide(req: LeaveRequest, finding: Finding, *, user, outcome: str, approved_micro: int, grounds: list[str],
            text: str, setting: AutoApproval | None, channel: str, inputs_used: dict) -> Decision:
    now = timezone.now()
    days = _days(finding.days, approved_micro) if approved_micro else {}
    n = LeaveRequest.objects.filter(pk=req.pk, status=S.SUBMITTED).update(
        status=outcome, approved_micro=approved_micro, finding_at_decision=finding_json(finding), reserved={},
        days=days, replay_inputs={**(req.replay_inputs or {}), "decision": inputs_used})
    if n != 1:
        raise AlreadyDecided("This request was already decided or withdrawn.")
    table = {g["code"]: g for g in req.finding_at_submission.get("grounds", [])}
    if setting is not None:
        rule = (f"auto-approval of {req.kind} switched on for {req.employee.agency.code} "
                f"(setting {setting.pk}, by {setting.set_by.username if setting.set_by else 'unknown'} at "
                f"{setting.set_at:%Y-%m-%d}); contract outcome {finding.outcome}")
        decision = Decision.objects.create(
            request=req, outcome=outcome, approved_micro=approved_micro, grounds=[], text=" ".join(finding.reasons),
            decided_by=None, decided_by_label="openleave (organisation setting)", decided_as=Decision.As.AUTO,
            auto_setting=setting, auto_rule=rule, decided_at=now)
    else:
        decision = Decision.objects.create(
            request=req, outcome=outcome, approved_micro=approved_micro,
            grounds=[table[g] for g in grounds], text=text, decided_by=user,
            decided_by_label=f"{user.display_name()} ({user.username})", decided_as=sel.decider_role(user, req),
            decided_at=now)
    if approved_micro:
        label = req.visible_kind if req.protected else req.kind_label
        for t, m in _charges(finding).items():
            key = ""
            if t in LEDGER_LEAVE:
                entry = post_usage(employee=req.employee, request_id=req.pk, leave_type=t, micro=m, day=req.start_date,
                                   label=label, by=user, channel=channel, system=_auto(setting))
                key = entry.key or ""
            RequestCharge.objects.create(request=req, decision=decision, leave_type=t, micro=m, ledger_key=key)
    record_access(actor=user if user is not None else System(_auto(setting)), subject=req.employee,
                  object_type="leave_request", object_id=req.pk, category=policy.LEAVE, channel=channel,
                  action=AccessLog.Action.CHANGE, fields=f"decided {outcome} {hours_str(approved_micro)} h")
    emp_user = req.employee.user
    words = {"approved": "approved", "partly_approved": "partly approved", "denied": "denied"}[outcome]
    notify(user=emp_user, request=req, subject=f"Your leave request was {words}",
           body=f"Your request for {KIND_LABELS[req.kind]} on {_span(req)} was {words} by "
                f"{decision.decided_by_label} ({hours_str(approved_micro)} of {hours_str(req.requested_micro)} h).",
           url=f"/leave/requests/{req.pk}/")
    return decision


# --- cancel, correct, taken --------------------------------------------------------------------

def _close(req: LeaveRequest, *, user, status: str, reason: str, cite: str, channel: str = "ui") -> None:
    now = timezone.now()
    n = LeaveRequest.objects.filter(pk=req.pk, status=req.status).update(
        status=status, closed_at=now, closed_by=user, close_reason=reason[:500], reserved={})
    if n != 1:
        raise AlreadyDecided("This request changed in the meantime; reload it.")
    for c in req.charges.filter(reversed_at__isnull=True):
        rkey = ""
        if c.ledger_key:
            rev = reverse_key(key=c.ledger_key, by=user, channel=channel,
                              reason=f"{status} request {req.pk}: {reason}".strip(": "))
            rkey = rev.key if rev is not None else ""
        c.reversed_at, c.reversal_key, c.reversal_cite = now, rkey, cite or f"request {status}"
        c.save(update_fields=["reversed_at", "reversal_key", "reversal_cite"])


def leave_request_cancel(*, request_id: int, user, reason: str = "", cite: str = "", channel: str = "ui") -> LeaveRequest:
    """The employee withdraws a pending request or cancels approved leave not yet begun (debits reversed);
    HR / the Appointing Authority corrects leave already begun or taken with a cited reason (reversal)."""
    req = sel.request_for(user, request_id)
    own = user.employee_or_none
    is_own = own is not None and own.pk == req.employee_id
    is_admin = policy.can_manage_ledger(user, req.employee) or req.employee.agency.appointing_authority_id == user.pk
    today = timezone.localdate()
    reason, cite = _text(reason, "reason", CLOSE_REASON_MAX), _text(cite, "cite", CITE_MAX)
    with transaction.atomic():
        Employee.objects.select_for_update(of=("self",)).filter(pk=req.employee_id).first()
        req = LeaveRequest.objects.select_related("employee__agency", "employee__pay_calendar", "employee__user").get(pk=req.pk)
        if req.status in (S.DENIED, S.CANCELLED, S.AMENDED, S.CORRECTED, S.DRAFT):
            raise LeaveError(f"This request is {req.get_status_display().lower()}: there is nothing to cancel.")
        begun = req.status == S.TAKEN or req.start_date <= today
        if begun:
            if not is_admin:
                raise LeaveError("Leave that has begun or been taken is corrected by HR / the Appointing Authority, "
                                 "with a cited reason.", status=403 if not is_own else 400)
            if not reason or not cite:
                raise LeaveError("A correction needs a reason and a citation (e.g. 'Sec. 8.1.K.3').", field="reason")
            status = S.CORRECTED
        else:
            if not (is_own or is_admin):
                raise NotDecider("Only the employee, or HR / the Appointing Authority, may cancel this request.")
            status = S.CANCELLED
        _close(req, user=user, status=status, reason=reason or "cancelled by the employee", cite=cite,
               channel=channel)
        record_access(actor=user, subject=req.employee, object_type="leave_request", object_id=req.pk,
                      category=policy.LEAVE, channel=channel, action=AccessLog.Action.CHANGE, fields=status)
        if not is_own:
            notify(user=req.employee.user, request=req, subject=f"Your leave request was {status}",
                   body=f"Your request for {KIND_LABELS[req.kind]} on {_span(req)} was {status} by "
                        f"{user.display_name()}: {reason} ({cite}).", url=f"/leave/requests/{req.pk}/")
        elif req.status != S.SUBMITTED:
            for d in _deciders(req):
                notify(user=d, request=req, subject=f"Leave cancelled: {req.employee.name}",
                       body=f"{req.employee.name} cancelled {req.visible_kind or 'leave'} on {_span(req)}.",
                       url=f"/leave/requests/{req.pk}/")
    req.refresh_from_db()
    return req


def leave_request_mark_taken(*, today: dt.date | None = None, command: str = "manage.py leave_mark_taken") -> int:
    """Approved leave whose last day has passed is taken (the debits were posted at decision). One
    transaction: the bulk UPDATE and one access-log row per request changed, naming its employee, by "the
    system: ``command``" (one bulk insert)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = (LeaveRequest.objects.select_for_update(of=("self",))
               .filter(status__in=(S.APPROVED, S.PARTLY_APPROVED), end_date__lt=today)
               .select_related("employee").only("id", "status", "employee__id"))
        changed = list(due)
        if not changed:
            return 0
        n = LeaveRequest.objects.filter(pk__in=[r.pk for r in changed]).update(status=S.TAKEN)
        record_many(actor=System(command), channel=COMMAND, accesses=[
            Access(subject=r.employee, object_type="leave_request", object_id=r.pk, category=policy.LEAVE,
                   action=AccessLog.Action.CHANGE, fields=f"{r.status} → {S.TAKEN} (last day before {today})")
            for r in changed])
    return n


# --- absence without approved leave ------------------------------------------------------------

def absence_record(*, employee: Employee, user, date: dt.date, hours: Decimal | str, note: str,
                   channel: str = "ui") -> Absence:
    """The supervisor (or HR) records an absence without approved leave; the employee sees it and is told."""
    if not policy.can_view(user, employee, policy.LEAVE):
        raise policy.NotVisible()
    probe = LeaveRequest(employee=employee)
    if not policy.can_decide(user, probe):
        raise NotDecider("Only the employee's supervisor or HR / the Appointing Authority may record an absence.")
    note = _text(note, "note", NOTE_MAX)
    if not note:
        raise LeaveError("Say what happened (no medical details).", field="note")
    date = _date(date, "date")
    if date is None:
        raise LeaveError("Give the date of the absence.", field="date")
    if date > timezone.localdate():
        raise LeaveError("An absence is recorded on or after the day it happened.", field="date")
    try:
        micro = to_micro(_decimal(hours, "hours") or 0)
    except InexactHours:
        raise LeaveError(f"{hours!r} is not a number of hours.", field="hours") from None
    facts = employee.facts()
    scheduled = sum(micro_by_day(facts, date, date, sel.holidays_between(date, date, employee.agency)).values())
    if micro <= 0:
        raise LeaveError("The hours absent must be more than zero.", field="hours")
    if micro > scheduled:
        raise LeaveError(f"{employee.name} was scheduled for {hours_str(scheduled)} h on {date}; "
                         f"{hours_str(micro)} h cannot be absent.", field="hours")
    if LeaveRequest.objects.filter(employee=employee, status__in=sel.DECIDED_WITH_LEAVE, start_date__lte=date,
                                   end_date__gte=date).exists():
        raise LeaveError(f"{employee.name} has approved leave on {date}.", field="date")
    with transaction.atomic():
        if Absence.objects.filter(employee=employee, date=date).exists():
            raise LeaveError(f"An absence is already recorded for {employee.name} on {date}.", field="date")
        a = Absence.objects.create(employee=employee, date=date, micro=micro, note=note, recorded_by=user)
        record_access(actor=user, subject=employee, object_type="absence", object_id=a.pk, category=policy.LEAVE,
                      channel=channel, action=AccessLog.Action.CHANGE, fields=f"absence {hours_str(micro)} h")
        notify(user=employee.user, subject="An absence without approved leave was recorded",
               body=f"{user.display_name()} recorded {hours_str(micro)} h absent without approved leave on {date}: "
                    f"{note}", url="/leave/")
    return a


# --- state of emergency ------------------------------------------------------------------------

def emergency_declare(*, agency, start_date: dt.date | None, end_date: dt.date | None, reason: str, user,
                      channel: str = "ui") -> StateOfEmergency:
    """HR / the Appointing Authority records a declared state of emergency for the agency and dates
    (MOU Regarding State of Emergency); emergency requests for those dates are then checked under it."""
    if not policy.can_declare_emergency(user, agency):
        raise NotDecider("Only HR / the Appointing Authority of the agency may record a state of emergency.")
    reason = _text(reason, "reason", NOTE_MAX)
    start_date, end_date = _date(start_date, "start_date"), _date(end_date, "end_date")
    if start_date is None:
        raise LeaveError("Give the first day of the state of emergency.", field="start_date")
    end_date = end_date or start_date
    if end_date < start_date:
        raise LeaveError(f"The state of emergency ends ({end_date}) before it starts ({start_date}).", field="end_date")
    if (end_date - start_date).days > 366:
        raise LeaveError("Record at most one year at a time.", field="end_date")
    if len(reason) < 5:
        raise LeaveError("Say what was declared and by whom (e.g. \"Governor's declaration: blizzard\").",
                         field="reason")
    with transaction.atomic():
        soe = StateOfEmergency.objects.create(agency=agency, start_date=start_date, end_date=end_date,
                                              reason=reason, declared_by=user)
        record_access(actor=user, subject=None, object_type="state_of_emergency", object_id=soe.pk,
                      category="none", channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"{agency.code} {start_date}..{end_date}")
    return soe
