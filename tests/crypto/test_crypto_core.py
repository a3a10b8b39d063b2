"""Tests for coordinator.crypto: tokens, associated data, keyring loading and rotation."""

import base64
import json
import re
import stat

import pytest

from coordinator.crypto import (
    FORMAT_VERSION,
    CryptoError,
    DecryptionError,
    Keyring,
    KeyringError,
    UnknownKeyError,
    add_key,
    generate_key,
    load_keyring,
    new_key_id,
    remove_key,
)

KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))
CONTEXT = {"table": "consultation", "column": "description", "record_id": "3f2a-0001"}
LONG_TEXT = (
    "Årlig översyn av ärendet: får ökad vård i hemmet. "
    "🙂👨‍👩‍👧 "
    "مرحبا بالعالم، هذا نص تجريبي "
    "Ω≈ç√∫ "
) * 200
LONG_TEXT = LONG_TEXT[:10_000]


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def split_token(token: str) -> tuple[str, str, bytes]:
    prefix, key_id, payload = token.split(":")
    return prefix, key_id, base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))


def join_token(prefix: str, key_id: str, blob: bytes) -> str:
    return f"{prefix}:{key_id}:" + base64.urlsafe_b64encode(blob).rstrip(b"=").decode("ascii")


def mode_of(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_private(path, text: str, mode: int = 0o600) -> None:
    path.write_text(text)
    path.chmod(mode)


def make_keys_dir(tmp_path, keys: dict[str, bytes], active: str):
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir(mode=0o700)
    keys_dir.chmod(0o700)
    for key_id, key in keys.items():
        write_private(keys_dir / f"{key_id}.key", b64(key) + "\n")
    write_private(keys_dir / "ACTIVE", active + "\n")
    return keys_dir


@pytest.fixture
def keyring():
    return Keyring({"ka": KEY_A, "kb": KEY_B}, "ka")


# --- round trip and token format ----------------------------------------------


def test_long_text_fixture_is_what_it_claims():
    """The long test text is 10,000 characters mixing Swedish, emoji and Arabic."""
    assert len(LONG_TEXT) == 10_000
    assert "å" in LONG_TEXT and "ö" in LONG_TEXT and "🙂" in LONG_TEXT and "مرحبا" in LONG_TEXT


@pytest.mark.parametrize("plaintext", ["", "hej", "Åsa på Öland äter", LONG_TEXT])
def test_round_trip(keyring, plaintext):
    """Encrypting then decrypting in the same place returns the exact text, including ""."""
    token = keyring.encrypt(plaintext, **CONTEXT)
    assert isinstance(token, str)
    assert plaintext == "" or plaintext[:20] not in token
    assert keyring.decrypt(token, **CONTEXT) == plaintext


def test_same_plaintext_gives_different_tokens(keyring):
    """Two encryptions of the same text differ (fresh random nonce) and both decrypt."""
    first = keyring.encrypt("samma text", **CONTEXT)
    second = keyring.encrypt("samma text", **CONTEXT)
    assert first != second
    assert split_token(first)[2][:12] != split_token(second)[2][:12]
    assert keyring.decrypt(first, **CONTEXT) == keyring.decrypt(second, **CONTEXT) == "samma text"


def test_token_carries_version_and_active_key_id(keyring):
    """A token reads enc1:<active key id>:<nonce||ciphertext||tag in unpadded base64url>."""
    assert FORMAT_VERSION == 1
    token = keyring.encrypt("abc", **CONTEXT)
    prefix, key_id, blob = split_token(token)
    assert prefix == f"enc{FORMAT_VERSION}"
    assert key_id == "ka" == keyring.active_id
    assert Keyring.key_id_of(token) == "ka"
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token.split(":")[2])
    assert len(blob) == 12 + len("abc") + 16


def test_encrypt_uses_the_active_key():
    """Changing which key is active changes the key id written into new tokens."""
    ring = Keyring({"ka": KEY_A, "kb": KEY_B}, "kb")
    assert Keyring.key_id_of(ring.encrypt("x", **CONTEXT)) == "kb"


def test_encrypt_rejects_non_string_and_empty_context(keyring):
    """Plaintext and context must be str, and context parts must not be empty."""
    with pytest.raises(TypeError):
        keyring.encrypt(b"bytes", **CONTEXT)
    with pytest.raises(TypeError):
        keyring.encrypt("x", **{**CONTEXT, "record_id": 7})
    for name in CONTEXT:
        with pytest.raises(ValueError):
            keyring.encrypt("x", **{**CONTEXT, name: ""})


