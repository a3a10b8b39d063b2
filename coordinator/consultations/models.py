from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..auth.models import User
from ..codes import Code, Coded, CodeSet
from ..database import PublicIdMixin, UTCDateTime, utcnow
from ..encryption import encrypted_text
from ..extensions import db
from ..partners.models import Partner
from . import choices


class ConsultationCode(db.Model):
    """One code of a multi-valued field of a consultation (see ``codes.CodeSet``), with the
    consultation's received date beside it, so that the bulletin counts a period's codes from
    one index range (field, received_on, code) without reading the consultations (kept in step
    by ``_dates_of_code_rows`` below)."""

    __tablename__ = "consultation_codes"
    __table_args__ = (
        Index("ix_consultation_codes_field_code", "field", "code", "consultation_id"),
        Index("ix_consultation_codes_field_received", "field", "received_on", "code", "consultation_id"),
    )

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(30), primary_key=True)
    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)


class ConsultationSearchTerm(db.Model):
    """The blind index of a consultation's free text (see search_index.py): truncated
    keyed hashes of its words and prefixes, never a word."""

    __tablename__ = "consultation_search_terms"
    __table_args__ = (Index("ix_consultation_search_terms_term", "key_id", "term", "consultation_id"),)

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    term: Mapped[int] = mapped_column(Integer, primary_key=True)


class Consultation(PublicIdMixin, Coded, db.Model):
    """One consultation (rådfrågning): anonymised, coarse, free text encrypted."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("minutes_spent IS NULL OR minutes_spent >= 0", name="minutes_not_negative"),
        # One index per list order and filter, so a page costs the same at any depth
        # (keyset pagination on received_on, id; see listing.Keyset).
        Index("ix_consultations_received_id", "received_on", "id"),
        Index("ix_consultations_sector_received", "sector", "received_on", "id"),
        Index("ix_consultations_area_received", "area", "received_on", "id"),
        Index("ix_consultations_status_received", "status", "received_on", "id"),
        Index("ix_consultations_urgency_received", "urgency", "received_on", "id"),
        Index("ix_consultations_requester_created", "requested_by_id", "created_at", "id"),
        Index("ix_consultations_requester_unread", "requested_by_id", "unread_by_officer", "updated_at"),
        Index("ix_consultations_status_follow_up", "status", "follow_up_on", "id"),
        # Unread, newest first; status and id beside them so the start page's count and its
        # status condition are answered from the index alone (migration 0020).
        Index("ix_consultations_unread_updated", "unread_by_coordinator", "updated_at", "status", "id"),
        # Retention finds what is due from this index alone: not erased, closed before a moment.
        Index("ix_consultations_retention", "text_erased_at", "status", "closed_at", "id"),
        # The bulletin's counts for a period read this index alone (no table rows).
        Index("ix_consultations_bulletin", "received_on", "follows_up_id", "area", "sector", "person_count",
              "referred_to_partner_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(Code(choices.CHANNELS, 20), nullable=False)
    sector: Mapped[str] = mapped_column(Code(choices.SECTORS, 30), nullable=False)
    area: Mapped[str] = mapped_column(Code(choices.AREAS, 10), nullable=False)
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    follows_up_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True
    )

    person_count: Mapped[str] = mapped_column(Code(choices.PERSON_COUNTS, 10), nullable=False, default="unknown")
    genders = CodeSet(choices.GENDERS)
    age_bands = CodeSet(choices.AGE_BANDS)
    hrv_forms = CodeSet(choices.HRV_FORMS)
    perpetrators = CodeSet(choices.PERPETRATORS)
    vbe_milieu: Mapped[Optional[str]] = mapped_column(Code(choices.VBE_MILIEUS, 20))
    vbe_concerns = CodeSet(choices.VBE_CONCERNS)
    urgency: Mapped[str] = mapped_column(Code(choices.URGENCIES, 10), nullable=False, default="not_acute")

    advice_given = CodeSet(choices.ADVICE_GIVEN)
    status: Mapped[str] = mapped_column(Code(choices.STATUSES, 10), nullable=False, default="new")
    minutes_spent: Mapped[Optional[int]] = mapped_column(Integer)
    follow_up_on: Mapped[Optional[date]] = mapped_column(Date)

    situation = encrypted_text("situation")
    advice = encrypted_text("advice")
    # The partner referred to, from the register; ``referred_to`` holds any other
    # organisation as free text.
    referred_to_partner_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL"), index=True
    )
    referred_to = encrypted_text("referred_to")

    # Something new for the other side to read (an answer, a message).
    unread_by_officer: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    unread_by_coordinator: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # When retention erased the free text (retention/services.py); the structured fields stay.
    text_erased_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Raised by every edit of the record (not by messages, reads or unread flags): an edit
    # made on an older version is refused instead of silently overwriting someone else's.
    # The services raise it with one conditional UPDATE (see services.claim_edit).
    edit_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    requested_by: Mapped[Optional[User]] = relationship(foreign_keys=[requested_by_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    follows_up: Mapped[Optional["Consultation"]] = relationship(remote_side=[id])
    referred_to_partner: Mapped[Optional[Partner]] = relationship()
    code_rows: Mapped[list[ConsultationCode]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=ConsultationCode.field
    )
    messages: Mapped[list["ConsultationMessage"]] = relationship(
        back_populates="consultation", order_by="ConsultationMessage.id", cascade="all, delete-orphan"
    )

    @property
    def number(self) -> int:
        """The number people use to refer to a consultation (never in a URL)."""
        return self.id

    @property
    def concerns_minor(self) -> bool:
        return bool(set(self.age_bands) & choices.UNDER_18)

    @property
    def is_urgent(self) -> bool:
        return self.urgency == "acute"


class ConsultationMessage(PublicIdMixin, db.Model):
    """A message in a consultation's thread, between the officer and the coordinator."""

    __tablename__ = "consultation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    body = encrypted_text("body")

    consultation: Mapped[Consultation] = relationship(back_populates="messages")
    author: Mapped[User] = relationship()


@event.listens_for(Session, "before_flush")
def _dates_of_code_rows(session, flush_context, instances):
    """Every code row carries its consultation's received date: set on new rows, and again
    when a consultation's date changes."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Consultation) and obj.received_on is not None:
            for row in obj.code_rows:
                if row.received_on != obj.received_on:
                    row.received_on = obj.received_on
