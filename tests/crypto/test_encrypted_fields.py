"""Encrypted model fields: round trips, binding to row and column, failures
that never crash a page, and no plaintext at rest (SQLite file, WAL, PostgreSQL)."""
import logging

import pytest
from sqlalchemy import select, text

from coordinator import ConfigurationError, create_app, crypto
from coordinator.audit.models import AuditEvent
from coordinator.consultations.models import Consultation
from coordinator.encryption import UNREADABLE_TEXT, Unreadable
from coordinator.extensions import db

from ..conftest import base_config
from ..factories import make_consultation, make_user
from .every_field import fill_every_encrypted_field

MARKER = "Hemligt-innehåll-7Q2ZX"


def _fresh(consultation_id):
    db.session.expire_all()
    return db.session.get(Consultation, consultation_id)


def _raw(column, consultation_id):
    return db.session.execute(
        text(f"SELECT {column} FROM consultations WHERE id = :id"), {"id": consultation_id}
    ).scalar_one()


def test_round_trip_empty_and_long_unicode(app):
    """Empty text and 10,000 characters of mixed scripts come back exactly."""
    long_text = ("Åsa-Nisse är inte här; ärendet gäller 16-åringen 😊 مرحبا ") * 180
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        c = make_consultation(coordinator, situation="", advice=long_text[:10000])
        again = _fresh(c.id)
        assert again.situation == ""
        assert again.advice == long_text[:10000]
        assert _raw("situation", c.id).startswith("enc1:")


def test_none_stays_null(app):
    """None is stored as NULL, not as an encrypted empty string."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        c = make_consultation(coordinator, advice=None)
        assert _raw("advice", c.id) is None
        assert _fresh(c.id).advice is None


def test_ciphertext_moved_to_another_row_or_column_does_not_decrypt(app):
    """A token copied to another record, or to another column of the same record,
    reads as 'Innehållet kan inte visas' and writes a security audit event."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        a = make_consultation(coordinator, situation="Text A om skolan.")
        b = make_consultation(coordinator, situation="Text B om fritidsgården.", advice="Råd B.")
        token_a = _raw("situation", a.id)
        db.session.execute(text("UPDATE consultations SET situation = :t WHERE id = :id"), {"t": token_a, "id": b.id})
        db.session.execute(text("UPDATE consultations SET advice = :t WHERE id = :id"), {"t": token_a, "id": a.id})
        db.session.commit()
        moved_row = _fresh(b.id).situation
        moved_column = _fresh(a.id).advice
        assert isinstance(moved_row, Unreadable) and moved_row == UNREADABLE_TEXT
        assert isinstance(moved_column, Unreadable)
        assert _fresh(a.id).situation == "Text A om skolan."
        db.session.commit()  # the security events are appended when the transaction commits
        events = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "security.decrypt_failed")
        ).scalars().all()
        assert {e.detail for e in events} == {"consultations.situation", "consultations.advice"}


def test_tampered_or_unknown_key_shows_placeholder_on_the_page(app, client, auth):
    """A tampered value and a value under an unknown key id show the placeholder; no 500."""
    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        c = make_consultation(coordinator, situation="Originaltext.", advice="Råd.")
        token = _raw("situation", c.id)
        flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
        _prefix, key_id, payload = _raw("advice", c.id).split(":")
        db.session.execute(
            text("UPDATE consultations SET situation = :s, advice = :a WHERE id = :id"),
            {"s": flipped, "a": f"enc1:kunknown-000000:{payload}", "id": c.id},
        )
        db.session.commit()
        uuid = c.uuid
    auth.login("s@gavle.example")
    response = client.get(f"/consultations/{uuid}")
    assert response.status_code == 200
    assert response.get_data(as_text=True).count(UNREADABLE_TEXT) == 2


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_plaintext_in_sqlite_file_or_wal(app_factory, tmp_path):
    """A raw read of the SQLite database file and its WAL finds no plaintext of any
    encrypted field (every field of the registry is filled)."""
    app = app_factory()
    with app.app_context():
        written = fill_every_encrypted_field(MARKER)
        raw = b""
        for suffix in ("", "-wal"):
            path = tmp_path / f"test.sqlite3{suffix}"
            if path.exists():
                raw += path.read_bytes()
        assert b"enc1:" in raw  # the values are there, encrypted
        for encoding in ("utf-8", "utf-16-le"):
            assert MARKER.encode(encoding) not in raw
        assert len(written) >= 5


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_no_plaintext_in_postgresql_row(app_factory):
    """Every PostgreSQL row that holds an encrypted field, read as text, holds tokens,
    never the plaintext."""
    app = app_factory()
    with app.app_context():
        written = fill_every_encrypted_field(MARKER)
        for f, record_id, _value in written:
            row = db.session.execute(
                text(f'SELECT t::text FROM "{f.table}" t WHERE id = :id'), {"id": record_id}
            ).scalar_one()
            assert "enc1:" in row and MARKER not in row, f.table


def test_keyring_from_environment_and_never_in_config(app_factory, monkeypatch, tmp_path):
    """COORDINATOR_KEYRING (JSON) is used when set and is not kept in app.config."""
    import base64
    import json

    key = crypto.generate_key()
    value = json.dumps({"active": "kenv-1", "keys": {"kenv-1": base64.b64encode(key).decode()}})
    app_factory()  # environment prepared
    monkeypatch.setenv("COORDINATOR_KEYRING", value)
    app = create_app(base_config(tmp_path, KEYS_DIR=str(tmp_path / "nowhere")))
    with app.app_context():
        db.create_all()
        assert app.extensions["keyring"].keyring.active_id == "kenv-1"
        assert "KEYRING" not in app.config
        assert base64.b64encode(key).decode() not in repr(dict(app.config))


def test_production_start_without_key_fails_with_message(app_factory, tmp_path):
    """Production mode with no keyring refuses to start and says where keys belong."""
    app_factory()
    (tmp_path / "empty").mkdir(mode=0o700)
    config = base_config(tmp_path, ENVIRONMENT="production", KEYS_DIR=str(tmp_path / "empty"))
    with pytest.raises(ConfigurationError, match="Encryption keys cannot be loaded.*never generated silently"):
        create_app(config)
    assert not any((tmp_path / "empty").iterdir()), "no key may be generated"


def test_too_open_key_file_refuses_start(app_factory, tmp_path):
    """A key file readable by group or others stops the app at start-up."""
    app_factory()
    key_file = next((tmp_path / "keys").glob("*.key"))
    key_file.chmod(0o644)
    with pytest.raises(ConfigurationError, match=key_file.name):
        create_app(base_config(tmp_path))


def test_decrypt_failure_logs_no_key_or_content(app, caplog, tmp_path):
    """The warning for a failed decryption names the place, never content or key material."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        c = make_consultation(coordinator, situation=MARKER)
        db.session.execute(text("UPDATE consultations SET advice = situation WHERE id = :id"), {"id": c.id})
        db.session.commit()
        with caplog.at_level(logging.WARNING):
            assert isinstance(_fresh(c.id).advice, Unreadable)
    logged = caplog.text
    assert "consultations.advice" in logged
    assert MARKER not in logged
    for key_file in (tmp_path / "keys").glob("*.key"):
        assert key_file.read_text().strip() not in logged
