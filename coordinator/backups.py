"""Encrypted backups of the database, taken while the application runs.

``flask backup create FILE`` takes a consistent snapshot (SQLite's online backup API; for
PostgreSQL ``pg_dump --format=custom``, which reads one transaction snapshot) and writes it
encrypted with a backup key of its own (AES-256-GCM, ``BACKUP_KEY_FILE``), never the keyring:
the database holds ciphertext for the case text already, and the keyring must not travel with
it. ``flask backup restore FILE`` checks the whole file first (every chunk's tag, the end
marker, the key), refuses a database that holds data unless ``--force``, then restores
everything.

The file: a line ``COORDINATOR-BACKUP 1``, a JSON line of what it is (backend, format, when,
the schema's migration revision, the backup key's fingerprint), then chunks of at most 1 MiB,
each ``length (4 bytes) | nonce (12) | ciphertext+tag``, the header and the chunk's number and
"last" flag bound in as associated data, so a chunk cannot be reordered, dropped, or the file
cut short unnoticed.
"""
import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import func, inspect, select, text

from .database import utcnow
from .extensions import db

MAGIC = b"COORDINATOR-BACKUP 1\n"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup that cannot be made or restored; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    backend: str
    created_at: str
    revision: str
    size: int


# The backup key --------------------------------------------------------------------------------

def key_path() -> Path:
    return Path(current_app.config.get("BACKUP_KEY_FILE") or os.path.join(current_app.instance_path, "backup.key"))


def ensure_key():
    """The backup key; made (0600) the first time. Returns (key, whether it is new)."""
    path = key_path()
    if path.exists():
        return _read_key(path), False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=256)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(base64.b64encode(key).decode() + "\n")
    return key, True


def _read_key(path):
    try:
        key = base64.b64decode(path.read_text().strip(), validate=True)
    except (OSError, ValueError) as exc:
        raise BackupError(f"the backup key {path} cannot be read") from exc
    if len(key) != 32:
        raise BackupError(f"the backup key {path} is not a 256-bit key")
    return key


def _fingerprint(key):
    return hashlib.sha256(b"coordinator-backup-key" + key).hexdigest()[:16]


# Creating ----------------------------------------------------------------------------------------

def create(path) -> BackupInfo:
    """Snapshot the database into ``path`` (written beside it, then renamed into place)."""
    key, _new = ensure_key()
    backend = db.engine.dialect.name
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="coordinator-backup-") as work:
        snapshot = Path(work) / "snapshot"
        if backend == "sqlite":
            _sqlite_snapshot(snapshot)
        else:
            _pg_dump(snapshot)
        meta = {"backend": backend, "format": "sqlite" if backend == "sqlite" else "pg_dump-custom",
                "created_at": utcnow().isoformat(timespec="seconds"), "revision": _revision(),
                "key": _fingerprint(key)}
        partial = path.with_name(path.name + ".partial")
        try:
            with open(snapshot, "rb") as source, open(partial, "wb") as target:
                os.chmod(partial, 0o600)
                _encrypt(source, target, key, meta)
                target.flush()
                os.fsync(target.fileno())
            os.replace(partial, path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"the backup could not be written to {path}: {exc.strerror}") from exc
    return BackupInfo(path, backend, meta["created_at"], meta["revision"], path.stat().st_size)


def _sqlite_snapshot(target):
    source = sqlite3.connect(db.engine.url.database)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)  # consistent while others write (the online backup API)
        destination.close()
    finally:
        source.close()


def _libpq(url):
    """(connection URI for libpq tools, the schema the app uses if its URL names one)."""
    rendered = url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)
    parts = urlsplit(rendered)
    options = parse_qs(parts.query).get("options", [""])[0]
    schema = None
    for option in options.split():
        if option.startswith("-csearch_path="):
            schema = option.split("=", 1)[1].split(",")[0]
    return parts._replace(query="").geturl(), schema


def _pg_tool(name):
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return tool


