"""Two-factor login: a time-based one-time code (TOTP, RFC 6238, pyotp) from an
authenticator app, or one of ten single-use recovery codes.

- Mandatory for the roles in ``TWO_FACTOR_ROLES`` (admin and coordinator unless configured);
  anyone else may turn it on. Once on, every login asks for a code after the password.
- A code is single-use: the time step of the last accepted code is stored, and a code of the
  same or an earlier step is refused (one conditional UPDATE, so two requests with the same
  code cannot both pass).
- Recovery codes are random (60 bits), shown once, stored as SHA-256 hashes, each usable once.
- Turning it on, changing it, turning it off and new recovery codes ask for the password.
- An admin can reset a user's second factor (never choose a password): audited, the user is
  told, their sessions end, and they set it up again at their next login.
The caller commits.
"""
import hashlib
import secrets

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from ..audit.services import record
from ..database import utcnow
from ..extensions import db
from ..notifications import tell_account_holder
from ..records import DomainError
from . import passwords, throttling
from .models import RecoveryCode, User

RECOVERY_CODES = 10
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the step before or after is accepted (clocks drift)


class TwoFactorError(DomainError):
    """A refused second-factor operation; ``str()`` is a Swedish message for the user."""


def required_for(user) -> bool:
    """Whether this user's roles make a second factor mandatory."""
    return bool(user.role_set & set(current_app.config["TWO_FACTOR_ROLES"]))


def enrolled(user) -> bool:
    return user.totp_enabled_at is not None


def must_enrol(user) -> bool:
    return required_for(user) and not enrolled(user)


# Setting it up --------------------------------------------------------------------------------

def begin_enrolment(user):
    """A new secret to be confirmed with a code (kept encrypted until then); returns it.
    Asked again, the same pending secret is returned, so a reload keeps the QR code."""
    if not user.totp_pending_secret:
        user.totp_pending_secret = pyotp.random_base32()
    return user.totp_pending_secret


def provisioning_uri(user, secret):
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_svg(user, secret):
    """The QR code of the secret as inline SVG markup (no script, no external service)."""
    return segno.make(provisioning_uri(user, secret), error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR-kod för din autentiseringsapp"))


def confirm_enrolment(user, password, code):
    """Turn the pending secret on (or replace the current one) when the password and a code
    from it are right; returns the new recovery codes, to be shown once."""
    _check_password(user, password)
    secret = user.totp_pending_secret
    if not secret:
        raise TwoFactorError(_("Börja om: öppna sidan för tvåstegsverifiering igen."))
    step = _matching_step(secret, code)
    if step is None:
        raise TwoFactorError(_("Koden stämmer inte. Skriv de sex siffrorna som appen visar just nu."), field="code")
    replacing = enrolled(user)
    user.totp_secret = secret
    user.totp_pending_secret = None
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    record("user.two_factor_changed" if replacing else "user.two_factor_enabled", actor=user, obj=user)
    return codes


def new_recovery_codes(user, password):
    """Ten new recovery codes (the old ones stop working); the password is asked again."""
    _check_password(user, password)
    if not enrolled(user):
        raise TwoFactorError(_("Slå på tvåstegsverifiering först."))
    codes = _new_recovery_codes(user)
    record("user.recovery_codes_renewed", actor=user, obj=user)
    return codes


def remove(user, password):
    """Turn the second factor off (refused where the role needs it)."""
    _check_password(user, password)
    if required_for(user):
        raise TwoFactorError(_("Din roll kräver tvåstegsverifiering. Du kan byta app, men inte stänga av den."))
    _clear(user)
    record("user.two_factor_removed", actor=user, obj=user)


def reset_by_admin(user, *, actor):
    """An admin's reset: the user sets up a new second factor at their next login."""
    from .services import end_sessions

    _clear(user)
    end_sessions(user, reason="two_factor_reset", actor=actor)
    record("user.two_factor_reset", actor=actor, obj=user)
    tell_account_holder(user, _("tvåstegsverifieringen är återställd. Du ställer in den igen när du loggar in."))


def _clear(user):
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _check_password(user, password):
    """The password asked again, with the change-password page's limit on guesses. Called
    before the operation writes anything (the throttle counts on its own connection)."""
    try:
        throttling.before_password_check(user.id)
    except throttling.Throttled:
        raise TwoFactorError(_("För många försök. Vänta en stund och försök igen."), field="password") from None
    if not passwords.verify_password(user.password_hash, password or ""):
        raise TwoFactorError(_("Lösenordet stämmer inte."), field="password")


# Logging in ------------------------------------------------------------------------------------

def verify(user, code) -> bool:
    """Whether ``code`` (six digits from the app, or a recovery code) lets ``user`` in now;
    a code accepted once is never accepted again."""
    proof = check(user, code)
    return proof is not None and claim(user, proof)


def check(user, code):
    """What ``code`` proves, read only (a time step, or a recovery code's hash), or None;
    ``claim`` then uses it up. Split so the caller can clear its throttle in between,
    before this request writes anything."""
    if not enrolled(user):
        return None
    digits = "".join((code or "").split())
    if digits.isdigit() and len(digits) == 6:
        step = _matching_step(user.totp_secret, digits)
        return ("step", step) if step is not None else None
    normalised = _normalise_recovery(code)
    if normalised is None:
        return None
    found = db.session.execute(
        select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(normalised),
                                      RecoveryCode.used_at.is_(None))
    ).scalar_one_or_none()
    return ("recovery", found) if found is not None else None


def claim(user, proof) -> bool:
    """Use the proof up: False when another request used it first (a replay)."""
    kind, value = proof
    if kind == "step":
        return _claim_step(user, value)
    return _use_recovery_code(user, value)


def _matching_step(secret, code):
    """The time step whose code ``code`` is (within the drift allowed), or None."""
    digits = "".join((code or "").split())
    if not (digits.isdigit() and len(digits) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now_step = int(utcnow().timestamp()) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _claim_step(user, step):
    """Record ``step`` as used, only if no code of this or a later step was accepted before."""
    table = User.__table__
    claimed = db.session.execute(
        update(table).where(table.c.id == user.id,
                            (table.c.totp_last_step.is_(None)) | (table.c.totp_last_step < step))
        .values(totp_last_step=step).returning(table.c.id)
    ).scalar_one_or_none()
    if claimed is None:
        record("auth.two_factor_replay", actor=user, obj=user)
        return False
    db.session.expire(user, ["totp_last_step"])
    return True


def _use_recovery_code(user, code_id):
    used = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).returning(RecoveryCode.id)
    ).scalar_one_or_none()
    if used is None:
        record("auth.two_factor_replay", actor=user, obj=user, detail="recovery_code")
        return False
    record("auth.recovery_code_used", actor=user, obj=user, detail=f"left:{recovery_codes_left(user)}")
    return True


def recovery_codes_left(user):
    return db.session.execute(
        select(db.func.count()).select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one()


_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand


def _new_recovery_codes(user):
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _c in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def _normalise_recovery(code):
    raw = "".join(ch for ch in (code or "").lower() if ch.isalnum())
    return raw if len(raw) == 12 else None


def _hash(normalised):
    return hashlib.sha256(normalised.encode()).hexdigest()

