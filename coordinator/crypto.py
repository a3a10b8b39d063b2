"""Field-level encryption for free-text columns (AES-256-GCM).

Every encrypted value is stored as a text token::

    enc1:<key id>:<base64url, no padding, of nonce(12) || ciphertext || tag(16)>

The "1" is FORMAT_VERSION. Each encryption uses a fresh random 96-bit nonce.
The associated data binds the ciphertext to the format version, the key id and
the place where the value is stored (table, column, record id), so a token
copied to another row, column or table, or given another key id in its
header, fails to decrypt.

Keys live either in a directory (one "<id>.key" file per key holding the
base64 key, plus an "ACTIVE" file naming the key used for new encryptions) or
in the COORDINATOR_KEYRING environment value (JSON). This module imports
nothing from the rest of the project.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import hashlib
import hmac
import json
import os
import pathlib
import re
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT_VERSION = 1

_TOKEN_PREFIX = f"enc{FORMAT_VERSION}"
_DOMAIN = b"coordinator"
_KEY_BYTES = 32
_NONCE_BYTES = 12
_TAG_BYTES = 16
_KEY_ID_RE = re.compile(r"[a-z0-9-]{1,40}")
_BASE64URL_RE = re.compile(r"[A-Za-z0-9_-]+")
_KEY_SUFFIX = ".key"
_ACTIVE_FILE = "ACTIVE"


class CryptoError(Exception):
    """Base class for all errors raised by this module."""


class DecryptionError(CryptoError):
    """A token cannot be decrypted: malformed, tampered, wrong context or unknown key."""


class UnknownKeyError(DecryptionError):
    """The token's key id is not in the keyring."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"unknown key id {key_id!r}: not in the keyring")
        self.key_id = key_id


class KeyringError(CryptoError):
    """The keyring cannot be loaded, built or changed."""


# --- encoding helpers ---------------------------------------------------------


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_B64URL_VALUE = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")}
# Unpadded base64url of n bytes ends in 2 or 3 characters for the last 1 or 2 bytes; the
# last character then has 4 or 2 unused low bits, which a canonical encoding keeps at 0.
_UNUSED_BITS = {0: 0, 2: 0b1111, 3: 0b11}


def _b64url_decode_strict(text: str) -> bytes | None:
    """Decode unpadded base64url; None unless `text` is the canonical encoding."""
    unused = _UNUSED_BITS.get(len(text) % 4)
    if unused is None or not _BASE64URL_RE.fullmatch(text):
        return None
    # Reject non-canonical encodings (stray low bits) so one value has one token.
    if unused and _B64URL_VALUE[text[-1]] & unused:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _valid_key_id(key_id: object) -> bool:
    return isinstance(key_id, str) and _KEY_ID_RE.fullmatch(key_id) is not None


def _associated_data(key_id: str, table: str, column: str, record_id: str) -> bytes:
    """Length-prefixed encoding of everything the ciphertext is bound to."""
    if not isinstance(record_id, str):
        raise TypeError(f"record_id must be a str, not {type(record_id).__name__}")
    if not record_id:
        raise ValueError("record_id must not be empty")
    return _associated_prefix(key_id, table, column) + _length_prefixed(record_id)


