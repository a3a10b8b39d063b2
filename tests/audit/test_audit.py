"""The audit trail's hash chain and what an event may contain."""
import pytest
from sqlalchemy import select, text

from coordinator.audit.models import AuditEvent
from coordinator.audit.services import GENESIS, record, verify_chain
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, post_form


def all_events():
    return db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()


def make_events(n):
    for i in range(n):
        record("test.event", detail=f"n{i}")
    db.session.commit()
    return [e.id for e in all_events()]


def tamper(sql, **params):
    db.session.execute(text(sql), params)
    db.session.commit()
    db.session.expunge_all()


def test_each_event_links_to_the_previous(ctx):
    """The first event links to the genesis hash; each later one to its predecessor's hash."""
    make_user("anna@gavle.example")
    make_user("bo@gavle.example")
    make_events(3)
    events = all_events()
    assert len(events) >= 7
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == len(events)
    assert all(len(e.hash) == 64 for e in events)
    report = verify_chain()
    assert report.ok and report.checked == len(events)


def test_chain_across_requests(app, client):
    """Events written by separate requests continue the same chain."""
    with app.app_context():
        make_user("anna@gavle.example")
    for _ in range(3):
        post_form(client, "/auth/login", {"email": "anna@gavle.example", "password": "fel lösenord"})
    post_form(client, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD})
    post_form(client, "/auth/logout")
    with app.app_context():
        events = all_events()
        assert [e.action for e in events][-5:] == ["auth.login_failed"] * 3 + ["auth.login", "auth.logout"]
        for before, after in zip(events, events[1:]):
            assert after.prev_hash == before.hash
        assert verify_chain().ok


def test_rolled_back_event_leaves_no_gap(ctx):
    """An event in a rolled-back transaction disappears without breaking the chain."""
    make_events(2)
    record("test.rolled_back")
    db.session.rollback()
    make_events(1)
    assert [e.action for e in all_events()] == ["test.event"] * 3
    assert verify_chain().ok


@pytest.mark.parametrize("column, value", [
    ("action", "'user.harmless'"),
    ("detail", "'other'"),
    ("actor_id", "(SELECT MIN(id) FROM users)"),
    ("remote_addr", "'192.0.2.1'"),
    ("object_type", "'users'"),
])
def test_changed_field_is_found(ctx, column, value):
    """Changing any field of an event breaks the chain exactly at that event."""
    make_user("anna@gavle.example")  # two events, and a user to name as a false actor
    ids = make_events(3)
    tamper(f"UPDATE audit_events SET {column} = {value} WHERE id = :id", id=ids[2])
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == ids[2]
    assert report.checked == 2
    assert report.reason == "event content does not match its hash"


def test_changed_time_is_found(ctx):
    """Back-dating an event breaks the chain at that event."""
    ids = make_events(4)
    tamper("UPDATE audit_events SET occurred_at = :t WHERE id = :id",
           t="2001-01-01 00:00:00", id=ids[1])
    assert verify_chain().broken_at == ids[1]


def test_recomputed_hash_breaks_the_next_link(ctx):
    """Forging an event and its own hash is found at the following event."""
    from coordinator.audit.services import _digest

    ids = make_events(4)
    forged = db.session.get(AuditEvent, ids[1])
    forged.action = "user.harmless"
    forged.hash = _digest(forged.prev_hash, forged)
    db.session.commit()
    db.session.expunge_all()
    report = verify_chain()
    assert report.broken_at == ids[2]
    assert report.reason == "previous hash does not match"


def test_deleted_event_is_found(ctx):
    """Removing an event from the middle breaks the link of the next one."""
    ids = make_events(5)
    tamper("DELETE FROM audit_events WHERE id = :id", id=ids[2])
    report = verify_chain()
    assert report.broken_at == ids[3]
    assert report.reason == "previous hash does not match"


def test_first_broken_link_is_reported(ctx):
    """With several tampered events, the first one is reported."""
    ids = make_events(6)
    tamper("UPDATE audit_events SET action = 'x' WHERE id IN (:a, :b)", a=ids[4], b=ids[1])
    assert verify_chain().broken_at == ids[1]


def test_verification_spans_batches(ctx):
    """Verification reads in batches and still follows the chain across them."""
    ids = make_events(7)
    assert verify_chain(batch_size=2).ok
    assert verify_chain(batch_size=2).checked == 7
    tamper("UPDATE audit_events SET detail = 'x' WHERE id = :id", id=ids[5])
    report = verify_chain(batch_size=2)
    assert report.broken_at == ids[5] and report.checked == 5


def test_detail_must_be_a_short_code(ctx):
    """record() refuses free text as detail, so no content can end up in the trail."""
    for bad in ("Anna Svensson ringde", "x" * 256, "Ärende", ""):
        with pytest.raises(ValueError):
            record("test.event", detail=bad)
    record("test.event", detail="bad_password")


def test_event_records_actor_object_and_address(app, client):
    """An admin action records who did it, to which account and from where."""
    with app.app_context():
        admin_id = make_user("admin@gavle.example", roles=("admin",)).id
        target_uuid = make_user("anna@gavle.example").uuid
    environ = {"REMOTE_ADDR": "192.0.2.44"}
    post_form(client, "/auth/login", {"email": "admin@gavle.example", "password": PASSWORD},
              environ_base=environ)
    post_form(client, f"/admin/users/{target_uuid}/deactivate", environ_base=environ)
    with app.app_context():
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "user.deactivate")
        ).scalar_one()
        assert event.actor_id == admin_id
        assert event.object_type == "users"
        assert event.object_uuid == target_uuid
        assert event.remote_addr == "192.0.2.44"
        assert event.occurred_at.tzinfo is not None and event.occurred_at.microsecond == 0
