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


def decision_usage_key(request_id: int, leave_type: str, decision_id: int) -> str:
    """The key of a debit fixed by a reconsideration (``decision_id``) rather than the first decision."""
    return f"{usage_key(request_id, leave_type)}:decision:{decision_id}"


def post_usage(*, employee, request_id: int, leave_type: str, micro: int, day: dt.date, label: str, by,
               channel: str = "ui", system: str = "", key: str | None = None, cite: str = "") -> LedgerEntry:
    """Debit ``micro`` (> 0) of ``leave_type`` for a decided request; the same key returns the entry already posted.
    ``ledger_post`` writes the entry's access-log row (``by``, or "the system: ``system``"). ``key``/``cite``: a
    reconsideration's debit (``decision_usage_key``), citing Art. 23 beside the charging unit's section."""
    leave, unit = LEDGER_LEAVE[leave_type]
    return ledger_post(employee=employee, leave=leave, kind=Kind.USAGE, micro=-micro, effective_date=day,
                       cite=f"{unit}, {cite}" if cite else unit, reason=f"leave request {request_id}: {label}",
                       key=key or usage_key(request_id, leave_type), by=by, channel=channel, system=system)


def reverse_key(*, key: str, reason: str, by, channel: str = "ui") -> LedgerEntry | None:
    """Reverse the debit posted with ``key`` (idempotent: one reversal per debit); None when there is none."""
    entry = LedgerEntry.objects.filter(key=key).select_related("employee__pay_calendar").first()
    if entry is None:
        return None
    rkey = f"reverse:{entry.pk}"
    found = LedgerEntry.objects.filter(key=rkey).first()
    if found is not None:
        return found
    return ledger_reverse(entry=entry, reason=reason, by=by, key=rkey, channel=channel)


def reverse_usage(*, request_id: int, leave_type: str, reason: str, by, channel: str = "ui") -> LedgerEntry | None:
    """Reverse the usage debit of one request and leave type (idempotent: one reversal per debit)."""
    return reverse_key(key=usage_key(request_id, leave_type), reason=reason, by=by, channel=channel)
