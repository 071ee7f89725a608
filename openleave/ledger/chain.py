"""The ledger's hash chain: entries sealed in blocks, in id order, by a separate streaming pass.

The bulk accrual writes millions of rows by COPY or INSERT…SELECT; it must stay set-based, so entries carry
no hash of their own. Instead ``seal_ledger`` (``manage.py seal_ledger``, run after each accrual and
periodically) reads the entries written since the last seal in id order and writes one ``LedgerSeal`` per
block of up to ``BLOCK`` entries: its id range, count, sum and a SHA-256 over every column of every entry in
it, chained to the block before. ``verify_ledger`` streams the entries again and names the first block whose
lines were changed, deleted or added, or the id of a line added between blocks; entries written since the
last seal are reported as pending. Rows removed from the end (and the head moved back) are caught against a
signed checkpoint (``openleave.audit.checkpoint``; docs/tamper-evidence.md).

Where to seal up to: on PostgreSQL, ``ledger_seal_horizon()`` (migration 0004) waits for every transaction
inserting ledger rows to finish, so no lower id can commit after the seal. A long accrual run in progress
makes the seal give up after ``lock_timeout`` (the next one seals it); SQLite has one writer at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from .models import LedgerChainHead, LedgerEntry, LedgerSeal

BLOCK = 10_000
# Every column of an entry, in a fixed order: the block hash covers all of them.
FIELDS = ("id", "employee_id", "leave", "kind", "micro", "effective_date", "period_start", "cite", "reason",
          "band", "paid_micro", "run_id", "by_id", "reverses_id", "key", "recorded_at", "cite_set_id", "vintage")


class LedgerBusy(Exception):
    """Ledger rows are being written (e.g. an accrual run): the seal waits for the next attempt."""


def _line(v: tuple) -> bytes:
    """One entry as bytes: its columns in ``FIELDS`` order. Texts are length-prefixed, so no text can pass for
    another column; numbers and dates print as themselves (None as ``None``), times in UTC ISO form. The
    ``vintage`` (migration 0006) is appended only when set, so a line written before it hashes as it did and
    the blocks sealed then still verify; setting or clearing it changes the line."""
    i, emp, leave, kind, micro, eff, ps, cite, reason, band, paid, run, by, rev, key, rec, cs, vin = v
    key = "~" if key is None else f"{len(key)}:{key}"
    rec = "~" if rec is None else rec.astimezone(dt.UTC).isoformat()
    vin = "" if vin is None else f"\x1f{vin}"
    return (f"{i}\x1f{emp}\x1f{leave}\x1f{kind}\x1f{micro}\x1f{eff}\x1f{ps}\x1f{len(cite)}:{cite}\x1f"
            f"{len(reason)}:{reason}\x1f{band}\x1f{paid}\x1f{run}\x1f{by}\x1f{rev}\x1f{key}\x1f{rec}\x1f{cs}{vin}\n").encode()


def block_hash(prev_hash: str, first_id: int, last_id: int, entries: int, micro_sum: int, lines_digest: str) -> str:
    head = f"{prev_hash}|{first_id}|{last_id}|{entries}|{micro_sum}|{lines_digest}"
    return hashlib.sha256(head.encode()).hexdigest()


class _Block:
    """The running digest of one block's lines (hashed in batches: fewer, larger updates)."""

    def __init__(self):
        self.h, self.n, self.sum, self.first, self.last, self._buf = hashlib.sha256(), 0, 0, None, None, []

    def add(self, values: tuple) -> None:
        self._buf.append(_line(values))
        if len(self._buf) >= 2000:
            self.h.update(b"".join(self._buf))
            self._buf.clear()
        self.n += 1
        self.sum += values[4]
        self.first = values[0] if self.first is None else self.first
        self.last = values[0]

    def digest(self) -> str:
        if self._buf:
            self.h.update(b"".join(self._buf))
            self._buf.clear()
        return self.h.hexdigest()


def _rows(after: int, upto: int | None = None, chunk: int = 20_000):
    qs = LedgerEntry.objects.filter(id__gt=after)
    if upto is not None:
        qs = qs.filter(id__lte=upto)
    return qs.order_by("id").values_list(*FIELDS).iterator(chunk_size=chunk)


