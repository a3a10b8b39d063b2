"""Partners: organisations (names are public, kept in clear so the register can be sorted
and kept unique), their contact persons and the steps taken with them (encrypted)."""
import unicodedata
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..codes import Code, Coded
from ..database import PublicIdMixin, UTCDateTime, utcnow
from ..encryption import encrypted_text
from ..extensions import db
from . import choices

NAME_MAX = 200


def clean_name(name):
    """A name as stored: Unicode NFC, no invisible format characters (zero-width spaces,
    direction overrides), single spaces."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", name or "") if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def name_key(name):
    """How partner names are compared: as cleaned, compatibility-normalised, without case."""
    return unicodedata.normalize("NFKC", clean_name(name)).casefold()


class Partner(PublicIdMixin, Coded, db.Model):
    """An organisation the coordinator works with, or seeks to."""

    __tablename__ = "partners"
    __table_args__ = (
        Index("ix_partners_status_name", "status", "name_key"),
        Index("ix_partners_kind_name", "kind", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False)
    # The name as compared (see name_key): unique, and the register's sort order.
    name_key: Mapped[str] = mapped_column(String(NAME_MAX), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(Code(choices.PARTNER_KINDS, 20), nullable=False)
    area: Mapped[str] = mapped_column(Code(choices.WORK_AREAS, 10), nullable=False, default="both")
    status: Mapped[str] = mapped_column(Code(choices.PARTNER_STATUSES, 20), nullable=False, default="active")
    description = encrypted_text("description")
    # The next step in the contact (for potential partners above all), and when.
    next_step = encrypted_text("next_step")
    next_step_on: Mapped[Optional[date]] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    contacts: Mapped[list["PartnerContact"]] = relationship(
        back_populates="partner", cascade="all, delete-orphan", order_by="PartnerContact.id"
    )
    steps: Mapped[list["PartnerStep"]] = relationship(
        back_populates="partner", cascade="all, delete-orphan",
        order_by="(PartnerStep.taken_on.desc(), PartnerStep.id.desc())",
    )

    def set_name(self, name):
        self.name = clean_name(name)
        self.name_key = name_key(name)


class PartnerContact(PublicIdMixin, db.Model):
    """A contact person at a partner: professional details only, all encrypted."""

    __tablename__ = "partner_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True, nullable=False)
    name = encrypted_text("name")
    role = encrypted_text("role")
    email = encrypted_text("email")
    phone = encrypted_text("phone")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="contacts")


class PartnerStep(PublicIdMixin, db.Model):
    """A step taken with a partner (a call, a first meeting, a dialogue started)."""

    __tablename__ = "partner_steps"
    __table_args__ = (Index("ix_partner_steps_partner_taken", "partner_id", "taken_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), nullable=False)
    taken_on: Mapped[date] = mapped_column(Date, nullable=False)
    summary = encrypted_text("summary")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="steps")


class PartnerImport(PublicIdMixin, db.Model):
    """An uploaded spreadsheet between its preview and the coordinator's confirmation
    (encrypted; removed when confirmed, and after a day)."""

    __tablename__ = "partner_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    line_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    content = encrypted_text("content")