def _pg_dump(target):
    uri, schema = _libpq(db.engine.url)
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    if schema:
        command.append(f"--schema={schema}")
    _run(command + [f"--dbname={uri}"], "pg_dump")


def _run(command, what):
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        first = (result.stderr or "").strip().splitlines()[:1]
        raise BackupError(f"{what} failed: {first[0] if first else 'exit ' + str(result.returncode)}")


def _revision():
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""
    except Exception:  # noqa: BLE001  (a database made by create_all has no alembic_version)
        db.session.rollback()
        return ""


def _encrypt(source, target, key, meta):
    aead = AESGCM(key)
    header = MAGIC + json.dumps(meta, sort_keys=True).encode() + b"\n"
    target.write(header)
    number, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        nonce = os.urandom(12)
        sealed = aead.encrypt(nonce, chunk, _bound(header, number, last))
        target.write(len(sealed).to_bytes(4, "big") + nonce + sealed)
        if last:
            return
        number, chunk = number + 1, following


def _bound(header, number, last):
    return header + number.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


# Restoring ---------------------------------------------------------------------------------------

def read_meta(path):
    with open(path, "rb") as handle:
        if handle.readline() != MAGIC:
            raise BackupError(f"{path} is not a backup of this application")
        try:
            return json.loads(handle.readline())
        except ValueError:
            raise BackupError(f"{path} is damaged (its description cannot be read)") from None


def _decrypt(path, target, key):
    aead = AESGCM(key)
    with open(path, "rb") as handle:
        header = handle.readline()
        header += handle.readline()
        meta = json.loads(header[len(MAGIC):])
        if meta.get("key") != _fingerprint(key):
            raise BackupError("the backup was made with another backup key (BACKUP_KEY_FILE)")
        number = 0
        while True:
            size = handle.read(4)
            if len(size) < 4:
                raise BackupError(f"{path} is cut short (its last part is missing)")
            nonce, sealed = handle.read(12), handle.read(int.from_bytes(size, "big"))
            for last in (False, True):
                try:
                    target.write(aead.decrypt(nonce, sealed, _bound(header, number, last)))
                except InvalidTag:
                    continue
                if last:
                    if handle.read(1):
                        raise BackupError(f"{path} has data after its end")
                    return meta
                break
            else:
                raise BackupError(f"{path} is damaged or was changed (part {number + 1} does not verify)")
            number += 1


def holds_data():
    """Whether any of the application's tables has a row."""
    existing = set(inspect(db.engine).get_table_names())
    for table in db.metadata.sorted_tables:
        if (table.name in existing and table.name != "audit_chain_head"
                and db.session.execute(select(func.count()).select_from(table)).scalar_one()):
            return True
    return False


def restore(path, force=False):
    """Restore the backup at ``path`` into the configured database."""
    path = Path(path)
    meta = read_meta(path)
    key = _read_key(key_path()) if key_path().exists() else None
    if key is None:
        raise BackupError(f"no backup key at {key_path()}: put the key the backup was made with there")
    backend = db.engine.dialect.name
    if meta.get("backend") != backend:
        raise BackupError(f"the backup is of a {meta.get('backend')} database; this one is {backend}")
    with tempfile.TemporaryDirectory(prefix="coordinator-restore-") as work:
        snapshot = Path(work) / "snapshot"
        with open(snapshot, "wb") as target:
            _decrypt(path, target, key)  # all of it verified before the database is touched
        if not force and holds_data():
            raise BackupError("the database holds data: restore into an empty one, or give --force to replace it")
        db.session.remove()
        db.engine.dispose()
        if backend == "sqlite":
            _sqlite_restore(snapshot)
        else:
            _pg_restore(snapshot)
        db.engine.dispose()
    return meta


def _sqlite_restore(snapshot):
    source = sqlite3.connect(snapshot)
    try:
        destination = sqlite3.connect(db.engine.url.database)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


def _pg_restore(snapshot):
    uri, _schema = _libpq(db.engine.url)
    _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
          "--exit-on-error", f"--dbname={uri}", str(snapshot)], "pg_restore")