def _horizon(lock_timeout_ms: int) -> int:
    """The highest entry id below which every insert has committed (or never will)."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}")
            try:
                c.execute("SELECT ledger_seal_horizon()")
            except OperationalError as e:
                raise LedgerBusy("ledger rows are being written (an accrual run?); seal again later") from e
        else:
            c.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_ledgerentry")
        return int(c.fetchone()[0])


def _head() -> LedgerChainHead:
    head = LedgerChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = LedgerSeal.objects.order_by("-last_id").first()
        try:
            with transaction.atomic():
                LedgerChainHead.objects.create(pk=1, last_id=last.last_id if last else 0,
                                               last_hash=last.hash if last else "",
                                               blocks=LedgerSeal.objects.count())
        except IntegrityError:
            pass
        head = LedgerChainHead.objects.select_for_update().get(pk=1)
    return head


def seal_ledger(*, block: int = BLOCK, lock_timeout_ms: int = 2000) -> int:
    """Seal the entries written since the last seal, in blocks of ``block`` ids order; returns how many.

    One transaction; raises ``LedgerBusy`` when ledger rows are still being written."""
    with transaction.atomic():
        upto = _horizon(lock_timeout_ms)
        head = _head()
        prev, sealed, blocks, now = head.last_hash, 0, [], timezone.now()
        current = _Block()

        def close() -> None:
            nonlocal prev, current
            digest = block_hash(prev, current.first, current.last, current.n, current.sum, current.digest())
            blocks.append(LedgerSeal(first_id=current.first, last_id=current.last, entries=current.n,
                                     micro_sum=current.sum, prev_hash=prev, hash=digest, sealed_at=now))
            prev, current = digest, _Block()

        for values in _rows(head.last_id, upto):
            current.add(values)
            sealed += 1
            if current.n == block:
                close()
        if current.n:
            close()
        if blocks:
            LedgerSeal.objects.bulk_create(blocks, batch_size=1000)
            LedgerChainHead.objects.filter(pk=1).update(last_id=blocks[-1].last_id, last_hash=prev,
                                                        blocks=head.blocks + len(blocks))
    return sealed


def ledger_tip() -> tuple[int, str, int, int]:
    """(last sealed id, its block hash, blocks, entries sealed) as the seals are now (for a checkpoint)."""
    last = LedgerSeal.objects.order_by("-last_id").first()
    if last is None:
        return 0, "", 0, 0
    from django.db.models import Count, Sum

    agg = LedgerSeal.objects.aggregate(n=Count("id"), e=Sum("entries"))
    return last.last_id, last.hash, agg["n"], int(agg["e"] or 0)


def ledger_checkpoint_head() -> dict:
    """The ledger's part of a signed checkpoint (``openleave.audit.checkpoint``)."""
    last_id, digest, blocks, entries = ledger_tip()
    return {"last_id": last_id, "hash": digest, "blocks": blocks, "entries": entries}


@dataclass(frozen=True)
class LedgerReport:
    ok: bool
    checked: int  # entries verified
    blocks: int
    problem: str = ""
    first_id: int | None = None  # where the problem is: a block's first id, or the id of an added line
    last_id: int | None = None
    pending: int = 0  # entries written since the last seal


def verify_ledger(*, against: dict | None = None) -> LedgerReport:
    """Stream the entries and the seals in id order; report the first block that does not hold. Reads only."""
    head = LedgerChainHead.objects.filter(pk=1).first()
    seals = LedgerSeal.objects.order_by("last_id").iterator(chunk_size=2000)
    seal = next(seals, None)
    prev, checked, nblocks, pending = "", 0, 0, 0
    current = _Block()
    cp_last = against["last_id"] if against else None
    cp_seen = False
    last_sealed = head.last_id if head else 0

    def fail(problem, first=None, last=None):
        return LedgerReport(False, checked, nblocks, problem, first, last, pending)

    def close(s: LedgerSeal):
        """Compare the lines read for block ``s`` with its seal; a problem text, or ''."""
        if s.prev_hash != prev:
            return "its seal does not chain to the block before (a block was removed, added or changed)"
        if current.n != s.entries:
            what = "deleted" if current.n < s.entries else "added"
            return f"it holds {current.n} lines where {s.entries} were sealed (a line was {what})"
        if current.sum != s.micro_sum or block_hash(prev, s.first_id, s.last_id, s.entries, s.micro_sum,
                                                    current.digest()) != s.hash:
            return "its lines do not match their seal (a line was changed)"
        return ""

    def finish():
        """Close the current seal's block; a failing report, or None."""
        nonlocal prev, nblocks, checked, current, seal, cp_seen
        problem = close(seal)
        if problem:
            return fail(f"ledger entries {seal.first_id}..{seal.last_id}: {problem}", seal.first_id, seal.last_id)
        if seal.last_id == cp_last:
            if seal.hash != against["hash"]:
                return fail(f"the checkpoint of {against.get('at', '?')} names a different block ending at entry "
                            f"{cp_last} (the ledger was rewritten or replaced)", seal.first_id, seal.last_id)
            cp_seen = True
        prev, nblocks, checked, current = seal.hash, nblocks + 1, checked + current.n, _Block()
        seal = next(seals, None)
        return None

    for values in _rows(0):
        eid = values[0]
        while seal is not None and eid > seal.last_id:
            if (report := finish()) is not None:
                return report
        if seal is not None and eid >= seal.first_id:
            current.add(values)
        elif eid <= last_sealed or seal is not None:
            return fail(f"ledger entry {eid} is outside every sealed block (a line was added)", eid, eid)
        else:
            pending += 1
    while seal is not None:
        if (report := finish()) is not None:
            return report
    if head is not None and head.last_id and (head.last_id, head.last_hash) != (
            LedgerSeal.objects.order_by("-last_id").values_list("last_id", "hash").first() or (0, "")):
        return fail(f"the ledger's chain head names entry {head.last_id} as the newest sealed: blocks after the "
                    "newest one were removed")
    if cp_last and not cp_seen:
        return fail(f"the checkpoint of {against.get('at', '?')} names a sealed block ending at entry {cp_last}, "
                    "which is gone: entries were removed from the end, or the ledger was deleted or replaced")
    if against and nblocks < against.get("blocks", 0):
        return fail(f"the checkpoint counts {against['blocks']} sealed blocks; {nblocks} are left")
    return LedgerReport(True, checked, nblocks, pending=pending)
