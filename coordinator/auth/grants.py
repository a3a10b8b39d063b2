"""Roles that need a coordinator's approval (roles.APPROVAL_ROLES).

An admin manages accounts but must never be able to reach case content alone. So a
role that reads every case (coordinator) asked for by someone who is not a
coordinator becomes a pending grant; an existing coordinator approves or declines it
on their start page. The first coordinator is created on the server's command line,
which needs no approval. The account holder is told of the decision.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..database import utcnow
from ..extensions import db
from ..records import DomainError, NotFound
from ..roles import APPROVAL_ROLES, ROLES
from .models import RoleGrant, User

PENDING_SHOWN = 20


def needs_approval(role, actor):
    """From the browser, by someone who is not a coordinator (the command line passes no actor)."""
    return role in APPROVAL_ROLES and actor is not None and not actor.has_role("coordinator")


def pending_roles(user):
    return {g.role for g in _pending_of(user)}


def _pending_of(user):
    if user.id is None:
        return []
    return db.session.execute(
        select(RoleGrant).where(RoleGrant.user_id == user.id, RoleGrant.decided_at.is_(None))
    ).scalars().all()


def request(user, role, actor):
    """A pending grant of ``role`` to ``user`` (one per user and role)."""
    if role in pending_roles(user):
        return
    grant = RoleGrant(user_id=user.id, role=role, requested_by_id=actor.id)
    grant.ensure_uuid()
    db.session.add(grant)
    db.session.flush()
    record("user.role_requested", actor=actor, obj=user, detail=f"role:{role}")


def withdraw(user, roles, actor):
    """Pending grants of ``roles`` that are no longer asked for are withdrawn."""
    for grant in _pending_of(user):
        if grant.role in roles:
            grant.decided_at, grant.decided_by_id, grant.approved = utcnow(), actor.id, False
            record("user.role_withdrawn", actor=actor, obj=user, detail=f"role:{grant.role}")


def pending(limit=PENDING_SHOWN):
    """The oldest pending grants (bounded) and how many there are."""
    from sqlalchemy import func

    query = select(RoleGrant).where(RoleGrant.decided_at.is_(None))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.order_by(RoleGrant.requested_at, RoleGrant.id).limit(limit)).scalars().all()
    return rows, total


def decide(coordinator, grant_uuid, approve):
    """A coordinator approves or declines a pending grant; never one for their own account."""
    from .. import notifications

    grant = db.session.execute(
        select(RoleGrant).where(RoleGrant.uuid == grant_uuid, RoleGrant.decided_at.is_(None))
    ).scalar_one_or_none()
    if grant is None:
        raise NotFound()
    if grant.user_id == coordinator.id:
        raise DomainError(_("Du kan inte godkänna en behörighet för ditt eget konto."))
    grant.decided_at, grant.decided_by_id, grant.approved = utcnow(), coordinator.id, approve
    user = db.session.get(User, grant.user_id)
    label = ROLES.label(grant.role)
    if approve:
        user.set_roles(user.role_set | {grant.role})
        record("user.role_approved", actor=coordinator, obj=user, detail=f"role:{grant.role}")
        notifications.tell_account_holder(user, _("du har fått rollen %(role)s.", role=label))
    else:
        record("user.role_declined", actor=coordinator, obj=user, detail=f"role:{grant.role}")
    return grant
