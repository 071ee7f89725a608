"""Writes of a member's grievance track: open it for an act (a leave decision, a forfeiture, an adjustment), record
when a step was filed or a reply arrived. Each in one transaction with its access-log row naming the member;
a date that cannot be (a reply before the filing, a date in the future) is refused, nothing written."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openleave import clock, policy
from openleave.audit.access import record_access
from openleave.audit.models import AccessLog
from openleave.leave.models import Decision
from openleave.ledger.models import Kind, LedgerEntry
from openleave.rules.grievance import TRACK_KEYS, TRACK_LABELS, GrievanceError, check_track

from .errors import GrievanceRefused
from .models import GrievanceDate, GrievanceTrack
from .selectors import GRIEVABLE_ENTRY_KINDS, GRIEVABLE_OUTCOMES, decision_act_date


def _check_event_date(act_date: dt.date, event_date: dt.date | None) -> dt.date:
    today = clock.today()
    day = event_date or act_date
    if day < act_date:
        raise GrievanceRefused("event_date", f"The date of knowledge ({day}) cannot be before the act ({act_date}).")
    if day > today:
        raise GrievanceRefused("event_date", f"The date of knowledge ({day}) is in the future (today is {today}).")
    return day


def grievance_track_open(*, user, decision: Decision | None = None, ledger_entry: LedgerEntry | None = None,
                         event_date: dt.date | None = None, channel: str = "ui") -> GrievanceTrack:
    """The member's track for ``decision`` (denied or partly approved) or ``ledger_entry`` (a forfeiture or an
    adjustment of theirs); ``event_date`` is the date of reasonable knowledge when later than the act. An existing
    track is returned as it is."""
    if (decision is None) == (ledger_entry is None):
        raise GrievanceRefused("act", "Give one act to grieve: a decision or a ledger entry.")
    employee = decision.request.employee if decision is not None else ledger_entry.employee
    if not policy.can_record_grievance(user, employee):
        raise policy.NotVisible()
    if decision is not None:
        if decision.outcome not in GRIEVABLE_OUTCOMES:
            raise GrievanceRefused("decision", "Only a denied or partly approved request is grieved here.")
        existing = GrievanceTrack.objects.filter(decision=decision).first()
        act, act_date = GrievanceTrack.Act.DECISION, decision_act_date(decision)
    else:
        if ledger_entry.kind not in GRIEVABLE_ENTRY_KINDS:
            raise GrievanceRefused("ledger_entry", "Only a forfeiture or an adjustment is grieved here.")
        existing = GrievanceTrack.objects.filter(ledger_entry=ledger_entry).first()
        act = (GrievanceTrack.Act.FORFEITURE if ledger_entry.kind == Kind.FORFEITURE
               else GrievanceTrack.Act.ADJUSTMENT)
        act_date = ledger_entry.effective_date
    if existing is not None:
        return existing
    day = _check_event_date(act_date, event_date)
    try:
        with transaction.atomic():
            track = GrievanceTrack.objects.create(employee=employee, act=act, decision=decision,
                                                  ledger_entry=ledger_entry, event_date=day, created_by=user,
                                                  created_at=timezone.now())
            record_access(actor=user, subject=employee, object_type="grievance_track", object_id=track.pk,
                          category=policy.GRIEVANCE, channel=channel, action=AccessLog.Action.CHANGE,
                          fields=f"grievance track opened ({track.get_act_display()}, act of {day})")
    except IntegrityError:  # opened at the same moment elsewhere
        return GrievanceTrack.objects.get(decision=decision) if decision else GrievanceTrack.objects.get(
            ledger_entry=ledger_entry)
    return track


def grievance_date_record(*, user, track: GrievanceTrack, key: str, day: dt.date, channel: str = "ui") -> GrievanceDate:
    """Record that ``key`` (``rules.grievance.TRACK_KEYS``) happened on ``day``. Refused, naming the field, when the
    track would be impossible: a reply before its filing, a date in the future, a step before the one it follows."""
    if not policy.can_record_grievance(user, track.employee):
        raise policy.NotVisible()
    if key not in TRACK_KEYS:
        raise GrievanceRefused("key", f"Unknown step {key!r}; one of {', '.join(TRACK_KEYS)}.")
    with transaction.atomic():
        locked = GrievanceTrack.objects.select_for_update().get(pk=track.pk)
        recorded = {**locked.recorded(), key: day}
        try:
            check_track(locked.event_date, recorded, clock.today())
        except GrievanceError as exc:
            raise GrievanceRefused(exc.field if exc.field in TRACK_KEYS else "day", str(exc)) from None
        row = GrievanceDate.objects.create(track=locked, key=key, day=day, recorded_by=user, recorded_at=timezone.now())
        record_access(actor=user, subject=locked.employee, object_type="grievance_date", object_id=row.pk,
                      category=policy.GRIEVANCE, channel=channel, action=AccessLog.Action.CHANGE,
                      fields=f"{TRACK_LABELS[key]}: {day}")
    return row
