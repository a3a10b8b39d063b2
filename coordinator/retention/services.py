"""Retention (gallring).

- The free text of a consultation closed more than ``RETENTION_MONTHS`` months ago is erased:
  the situation, the advice, the free-text referral, the thread's messages, and the blind
  index rows built from them. The structured fields stay (dates, codes, the partner referred
  to), so the bulletin's figures for old periods do not change. ``text_erased_at`` records when.
- Thirty days ahead (``RETENTION_NOTICE_DAYS``) the coordinator sees what is due and can keep a
  case open: reopening it stops the clock until it is closed again.
- An account nobody has logged in to for ``ACCOUNT_INACTIVE_DAYS`` days is deactivated (its
  sessions end; the last active admin is left as it is).

Idempotent (what is erased is not erased again) and audited (one event per consultation erased
and per account deactivated). Runs in committed batches, so a large first run does not hold
one long transaction; an interrupted run is finished by the next.
"""
import calendar
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select

from ..audit.services import record
from ..auth import services as accounts
from ..auth.models import User
from ..consultations import services as consultations
from ..consultations.models import Consultation, ConsultationMessage, ConsultationSearchTerm
from ..database import utcnow
from ..extensions import db
from ..listing import bounded_count

BATCH = 200
DUE_SHOWN = 50


def _shift_months(moment, months):
    """The same moment ``months`` calendar months later (or earlier), the day clamped to the
    month's last."""
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def cutoff(now=None):
    """Consultations closed before this moment are due for erasure."""
    return _shift_months(now or utcnow(), -current_app.config["RETENTION_MONTHS"])


def _due(before):
    return (Consultation.text_erased_at.is_(None), Consultation.status == "closed",
            Consultation.closed_at < before)


def _due_within_notice(now):
    return _due(cutoff((now or utcnow()) + timedelta(days=current_app.config["RETENTION_NOTICE_DAYS"])))


def due_count(now=None):
    """How many consultations have their text erased within the notice period (up to the cap)."""
    return bounded_count(select(Consultation.id).where(*_due_within_notice(now)))


def due_soon(now=None):
    """(the first ``DUE_SHOWN`` consultations whose text is erased within the notice period,
    soonest first; how many there are, counted up to the cap)."""
    conditions = _due_within_notice(now)
    rows = db.session.execute(
        select(Consultation).where(*conditions).order_by(Consultation.closed_at, Consultation.id).limit(DUE_SHOWN)
    ).scalars().all()
    return rows, due_count(now)


def erased_on(consultation):
    """When this consultation's text will be erased (it is closed and not yet erased), or None."""
    if consultation.text_erased_at is not None or consultation.status != "closed" or consultation.closed_at is None:
        return None
    return _shift_months(consultation.closed_at, current_app.config["RETENTION_MONTHS"])


def keep_open(coordinator, consultation):
    """Reopen a closed case so that its text is not erased (it is erased after it is closed
    again and the period has passed once more)."""
    if consultation.status != "closed" or consultation.text_erased_at is not None:
        raise consultations.ConsultationError(_("Bara en avslutad rådfrågning som inte är gallrad kan hållas öppen."))
    consultations.change_status(coordinator, consultation, "ongoing")
    record("retention.kept_open", actor=coordinator, obj=consultation)


@dataclass
class RunReport:
    erased: int
    deactivated: list  # e-mail addresses
    skipped_accounts: list  # (e-mail, why) left active
    dry_run: bool


def run(dry_run=False, now=None):
    """Erase what is due and deactivate inactive accounts; with ``dry_run`` only count."""
    now = now or utcnow()
    before = cutoff(now)
    if dry_run:
        erased = db.session.execute(select(func.count()).select_from(Consultation).where(*_due(before))).scalar_one()
    else:
        erased = _erase_due(before, now)
    deactivated, skipped = _deactivate_inactive(now, dry_run)
    if not dry_run:
        record("retention.run", detail=f"erased:{erased}:deactivated:{len(deactivated)}")
        db.session.commit()
    return RunReport(erased, deactivated, skipped, dry_run)


def _erase_due(before, now):
    erased = 0
    while True:
        batch = db.session.execute(
            select(Consultation).where(*_due(before)).order_by(Consultation.id).limit(BATCH)
        ).scalars().all()
        if not batch:
            return erased
        ids = [c.id for c in batch]
        db.session.execute(delete(ConsultationMessage).where(ConsultationMessage.consultation_id.in_(ids)))
        db.session.execute(delete(ConsultationSearchTerm).where(ConsultationSearchTerm.consultation_id.in_(ids)))
        for consultation in batch:
            consultation.situation = None
            consultation.advice = None
            consultation.referred_to = None
            consultation.text_erased_at = now
            record("consultation.text_erased", obj=consultation)
        db.session.commit()
        db.session.expunge_all()
        erased += len(batch)


def _deactivate_inactive(now, dry_run):
    """Accounts with no login for ACCOUNT_INACTIVE_DAYS (counted from their creation when
    they never logged in)."""
    limit = now - timedelta(days=current_app.config["ACCOUNT_INACTIVE_DAYS"])
    users = db.session.execute(
        select(User).where(User.active.is_(True), or_(User.last_login_at < limit,
                                                      (User.last_login_at.is_(None)) & (User.created_at < limit)))
        .order_by(User.id)
    ).scalars().all()
    deactivated, skipped = [], []
    for user in users:
        if dry_run:
            deactivated.append(user.email)
            continue
        try:
            accounts.deactivate_user(user, actor=None)
        except accounts.PolicyError as exc:
            skipped.append((user.email, str(exc)))
            continue
        record("user.deactivate_inactive", obj=user)
        deactivated.append(user.email)
    return deactivated, skipped

