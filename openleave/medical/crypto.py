"""AES-256-GCM sealing of medical documents. The keys come from settings (the environment or a key file) and are
never stored in the database; each blob records the id of the key that sealed it.

A sealed payload is ``nonce (12 random bytes) ‖ ciphertext ‖ tag``. The plaintext packs the original file name, an
optional note and the file: ``len(header) (4 bytes, big-endian) ‖ header JSON {"name", "note"} ‖ file``. The
associated data is ``openleave-medical:v1:<document ref>:<employee id>``: the tag covers it, so a blob moved to
another document's row (or another employee's) fails to open instead of showing the wrong person's file.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE = 12


class SealBroken(Exception):
    """The blob does not open: its key is not configured, or the blob is not this row's (or was altered)."""


@dataclass(frozen=True)
class Opened:
    name: str
    note: str
    content: bytes


def keys() -> dict[str, bytes]:
    return {k: base64.urlsafe_b64decode(v.encode()) for k, v in settings.OPENLEAVE_MEDICAL_KEYS.items()}


def current_key_id() -> str:
    kid = settings.OPENLEAVE_MEDICAL_KEY_ID
    if not kid or kid not in settings.OPENLEAVE_MEDICAL_KEYS:
        raise ImproperlyConfigured(f"OPENLEAVE_MEDICAL_KEY_ID {kid!r} is not one of OPENLEAVE_MEDICAL_KEYS.")
    return kid


def associated_data(ref: str, employee_id: int) -> bytes:
    return f"openleave-medical:v1:{ref}:{employee_id}".encode()


def pack(name: str, note: str, content: bytes) -> bytes:
    header = json.dumps({"name": name, "note": note}, ensure_ascii=False).encode()
    return struct.pack(">I", len(header)) + header + content


def unpack(plain: bytes) -> Opened:
    (n,) = struct.unpack(">I", plain[:4])
    header = json.loads(plain[4:4 + n].decode())
    return Opened(name=header["name"], note=header["note"], content=plain[4 + n:])


def seal(plain: bytes, *, aad: bytes, key_id: str | None = None) -> tuple[str, bytes]:
    """(key id, sealed bytes) under ``key_id`` (default: the current key)."""
    kid = key_id or current_key_id()
    nonce = os.urandom(NONCE)
    return kid, nonce + AESGCM(keys()[kid]).encrypt(nonce, plain, aad)


def open_sealed(sealed: bytes, *, key_id: str, aad: bytes, key: bytes | None = None) -> bytes:
    """The plaintext; ``SealBroken`` when ``key_id`` is not configured or the tag does not verify."""
    if key is None:
        key = keys().get(key_id)
    if key is None:
        raise SealBroken(f"the key {key_id!r} that sealed this document is not configured (OPENLEAVE_MEDICAL_KEYS)")
    try:
        return AESGCM(key).decrypt(bytes(sealed[:NONCE]), bytes(sealed[NONCE:]), aad)
    except InvalidTag:
        raise SealBroken("the document does not open with its key: it is not this row's, or it was altered") from None
