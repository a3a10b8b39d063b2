"""Key rotation and retirement, through the services and the command line."""
import pytest
from sqlalchemy import text

from coordinator import create_app
from coordinator.admin import keys
from coordinator.consultations.models import Consultation
from coordinator.crypto import Keyring
from coordinator.encryption import Unreadable
from coordinator.extensions import db

from ..factories import make_consultation, make_user
from .every_field import fill_every_encrypted_field, read_back, stored_tokens


class InjectedFailure(Exception):
    pass


def _key_ids_in_use():
    """Key ids of every stored value of every encrypted column (from the registry)."""
    return {Keyring.key_id_of(token) for _field, token in stored_tokens()}


def _seed(n=23):
    coordinator = make_user(roles=("coordinator",))
    return [
        make_consultation(coordinator, situation=f"Situation nummer {i} på skolan.", advice=f"Råd {i}.").id
        for i in range(n)
    ]


def _all_readable(ids):
    db.session.expire_all()
    for consultation_id in ids:
        c = db.session.get(Consultation, consultation_id)
        index = ids.index(consultation_id)
        assert c.situation == f"Situation nummer {index} på skolan."
        assert c.advice == f"Råd {index}."


def test_interrupted_rotation_is_finished_by_running_it_again(app, tmp_path):
    """A failure injected after the second batch leaves every value readable; a
    rerun re-encrypts the rest and adds no further key."""
    with app.app_context():
        ids = _seed()
        old_key = app.extensions["keyring"].keyring.active_id
        calls = {"n": 0}

        def fail_on_second_batch():
            calls["n"] += 1
            if calls["n"] == 2:
                raise InjectedFailure()

        with pytest.raises(InjectedFailure):
            keys.rotate(batch_size=7, after_batch=fail_on_second_batch)
        new_key = app.extensions["keyring"].keyring.active_id
        assert new_key != old_key
        assert _key_ids_in_use() == {old_key, new_key}  # half done
        _all_readable(ids)

    # A new process (another app instance) sees the same keys on disk and finishes.
    app2 = create_app(dict(app.config, KEYS_DIR=str(tmp_path / "keys")))
    with app2.app_context():
        assert keys.pending_count() > 0
        result = keys.rotate(batch_size=7)
        assert result.new_key_id is None, "a resumed rotation adds no key"
        assert keys.pending_count() == 0
        assert _key_ids_in_use() == {new_key}
        _all_readable(ids)


def test_retire_refused_while_in_use_then_allowed(app):
    """`retire` refuses a key that values still use, and the active key; after rotation it works."""
    with app.app_context():
        _seed(3)
        old_key = app.extensions["keyring"].keyring.active_id
        with pytest.raises(keys.KeyOperationError, match="active key"):
            keys.retire(old_key)
        keys.rotate()
        new_key = app.extensions["keyring"].keyring.active_id
        keys.retire(old_key)
        assert old_key not in app.extensions["keyring"].keyring
        assert _key_ids_in_use() == {new_key}


def test_retire_refuses_key_with_values(app, tmp_path):
    """A key still holding values cannot be retired, even when another key is active."""
    with app.app_context():
        _seed(2)
        old_key = app.extensions["keyring"].keyring.active_id
        from coordinator import crypto

        crypto.add_key(tmp_path / "keys")  # new active key, nothing re-encrypted yet
        app.extensions["keyring"].reload()
        with pytest.raises(keys.KeyOperationError, match="still use"):
            keys.retire(old_key)
        assert old_key in app.extensions["keyring"].keyring


def test_server_with_old_keyring_reads_values_rotated_elsewhere(app, tmp_path):
    """An app whose in-memory keyring predates a rotation reloads it on an unknown key id."""
    with app.app_context():
        ids = _seed(2)
    other = create_app(dict(app.config))
    with other.app_context():
        keys.rotate()
    with app.app_context():
        _all_readable(ids)


