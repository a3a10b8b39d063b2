import uuid as uuid_module
from datetime import datetime
from typing import Optional

from sqlalchemy import DDL, ForeignKey, Index, Integer, String, Uuid, event
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db


class AuditEvent(db.Model):
    """One append-only event. ``prev_hash``/``hash`` chain each event to the one before."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    object_type: Mapped[Optional[str]] = mapped_column(String(40))
    object_uuid: Mapped[Optional[uuid_module.UUID]] = mapped_column(Uuid)
    remote_addr: Mapped[Optional[str]] = mapped_column(String(64))
    # A short machine-readable code (e.g. "bad_password"), never free text or content.
    detail: Mapped[Optional[str]] = mapped_column(String(255))
    # Unique: two events can never claim the same predecessor, so the chain cannot fork.
    prev_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)


class AuditChainHead(db.Model):
    """One row: the newest event's hash and the number of events.

    Writers update this row before reading it, which takes the database's write
    lock (SQLite) or a row lock (PostgreSQL): events are chained one at a time.
    ``audit verify`` compares it with the end of the chain, so removing the
    newest events is noticed too.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    length: Mapped[int] = mapped_column(Integer, nullable=False)


# A new database starts with the head row in place (the migration does the same).
event.listen(
    AuditChainHead.__table__, "after_create",
    DDL("INSERT INTO audit_chain_head (id, head_hash, length) VALUES (1, '%s', 0)" % ("0" * 64)),
)
