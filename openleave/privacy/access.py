"""Recording reads and changes of personal data. Every channel (UI, API, admin, commands) calls this."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from openleave.accounts import roles as R

from .models import AccessLog


def _purpose(actor, subject) -> str:
    if actor is None:
        return "system"
    emp = getattr(actor, "employee_or_none", None)
    if subject is not None and emp is not None and emp.pk == subject.pk:
        return R.PURPOSES[R.EMPLOYEE]
    for role in (R.MEDICAL, R.HR, R.SUPERVISOR, R.STEWARD, R.AUDITOR, R.SYSADMIN):
        if actor.has_role(role):
            return R.PURPOSES[role]
    return "unspecified"


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


def record_access(*, actor, subject, object_type: str, object_id="", category: str, channel: str,
                  action: str = AccessLog.Action.READ, fields: str = "", purpose: str | None = None) -> AccessLog:
    """Append one access-log row, chained to the previous one by hash."""
    with transaction.atomic():
        last = AccessLog.objects.select_for_update().order_by("-id").only("hash").first()
        prev = last.hash if last else ""
        entry = AccessLog(
            actor=actor,
            actor_label=(actor.display_name() + f" ({actor.username})") if actor is not None else "system",
            subject=subject,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            category=category,
            fields=fields,
            purpose=purpose or _purpose(actor, subject),
            channel=channel,
            prev_hash=prev,
        )
        entry.hash = _digest(prev, chain_payload(entry))
        entry.save()
        return entry
