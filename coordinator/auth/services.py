"""Account operations. Plain arguments in; they change the session, write the
audit event and raise ``AuthError`` subclasses; the caller commits."""
import hashlib
import logging
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from .. import notifications
from ..audit.services import record
from ..database import utcnow
from ..extensions import db
from ..records import DomainError
from ..roles import CASE_READING_ROLES, ROLES
from . import grants, passwords
from .models import ActivationToken, AuthSession, User

log = logging.getLogger(__name__)


class AuthError(DomainError):
    """A refused account operation; ``str()`` is a Swedish message for the user."""


class LoginFailed(AuthError):
    pass


class InvalidToken(AuthError):
    pass


class PolicyError(AuthError):
    """Refused by a rule; ``field`` names the form field it concerns, if any."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user_by_email(email):
    return db.session.execute(select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


def find_user_by_uuid(user_uuid):
    return db.session.execute(select(User).where(User.uuid == user_uuid)).scalar_one_or_none()


# Accounts -------------------------------------------------------------------

def create_user(email, display_name, roles, unit=None, *, actor=None):
    """Create an account without a password; returns (user, activation token).

    A role that needs a coordinator's approval, asked for by someone who is not a
    coordinator, is requested rather than given (see ``grants``)."""
    email = normalise_email(email)
    _check_roles(roles)
    if find_user_by_email(email):
        raise PolicyError(_("Det finns redan ett konto med den e-postadressen."), field="email")
    user = User(email=email, display_name=display_name.strip(), unit=(unit or "").strip() or None)
    user.ensure_uuid()
    user.set_roles([r for r in roles if not grants.needs_approval(r, actor)])
    db.session.add(user)
    db.session.flush()
    record("user.create", actor=actor, obj=user)
    for role in roles:
        if grants.needs_approval(role, actor):
            grants.request(user, role, actor)
    token = issue_activation(user, actor=actor)
    return user, token


def update_user(user, *, display_name, roles, unit, actor):
    _check_roles(roles)
    if actor is not None and actor.id == user.id and set(roles) != user.role_set:
        raise PolicyError(_("Du kan inte ändra dina egna roller. Be en annan administratör."), field="roles")
    if "admin" in user.role_set and "admin" not in roles:
        _refuse_if_last_admin(user)
    wanted = set(roles)
    asked = {r for r in wanted - user.role_set if grants.needs_approval(r, actor)}
    grants.withdraw(user, grants.pending_roles(user) - wanted, actor)
    for role in sorted(asked):
        grants.request(user, role, actor)
    effective = wanted - asked
    roles_changed = effective != user.role_set
    user.display_name = display_name.strip()
    user.unit = (unit or "").strip() or None
    user.set_roles(effective)
    # The new roles in the event (codes, not content), so a grant can be traced.
    detail = "roles:" + ".".join(sorted(effective)) if roles_changed else None
    record("user.update", actor=actor, obj=user, detail=detail)
    if roles_changed:
        labels = ", ".join(str(ROLES.label(r)) for r in ROLES if r in effective) or _("inga")
        _tell(user, actor, _("dina roller är nu: %(roles)s.", roles=labels))


def link_shown_in_browser(user):
    """Whether an admin may see this account's activation link in the browser: only when
    the account cannot read case content, now or once a pending role is approved.
    Otherwise the link goes to the account's own e-mail, or comes from the command line."""
    return not ((user.role_set | grants.pending_roles(user)) & CASE_READING_ROLES)


def _tell(user, actor, change):
    """Tell the account holder of a change someone else made."""
    if actor is None or actor.id != user.id:
        notifications.tell_account_holder(user, change)


def deactivate_user(user, *, actor):
    if actor is not None and actor.id == user.id:
        raise PolicyError(_("Du kan inte inaktivera ditt eget konto."))
    if "admin" in user.role_set:
        _refuse_if_last_admin(user)
    user.active = False
    user.deactivated_at = utcnow()
    end_sessions(user, reason="deactivated")
    record("user.deactivate", actor=actor, obj=user)
    _tell(user, actor, _("kontot är inaktiverat."))


def reactivate_user(user, *, actor):
    user.active = True
    user.deactivated_at = None
    record("user.reactivate", actor=actor, obj=user)
    _tell(user, actor, _("kontot är aktiverat igen."))


def _check_roles(roles):
    if not roles:
        raise PolicyError(_("Välj minst en roll."), field="roles")
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise PolicyError(_("Okänd roll."), field="roles")


def _refuse_if_last_admin(user):
    from .models import UserRole

    admins = db.session.execute(
        select(func.count()).select_from(UserRole).join(User).where(
            UserRole.role == "admin", User.active.is_(True), User.id != user.id
        )
    ).scalar_one()
    if admins == 0:
        raise PolicyError(_("Det måste finnas minst en aktiv administratör."), field="roles")


