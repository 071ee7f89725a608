"""Recording reads and changes of personal data. Every channel (UI, API, admin, commands) calls this.

Use ``record_access`` for one object, ``record_reads`` for a page or list of many people, and
``logged_read`` as a view decorator.

Two steps, so that recording a read never waits for another request:

* **append** — the row is INSERTed in the caller's transaction with no lock at all (if the read or
  change rolls back, so does its log row — nothing half-written);
* **seal** — ``seal_access_log`` links unsealed rows into the hash chain, oldest id first: under the lock
  of the single ``ChainHead`` row it gives each its chain position ``seq``, the hash of the row before it
  and its own hash (the only UPDATE the database trigger lets through, once per row). Every append tries
  it at once without waiting (``FOR UPDATE SKIP LOCKED``: when another request holds the head, that one
  seals, or the next does) — or, with ``ACCESS_LOG_SEAL_SECONDS`` set, at most that often per process;
  ``manage.py seal_access_log`` (run it periodically) seals whatever is still pending.

``verify_chain`` only reads: it walks the sealed rows in chain order and reports rows not yet sealed as
pending (it never seals what it verifies, so a forged unsealed row is reported, not blessed). A sealed row
cannot be changed, removed or inserted without breaking the chain; removing the newest rows (and moving
the head back) or replacing the whole log is detected against a signed checkpoint kept outside the
database (``openleave.audit.checkpoint``, ``verify_access_log --against``; docs/tamper-evidence.md).
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from .models import AccessLog, ChainHead

UI, API, ADMIN, COMMAND = "ui", "api", "admin", "command"
CHANNELS = (UI, API, ADMIN, COMMAND)


@dataclass(frozen=True)
class System:
    """The system acting on its own — a command or a scheduled run, no person behind it: the row's actor is
    empty and its label says which (``System("manage.py accrue")`` → "the system: manage.py accrue")."""

    command: str

    @property
    def label(self) -> str:
        return f"the system: {self.command}"


def purpose_of(actor, subject) -> str:
    """Why this actor reads this subject's data: their role's purpose (``User.access_purpose``)."""
    if actor is None or isinstance(actor, System):
        return "system"
    return actor.access_purpose(subject)


_purpose = purpose_of  # the name used before


def _digest(prev: str, row: dict) -> str:
    return hashlib.sha256((prev + json.dumps(row, sort_keys=True, default=str)).encode()).hexdigest()


def chain_payload(entry: AccessLog) -> dict:
    """The fields covered by the hash chain: every column a page shows or filters by (``actor_id`` is what
    "who looked at my data" hides the member's own visits by), the row's id and its chain position."""
    return {
        "id": entry.pk,
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
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
    if isinstance(actor, System):
        return actor.label
    return f"{actor.display_name()} ({actor.username})"


def _locked_head(*, wait: bool = True) -> ChainHead | None:
    """The chain head, locked for this transaction; ``wait=False``: None when another transaction holds it."""
    head = ChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is None:
        if not wait and ChainHead.objects.filter(pk=1).exists():
            return None  # another transaction is sealing
        last = AccessLog.objects.filter(seq__isnull=False).order_by("-seq").only("id", "hash", "seq").first()
        try:
            with transaction.atomic():  # e.g. after a test flush: re-seed from the newest sealed row
                ChainHead.objects.create(pk=1, last_id=last.id if last else 0, last_hash=last.hash if last else "",
                                         last_seq=last.seq if last else 0)
        except IntegrityError:
            pass  # a concurrent transaction created it first
        head = ChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    return head


def seal_access_log(*, wait: bool = True, batch: int = 5000, mine: list[AccessLog] | None = None) -> int:
    """Link the unsealed rows into the chain (oldest id first); returns how many were sealed.

    ``wait=False`` gives up at once when another transaction holds the chain head (it, or the next
    append, seals). ``mine``: rows of the caller, updated in memory when sealed here."""
    sealed = 0
    by_id = {e.pk: e for e in mine or ()}
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None:
            return 0
        prev, seq, last_id = head.last_hash, head.last_seq, head.last_id
        while True:
            rows = list(AccessLog.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not rows:
                break
            updates = []
            for entry in rows:
                seq += 1
                entry.prev_hash, entry.seq, last_id = prev, seq, entry.pk
                entry.hash = prev = entry_hash(entry)
                updates.append((seq, entry.prev_hash, entry.hash, entry.pk))
                if entry.pk in by_id:
                    by_id[entry.pk].prev_hash, by_id[entry.pk].hash, by_id[entry.pk].seq = entry.prev_hash, entry.hash, seq
            with connection.cursor() as c:
                c.executemany("UPDATE privacy_accesslog SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s", updates)
            sealed += len(rows)
            if len(rows) < batch:
                break
        if sealed:
            ChainHead.objects.filter(pk=1).update(last_id=last_id, last_hash=prev, last_seq=seq)
    return sealed


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
    """Append several rows (no lock), then try to seal them without waiting. ``actor``: the user, or
    ``System("<command>")`` when no person acts."""
    accesses = list(accesses)
    if not accesses:
        return []
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; use one of {CHANNELS}")
    now = timezone.now()
    label = _actor_label(actor)
    entries = [
        AccessLog(
            at=now, actor=None if isinstance(actor, System) else actor, actor_label=label, subject=a.subject, action=a.action,
            object_type=a.object_type, object_id=str(a.object_id)[:60], category=a.category,
            fields=a.fields[:300], purpose=(a.purpose or purpose_of(actor, a.subject))[:200],
            channel=channel,
        )
        for a in accesses
    ]
    with transaction.atomic():
        written = AccessLog.objects.bulk_create(entries)
        if _seal_due():
            seal_access_log(wait=False, mine=written)
    return written


_last_seal = 0.0


def _seal_due() -> bool:
    """Whether an append should try to seal: always, unless ``ACCESS_LOG_SEAL_SECONDS`` spaces the
    attempts of this process (a busy server: rows wait that long, or for the next append elsewhere)."""
    global _last_seal
    every = getattr(settings, "ACCESS_LOG_SEAL_SECONDS", 0)
    now = time.monotonic()
    if every and now - _last_seal < every:
        return False
    _last_seal = now
    return True


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
    pending: int = 0  # appended, not yet sealed into the chain
    pending_ids: tuple[int, ...] = ()  # the oldest few of them
    last_seq: int = 0
    last_hash: str = ""


def chain_tip() -> tuple[int, str, int, int]:
    """(seq, hash, first seq, count) of the sealed rows as they are now (for a checkpoint)."""
    agg = AccessLog.objects.filter(seq__isnull=False).aggregate(n=models.Count("id"), lo=models.Min("seq"))
    last = AccessLog.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "hash").first()
    return (last.seq, last.hash, agg["lo"], agg["n"]) if last else (0, "", 0, 0)


def verify_chain(*, chunk: int = 5000, against: dict | None = None) -> ChainReport:
    """Walk the sealed rows in chain order; report the first row whose position, links or hash do not
    hold, and the rows awaiting their seal (``pending``). Reads only: nothing is sealed here.

    ``against``: the access-log part of a verified checkpoint (``checkpoint.read``): the row it names must
    still be there with the same hash, else rows were removed from the end or the log was replaced."""
    head = ChainHead.objects.filter(pk=1).first()
    expected_prev = head.anchor_hash if head else ""
    checked = 0
    last_id, last_hash, last_seq = 0, expected_prev, None
    pending_qs = AccessLog.objects.filter(seq__isnull=True)
    pending = pending_qs.count()
    pending_ids = tuple(pending_qs.order_by("id").values_list("id", flat=True)[:10])

    def broken(row_id, problem):
        return ChainReport(False, checked, row_id, problem, pending, pending_ids, last_seq or 0, last_hash)

    cp_seq = against["seq"] if against else None
    cp_seen = False
    qs = AccessLog.objects.filter(seq__isnull=False).order_by("seq")
    for entry in qs.iterator(chunk_size=chunk):
        if last_seq is not None and entry.seq != last_seq + 1:
            return broken(entry.pk, f"its chain position is {entry.seq} after {last_seq} "
                                    "(rows were removed or inserted before it)")
        if entry.prev_hash != expected_prev:
            return broken(entry.pk, "its prev_hash does not match the hash of the row before it "
                                    "(a row was changed, inserted or removed before it)")
        if entry_hash(entry) != entry.hash:
            return broken(entry.pk, "its content does not match its hash (the row was changed)")
        if entry.seq == cp_seq:
            if entry.hash != against["hash"]:
                return broken(entry.pk, f"the checkpoint of {against.get('at', '?')} names a different row at chain "
                                        f"position {cp_seq} (the log was rewritten or replaced)")
            cp_seen = True
        expected_prev = entry.hash
        last_id, last_hash, last_seq = entry.pk, entry.hash, entry.seq
        checked += 1
    if head is not None and head.last_id and (head.last_id, head.last_hash) != (last_id, last_hash):
        return broken(last_id or None, f"the chain head names row {head.last_id} as the newest: rows after this one "
                                       "were removed")
    if against and cp_seq and not cp_seen:
        newest = f"the newest sealed position is {last_seq}" if last_seq else "no sealed row is left"
        return broken(last_id or None, f"the checkpoint of {against.get('at', '?')} names chain position {cp_seq}, "
                                       f"which is gone ({newest}): rows were removed from the end, the log was "
                                       "deleted or replaced, or a retention purge removed it (then verify against a "
                                       "checkpoint written after the purge)")
    return ChainReport(True, checked, pending=pending, pending_ids=pending_ids, last_seq=last_seq or 0,
                       last_hash=last_hash)
