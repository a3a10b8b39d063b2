"""The chain head: concurrent writers never fork or crash the chain, and removing
the newest events is noticed."""
import threading

from sqlalchemy import delete, func, select

from coordinator.audit.models import AuditChainHead, AuditEvent
from coordinator.audit.services import record, verify_chain
from coordinator.extensions import db


def test_concurrent_writers_chain_one_at_a_time(app):
    """8 threads writing 10 events each: every commit succeeds and the chain verifies."""
    errors = []

    def writer(n):
        try:
            for i in range(10):
                with app.test_request_context():
                    record("test.concurrent", detail=f"w{n}-{i}")
                    db.session.commit()
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        report = verify_chain()
        assert report.ok, report.reason
        assert report.checked == 80
        assert db.session.get(AuditChainHead, 1).length == 80


def test_removing_the_newest_events_is_noticed(app):
    """Deleting the last events leaves a chain whose links are fine but whose end does not
    match the head: verify reports it."""
    with app.test_request_context():
        for i in range(5):
            record("test.event", detail=f"e{i}")
        db.session.commit()
        newest = db.session.execute(select(func.max(AuditEvent.id))).scalar_one()
        db.session.execute(delete(AuditEvent).where(AuditEvent.id == newest))
        db.session.commit()
        report = verify_chain()
    assert not report.ok
    assert "missing" in report.reason
