"""Signed checkpoints: `audit checkpoint` signs the chain head outside the database, and
`audit verify` catches a chain rewritten or cut short before it."""
import json
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text

from coordinator.audit.models import AuditChainHead, AuditEvent
from coordinator.audit.services import GENESIS, _digest
from coordinator.extensions import db
from tests.factories import make_user


def folder(app):
    return Path(app.config["AUDIT_CHECKPOINT_DIR"])


def some_events(app, n=3):
    with app.app_context():
        for _ in range(n):
            make_user()


def rewrite_whole_chain(app, change):
    """What someone with write access to the database could do: change events, then compute
    every hash and the chain head again, so the chain itself verifies."""
    with app.app_context():
        change()
        prev = GENESIS
        events = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        db.session.execute(text("UPDATE audit_events SET prev_hash = NULL, hash = NULL"))
        for event in events:
            digest = _digest(prev, event)
            db.session.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                               {"p": prev, "h": digest, "id": event.id})
            prev = digest
        head = db.session.get(AuditChainHead, 1)
        head.head_hash, head.length = prev, len(events)
        db.session.commit()


def test_a_checkpoint_is_signed_outside_the_database(app, runner):
    some_events(app)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert "Checkpoint written" in result.output
    key = folder(app) / "checkpoint.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    line = json.loads((folder(app) / "checkpoints.jsonl").read_text().splitlines()[-1])
    with app.app_context():
        head = db.session.get(AuditChainHead, 1)
        assert (line["length"], line["head_hash"]) == (head.length, head.head_hash)
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "agrees with the signed checkpoint" in verified.output


def test_verify_without_a_checkpoint_says_so(app, runner):
    some_events(app, 1)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "No signed checkpoint yet" in result.output


def test_events_after_the_checkpoint_are_fine(app, runner):
    some_events(app)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    some_events(app)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_rewritten_chain_is_caught_by_the_checkpoint(app, runner):
    some_events(app)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0

    def change():
        first = db.session.execute(select(AuditEvent).order_by(AuditEvent.id).limit(1)).scalar_one()
        first.action = "user.harmless"
        db.session.flush()

    rewrite_whole_chain(app, change)
    (folder(app) / "checkpoints.jsonl").rename(folder(app) / "aside.jsonl")
    # The chain alone cannot tell: it was recomputed throughout.
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    (folder(app) / "aside.jsonl").rename(folder(app) / "checkpoints.jsonl")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "the chain was rewritten" in result.output
    # And it is not signed over.
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 1


def test_a_chain_cut_short_is_caught(app, runner):
    some_events(app)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0

    def change():
        newest = db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(2)).scalars().all()
        db.session.execute(text("DELETE FROM audit_events WHERE id IN (:a, :b)"), {"a": newest[0], "b": newest[1]})

    rewrite_whole_chain(app, change)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "events were removed" in result.output


def test_an_edited_checkpoint_is_not_trusted(app, runner):
    some_events(app)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    path = folder(app) / "checkpoints.jsonl"
    line = json.loads(path.read_text())
    line["length"] = 1
    path.write_text(json.dumps(line) + "\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "NOT TRUSTED" in result.output and "bad signature" in result.output
    path.write_text("not json\n")
    assert "cannot be read" in runner.invoke(args=["audit", "verify"]).output


def test_verifying_against_a_copy_of_the_public_key(app, runner, tmp_path):
    some_events(app)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    copy = tmp_path / "kept-elsewhere.pub"
    copy.write_bytes((folder(app) / "checkpoint.pub").read_bytes())
    app.config["AUDIT_CHECKPOINT_PUBLIC_KEY"] = str(copy)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # A key swapped on the server (to sign forged checkpoints) does not match the copy.
    other = Ed25519PrivateKey.generate()
    (folder(app) / "checkpoint.key").write_bytes(other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 1