@functools.lru_cache(maxsize=256)
def _associated_prefix(key_id: str, table: str, column: str) -> bytes:
    """The part of the associated data that is the same for every record of a column."""
    for name, value in (("table", table), ("column", column)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, not {type(value).__name__}")
        if not value:
            raise ValueError(f"{name} must not be empty")
    return _DOMAIN + b"".join(_length_prefixed(v) for v in (_TOKEN_PREFIX, key_id, table, column))


def _length_prefixed(value: str) -> bytes:
    encoded = value.encode("utf-8")
    return len(encoded).to_bytes(4, "big") + encoded


def _parse_token(token: object) -> tuple[str, bytes]:
    """Split a token into (key id, nonce || ciphertext || tag) or raise DecryptionError."""
    if not isinstance(token, str):
        raise DecryptionError("malformed token: not a string")
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != _TOKEN_PREFIX:
        raise DecryptionError(f"malformed token: expected '{_TOKEN_PREFIX}:<key id>:<payload>'")
    key_id, payload = parts[1], parts[2]
    if not _valid_key_id(key_id):
        raise DecryptionError("malformed token: invalid key id")
    blob = _b64url_decode_strict(payload)
    if blob is None:
        raise DecryptionError("malformed token: payload is not canonical unpadded base64url")
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError("malformed token: payload too short")
    return key_id, blob


# --- keyring ------------------------------------------------------------------


class Keyring:
    """A set of AES-256 keys by id, one of which is used for new encryptions."""

    def __init__(self, keys: dict[str, bytes], active_id: str) -> None:
        if not keys:
            raise KeyringError("keyring has no keys")
        for key_id, key in keys.items():
            if not _valid_key_id(key_id):
                raise KeyringError(f"invalid key id {key_id!r}: must match ^[a-z0-9-]{{1,40}}$")
            if not isinstance(key, bytes) or len(key) != _KEY_BYTES:
                raise KeyringError(f"key {key_id!r} must be exactly {_KEY_BYTES} bytes")
        if active_id not in keys:
            raise KeyringError(f"active key {active_id!r} is not in the keyring")
        self._aeads = {key_id: AESGCM(key) for key_id, key in keys.items()}
        # A key of its own per data key, for the blind index of search terms (HKDF, so
        # the index key reveals nothing about the encryption key and the reverse).
        self._index_keys = {key_id: _derive(key, b"coordinator blind index v1") for key_id, key in keys.items()}
        self._active_id = active_id

    @property
    def active_id(self) -> str:
        return self._active_id

    def ids(self) -> list[str]:
        return sorted(self._aeads)

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._aeads

    def __repr__(self) -> str:
        return f"Keyring(active_id={self._active_id!r}, ids={self.ids()!r})"

    def encrypt(self, plaintext: str, *, table: str, column: str, record_id: str) -> str:
        """Encrypt with the active key; the token only decrypts for the same table/column/record."""
        if not isinstance(plaintext, str):
            raise TypeError(f"plaintext must be a str, not {type(plaintext).__name__}")
        key_id = self._active_id
        associated_data = _associated_data(key_id, table, column, record_id)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aeads[key_id].encrypt(nonce, plaintext.encode("utf-8"), associated_data)
        return f"{_TOKEN_PREFIX}:{key_id}:{_b64url_encode(nonce + sealed)}"

    def decrypt(self, token: str, *, table: str, column: str, record_id: str) -> str:
        """Decrypt a token produced by encrypt() for the same table/column/record."""
        key_id, blob = _parse_token(token)
        associated_data = _associated_data(key_id, table, column, record_id)
        aead = self._aeads.get(key_id)
        if aead is None:
            raise UnknownKeyError(key_id)
        try:
            plaintext = aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], associated_data)
            return plaintext.decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            raise DecryptionError(
                f"cannot decrypt value of {table}.{column} for record {record_id!r} with key "
                f"{key_id!r}: authentication failed (tampered, or copied from another place)"
            ) from None

    def blind_index(self, key_id: str, term: str, bits: int) -> int:
        """A keyed hash of ``term`` truncated to ``bits`` bits (CipherSweet's blind index):
        equal terms give equal values, and truncation makes distinct terms collide on
        purpose, so a value never tells which term it came from."""
        digest = hmac.new(self._index_keys[key_id], term.encode("utf-8"), hashlib.sha256).digest()
        return int.from_bytes(digest[:4], "big") >> (32 - bits)

    @staticmethod
    def key_id_of(token: str) -> str:
        """The key id in a token's header (parses the token, does not decrypt)."""
        return _parse_token(token)[0]


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(key)


def generate_key() -> bytes:
    """A new random 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def new_key_id() -> str:
    """A new key id such as 'k20261124-3fa9c1' (UTC date and 24 random bits)."""
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d")
    return f"k{today}-{secrets.token_hex(3)}"


# --- loading and changing a keyring ---------------------------------------------


def _decode_key(text: bytes | str, source: str) -> bytes:
    """Decode a standard base64 key; error messages name the source, never the key."""
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"{source}: key is not valid base64") from None
    if len(key) != _KEY_BYTES:
        raise KeyringError(f"{source}: key must be exactly {_KEY_BYTES} bytes, got {len(key)}")
    return key


def _require_private(path: pathlib.Path, *, directory: bool) -> None:
    """Refuse a missing path, a path of the wrong type, or one open to group/other."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyringError(f"{path} does not exist") from None
    if directory and not path.is_dir():
        raise KeyringError(f"{path} is not a directory")
    if not directory and not path.is_file():
        raise KeyringError(f"{path} is not a regular file")
    if mode & 0o077:
        expected = "0700" if directory else "0600"
        raise KeyringError(
            f"{path} has mode {mode & 0o777:04o}: group/other must have no access "
            f"(use chmod {expected})"
        )