# --- associated data binding --------------------------------------------------


@pytest.mark.parametrize(
    "changed",
    [
        {"record_id": "3f2a-0002"},
        {"column": "notes"},
        {"table": "partner"},
    ],
    ids=["other-record", "other-column", "other-table"],
)
def test_token_is_bound_to_table_column_and_record(keyring, changed):
    """A token copied to another record, column or table fails to decrypt."""
    token = keyring.encrypt("hemligt", **CONTEXT)
    with pytest.raises(DecryptionError):
        keyring.decrypt(token, **{**CONTEXT, **changed})


def test_context_components_are_unambiguous(keyring):
    """Moving a separator-like character between table and column is still another context."""
    token = keyring.encrypt("x", table="a|b", column="c", record_id="1")
    with pytest.raises(DecryptionError):
        keyring.decrypt(token, table="a", column="b|c", record_id="1")
    token = keyring.encrypt("x", table="ab", column="c", record_id="1")
    with pytest.raises(DecryptionError):
        keyring.decrypt(token, table="a", column="bc", record_id="1")


def test_every_single_bit_flip_in_payload_fails(keyring):
    """Flipping any bit of nonce, ciphertext or tag makes decryption fail."""
    token = keyring.encrypt("känslig uppgift", **CONTEXT)
    prefix, key_id, blob = split_token(token)
    for position in range(len(blob)):
        for bit in range(8):
            tampered = bytearray(blob)
            tampered[position] ^= 1 << bit
            with pytest.raises(DecryptionError):
                keyring.decrypt(join_token(prefix, key_id, bytes(tampered)), **CONTEXT)
    assert keyring.decrypt(join_token(prefix, key_id, blob), **CONTEXT) == "känslig uppgift"


def test_truncated_or_extended_payload_fails(keyring):
    """Removing the last byte or appending a byte makes decryption fail."""
    prefix, key_id, blob = split_token(keyring.encrypt("text", **CONTEXT))
    for changed in (blob[:-1], blob + b"\x00", blob[1:]):
        with pytest.raises(DecryptionError):
            keyring.decrypt(join_token(prefix, key_id, changed), **CONTEXT)


def test_changing_key_id_in_header_fails_even_with_same_key_material():
    """The key id is authenticated: relabelling a token fails even if both ids hold one key."""
    ring = Keyring({"ka": KEY_A, "kb": KEY_A}, "ka")
    prefix, _, blob = split_token(ring.encrypt("text", **CONTEXT))
    relabelled = join_token(prefix, "kb", blob)
    with pytest.raises(DecryptionError) as excinfo:
        ring.decrypt(relabelled, **CONTEXT)
    assert not isinstance(excinfo.value, UnknownKeyError)


def test_decrypting_with_wrong_key_material_fails(keyring):
    """A token whose key id exists but holds other key material does not decrypt."""
    token = keyring.encrypt("text", **CONTEXT)
    other = Keyring({"ka": KEY_B}, "ka")
    with pytest.raises(DecryptionError):
        other.decrypt(token, **CONTEXT)


def test_unknown_key_id_raises_unknown_key_error(keyring):
    """A token from a key that is not in the keyring raises UnknownKeyError with .key_id."""
    token = Keyring({"k-gone": KEY_A}, "k-gone").encrypt("text", **CONTEXT)
    with pytest.raises(UnknownKeyError) as excinfo:
        keyring.decrypt(token, **CONTEXT)
    assert excinfo.value.key_id == "k-gone"
    assert isinstance(excinfo.value, DecryptionError)
    assert "k-gone" in str(excinfo.value)


