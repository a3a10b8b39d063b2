"""Encrypted model fields, declared in one line::

    class Consultation(PublicIdMixin, db.Model):
        situation = encrypted_text("situation")

The attribute reads and writes plain ``str`` (or ``None``); the column holds an
AES-256-GCM token from :mod:`coordinator.crypto` bound to the table, the column
and the record's UUID. A value that cannot be decrypted never breaks a page: it
reads as :class:`Unreadable` ("Innehållet kan inte visas") and a security event
goes to the audit trail.
"""
import logging
import os
from pathlib import Path

from blinker import signal
from flask import current_app, g, has_app_context
from sqlalchemy import Text
from sqlalchemy.orm import mapped_column

from . import crypto

log = logging.getLogger(__name__)

UNREADABLE_TEXT = "Innehållet kan inte visas"

# Every encrypted field of every model, for key rotation and status.
REGISTRY = []

# Sent with the record, table and column when a stored value cannot be decrypted
# (the audit trail records it as a security event).
decrypt_failed = signal("decrypt-failed")


class Unreadable(str):
    """Stands in for a value that failed to decrypt; never written back."""

    def __new__(cls):
        from flask_babel import gettext

        return super().__new__(cls, gettext(UNREADABLE_TEXT))


class KeyringHolder:
    """The application's keyring, kept in step with the keys directory.

    Every use checks the directory's modification time (one ``stat``): when
    ``keys rotate`` or ``keys retire`` changed it, in this process or another,
    the keyring is reloaded first. So no server keeps encrypting with a key
    that has been rotated away or retired, and rotation needs no restart.
    """

    def __init__(self, keys_dir, env_value):
        self.keys_dir = Path(keys_dir) if keys_dir else None
        self.env_value = env_value
        self.reload()

    def _stamp(self):
        if self.from_environment or self.keys_dir is None:
            return None
        try:
            return os.stat(self.keys_dir).st_mtime_ns
        except OSError:
            return None

    def reload(self):
        self.stamp = self._stamp()
        self.keyring = crypto.load_keyring(self.keys_dir, self.env_value)
        return self.keyring

    def current(self):
        """The keyring, reloaded first if the keys directory changed since it was read.
        Checked once per request (per application context), not for every value."""
        if has_app_context():
            if g.get("_keyring_checked") is self:
                return self.keyring
            g._keyring_checked = self
        if self._stamp() != self.stamp:
            self.reload()
        return self.keyring

    @property
    def from_environment(self):
        return bool(self.env_value)


def init_app(app):
    from . import ConfigurationError

    env_value = os.environ.get("COORDINATOR_KEYRING") or None
    app.config.pop("KEYRING", None)  # never keep key material in the config
    try:
        app.extensions["keyring"] = KeyringHolder(app.config["KEYS_DIR"], env_value)
    except crypto.KeyringError as exc:
        raise ConfigurationError(
            f"Encryption keys cannot be loaded: {exc}. Keys live in {app.config['KEYS_DIR']} "
            "(directory 0700, files 0600) or in COORDINATOR_KEYRING; `make instance` creates the "
            "first key for a local run. A missing key is never generated silently."
        ) from None


def holder() -> KeyringHolder:
    return current_app.extensions["keyring"]


def encrypt(plaintext, *, table, column, record_id):
    return holder().current().encrypt(plaintext, table=table, column=column, record_id=str(record_id))


def decrypt(token, *, table, column, record_id):
    keys = holder()
    try:
        return keys.current().decrypt(token, table=table, column=column, record_id=str(record_id))
    except crypto.UnknownKeyError:
        # Written under a key added since this request checked the keyring (a rotation
        # elsewhere): read the keys again, once.
        return keys.reload().decrypt(token, table=table, column=column, record_id=str(record_id))


class EncryptedField:
    """Descriptor behind :func:`encrypted_text`; adds the ciphertext column to the model."""

    def __init__(self, column):
        self.column = column

    def __set_name__(self, owner, name):
        self.owner = owner
        self.name = name
        self.storage = f"{name}_ciphertext"
        setattr(owner, self.storage, mapped_column(self.column, Text, nullable=True))
        REGISTRY.append(self)

    @property
    def table(self):
        return self.owner.__tablename__

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        token = getattr(obj, self.storage)
        if token is None:
            return None
        cache = obj.__dict__.setdefault("_decrypted", {})
        if cache.get(self.name, (None,))[0] != token:
            cache[self.name] = (token, self._decrypt(obj, token))
        return cache[self.name][1]

    def _decrypt(self, obj, token):
        try:
            return decrypt(token, table=self.table, column=self.column, record_id=obj.ensure_uuid())
        except crypto.DecryptionError:
            log.warning("value of %s.%s in record %s could not be decrypted", self.table, self.column, obj.uuid)
            decrypt_failed.send(obj, table=self.table, column=self.column)
            return Unreadable()

    def __set__(self, obj, value):
        if isinstance(value, Unreadable):
            raise ValueError("an unreadable value cannot be saved back")
        if value is None:
            setattr(obj, self.storage, None)
            return
        if not isinstance(value, str):
            raise TypeError(f"{self.name} takes str or None")
        token = encrypt(value, table=self.table, column=self.column, record_id=obj.ensure_uuid())
        setattr(obj, self.storage, token)
        obj.__dict__.setdefault("_decrypted", {})[self.name] = (token, value)


def fields_of(model):
    """Attribute names of the encrypted fields of ``model``, in declaration order."""
    return [f.name for f in REGISTRY if issubclass(model, f.owner)]


def encrypted_text(column):
    """An encrypted free-text attribute stored in the column named ``column``."""
    return EncryptedField(column)