def _read_active_id(keys_dir: pathlib.Path) -> str:
    path = keys_dir / _ACTIVE_FILE
    _require_private(path, directory=False)
    active_id = path.read_bytes().decode("ascii", errors="replace").strip()
    if not _valid_key_id(active_id):
        raise KeyringError(f"{path} does not contain a valid key id")
    return active_id


def _keyring_from_env(env_value: str) -> Keyring:
    source = "COORDINATOR_KEYRING"
    try:
        data = json.loads(env_value)
    except ValueError:
        raise KeyringError(f"{source} is not valid JSON") from None
    if (
        not isinstance(data, dict)
        or set(data) != {"active", "keys"}
        or not isinstance(data["active"], str)
        or not isinstance(data["keys"], dict)
        or not all(isinstance(value, str) for value in data["keys"].values())
    ):
        raise KeyringError(
            f'{source} must be JSON {{"active": "<id>", "keys": {{"<id>": "<base64 key>", ...}}}}'
        )
    keys = {
        key_id: _decode_key(value, f"{source} key {key_id!r}")
        for key_id, value in data["keys"].items()
    }
    return Keyring(keys, data["active"])


def _keyring_from_dir(keys_dir: pathlib.Path) -> Keyring:
    _require_private(keys_dir, directory=True)
    keys = {}
    for path in sorted(keys_dir.glob("*" + _KEY_SUFFIX)):
        key_id = path.name[: -len(_KEY_SUFFIX)]
        if not _valid_key_id(key_id):
            raise KeyringError(f"{path}: file name is not a valid key id (^[a-z0-9-]{{1,40}}$)")
        _require_private(path, directory=False)
        keys[key_id] = _decode_key(path.read_bytes().strip(), str(path))
    if not keys:
        raise KeyringError(f"{keys_dir} contains no key files (*{_KEY_SUFFIX})")
    active_id = _read_active_id(keys_dir)
    if active_id not in keys:
        raise KeyringError(
            f"{keys_dir / _ACTIVE_FILE} names key {active_id!r}, but {active_id}{_KEY_SUFFIX} is missing"
        )
    return Keyring(keys, active_id)


def load_keyring(keys_dir: pathlib.Path | None, env_value: str | None) -> Keyring:
    """Load from env_value (COORDINATOR_KEYRING JSON) if set, otherwise from keys_dir."""
    if env_value:
        return _keyring_from_env(env_value)
    if keys_dir is None:
        raise KeyringError("no keyring configured: set COORDINATOR_KEYRING or a keys directory")
    return _keyring_from_dir(pathlib.Path(keys_dir))


def _fsync_dir(directory: pathlib.Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_new_private_file(path: pathlib.Path, content: str) -> None:
    """Create `path` (must not exist) with mode 0600, write `content` and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, content.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def add_key(keys_dir: pathlib.Path, *, make_active: bool = True) -> str:
    """Write a new key file and, if make_active, point ACTIVE at it. Returns the new id.

    A crash between the two steps leaves an unused key and the old active key.
    """
    keys_dir = pathlib.Path(keys_dir)
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _require_private(keys_dir, directory=True)
    key_id = new_key_id()
    key_text = base64.b64encode(generate_key()).decode("ascii") + "\n"
    _write_new_private_file(keys_dir / f"{key_id}{_KEY_SUFFIX}", key_text)
    _fsync_dir(keys_dir)
    if make_active:
        temp = keys_dir / f".{_ACTIVE_FILE}.{secrets.token_hex(8)}.tmp"
        try:
            _write_new_private_file(temp, key_id + "\n")
            os.replace(temp, keys_dir / _ACTIVE_FILE)
        finally:
            temp.unlink(missing_ok=True)
        _fsync_dir(keys_dir)
    return key_id


def remove_key(keys_dir: pathlib.Path, key_id: str) -> None:
    """Delete a key file; refuses the active key. Callers check no value still uses it."""
    keys_dir = pathlib.Path(keys_dir)
    if not _valid_key_id(key_id):
        raise KeyringError(f"invalid key id {key_id!r}")
    _require_private(keys_dir, directory=True)
    if key_id == _read_active_id(keys_dir):
        raise KeyringError(f"refusing to remove {key_id!r}: it is the active key")
    path = keys_dir / f"{key_id}{_KEY_SUFFIX}"
    try:
        path.unlink()
    except FileNotFoundError:
        raise KeyringError(f"{path} does not exist") from None
    _fsync_dir(keys_dir)
