"""Writing and verifying the audit trail.

Each event's ``hash`` is SHA-256 over the previous event's hash and the
event's own fields, so changing, removing or reordering an event breaks every
link after it; ``verify_chain`` finds the first broken one.
"""
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Optional

from flask import has_request_context, request
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..database import utcnow
from ..encryption import decrypt_failed
from ..extensions import db
from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
_PENDING = "pending_audit_events"
_DETAIL_CODE = re.compile(r"^[a-z0-9_.:-]{1,255}$")


def _remote_addr():
    return request.remote_addr if has_request_context() else "cli"


def _digest(prev_hash, event):
    payload = json.dumps(
        [
            prev_hash,
            event.occurred_at.isoformat(),
            event.actor_id,
            event.action,
            event.object_type,
            str(event.object_uuid) if event.object_uuid else None,
            event.remote_addr,
            event.detail,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _bump_chain_head(session, count):
    return session.execute(
        update(AuditChainHead).where(AuditChainHead.id == 1)
        .values(length=AuditChainHead.length + count).returning(AuditChainHead.head_hash)
    ).scalar_one_or_none()


def _claim_chain_head(session, count):
    """Lock the chain head (by writing to it) and return the hash to chain onto.

    The UPDATE makes concurrent writers wait for each other on both SQLite and
    PostgreSQL, so two transactions never claim the same predecessor. It runs just
    before the commit, so the lock is held only for the append.
    """
    head = _bump_chain_head(session, count)
    if head is not None:
        return head
    # No head row (a database emptied by hand): start it from the events table.
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    length = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    try:
        with session.begin_nested():
            session.add(AuditChainHead(id=1, head_hash=last or GENESIS, length=length))
    except IntegrityError:
        pass  # another writer created it first
    return _bump_chain_head(session, count)


def record(action, *, actor=None, obj=None, object_type=None, object_uuid=None, detail=None):
    """Add an audit event to the current transaction.

    The event is saved with the change it describes, or not at all: it is held with
    the session and chained on just before the session commits (``_append_pending``);
    a rollback discards it.
    """
    if detail is not None and not _DETAIL_CODE.match(detail):
        raise ValueError("audit detail must be a short code, never free text")
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_uuid = obj.ensure_uuid()
    if actor is not None and actor.id is None:
        db.session.flush()
    event = AuditEvent(
        occurred_at=utcnow().replace(microsecond=0),
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_uuid=object_uuid,
        remote_addr=_remote_addr(),
        detail=detail,
    )
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, even before any SQL, ends it and discards the event
    session.info.setdefault(_PENDING, []).append(event)
    return event


def pending_events():
    """The events this transaction will append when it commits (for tests and checks)."""
    return list(db.session().info.get(_PENDING, ()))


@sa_event.listens_for(Session, "before_commit")
def _append_pending(session):
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    prev_hash = _claim_chain_head(session, len(pending))
    for event in pending:
        event.prev_hash = prev_hash
        event.hash = _digest(prev_hash, event)
        session.add(event)
        prev_hash = event.hash
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1).values(head_hash=prev_hash))
    session.flush()


@sa_event.listens_for(Session, "after_transaction_end")
def _discard_pending(session, transaction):
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)


def _record_decrypt_failure(obj, table, column):
    record("security.decrypt_failed", obj=obj, detail=f"{table}.{column}")


def init_app(app):
    """Unreadable encrypted values are security events (the signal comes from encryption.py)."""
    decrypt_failed.connect(_record_decrypt_failure)


def changed_detail(names):
    """The detail of an edit event: the names of the fields that changed, never their values."""
    return "fields:" + ".".join(sorted(names)) if names else None


@dataclass
class ChainReport:
    checked: int
    broken_at: Optional[int] = None  # id of the first event whose link fails
    reason: Optional[str] = None

    @property
    def ok(self):
        return self.reason is None


def verify_chain(batch_size=1000, checkpoint=None):
    """Walk the chain from the first event. With ``checkpoint`` (checkpoints.latest()), the
    event at its position must carry its hash, so a rewritten or shortened chain fails."""
    prev_hash = GENESIS
    checked = 0
    last_id = 0
    while True:
        events = db.session.execute(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch_size)
        ).scalars().all()
        if not events:
            if checkpoint is not None and checked < checkpoint.length:
                return ChainReport(checked, last_id or None,
                                   f"the chain has {checked} events, but the signed checkpoint of {checkpoint.at} "
                                   f"counted {checkpoint.length} (events were removed)")
            return _check_head(checked, prev_hash, last_id)
        for event in events:
            if event.prev_hash != prev_hash:
                return ChainReport(checked, event.id, "previous hash does not match")
            if event.hash != _digest(prev_hash, event):
                return ChainReport(checked, event.id, "event content does not match its hash")
            prev_hash = event.hash
            checked += 1
            last_id = event.id
            if checkpoint is not None and checked == checkpoint.length and event.hash != checkpoint.head_hash:
                return ChainReport(checked, event.id,
                                   f"event {checked} differs from the signed checkpoint of {checkpoint.at} "
                                   "(the chain was rewritten)")
        db.session.expunge_all()


def _check_head(checked, last_hash, last_id):
    head = db.session.get(AuditChainHead, 1)
    if head is None:
        if checked:
            return ChainReport(checked, last_id, "the chain head record is missing")
        return ChainReport(checked)
    if head.head_hash != last_hash or head.length != checked:
        return ChainReport(checked, last_id or None,
                           f"the chain ends after {checked} events, but {head.length} were written "
                           "(events at the end are missing or the head was altered)")
    return ChainReport(checked)