def _malformed_tokens():
    valid = Keyring({"ka": KEY_A}, "ka").encrypt("text", **CONTEXT)
    prefix, key_id, payload = valid.split(":")
    short = base64.urlsafe_b64encode(b"\x00" * 27).rstrip(b"=").decode()
    return {
        "empty": "",
        "plain-text": "just some text",
        "no-prefix": f"{key_id}:{payload}",
        "wrong-version": f"enc2:{key_id}:{payload}",
        "uppercase-prefix": f"ENC1:{key_id}:{payload}",
        "bad-base64-char": f"{prefix}:{key_id}:{payload[:5]}*{payload[6:]}",
        "standard-base64-alphabet": f"{prefix}:{key_id}:{payload[:5]}+{payload[6:]}",
        "padded": f"{prefix}:{key_id}:{payload}" + "=" * (-len(payload) % 4 or 4),
        "impossible-length": f"{prefix}:{key_id}:" + "A" * 41,
        "too-short": f"{prefix}:{key_id}:{short}",
        "empty-payload": f"{prefix}:{key_id}:",
        "empty-key-id": f"{prefix}::{payload}",
        "bad-key-id": f"{prefix}:KA:{payload}",
        "extra-field": f"{prefix}:{key_id}:{payload}:x",
        "trailing-newline": valid + "\n",
        "not-a-string": valid.encode(),
    }


MALFORMED = _malformed_tokens()


