"""Re-encrypting every medical blob under the current key (``manage.py rotate_medical_key``).

Set-based in batches: each batch selects up to ``batch`` blobs NOT under the current key (locked, oldest document
first), opens each with the key it names, seals it again under the current key with a fresh nonce and the same
associated data, and writes the batch back with one bulk UPDATE and its access-log rows (one per document,
naming the employee: "re-encrypted under key …") — one transaction per batch. Idempotent (a blob already under
the current key is never selected) and resumable (an interrupted run leaves whole batches done; the next run
does the rest). A blob whose key is missing from the settings stops the run before its batch writes anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from openleave import policy
from openleave.audit.access import COMMAND, Access, System, record_many
from openleave.audit.models import AccessLog

from . import crypto
from .models import MedicalBlob

ACTOR = System("manage.py rotate_medical_key")


@dataclass
class Rotated:
    key_id: str
    done: int
    already: int


def pending(key_id: str | None = None) -> int:
    return MedicalBlob.objects.exclude(key_id=key_id or crypto.current_key_id()).count()


def rotate(*, batch: int = 500, progress: Callable[[int, int], None] | None = None) -> Rotated:
    kid = crypto.current_key_id()
    total = pending(kid)
    already = MedicalBlob.objects.filter(key_id=kid).count()
    done = 0
    if progress:
        progress(0, total)
    while True:
        with transaction.atomic():
            rows = list(MedicalBlob.objects.select_for_update().exclude(key_id=kid)
                        .select_related("document").order_by("document_id")[:batch])
            if not rows:
                break
            for blob in rows:
                doc = blob.document
                aad = crypto.associated_data(doc.ref, doc.employee_id)
                plain = crypto.open_sealed(blob.data, key_id=blob.key_id, aad=aad)
                old = blob.key_id
                blob.key_id, blob.data = crypto.seal(plain, aad=aad, key_id=kid)
                blob._old_key = old
            MedicalBlob.objects.bulk_update(rows, ["key_id", "data"])
            record_many(actor=ACTOR, channel=COMMAND, accesses=[Access(
                subject=b.document.employee, object_type="medical_document", object_id=b.document_id,
                category=policy.MEDICAL, action=AccessLog.Action.CHANGE, purpose="key rotation (system)",
                fields=f"re-encrypted from key {b._old_key} to key {kid} (content not read by a person)")
                for b in rows])
        done += len(rows)
        if progress:
            progress(done, total)
    return Rotated(key_id=kid, done=done, already=already)
