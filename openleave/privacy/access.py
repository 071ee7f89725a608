"""Recording reads and changes of personal data. Every channel (UI, API, admin, commands) calls this.

Use ``record_access`` for one object, ``record_reads`` for a page or list of many people, and
``logged_read`` as a view decorator. Appends are serialised by locking the single ``ChainHead`` row
(``select_for_update``; on SQLite the write transaction itself is exclusive), so the chain never forks
under concurrency, and the row is written in the caller's transaction: if the read or change rolls back,
so does its log row — nothing half-written.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from openleave.accounts import roles as R

from .models import AccessLog, ChainHead

UI, API, ADMIN, COMMAND = "ui", "api", "admin", "command"
CHANNELS = (UI, API, ADMIN, COMMAND)


def purpose_of(actor, subject) -> str:
    """Why this actor reads this subject's data: their role's purpose (the most specific role first)."""
    if actor is None:
        return "system"
    emp = getattr(actor, "employee_or_none", None)
    if subject is not None and emp is not None and emp.pk == subject.pk:
        return R.PURPOSES[R.EMPLOYEE]
    for role in (R.MEDICAL, R.HR, R.SUPERVISOR, R.STEWARD, R.AUDITOR, R.SYSADMIN):
        if actor.has_role(role):
            return R.PURPOSES[role]
    return "unspecified"


_purpose = purpose_of  # the name used before


def _digest(prev: str, row: dict) -> str:
    return hashlib.sha256((prev + json.dumps(row, sort_keys=True, default=str)).encode()).hexdigest()


def chain_payload(entry: AccessLog) -> dict:
    """The fields covered by the hash chain."""
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "subject": entry.subject_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "category": entry.category,
        "fields": entry.fields,
        "purpose": entry.purpose,
        "channel": entry.channel,
    }


def entry_hash(entry: AccessLog) -> str:
    return _digest(entry.prev_hash, chain_payload(entry))


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return f"{actor.display_name()} ({actor.username})"


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # e.g. after a test flush: re-seed from the newest row
        last = AccessLog.objects.order_by("-id").only("id", "hash").first()
        try:
            with transaction.atomic():
                ChainHead.objects.create(pk=1, last_id=last.id if last else 0, last_hash=last.hash if last else "")
        except IntegrityError:
            pass  # a concurrent transaction created it first
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class Access:
    """One access to append (used by ``record_many``)."""

    subject: object
    object_type: str
    category: str
    object_id: object = ""
    action: str = AccessLog.Action.READ
    fields: str = ""
    purpose: str | None = None


def record_many(*, actor, channel: str, accesses: Iterable[Access]) -> list[AccessLog]:
    """Append several rows under one lock of the chain head, in order."""
    accesses = list(accesses)
    if not accesses:
        return []
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; use one of {CHANNELS}")
    now = timezone.now()
    label = _actor_label(actor)
    written = []
    with transaction.atomic():
        head = _locked_head()
        prev = head.last_hash
        for a in accesses:
            entry = AccessLog(
                at=now, actor=actor, actor_label=label, subject=a.subject, action=a.action,
                object_type=a.object_type, object_id=str(a.object_id)[:60], category=a.category,
                fields=a.fields[:300], purpose=(a.purpose or purpose_of(actor, a.subject))[:200],
                channel=channel, prev_hash=prev,
            )
            entry.hash = entry_hash(entry)
            entry.save()
            prev = entry.hash
            written.append(entry)
        ChainHead.objects.filter(pk=1).update(last_id=written[-1].pk, last_hash=prev)
    return written


def record_access(*, actor, subject, object_type: str, object_id="", category: str, channel: str,
                  action: str = AccessLog.Action.READ, fields: str = "", purpose: str | None = None) -> AccessLog:
    """Append one access-log row, chained to the previous one by hash."""
    return record_many(actor=actor, channel=channel, accesses=[
        Access(subject=subject, object_type=object_type, object_id=object_id, category=category,
               action=action, fields=fields, purpose=purpose)
    ])[0]


def record_reads(*, actor, channel: str, subjects: Iterable, object_type: str, category: str, fields: str = ""):
    """One read row per person shown (a list page, an API list)."""
    return record_many(actor=actor, channel=channel, accesses=[
        Access(subject=s, object_type=object_type, object_id=s.pk, category=category, fields=fields) for s in subjects
    ])


def logged_read(*, object_type: str, category: str, channel: str = UI):
    """View decorator: the view returns ``(response, subject)``; the read is logged, then the response returned.

    Nothing is logged when the view raises (a refusal is not a read).
    """

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            response, subject = view(request, *args, **kwargs)
            if subject is not None:
                record_access(actor=request.user, subject=subject, object_type=object_type,
                              object_id=getattr(subject, "pk", ""), category=category, channel=channel)
            return response

        return inner

    return wrap


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


def verify_chain(*, chunk: int = 5000) -> ChainReport:
    """Walk the log oldest first; report the first row whose links or hash do not hold."""
    head = ChainHead.objects.filter(pk=1).first()
    expected_prev = head.anchor_hash if head else ""
    checked = 0
    last_id, last_hash = 0, expected_prev
    qs = AccessLog.objects.order_by("id")
    for entry in qs.iterator(chunk_size=chunk):
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, entry.pk, "its prev_hash does not match the hash of the row before it "
                                                         "(a row was changed, inserted or removed before it)")
        if entry_hash(entry) != entry.hash:
            return ChainReport(False, checked, entry.pk, "its content does not match its hash (the row was changed)")
        expected_prev = entry.hash
        last_id, last_hash = entry.pk, entry.hash
        checked += 1
    if head is not None and head.last_id and (head.last_id, head.last_hash) != (last_id, last_hash):
        return ChainReport(False, checked, last_id or None, f"the chain head names row {head.last_id} as the "
                                                            "newest: rows after this one were removed")
    return ChainReport(True, checked)
