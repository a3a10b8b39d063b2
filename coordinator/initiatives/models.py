"""Initiatives and their dated progress notes (free text encrypted)."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import Code, Coded
from ..database import PublicIdMixin, UTCDateTime, utcnow
from ..encryption import encrypted_text
from ..extensions import db
from ..partners.models import Partner
from . import choices

initiative_partners = Table(
    "initiative_partners", db.metadata,
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_initiative_partners_partner", "partner_id", "initiative_id"),
)


class Initiative(PublicIdMixin, Coded, db.Model):
    """A work stream: a project, an action plan, a collaboration, a development task."""

    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_initiatives_status_updated", "status", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Code(choices.INITIATIVE_KINDS, 20), nullable=False)
    area: Mapped[str] = mapped_column(Code(choices.WORK_AREAS, 10), nullable=False)
    status: Mapped[str] = mapped_column(Code(choices.INITIATIVE_STATUSES, 10), nullable=False, default="ongoing")
    starts_on: Mapped[Optional[date]] = mapped_column(Date)
    ends_on: Mapped[Optional[date]] = mapped_column(Date)
    title = encrypted_text("title")
    description = encrypted_text("description")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    partners: Mapped[list[Partner]] = relationship(secondary=initiative_partners, order_by=Partner.name_key)
    notes: Mapped[list["ProgressNote"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan",
        order_by="(ProgressNote.noted_on.desc(), ProgressNote.id.desc())",
    )


class ProgressNote(PublicIdMixin, db.Model):
    """A dated note on an initiative's progress, optionally with a public bulletin line."""

    __tablename__ = "progress_notes"
    __table_args__ = (
        Index("ix_progress_notes_initiative_noted", "initiative_id", "noted_on", "id"),
        Index("ix_progress_notes_noted", "noted_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), nullable=False)
    noted_on: Mapped[date] = mapped_column(Date, nullable=False)
    note = encrypted_text("note")
    bulletin_line = encrypted_text("bulletin_line")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="notes")