# Activation links -----------------------------------------------------------

def issue_activation(user, *, actor=None) -> str:
    """A new single-use link token; earlier unused ones stop working."""
    now = utcnow()
    db.session.execute(
        update(ActivationToken)
        .where(ActivationToken.user_id == user.id, ActivationToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    hours = current_app.config["ACTIVATION_VALID_HOURS"]
    db.session.add(
        ActivationToken(
            token_hash=_token_hash(token), user_id=user.id, created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    record("user.activation_issued", actor=actor, obj=user)
    return token


def activation_for(token):
    """The valid, unused activation for ``token``, or raise InvalidToken."""
    row = db.session.execute(
        select(ActivationToken).where(ActivationToken.token_hash == _token_hash(token or ""))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.user.active:
        raise InvalidToken(
            _(
                "Länken är ogiltig, redan använd eller för gammal (den gäller i %(hours)d timmar). "
                "Be administratören om en ny.",
                hours=current_app.config["ACTIVATION_VALID_HOURS"],
            )
        )
    return row


def activate(token, new_password):
    row = activation_for(token)
    user = row.user
    _set_password(user, new_password)
    row.used_at = utcnow()
    user.must_change_password = False
    end_sessions(user, reason="password_set")
    record("user.activated", actor=user, obj=user)
    return user


# Passwords --------------------------------------------------------------------

def _set_password(user, new_password):
    problems = passwords.password_problems(new_password, (user.email, user.display_name))
    if problems:
        raise PolicyError(problems[0], field="new_password")
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()


def set_one_time_password(user, password, *, actor=None):
    """For the first account made by ``make run``: must be changed at first login."""
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = True
    record("user.one_time_password", actor=actor, obj=user)


def change_password(user, current_password, new_password):
    if not passwords.verify_password(user.password_hash, current_password):
        raise PolicyError(_("Det nuvarande lösenordet stämmer inte."), field="current_password")
    if current_password == new_password:
        raise PolicyError(_("Det nya lösenordet måste skilja sig från det nuvarande."), field="new_password")
    _set_password(user, new_password)
    user.must_change_password = False
    end_sessions(user, reason="password_changed")
    record("user.password_change", actor=user, obj=user)


# Login and sessions -----------------------------------------------------------

GENERIC_LOGIN_ERROR = _l("Fel e-postadress eller lösenord, eller så är kontot inte aktivt.")


def authenticate(email, password):
    """The user for these credentials, or raise LoginFailed (one message for every cause)."""
    user = find_user_by_email(email)
    ok = passwords.verify_password(user.password_hash if user else None, password or "")
    if user is None or not ok or not user.active:
        detail = "unknown_account" if user is None else ("bad_password" if not ok else "inactive")
        record("auth.login_failed", actor=user, obj=user, detail=detail)
        raise LoginFailed(str(GENERIC_LOGIN_ERROR))
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def record_throttled_login(email):
    """A login refused by the throttle (the password was not checked)."""
    user = find_user_by_email(email)
    record("auth.login_failed", actor=user, obj=user, detail="throttled")


def start_session(user, remote_addr=None) -> str:
    """A new server-side session for ``user``; returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AuthSession(token_hash=_token_hash(token), user_id=user.id, created_at=now,
                    last_seen_at=now, remote_addr=remote_addr)
    )
    user.last_login_at = now
    record("auth.login", actor=user, obj=user)
    return token


def _expiry_reason(row, now):
    config = current_app.config
    if now - row.created_at >= timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]):
        return "absolute_timeout"
    if now - row.last_seen_at >= timedelta(minutes=config["SESSION_IDLE_MINUTES"]):
        return "idle_timeout"
    return None


def resolve_session(token):
    """The live session for ``token``, touched; or None (ended, expired, unknown)."""
    if not token:
        return None
    row = db.session.execute(
        select(AuthSession).where(AuthSession.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    now = utcnow()
    reason = _expiry_reason(row, now)
    if reason:
        row.ended_at = now
        row.end_reason = reason
        record("auth.session_expired", actor=row.user, obj=row.user, detail=reason)
        return None
    if now - row.last_seen_at >= timedelta(seconds=30):
        _touch(row, now)
    return row


def _touch(row, now):
    """Record that the session is in use, in a transaction of its own: a request that only
    reads must not fail because this bookkeeping cannot be written (a full disk). Without it
    the idle time-out simply counts from the last use that could be recorded."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(AuthSession).where(AuthSession.id == row.id).values(last_seen_at=now))
    except SQLAlchemyError:
        log.warning("the last use of a session could not be recorded (the database refused the write)")
        return
    set_committed_value(row, "last_seen_at", now)


def end_session(token, *, reason="logout"):
    row = db.session.execute(
        select(AuthSession).where(AuthSession.token_hash == _token_hash(token or ""))
    ).scalar_one_or_none()
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        row.end_reason = reason
        record("auth.logout", actor=row.user, obj=row.user)


def end_sessions(user, *, reason, actor=None):
    """End every live session of ``user``; returns how many."""
    query = update(AuthSession).where(AuthSession.user_id == user.id, AuthSession.ended_at.is_(None))
    count = db.session.execute(query.values(ended_at=utcnow(), end_reason=reason)).rowcount
    if actor is not None:
        record("user.sessions_ended", actor=actor, obj=user, detail=reason)
        _tell(user, actor, _("alla dina inloggningar har avslutats."))
    return count


def live_sessions(user):
    return db.session.execute(
        select(AuthSession)
        .where(AuthSession.user_id == user.id, AuthSession.ended_at.is_(None))
        .order_by(AuthSession.created_at.desc())
    ).scalars().all()


def list_users():
    return db.session.execute(users_query()).scalars().all()


def users_query():
    """Accounts by name, without regard to case (then e-mail)."""
    return select(User).order_by(func.lower(User.display_name), User.email)


def change_email(user, new_email, *, actor=None):
    """A new e-mail (login name) for ``user`` — on the server's command line only, since
    with it comes the right to receive the account's activation links. The holder is
    told at the old and the new address."""
    new_email = normalise_email(new_email)
    if new_email != user.email and find_user_by_email(new_email):
        raise PolicyError(_("Det finns redan ett konto med den e-postadressen."), field="email")
    old_email, user.email = user.email, new_email
    record("user.email_changed", actor=actor, obj=user)
    change = _("e-postadressen (inloggningsnamnet) är ändrad från %(old)s till %(new)s.", old=old_email, new=new_email)
    notifications.tell_account_holder(user, change)
    if old_email != new_email:
        notifications.tell_address(old_email, change)
    return user


def set_work_phone(user, phone):
    """The holder's own work phone, which may then stand in the messages they write."""
    user.work_phone = " ".join((phone or "").split()) or None
    record("user.contact_changed", actor=user, obj=user)


# What the account page says about each account event (codes from the audit trail).
ACCOUNT_EVENT_LABELS = {
    "user.create": _l("Kontot skapades"),
    "user.update": _l("Kontots uppgifter eller roller ändrades"),
    "user.role_requested": _l("En roll begärdes (väntar på en samordnares godkännande)"),
    "user.role_approved": _l("En roll godkändes av en samordnare"),
    "user.role_declined": _l("En begärd roll avslogs"),
    "user.role_withdrawn": _l("En begärd roll drogs tillbaka"),
    "user.activation_issued": _l("En aktiveringslänk skapades"),
    "user.activated": _l("Lösenordet valdes via en aktiveringslänk"),
    "user.password_change": _l("Lösenordet byttes"),
    "user.one_time_password": _l("Ett engångslösenord sattes"),
    "user.sessions_ended": _l("Inloggningar avslutades"),
    "user.deactivate": _l("Kontot inaktiverades"),
    "user.contact_changed": _l("Arbetstelefonnumret ändrades"),
    "user.email_changed": _l("E-postadressen ändrades"),
    "user.reactivate": _l("Kontot aktiverades igen"),
    "user.two_factor_enabled": _l("Tvåstegsverifiering slogs på"),
    "user.two_factor_changed": _l("Tvåstegsverifieringen flyttades till en ny app"),
    "user.two_factor_removed": _l("Tvåstegsverifiering stängdes av"),
    "user.two_factor_reset": _l("Tvåstegsverifieringen återställdes av en administratör"),
    "user.recovery_codes_renewed": _l("Nya reservkoder skapades"),
    "auth.recovery_code_used": _l("En reservkod användes vid inloggning"),
}
ACCOUNT_EVENTS_SHOWN = 20


def account_events(user, limit=ACCOUNT_EVENTS_SHOWN):
    """The newest changes to ``user``'s account, as (event, label, actor name or None)."""
    from ..audit.models import AuditEvent

    actor = aliased(User)
    rows = db.session.execute(
        select(AuditEvent, actor.display_name)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(AuditEvent.object_type == "users", AuditEvent.object_uuid == user.uuid,
               AuditEvent.action.in_(ACCOUNT_EVENT_LABELS))
        .order_by(AuditEvent.id.desc()).limit(limit)
    ).all()
    return [(event, ACCOUNT_EVENT_LABELS[event.action], name) for event, name in rows]
