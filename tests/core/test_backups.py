"""Backups: an encrypted, consistent snapshot; a restore that checks everything first,
refuses a database with data unless forced, and gives back every table, readable with the
original keyring."""
import os
import shutil
import stat
import uuid

import psycopg
import pytest
from sqlalchemy import select

from coordinator import create_app
from coordinator.consultations.models import Consultation
from coordinator.extensions import db
from tests.conftest import IN_CI, POSTGRES_URL, base_config
from tests.helpers import make_cast


def rows_of_every_table(app):
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in db.session.execute(select(table).order_by(*order)).all()]
        return out


@pytest.fixture
def filled(app):
    with app.app_context():
        cast = make_cast()
    return cast


@pytest.fixture
def target(tmp_path, backend):
    """A second application on an empty database, with the same keyring and backup key."""
    if backend == "postgresql":
        if shutil.which("pg_restore") is None:
            if IN_CI:
                pytest.fail("pg_dump/pg_restore are required when CI=true")
            pytest.skip("pg_dump/pg_restore (postgresql-client) are not installed")
        name = f"restore_{uuid.uuid4().hex[:12]}"
        admin = POSTGRES_URL.replace("+psycopg", "")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        from tests.conftest import APP_SCHEMA

        url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}?options=-csearch_path%3D{APP_SCHEMA}"
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url, TWO_FACTOR_ROLES=[]))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if backend == "postgresql":
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_round_trip_gives_back_every_table(app, runner, filled, target, tmp_path):
    backup = tmp_path / "backup.bin"
    before = rows_of_every_table(app)  # the snapshot precedes the "backup.create" event
    made = runner.invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output
    assert "Backup written" in made.output and "A new backup key" in made.output
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    data = backup.read_bytes()
    assert "hårda regler".encode() not in data and b"gavle.example" not in data  # encrypted
    keys = list((tmp_path / "keys").glob("*.key"))
    assert keys and all(k.read_bytes().strip() not in data for k in keys)  # no keyring inside

    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    after = rows_of_every_table(target)
    after_events = after.pop("audit_events")
    before_events = before.pop("audit_events")
    assert after_events[:len(before_events)] == before_events  # and the restore itself is recorded after them
    after.pop("audit_chain_head"), before.pop("audit_chain_head")
    assert after == before
    with target.app_context():
        consultation = db.session.execute(select(Consultation).where(Consultation.uuid == filled.request_a)).scalar_one()
        assert consultation.situation == "Eleven, 16 år, berättar om hårda regler i hemmet."
    verified = target.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_restore_refuses_a_database_with_data_unless_forced(app, runner, filled, tmp_path):
    backup = tmp_path / "backup.bin"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    refused = runner.invoke(args=["backup", "restore", str(backup)])
    assert refused.exit_code == 1
    assert "Nothing restored: the database holds data" in refused.output
    forced = runner.invoke(args=["backup", "restore", str(backup), "--force"])
    assert forced.exit_code == 0, forced.output


def test_a_damaged_or_foreign_backup_restores_nothing(app, runner, filled, target, tmp_path):
    backup = tmp_path / "backup.bin"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    restore = target.test_cli_runner()

    flipped = tmp_path / "flipped.bin"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    result = restore.invoke(args=["backup", "restore", str(flipped)])
    assert result.exit_code == 1 and "damaged or was changed" in result.output

    short = tmp_path / "short.bin"
    short.write_bytes(backup.read_bytes()[:-100])
    result = restore.invoke(args=["backup", "restore", str(short)])
    assert result.exit_code == 1 and ("cut short" in result.output or "damaged" in result.output)

    other = tmp_path / "other.txt"
    other.write_text("hello")
    result = restore.invoke(args=["backup", "restore", str(other)])
    assert result.exit_code == 1 and "not a backup of this application" in result.output

    target.config["BACKUP_KEY_FILE"] = str(tmp_path / "another.key")
    (tmp_path / "another.key").write_text("A" * 43 + "=\n")
    result = restore.invoke(args=["backup", "restore", str(backup)])
    assert result.exit_code == 1 and "another backup key" in result.output
    with target.app_context():
        from sqlalchemy import inspect

        assert "consultations" not in inspect(db.engine).get_table_names()  # untouched
