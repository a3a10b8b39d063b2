"""The request cycle (coordinator/request_cycle.py) and the audit events it appends:
one commit per request, audit events chained on just before it, mail after it."""
from sqlalchemy import func, select

from coordinator.audit.models import AuditChainHead, AuditEvent
from coordinator.audit.services import pending_events, record, verify_chain
from coordinator.extensions import db

from ..factories import make_user


def _count(action):
    return db.session.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    ).scalar_one()


def test_events_wait_for_the_commit_and_are_chained_in_order(ctx):
    user = make_user(roles=("coordinator",))
    length_before = db.session.get(AuditChainHead, 1).length
    first = record("test.first", actor=user)
    second = record("test.second", actor=user)
    assert pending_events()[-2:] == [first, second]
    assert first.hash is None  # not chained yet: the chain head is not locked while a page renders
    db.session.commit()
    assert pending_events() == []
    assert second.prev_hash == first.hash and first.id < second.id
    assert db.session.get(AuditChainHead, 1).length == length_before + 2
    assert verify_chain().ok


def test_a_rollback_discards_the_pending_events(ctx):
    record("test.rolled_back")
    db.session.rollback()
    assert pending_events() == []
    db.session.commit()
    assert _count("test.rolled_back") == 0
    assert verify_chain().ok


def test_a_savepoint_rollback_keeps_the_events_of_the_outer_transaction(ctx):
    record("test.outer")
    with db.session.begin_nested() as savepoint:
        savepoint.rollback()
    db.session.commit()
    assert _count("test.outer") == 1


def test_a_refused_request_saves_neither_change_nor_event(app, client, auth):
    """A 4xx response rolls back: a failed login under the throttle writes nothing else."""
    with app.app_context():
        make_user("k@gavle.example", roles=("coordinator",))
    auth.login("k@gavle.example")
    with app.app_context():
        views_before = _count("consultation.view")
    response = client.get("/consultations/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    with app.app_context():
        assert _count("consultation.view") == views_before
        assert verify_chain().ok


def test_an_unreadable_value_is_reported_through_the_signal(ctx):
    from coordinator.encryption import decrypt_failed

    seen = []

    def listener(obj, table, column):
        seen.append((table, column))

    decrypt_failed.connect(listener)
    try:
        from ..factories import make_consultation

        coordinator = make_user(roles=("coordinator",))
        consultation = make_consultation(coordinator)
        consultation.situation_ciphertext = consultation.situation_ciphertext[:-4] + "AAAA"
        db.session.flush()
        db.session.expire_all()
        assert "kan inte visas" in str(db.session.get(type(consultation), consultation.id).situation)
    finally:
        decrypt_failed.disconnect(listener)
    assert seen == [("consultations", "situation")]
    assert any(e.action == "security.decrypt_failed" for e in pending_events())
