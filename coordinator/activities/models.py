"""Activities: trainings and meetings have one shape (DESIGN.md), so one model.

An activity has a day, or only a planned month while the day is not fixed:
``starts_on`` is the day (or the month's first day) and ``latest_on`` the last day
it can fall on (the same day, or the month's last). Lists sort on ``starts_on``;
"planned but its date has passed" is ``latest_on < today``.
"""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import Code, Coded
from ..database import PublicIdMixin, UTCDateTime, utcnow
from ..encryption import encrypted_text
from ..extensions import db
from ..initiatives.models import Initiative
from ..partners.models import Partner
from . import choices

activity_partners = Table(
    "activity_partners", db.metadata,
    Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_activity_partners_partner", "partner_id", "activity_id"),
)


class Activity(PublicIdMixin, Coded, db.Model):
    """A training, an information meeting, a seminar, a network meeting..."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(f"participants IS NULL OR (participants >= 0 AND participants <= {choices.PARTICIPANTS_MAX})",
                        name="participants_in_range"),
        CheckConstraint("latest_on >= starts_on", name="latest_after_start"),
        Index("ix_activities_starts_id", "starts_on", "id"),
        Index("ix_activities_status_latest", "status", "latest_on", "id"),
        Index("ix_activities_status_starts", "status", "starts_on", "id"),
        Index("ix_activities_kind_starts", "kind", "starts_on", "id"),
        Index("ix_activities_area_starts", "area", "starts_on", "id"),
        Index("ix_activities_initiative_starts", "initiative_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Code(choices.ACTIVITY_KINDS, 20), nullable=False)
    our_role: Mapped[str] = mapped_column(Code(choices.OUR_ROLES, 20), nullable=False, default="organiser")
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    latest_on: Mapped[date] = mapped_column(Date, nullable=False)
    day_fixed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    status: Mapped[str] = mapped_column(Code(choices.ACTIVITY_STATUSES, 10), nullable=False, default="planned")
    area: Mapped[str] = mapped_column(Code(choices.WORK_AREAS, 10), nullable=False)
    format: Mapped[str] = mapped_column(Code(choices.FORMATS, 10), nullable=False, default="in_person")
    audience_sector: Mapped[Optional[str]] = mapped_column(Code(choices.SECTORS, 30))
    participants: Mapped[Optional[int]] = mapped_column(Integer)
    initiative_id: Mapped[Optional[int]] = mapped_column(ForeignKey("initiatives.id", ondelete="SET NULL"))
    title = encrypted_text("title")
    audience = encrypted_text("audience")
    bulletin_line = encrypted_text("bulletin_line")
    notes = encrypted_text("notes")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    partners: Mapped[list[Partner]] = relationship(secondary=activity_partners, order_by=Partner.name_key)
    initiative: Mapped[Optional[Initiative]] = relationship()

    @property
    def is_training(self):
        return self.kind in choices.TRAINING_KINDS

    @property
    def is_meeting(self):
        return self.kind in choices.MEETING_KINDS