@pytest.mark.parametrize("token", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_tokens_raise_decryption_error(token):
    """Tokens that do not follow enc1:<id>:<canonical base64url> are rejected, not decrypted."""
    ring = Keyring({"ka": KEY_A}, "ka")
    with pytest.raises(DecryptionError):
        ring.decrypt(token, **CONTEXT)
    with pytest.raises(DecryptionError):
        Keyring.key_id_of(token)


def test_non_canonical_base64_is_rejected():
    """A payload whose unused trailing bits are set (decodes to the same bytes) is rejected."""
    ring = Keyring({"ka": KEY_A}, "ka")
    token = ring.encrypt("a", **CONTEXT)  # 29 bytes -> 39 chars, last char has 2 unused bits
    prefix, key_id, payload = token.split(":")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(payload[-1])
    sloppy = payload[:-1] + alphabet[last | 0b01]
    if sloppy == payload:
        sloppy = payload[:-1] + alphabet[last & ~0b01]
    assert split_token(f"{prefix}:{key_id}:{sloppy}")[2] == split_token(token)[2]
    with pytest.raises(DecryptionError):
        ring.decrypt(f"{prefix}:{key_id}:{sloppy}", **CONTEXT)


# --- Keyring construction -----------------------------------------------------


def test_keyring_basics(keyring):
    """ids() is sorted, `in` tests key ids, and active_id is reported."""
    assert keyring.ids() == ["ka", "kb"]
    assert "ka" in keyring and "kb" in keyring and "kc" not in keyring
    assert keyring.active_id == "ka"


@pytest.mark.parametrize(
    "keys, active",
    [
        ({}, "ka"),
        ({"ka": KEY_A[:16]}, "ka"),
        ({"ka": KEY_A + b"\x00"}, "ka"),
        ({"ka": b64(KEY_A)}, "ka"),
        ({"ka": KEY_A}, "kb"),
        ({"KA": KEY_A}, "KA"),
        ({"k:a": KEY_A}, "k:a"),
        ({"k" * 41: KEY_A}, "k" * 41),
    ],
    ids=["no-keys", "16-bytes", "33-bytes", "str-key", "active-missing", "uppercase-id",
         "colon-id", "id-too-long"],
)
def test_keyring_constructor_validates(keys, active):
    """Keys must be exactly 32 bytes under valid ids, and the active id must be present."""
    with pytest.raises(KeyringError):
        Keyring(keys, active)


def test_generate_key_and_new_key_id():
    """generate_key gives 32 random bytes; new_key_id gives distinct ids in the allowed alphabet."""
    assert len(generate_key()) == 32
    assert generate_key() != generate_key()
    ids = {new_key_id() for _ in range(50)}
    assert len(ids) == 50
    for key_id in ids:
        assert re.fullmatch(r"k\d{8}-[0-9a-f]{6}", key_id)
        assert re.fullmatch(r"[a-z0-9-]{1,40}", key_id)


# --- load_keyring ---------------------------------------------------------------


def test_load_keyring_from_directory(tmp_path):
    """Key files and ACTIVE in a private directory load into a working keyring."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A, "kb": KEY_B}, "kb")
    ring = load_keyring(keys_dir, None)
    assert ring.ids() == ["ka", "kb"]
    assert ring.active_id == "kb"
    token = Keyring({"ka": KEY_A}, "ka").encrypt("från fil", **CONTEXT)
    assert ring.decrypt(token, **CONTEXT) == "från fil"


def test_load_keyring_ignores_non_key_files(tmp_path):
    """Files that are not *.key or ACTIVE (e.g. a leftover temp file) are ignored."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A}, "ka")
    (keys_dir / ".ACTIVE.0123.tmp").write_text("junk")
    assert load_keyring(keys_dir, None).ids() == ["ka"]


def test_load_keyring_from_env(tmp_path):
    """COORDINATOR_KEYRING JSON loads without any directory."""
    env = json.dumps({"active": "ka", "keys": {"ka": b64(KEY_A), "kb": b64(KEY_B)}})
    ring = load_keyring(None, env)
    assert ring.ids() == ["ka", "kb"] and ring.active_id == "ka"
    token = Keyring({"kb": KEY_B}, "kb").encrypt("från miljön", **CONTEXT)
    assert ring.decrypt(token, **CONTEXT) == "från miljön"
    assert load_keyring(tmp_path / "does-not-exist", env).active_id == "ka"


def test_env_wins_over_directory_and_empty_env_falls_back(tmp_path):
    """A non-empty env value is used instead of the directory; "" or None uses the directory."""
    keys_dir = make_keys_dir(tmp_path, {"kdir": KEY_A}, "kdir")
    env = json.dumps({"active": "kenv", "keys": {"kenv": b64(KEY_B)}})
    assert load_keyring(keys_dir, env).ids() == ["kenv"]
    assert load_keyring(keys_dir, "").ids() == ["kdir"]
    assert load_keyring(keys_dir, None).ids() == ["kdir"]


@pytest.mark.parametrize(
    "env",
    [
        "not json",
        "[]",
        json.dumps({"keys": {"ka": b64(KEY_A)}}),
        json.dumps({"active": "ka"}),
        json.dumps({"active": "ka", "keys": {"ka": b64(KEY_A)}, "extra": 1}),
        json.dumps({"active": "ka", "keys": {"ka": "not*base64"}}),
        json.dumps({"active": "ka", "keys": {"ka": b64(KEY_A[:16])}}),
        json.dumps({"active": "ka", "keys": {"ka": 123}}),
        json.dumps({"active": "kb", "keys": {"ka": b64(KEY_A)}}),
        json.dumps({"active": "ka", "keys": {}}),
    ],
    ids=["not-json", "not-object", "no-active", "no-keys", "extra-field", "bad-base64",
         "16-byte-key", "non-string-key", "active-missing", "empty-keys"],
)
def test_malformed_env_is_refused(env):
    """A malformed COORDINATOR_KEYRING raises KeyringError naming the variable."""
    with pytest.raises(KeyringError) as excinfo:
        load_keyring(None, env)
    assert b64(KEY_A) not in str(excinfo.value)


@pytest.mark.parametrize(
    "target, mode",
    [("ka.key", 0o644), ("ka.key", 0o640), ("ka.key", 0o602), ("ACTIVE", 0o640),
     ("ACTIVE", 0o604), (".", 0o755), (".", 0o750), (".", 0o701)],
    ids=["key-0644", "key-0640", "key-0602", "active-0640", "active-0604", "dir-0755",
         "dir-0750", "dir-0701"],
)
def test_refuses_group_or_other_access(tmp_path, target, mode):
    """A key file, ACTIVE or the directory open to group/other is refused, naming the path."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A}, "ka")
    load_keyring(keys_dir, None)  # baseline: private modes load fine
    path = keys_dir / target
    path.chmod(mode)
    with pytest.raises(KeyringError) as excinfo:
        load_keyring(keys_dir, None)
    named = keys_dir if target == "." else path
    assert str(named) in str(excinfo.value)
    assert f"{mode:04o}" in str(excinfo.value)


def test_refuses_missing_and_empty_directory(tmp_path):
    """A missing keys directory, or one without key files, is refused."""
    with pytest.raises(KeyringError, match="does not exist"):
        load_keyring(tmp_path / "missing", None)
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o700)
    empty.chmod(0o700)
    with pytest.raises(KeyringError, match="no key files"):
        load_keyring(empty, None)


def test_refuses_no_configuration():
    """Neither env value nor directory is refused."""
    with pytest.raises(KeyringError):
        load_keyring(None, None)
    with pytest.raises(KeyringError):
        load_keyring(None, "")


def test_refuses_active_naming_absent_key(tmp_path):
    """ACTIVE naming a key without a key file is refused."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A}, "kb")
    with pytest.raises(KeyringError, match="ACTIVE"):
        load_keyring(keys_dir, None)


def test_refuses_missing_or_invalid_active(tmp_path):
    """A missing ACTIVE file, or one not holding a valid key id, is refused."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A}, "ka")
    write_private(keys_dir / "ACTIVE", "../ka\n")
    with pytest.raises(KeyringError, match="ACTIVE"):
        load_keyring(keys_dir, None)
    (keys_dir / "ACTIVE").unlink()
    with pytest.raises(KeyringError, match="ACTIVE"):
        load_keyring(keys_dir, None)


@pytest.mark.parametrize(
    "content",
    [b64(KEY_A[:16]), b64(KEY_A + b"\x01"), "not base64!", "", b64(KEY_A)[:-4]],
    ids=["16-bytes", "33-bytes", "not-base64", "empty", "truncated"],
)
def test_refuses_malformed_key_file(tmp_path, content):
    """A key file that is not base64 of exactly 32 bytes is refused, naming the file only."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A}, "ka")
    write_private(keys_dir / "ka.key", content + "\n")
    with pytest.raises(KeyringError) as excinfo:
        load_keyring(keys_dir, None)
    message = str(excinfo.value)
    assert "ka.key" in message
    if content:
        assert content not in message


def test_refuses_key_file_with_invalid_id(tmp_path):
    """A *.key file whose name is not a valid key id is refused rather than ignored."""
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A}, "ka")
    write_private(keys_dir / "Bad_Name.key", b64(KEY_B))
    with pytest.raises(KeyringError, match="Bad_Name.key"):
        load_keyring(keys_dir, None)