def test_cli_status_rotate_retire(app, runner):
    """The keys commands print counts per key and column, rotate with a progress bar, and retire."""
    with app.app_context():
        _seed(4)
        old_key = app.extensions["keyring"].keyring.active_id
    status = runner.invoke(args=["keys", "status"])
    assert status.exit_code == 0, status.output
    assert f"key {old_key} (active): 8 values" in status.output
    assert "consultations.situation: 4" in status.output
    assert "consultations.advice: 4" in status.output

    refused = runner.invoke(args=["keys", "retire", old_key])
    assert refused.exit_code != 0 and "active key" in refused.output

    rotated = runner.invoke(args=["keys", "rotate", "--batch-size", "3"])
    assert rotated.exit_code == 0, rotated.output
    assert "New active key:" in rotated.output and "Re-encrypted 8 values." in rotated.output

    retired = runner.invoke(args=["keys", "retire", old_key])
    assert retired.exit_code == 0, retired.output
    status = runner.invoke(args=["keys", "status"])
    assert old_key not in status.output


def test_unreadable_values_are_reported_not_lost(app):
    """A value that cannot be decrypted is left as it is and reported; rotation goes on."""
    with app.app_context():
        ids = _seed(3)
        db.session.execute(text("UPDATE consultations SET advice = situation WHERE id = :id"), {"id": ids[0]})
        db.session.commit()
        result = keys.rotate()
        assert len(result.unreadable) == 1
        assert result.reencrypted == 5
        db.session.expire_all()
        assert isinstance(db.session.get(Consultation, ids[0]).advice, Unreadable)
        assert db.session.get(Consultation, ids[1]).advice == "Råd 1."


def test_worker_with_old_keyring_encrypts_under_the_new_key_after_retire(app, tmp_path):
    """A server that loaded the keyring before another process rotated and retired the
    old key encrypts new text under the new key, never the retired one."""
    with app.app_context():
        _seed(2)
        app.extensions["keyring"].current()  # this "worker" has the old keyring in memory
        old_key = app.extensions["keyring"].keyring.active_id
    other = create_app(dict(app.config))
    with other.app_context():
        keys.rotate()
        keys.retire(old_key)
        new_key = other.extensions["keyring"].current().active_id
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        c = make_consultation(coordinator, situation="Skrivet efter rotationen.")
        token = db.session.execute(text("SELECT situation FROM consultations WHERE id = :id"),
                                   {"id": c.id}).scalar_one()
        assert Keyring.key_id_of(token) == new_key
    fresh = create_app(dict(app.config))
    with fresh.app_context():
        assert db.session.get(Consultation, c.id).situation == "Skrivet efter rotationen."


def test_new_key_option_rotates_past_a_damaged_value(app, runner):
    """A value that cannot be decrypted does not block an emergency rotation: --new-key adds a key."""
    with app.app_context():
        ids = _seed(2)
        db.session.execute(text("UPDATE consultations SET advice = situation WHERE id = :id"), {"id": ids[0]})
        db.session.commit()
        keys.rotate()  # leaves the damaged value under the first key
        second = app.extensions["keyring"].current().active_id
    result = runner.invoke(args=["keys", "rotate", "--new-key"])
    assert "New active key:" in result.output
    with app.app_context():
        assert app.extensions["keyring"].current().active_id != second
        assert keys.pending_count() == 1  # only the damaged value


def test_rotation_keeps_updated_at(app):
    """Re-encryption is not an edit: updated_at (which orders the coordinator's queue) is kept."""
    with app.app_context():
        ids = _seed(2)
        before = [db.session.get(Consultation, i).updated_at for i in ids]
        keys.rotate()
        db.session.expire_all()
        assert [db.session.get(Consultation, i).updated_at for i in ids] == before


def test_rotation_covers_every_encrypted_column(app):
    """Every column the encryption registry knows is re-encrypted under the new key and
    stays readable (a new encrypted column is covered without editing this test)."""
    with app.app_context():
        written = fill_every_encrypted_field("Roteras")
        old_key = app.extensions["keyring"].keyring.active_id
        result = keys.rotate(batch_size=2)
        new_key = app.extensions["keyring"].keyring.active_id
        assert new_key != old_key and not result.unreadable
        assert {(f.table, f.column) for f, _token in stored_tokens()} >= {(f.table, f.column) for f, _i, _v in written}
        assert _key_ids_in_use() == {new_key}
        assert all(now == value for now, value in read_back(written))
        keys.retire(old_key)
