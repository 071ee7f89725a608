"""Signed chain-head checkpoints: the heads of the access log and the ledger, anchored outside the database.

A hash chain shows a row changed, inserted or removed in the middle; it cannot show rows removed from the end
(with the head moved back), or a log deleted or replaced wholesale — whoever can write the database can
rebuild a consistent chain. A checkpoint closes that gap: a small JSON file ::

    {"format": "openleave-checkpoint/1", "at": "...", "key": "<fingerprint>",
     "access_log": {"seq": 107, "hash": "…", "first_seq": 1, "count": 107},
     "ledger": {"last_id": 5400, "hash": "…", "blocks": 1, "entries": 5400},
     "signature": "<Ed25519 over the rest, hex>"}

signed with an Ed25519 key kept outside the database (``settings.OPENLEAVE_CHECKPOINT_KEY``, mode 0600). The
union and the auditor keep the files and the public key (same path, ``.pub``); ``verify_access_log --against
FILE`` and ``verify_ledger --against FILE`` then require the named rows to still be there, unchanged.
Rows sealed after the newest checkpoint are protected by the chain only (docs/tamper-evidence.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils import timezone

FORMAT = "openleave-checkpoint/1"


class CheckpointError(Exception):
    """A checkpoint or its key is missing, unreadable, or its signature does not hold."""


def _canonical(data: dict) -> bytes:
    return json.dumps({k: v for k, v in data.items() if k != "signature"}, sort_keys=True,
                      separators=(",", ":")).encode()


def public_path(private: Path) -> Path:
    return private.with_suffix(".pub")


def fingerprint(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def private_key(*, create: bool | None = None) -> Ed25519PrivateKey:
    """The signing key from ``OPENLEAVE_CHECKPOINT_KEY``; in development a missing one is generated (0600)."""
    name = getattr(settings, "OPENLEAVE_CHECKPOINT_KEY", "")
    if not name:
        raise CheckpointError("OPENLEAVE_CHECKPOINT_KEY is not set: name the Ed25519 private key file (kept outside "
                              "the database, mode 0600); see docs/tamper-evidence.md")
    path = Path(name)
    create = (not getattr(settings, "PRODUCTION", False)) if create is None else create
    if not path.exists():
        if not create:
            raise CheckpointError(f"checkpoint key {path} does not exist; generate it with "
                                  "`manage.py write_checkpoint --new-key` (docs/tamper-evidence.md)")
        generate_key(path)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as e:
        raise CheckpointError(f"cannot read checkpoint key {path}: {e}") from e
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} is not an Ed25519 private key")
    return key


def generate_key(path: Path) -> Path:
    """Write a new Ed25519 private key (0600) and its public key beside it (``.pub``); refuse to overwrite."""
    if path.exists():
        raise CheckpointError(f"{path} exists; refusing to overwrite a checkpoint key")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public_path(path).write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                                serialization.PublicFormat.SubjectPublicKeyInfo))
    return public_path(path)


def public_key(path: str | Path | None = None) -> Ed25519PublicKey:
    """The verifying key: ``path``, else ``OPENLEAVE_CHECKPOINT_PUBLIC_KEY``, else the ``.pub`` beside the key."""
    name = path or getattr(settings, "OPENLEAVE_CHECKPOINT_PUBLIC_KEY", "") or (
        public_path(Path(settings.OPENLEAVE_CHECKPOINT_KEY)) if getattr(settings, "OPENLEAVE_CHECKPOINT_KEY", "")
        else "")
    if not name:
        raise CheckpointError("no public key to verify the checkpoint with: pass --public-key FILE")
    try:
        key = serialization.load_pem_public_key(Path(name).read_bytes())
    except (OSError, ValueError) as e:
        raise CheckpointError(f"cannot read public key {name}: {e}") from e
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{name} is not an Ed25519 public key")
    return key


_HEADS: dict[str, object] = {}


def register_head(name: str, tip) -> None:
    """Another chain to anchor in every checkpoint (the ledger registers its own, ``openleave.ledger.apps``):
    ``tip()`` returns the dict written under ``name``. The access log below knows no app above it."""
    _HEADS[name] = tip


def current() -> dict:
    """The heads of every chain as they are now, unsigned. Refuses when a stored head disagrees with its rows."""
    from .access import chain_tip
    from .models import ChainHead

    seq, digest, first_seq, count = chain_tip()
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq and (head.last_seq, head.last_hash) != (seq, digest):
        raise CheckpointError(f"the access-log head names position {head.last_seq} but the newest sealed row is at "
                              f"{seq}: run verify_access_log before writing a checkpoint")
    return {
        "format": FORMAT,
        "at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        "access_log": {"seq": seq, "hash": digest, "first_seq": first_seq, "count": count},
        **{name: tip() for name, tip in _HEADS.items()},
    }


def sign(data: dict, key: Ed25519PrivateKey | None = None) -> dict:
    key = key or private_key()
    data = {**data, "key": fingerprint(key.public_key())}
    return {**data, "signature": key.sign(_canonical(data)).hex()}


def write(path: str | Path) -> dict:
    """Sign the current heads and write them to ``path`` (a new file; the union and the auditor keep a copy)."""
    data = sign(current())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)
    return data


def read(path: str | Path, public: str | Path | None = None) -> dict:
    """A checkpoint whose signature holds under the public key; else ``CheckpointError`` saying why."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise CheckpointError(f"cannot read checkpoint {path}: {e}") from e
    if not isinstance(data, dict) or data.get("format") != FORMAT or "signature" not in data:
        raise CheckpointError(f"{path} is not an openleave checkpoint ({FORMAT})")
    key = public_key(public)
    try:
        key.verify(bytes.fromhex(data["signature"]), _canonical(data))
    except (InvalidSignature, ValueError) as e:
        raise CheckpointError(f"the signature of checkpoint {path} does not hold: it was altered or not signed by "
                              f"the checkpoint key {fingerprint(key)}") from e
    return data


def add_against_arguments(parser) -> None:
    """``--against CHECKPOINT`` and ``--public-key FILE``, for the commands that verify a chain."""
    parser.add_argument("--against", metavar="CHECKPOINT", help="A checkpoint file written by write_checkpoint.")
    parser.add_argument("--public-key", metavar="FILE", help="The checkpoint's Ed25519 public key (PEM); "
                                                             "default: OPENLEAVE_CHECKPOINT_PUBLIC_KEY or the .pub "
                                                             "beside OPENLEAVE_CHECKPOINT_KEY.")


def head_against(options: dict, head: str) -> dict | None:
    """The chain head ``head`` of the checkpoint given by ``--against`` (None without one); a checkpoint that
    cannot be read or whose signature fails is a ``CommandError`` saying why."""
    from django.core.management.base import CommandError

    if not options.get("against"):
        return None
    try:
        return read(options["against"], options.get("public_key"))[head]
    except CheckpointError as e:
        raise CommandError(str(e)) from None
