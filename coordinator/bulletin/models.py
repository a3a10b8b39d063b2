"""A bulletin section for a period: drafted, proposed, fastställd; each save is a revision.

A fastställd bulletin never changes; a new version is a new draft that follows it. The
figures it published (what each protected line showed) are kept with it, in clear: they
are exactly what was published, and the across-bulletin rule needs them.
"""
import json
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..codes import Code, Coded
from ..database import PublicIdMixin, UTCDateTime, utcnow
from ..encryption import encrypted_text
from ..extensions import db
from . import choices


class Bulletin(PublicIdMixin, Coded, db.Model):
    __tablename__ = "bulletins"
    __table_args__ = (Index("ix_bulletins_status_period", "status", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, nullable=False)
    period_end: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(Code(choices.STATUSES, 10), nullable=False, default="draft")
    body = encrypted_text("body")
    figures_json: Mapped[Optional[str]] = mapped_column(Text)  # what a fastställd bulletin published
    follows_id: Mapped[Optional[int]] = mapped_column(ForeignKey("bulletins.id", ondelete="SET NULL"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    proposed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    fixed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    fixed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    edit_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    proposed_by: Mapped[Optional[User]] = relationship(foreign_keys=[proposed_by_id])
    fixed_by: Mapped[Optional[User]] = relationship(foreign_keys=[fixed_by_id])
    follows: Mapped[Optional["Bulletin"]] = relationship(remote_side=[id])
    revisions: Mapped[list["BulletinRevision"]] = relationship(
        back_populates="bulletin", cascade="all, delete-orphan", order_by="BulletinRevision.id.desc()")

    @property
    def figures(self):
        return json.loads(self.figures_json) if self.figures_json else {}

    @figures.setter
    def figures(self, value):
        self.figures_json = json.dumps(value, ensure_ascii=False, sort_keys=True)

    @property
    def is_fixed(self):
        return self.status == "fixed"


class BulletinRevision(PublicIdMixin, Coded, db.Model):
    """Who did what to a bulletin and when, with the text as it then stood."""

    __tablename__ = "bulletin_revisions"
    __table_args__ = (Index("ix_bulletin_revisions_bulletin", "bulletin_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id", ondelete="CASCADE"), nullable=False)
    action: Mapped[str] = mapped_column(Code(choices.REVISION_ACTIONS, 20), nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    body = encrypted_text("body")

    bulletin: Mapped[Bulletin] = relationship(back_populates="revisions")
    author: Mapped[User] = relationship()