# --- add_key / remove_key --------------------------------------------------------


def test_add_key_creates_private_dir_and_files(tmp_path):
    """add_key creates the directory 0700, the key file 0600 and ACTIVE 0600 naming the key."""
    keys_dir = tmp_path / "instance" / "keys"
    key_id = add_key(keys_dir)
    assert re.fullmatch(r"[a-z0-9-]{1,40}", key_id)
    assert mode_of(keys_dir) == 0o700
    assert mode_of(keys_dir / f"{key_id}.key") == 0o600
    assert mode_of(keys_dir / "ACTIVE") == 0o600
    assert (keys_dir / "ACTIVE").read_text().strip() == key_id
    assert len(base64.b64decode((keys_dir / f"{key_id}.key").read_text().strip())) == 32
    assert sorted(p.name for p in keys_dir.iterdir()) == sorted(["ACTIVE", f"{key_id}.key"])
    ring = load_keyring(keys_dir, None)
    assert ring.ids() == [key_id] and ring.active_id == key_id


def test_add_key_rotates_and_old_key_still_decrypts(tmp_path):
    """A second add_key flips ACTIVE; tokens made with the old key still decrypt."""
    keys_dir = tmp_path / "keys"
    old_id = add_key(keys_dir)
    old_token = load_keyring(keys_dir, None).encrypt("gammal", **CONTEXT)
    new_id = add_key(keys_dir)
    assert new_id != old_id
    ring = load_keyring(keys_dir, None)
    assert ring.active_id == new_id
    assert ring.ids() == sorted([old_id, new_id])
    assert ring.decrypt(old_token, **CONTEXT) == "gammal"
    assert Keyring.key_id_of(ring.encrypt("ny", **CONTEXT)) == new_id
    assert mode_of(keys_dir / "ACTIVE") == 0o600
    assert not [p for p in keys_dir.iterdir() if p.name.endswith(".tmp")]


def test_add_key_without_activation_keeps_active(tmp_path):
    """add_key(make_active=False) adds a key but leaves ACTIVE unchanged."""
    keys_dir = tmp_path / "keys"
    first = add_key(keys_dir)
    second = add_key(keys_dir, make_active=False)
    ring = load_keyring(keys_dir, None)
    assert ring.active_id == first
    assert second in ring


def test_add_key_refuses_open_existing_directory(tmp_path):
    """add_key will not write a key into an existing directory open to group/other."""
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    keys_dir.chmod(0o755)
    with pytest.raises(KeyringError):
        add_key(keys_dir)
    assert list(keys_dir.iterdir()) == []


