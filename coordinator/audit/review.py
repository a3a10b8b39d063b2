"""The audit trail for people: the admin's list of events (filters, CSV) and the log review
(loggkontroll) a municipality runs monthly.

The review says, per user and period: how many times they opened case content, how many of
those opens fell outside office hours, the ten-minute slots with a burst of opens, how many
searches they ran, and how many cases they opened without any connection to them (they did not
ask, log, answer, edit or write in it). Every figure is counted in SQL; what comes back to
Python is one row per user, or per user and hour (for office hours, which are local time).
Nothing here reads case content: events hold codes and identifiers only.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, exists, func, or_, select

from ..auth.models import User
from ..codes import CodeList
from ..consultations.models import Consultation, ConsultationMessage
from ..extensions import db
from ..listing import Custom, FilterSet, Keyset, bounded_count, keyset_page
from .models import AuditEvent

READS = ("consultation.view",)  # opening case content
SEARCHES = ("consultation.search",)
# What ties a user to a case besides asking for it or logging it.
CONNECTING_ACTIONS = ("consultation.create", "consultation.request", "consultation.update", "consultation.answer",
                      "consultation.status", "consultation.message")
# The groups of the list's filter: an action's prefix.
AREAS = CodeList("audit_areas", {
    "auth": _l("Inloggning"), "user": _l("Konton"), "consultation": _l("Rådfrågningar"),
    "activity": _l("Aktiviteter"), "initiative": _l("Satsningar"), "partner": _l("Samverkanspartner"),
    "bulletin": _l("Nyhetsbrevet"), "audit": _l("Granskningsloggen"), "security": _l("Säkerhet"),
    "anonymity": _l("Anonymitetsskyddet"),
})


def _zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def moments(start: date, end: date):
    """[first moment, moment after the last) of local days ``start``..``end``, in UTC."""
    zone = _zone()
    return (datetime.combine(start, time(), zone).astimezone(timezone.utc),
            datetime.combine(end + timedelta(days=1), time(), zone).astimezone(timezone.utc))


# The list of events ---------------------------------------------------------------------------

def _by_email(value):
    ids = select(User.id).where(User.email == value.strip().lower())
    return [AuditEvent.actor_id.in_(ids)]


def _in_area(value):
    # An index range on action: "consultation." <= action < "consultation/" ("/" follows ".").
    return [AuditEvent.action >= f"{value}.", AuditEvent.action < f"{value}/"]


def _about(value):
    return [AuditEvent.object_uuid == UUID(str(value))]


def _from(value):
    return [AuditEvent.occurred_at >= moments(value, value)[0]]


def _to(value):
    return [AuditEvent.occurred_at < moments(value, value)[1]]


FILTERS = FilterSet(
    AuditEvent, Custom("who", _by_email), Custom("area", _in_area), Custom("action", lambda v: [AuditEvent.action == v]),
    Custom("object", _about), Custom("date_from", _from), Custom("date_to", _to),
)
ORDER = Keyset((AuditEvent.id,))


def events_page(filters, per_page, after=None, before=None):
    """A page of events (newest first) with the names of their actors, and the bounded count."""
    query = select(AuditEvent).where(*FILTERS.conditions(filters))
    page = keyset_page(query, ORDER, per_page, after=after, before=before)
    return page, actors_of(page.items), bounded_count(select(AuditEvent.id).where(*FILTERS.conditions(filters)))


def actors_of(events):
    ids = sorted({e.actor_id for e in events if e.actor_id is not None})
    if not ids:
        return {}
    return {row.id: row for row in db.session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(ids))).all()}


EXPORT_BATCH = 1000
EXPORT_HEADER = ("id", "tid (UTC)", "användare", "e-post", "händelse", "objekttyp", "objekt", "adress", "detalj")


def export_rows(filters):
    """Every matching event as CSV cells, oldest first, read in batches (memory stays flat
    however many there are). Codes and identifiers only: events hold no content."""
    conditions = FILTERS.conditions(filters)
    last = 0
    while True:
        batch = db.session.execute(
            select(AuditEvent).where(*conditions, AuditEvent.id > last).order_by(AuditEvent.id).limit(EXPORT_BATCH)
        ).scalars().all()
        if not batch:
            return
        actors = actors_of(batch)
        for event in batch:
            actor = actors.get(event.actor_id)
            yield (event.id, event.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), actor.display_name if actor else "",
                   actor.email if actor else "", event.action, event.object_type or "",
                   str(event.object_uuid) if event.object_uuid else "", event.remote_addr or "", event.detail or "")
        last = batch[-1].id
        db.session.expunge_all()


# The log review --------------------------------------------------------------------------------

@dataclass
class UserReview:
    user_id: int
    name: str
    email: str
    reads: int = 0
    outside_hours: int = 0
    bursts: list = field(default_factory=list)  # (slot start in local time, opens)
    searches: int = 0
    unconnected: int = 0  # cases opened without a connection to them

    @property
    def remarks(self):
        """Whether anything here asks for a closer look."""
        return bool(self.outside_hours or self.bursts or self.unconnected)


@dataclass
class Review:
    start: date
    end: date
    users: list
    office_hours: tuple
    burst_reads: int

    @property
    def with_remarks(self):
        return [u for u in self.users if u.remarks]


def review(start: date, end: date) -> Review:
    first, after = moments(start, end)
    in_period = and_(AuditEvent.occurred_at >= first, AuditEvent.occurred_at < after)
    rows = {}

    def of(user_id):
        return rows.setdefault(user_id, UserReview(user_id, "", ""))

    text = cast(AuditEvent.occurred_at, String)
    hour_slot, ten_minutes = func.substr(text, 1, 13), func.substr(text, 1, 15)  # "YYYY-MM-DD HH", "… HH:M"
    opens = and_(in_period, AuditEvent.action.in_(READS), AuditEvent.actor_id.is_not(None))

    start_hour, end_hour = current_app.config["AUDIT_OFFICE_HOURS"]
    zone = _zone()
    for actor, slot, n in db.session.execute(
            select(AuditEvent.actor_id, hour_slot, func.count()).where(opens).group_by(AuditEvent.actor_id, hour_slot)):
        review_of = of(actor)
        review_of.reads += n
        local = datetime.strptime(slot, "%Y-%m-%d %H").replace(tzinfo=timezone.utc).astimezone(zone)
        if local.weekday() >= 5 or not (start_hour <= local.hour < end_hour):
            review_of.outside_hours += n

    burst = current_app.config["AUDIT_BURST_READS"]
    for actor, slot, n in db.session.execute(
            select(AuditEvent.actor_id, ten_minutes, func.count()).where(opens)
            .group_by(AuditEvent.actor_id, ten_minutes).having(func.count() >= burst)
            .order_by(AuditEvent.actor_id, ten_minutes)):
        local = datetime.strptime(slot + "0", "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc).astimezone(zone)
        of(actor).bursts.append((local, n))

    for actor, n in db.session.execute(
            select(AuditEvent.actor_id, func.count())
            .where(in_period, AuditEvent.action.in_(SEARCHES), AuditEvent.actor_id.is_not(None))
            .group_by(AuditEvent.actor_id)):
        of(actor).searches = n

    for actor, n in db.session.execute(_unconnected_opens(opens)):
        of(actor).unconnected = n

    if rows:
        for user in db.session.execute(select(User.id, User.display_name, User.email)
                                       .where(User.id.in_(sorted(rows)))).all():
            rows[user.id].name, rows[user.id].email = user.display_name, user.email
    users = sorted(rows.values(), key=lambda r: (-r.reads, r.name))
    return Review(start, end, users, (start_hour, end_hour), burst)


def _unconnected_opens(opens):
    """(actor, distinct cases) opened by an actor who did not ask for, log, answer, edit or
    write in them."""
    earlier = AuditEvent.__table__.alias("connecting")
    connected = or_(
        Consultation.requested_by_id == AuditEvent.actor_id,
        Consultation.created_by_id == AuditEvent.actor_id,
        exists().where(ConsultationMessage.consultation_id == Consultation.id,
                       ConsultationMessage.author_id == AuditEvent.actor_id),
        exists().where(earlier.c.object_type == "consultations", earlier.c.object_uuid == AuditEvent.object_uuid,
                       earlier.c.actor_id == AuditEvent.actor_id, earlier.c.action.in_(CONNECTING_ACTIONS)),
    )
    return (select(AuditEvent.actor_id, func.count(func.distinct(AuditEvent.object_uuid)))
            .join(Consultation, Consultation.uuid == AuditEvent.object_uuid)
            .where(opens, AuditEvent.object_type == "consultations", ~connected)
            .group_by(AuditEvent.actor_id))
