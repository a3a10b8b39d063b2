"""Signed checkpoints of the audit trail, kept outside the database.

The hash chain (services.py) shows that no event was changed, removed or reordered, as long
as nobody rewrites the whole chain: someone with write access to the database could change an
event and compute every later hash and the chain head again. A checkpoint closes that gap:
``flask audit checkpoint`` signs the chain head (how many events, the newest event's hash, when)
with an Ed25519 key of its own and appends it to a file outside the database; ``audit verify``
then also checks that the event at that position still carries that hash. Rewriting the chain
before the latest checkpoint is caught, and so is cutting it short.

The folder (``AUDIT_CHECKPOINT_DIR``) holds ``checkpoint.key`` (the private key, 0600, made
at the first checkpoint), ``checkpoint.pub`` and ``checkpoints.jsonl`` (one signed line per
checkpoint). Copy the public key and the checkpoints off the server as well (the README's
nightly example does); ``AUDIT_CHECKPOINT_PUBLIC_KEY`` verifies against such a copy.
"""
import base64
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

from ..database import utcnow
from ..extensions import db
from .models import AuditChainHead

KEY_FILE = "checkpoint.key"
PUBLIC_FILE = "checkpoint.pub"
CHECKPOINTS_FILE = "checkpoints.jsonl"


class CheckpointError(Exception):
    """The checkpoints cannot be trusted (a bad signature, an unreadable file or key)."""


@dataclass(frozen=True)
class Checkpoint:
    length: int
    head_hash: str
    at: str  # ISO 8601, UTC

    def message(self) -> bytes:
        """The signed bytes: canonical JSON of the three fields."""
        return json.dumps({"at": self.at, "head_hash": self.head_hash, "length": self.length},
                          separators=(",", ":"), sort_keys=True).encode()


def folder() -> Path:
    return Path(current_app.config["AUDIT_CHECKPOINT_DIR"])


def _private_key():
    """The signing key; made (0600, with its public key beside it) the first time."""
    path = folder() / KEY_FILE
    if not path.exists():
        folder().mkdir(parents=True, exist_ok=True)
        os.chmod(folder(), 0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
        (folder() / PUBLIC_FILE).write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        return key
    try:
        return serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise CheckpointError(f"the signing key {path} cannot be read") from exc


def _public_key() -> Ed25519PublicKey:
    configured = current_app.config.get("AUDIT_CHECKPOINT_PUBLIC_KEY")
    path = Path(configured) if configured else folder() / PUBLIC_FILE
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"the public key {path} cannot be read") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(f"{path} is not an Ed25519 public key")
    return key


def write(now=None) -> Checkpoint:
    """Sign the current chain head and append it to the checkpoints file. The caller checks
    the chain first (``flask audit checkpoint`` does), so only a sound chain is signed."""
    head = db.session.get(AuditChainHead, 1)
    checkpoint = Checkpoint(length=head.length if head else 0, head_hash=head.head_hash if head else "0" * 64,
                            at=(now or utcnow()).isoformat(timespec="seconds"))
    key = _private_key()
    signature = key.sign(checkpoint.message())
    try:
        _public_key().verify(signature, checkpoint.message())
    except InvalidSignature:
        raise CheckpointError("the signing key does not match the public key checkpoints are verified with") from None
    line = json.dumps({"length": checkpoint.length, "head_hash": checkpoint.head_hash, "at": checkpoint.at,
                       "signature": base64.b64encode(signature).decode()}, sort_keys=True)
    with open(folder() / CHECKPOINTS_FILE, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def latest():
    """The newest checkpoint, its signature checked; None when none was written yet.
    Every line's signature is checked, so an edited older line is noticed too."""
    path = folder() / CHECKPOINTS_FILE
    if not path.exists():
        return None
    key = _public_key()
    newest = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
            checkpoint = Checkpoint(length=int(fields["length"]), head_hash=str(fields["head_hash"]),
                                    at=str(fields["at"]))
            key.verify(base64.b64decode(fields["signature"], validate=True), checkpoint.message())
            datetime.fromisoformat(checkpoint.at)
        except InvalidSignature:
            raise CheckpointError(f"checkpoint line {number} of {path} has a bad signature") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"checkpoint line {number} of {path} cannot be read") from exc
        if newest is not None and checkpoint.length < newest.length:
            raise CheckpointError(f"checkpoint line {number} of {path} has fewer events than the one before")
        newest = checkpoint
    return newest