def test_remove_key_refuses_active_and_removes_others(tmp_path):
    """remove_key refuses the active key; removing an old key makes its tokens unknown."""
    keys_dir = tmp_path / "keys"
    old_id = add_key(keys_dir)
    old_token = load_keyring(keys_dir, None).encrypt("gammal", **CONTEXT)
    new_id = add_key(keys_dir)
    with pytest.raises(KeyringError, match="active"):
        remove_key(keys_dir, new_id)
    assert (keys_dir / f"{new_id}.key").exists()
    remove_key(keys_dir, old_id)
    assert not (keys_dir / f"{old_id}.key").exists()
    ring = load_keyring(keys_dir, None)
    assert ring.ids() == [new_id]
    with pytest.raises(UnknownKeyError):
        ring.decrypt(old_token, **CONTEXT)


def test_remove_key_rejects_unknown_and_invalid_ids(tmp_path):
    """remove_key refuses ids without a file and ids that could escape the directory."""
    keys_dir = tmp_path / "keys"
    add_key(keys_dir)
    outside = tmp_path / "victim.key"
    outside.write_text("x")
    with pytest.raises(KeyringError):
        remove_key(keys_dir, "k-missing")
    with pytest.raises(KeyringError):
        remove_key(keys_dir, "../victim")
    assert outside.exists()


# --- no key material in repr or messages ---------------------------------------------


def _key_renderings(key: bytes) -> list[str]:
    return [
        b64(key),
        base64.urlsafe_b64encode(key).decode(),
        b64(key)[:20],
        key.hex(),
        repr(key)[2:-1],
    ]


def test_repr_never_shows_key_material(keyring):
    """repr() and str() of a keyring show ids only, never the keys in any encoding."""
    for text in (repr(keyring), str(keyring)):
        assert "ka" in text and "kb" in text
        for key in (KEY_A, KEY_B):
            for rendering in _key_renderings(key):
                assert rendering not in text


def test_error_messages_never_show_key_material_or_plaintext(tmp_path, keyring):
    """Messages of decryption and keyring errors contain no key bytes and no plaintext."""
    secret_text = "Personnummer 19121212-1212 hos Åsa"
    token = keyring.encrypt(secret_text, **CONTEXT)
    prefix, key_id, blob = split_token(token)
    errors: list[CryptoError] = []

    def collect(call):
        with pytest.raises(CryptoError) as excinfo:
            call()
        errors.append(excinfo.value)

    collect(lambda: keyring.decrypt(token, **{**CONTEXT, "record_id": "other"}))
    collect(lambda: keyring.decrypt(join_token(prefix, key_id, blob[:-1] + b"\x00"), **CONTEXT))
    collect(lambda: keyring.decrypt(join_token(prefix, "kb", blob), **CONTEXT))
    collect(lambda: Keyring({"kx": KEY_B}, "kx").decrypt(token, **CONTEXT))
    collect(lambda: keyring.decrypt(token[:-3] + "***", **CONTEXT))
    collect(lambda: Keyring({"ka": KEY_A[:31]}, "ka"))
    collect(lambda: Keyring({"ka": KEY_A}, "kb"))
    collect(lambda: load_keyring(None, json.dumps({"active": "kb", "keys": {"ka": b64(KEY_A)}})))
    collect(lambda: load_keyring(None, '{"active": "ka", "keys": {"ka": "' + b64(KEY_A) + '"'))
    collect(lambda: load_keyring(None, json.dumps({"active": "ka", "keys": {"ka": b64(KEY_A)[:-2]}})))
    keys_dir = make_keys_dir(tmp_path, {"ka": KEY_A, "kb": KEY_B}, "kc")
    collect(lambda: load_keyring(keys_dir, None))
    (keys_dir / "kb.key").chmod(0o644)
    collect(lambda: load_keyring(keys_dir, None))
    write_private(keys_dir / "kb.key", b64(KEY_B) + b64(KEY_A))
    collect(lambda: load_keyring(keys_dir, None))

    assert len(errors) == 13
    for error in errors:
        message = str(error) + repr(error)
        assert secret_text not in message and "19121212" not in message
        for key in (KEY_A, KEY_B):
            for rendering in _key_renderings(key):
                assert rendering not in message, f"{type(error).__name__}: {message}"
        # No chained low-level exception is shown in tracebacks either.
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__
