"""Usage debits and their reversals in the ledger, one idempotency key per request and leave type.

Debits go through the ledger's public ``ledger_post`` (kind USAGE), reversals through its
``ledger_reverse``: the leave app never writes ledger rows itself. Only credits that live in the
ledger are posted: the paid leaves of their own kind (bereavement, civic duty, 8.12, …) draw no
credit and are recorded as ``RequestCharge`` rows only.
"""

from __future__ import annotations

import datetime as dt

from openleave.ledger.models import Kind, Leave, LedgerEntry
from openleave.ledger.services import ledger_post, ledger_reverse

# The rules' credit names → the ledger's leave types, and the section that sets the charging unit.
LEDGER_LEAVE = {
    "sick": (Leave.SICK, "Sec. 8.1.F"),
    "vacation": (Leave.VACATION, "Sec. 9.10"),
    "personal": (Leave.PERSONAL, "Sec. 8.2.B"),
    "comp_time": (Leave.COMP, "Sec. 7.2.G"),
    "emergency_day": (Leave.EMERGENCY, "MOU State of Emergency"),
}


def usage_key(request_id: int, leave_type: str) -> str:
    return f"leave-request:{request_id}:{leave_type}"


def post_usage(*, employee, request_id: int, leave_type: str, micro: int, day: dt.date, label: str, by,
               channel: str = "ui", system: str = "") -> LedgerEntry:
    """Debit ``micro`` (> 0) of ``leave_type`` for a decided request; the same key returns the entry already posted.
    ``ledger_post`` writes the entry's access-log row (``by``, or "the system: ``system``")."""
    leave, cite = LEDGER_LEAVE[leave_type]
    return ledger_post(employee=employee, leave=leave, kind=Kind.USAGE, micro=-micro, effective_date=day, cite=cite,
                       reason=f"leave request {request_id}: {label}", key=usage_key(request_id, leave_type), by=by,
                       channel=channel, system=system)


def reverse_usage(*, request_id: int, leave_type: str, reason: str, by, channel: str = "ui") -> LedgerEntry | None:
    """Reverse the usage debit of one request and leave type (idempotent: one reversal per debit)."""
    entry = LedgerEntry.objects.filter(key=usage_key(request_id, leave_type)).select_related("employee__pay_calendar").first()
    if entry is None:
        return None
    key = f"reverse:{entry.pk}"
    found = LedgerEntry.objects.filter(key=key).first()
    if found is not None:
        return found
    return ledger_reverse(entry=entry, reason=reason, by=by, key=key, channel=channel)
