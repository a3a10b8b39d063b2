"""Activities: trainings and meetings through one code path (DESIGN.md). Plain arguments
in, the session changed, the audit event written; the request commits once.

A planned activity has a day or only a month; marking it done asks for what is only
known then (the day, the participants of a training, notes, the bulletin line), and a
done activity cannot lie in the future.
"""
import calendar
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import changed_detail, record
from ..database import local_today
from ..extensions import db
from ..initiatives.models import Initiative
from ..listing import Custom, DateRange, Equals, FilterSet, Keyset, Section, bounded_count, keyset_page, section
from ..partners import services as partners
from ..partners.models import Partner
from ..records import DomainError, NotFound, populate
from ..text_guard import CASE_TEXT, PUBLICATION_TEXT, record_confirmations, refuse_identifiers
from . import choices
from .models import Activity, activity_partners

SECTION_ROWS = 10
MONTH_MAX = 500  # activities shown in one month at most


class ActivityError(DomainError):
    """A refused activity operation."""


@dataclass
class ActivityInput:
    kind: str
    area: str
    title: str
    our_role: Optional[str] = None
    status: Optional[str] = None
    format: Optional[str] = None
    held_on: Optional[date] = None  # the day, when it is fixed
    month: Optional[date] = None  # otherwise the planned month (any day of it)
    audience: Optional[str] = None
    audience_sector: Optional[str] = None
    participants: Optional[int] = None
    initiative: Optional[str] = None  # an initiative's UUID
    partners: list = field(default_factory=list)  # partners' UUIDs
    bulletin_line: Optional[str] = None
    notes: Optional[str] = None
    confirmed_fields: list = field(default_factory=list)


@dataclass
class DoneInput:
    held_on: date
    participants: Optional[int] = None
    notes: Optional[str] = None
    bulletin_line: Optional[str] = None
    confirmed_fields: list = field(default_factory=list)


EDIT_FIELDS = ("kind", "area", "our_role", "format", "audience", "audience_sector", "participants",
               "bulletin_line", "notes")


# Reading -------------------------------------------------------------------------------

def get_activity(activity_uuid):
    activity = db.session.execute(select(Activity).where(Activity.uuid == activity_uuid)).scalar_one_or_none()
    if activity is None:
        raise NotFound()
    return activity


def open_detail(user, activity):
    """Its notes are encrypted text: the read is audited."""
    record("activity.view", actor=user, obj=activity)


def _with_partner(value):
    try:
        partner_uuid = uuid.UUID(str(value))
    except ValueError:
        return [Activity.id.is_(None)]  # an unreadable partner: no rows, no error
    return [Activity.id.in_(
        select(activity_partners.c.activity_id).join(Partner, Partner.id == activity_partners.c.partner_id)
        .where(Partner.uuid == partner_uuid)
    )]


FILTERS = FilterSet(
    Activity, DateRange("starts_on"), Equals("kind"), Equals("status"), Equals("area"), Equals("our_role"),
    Custom("partner", _with_partner),
)
LIST_ORDER = Keyset((Activity.starts_on, Activity.id))


def list_page(filters, per_page, after=None, before=None):
    """The activities, latest date first (planned ones ahead of today at the top)."""
    query = select(Activity).where(*FILTERS.conditions(filters))
    page = keyset_page(query, LIST_ORDER, per_page, after=after, before=before)
    return page, bounded_count(select(Activity.id).where(*FILTERS.conditions(filters)))


def month_bounds(day):
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@dataclass
class Month:
    first: date
    last: date
    days: list  # [(date, [activities])] for days that have any, in order
    undated: list  # planned for the month, day not fixed
    truncated: bool

    @property
    def previous(self):
        return month_bounds(date.fromordinal(self.first.toordinal() - 1))[0]

    @property
    def next(self):
        return date.fromordinal(self.last.toordinal() + 1)


def month_view(day):
    """What happens in the month of ``day`` (planned, done and cancelled), by day."""
    first, last = month_bounds(day)
    rows = db.session.execute(
        select(Activity).where(Activity.starts_on >= first, Activity.starts_on <= last)
        .order_by(Activity.starts_on, Activity.id).limit(MONTH_MAX + 1)
    ).scalars().all()
    truncated = len(rows) > MONTH_MAX
    rows = rows[:MONTH_MAX]
    days = {}
    for activity in rows:
        if activity.day_fixed:
            days.setdefault(activity.starts_on, []).append(activity)
    return Month(first, last, sorted(days.items()), [a for a in rows if not a.day_fixed], truncated)


@dataclass
class Agenda:
    coming: Section
    overdue: Section


def agenda(today=None):
    """The coordinator's start page: the coming activities, and the planned ones whose date
    has passed (to be marked done or cancelled)."""
    today = today or local_today()
    coming = section(Activity, coming_conditions(today), COMING_ORDER,
                     {"status": "planned", "date_from": (today - MONTH_SPAN).isoformat()}, rows=SECTION_ROWS)
    overdue = section(Activity, overdue_conditions(today), OVERDUE_ORDER,
                      {"status": "planned", "date_to": today.isoformat()}, rows=SECTION_ROWS)
    return Agenda(coming=coming, overdue=overdue)


# A planned month starts at most this long before its last day: the bound that lets the
# coming activities be read from the index (status, starts_on, id) without the past ones.
MONTH_SPAN = timedelta(days=31)
COMING_ORDER = (Activity.starts_on, Activity.id)
OVERDUE_ORDER = (Activity.latest_on, Activity.id)


def coming_conditions(today):
    return [Activity.status == "planned", Activity.starts_on >= today - MONTH_SPAN, Activity.latest_on >= today]


def overdue_conditions(today):
    return [Activity.status == "planned", Activity.latest_on < today]


INITIATIVE_CHOICES_MAX = 200


def initiative_choices(include=None):
    """(uuid, title) of the initiatives that are not closed, newest first (bounded), and
    ``include`` (the activity's own, even if closed)."""
    rows = db.session.execute(
        select(Initiative).where(Initiative.status != "closed").order_by(Initiative.updated_at.desc())
        .limit(INITIATIVE_CHOICES_MAX)
    ).scalars().all()
    if include is not None and include not in rows:
        rows.append(include)
    return [(str(i.uuid), i.title) for i in rows]


# Writing -------------------------------------------------------------------------------

def _resolve_initiative(value):
    if not value:
        return None
    try:
        initiative_uuid = uuid.UUID(str(value))
    except ValueError:
        initiative_uuid = None
    initiative = initiative_uuid and db.session.execute(
        select(Initiative).where(Initiative.uuid == initiative_uuid)).scalar_one_or_none()
    if not initiative:
        raise ActivityError(_("Välj en satsning ur listan."), field="initiative")
    return initiative


def _dates(data, status, today):
    """(starts_on, latest_on, day_fixed) from a day or a planned month; refuse what cannot be."""
    if data.held_on is not None:
        if status == "done" and data.held_on > today:
            raise ActivityError(_("En genomförd aktivitet kan inte ha ett datum i framtiden. Ändra datumet "
                                  "eller välj status planerad."), field="held_on")
        return data.held_on, data.held_on, True
    if data.month is not None:
        if status == "done":
            raise ActivityError(_("Fyll i dagen då aktiviteten genomfördes."), field="held_on")
        first, last = month_bounds(data.month)
        return first, last, False
    raise ActivityError(_("Fyll i ett datum, eller en månad om dagen inte är bestämd."), field="held_on")


def _check_training_fields(data):
    """Only trainings have an audience and participants; other kinds keep none."""
    if data.kind not in choices.TRAINING_KINDS:
        data.audience = data.audience_sector = data.participants = None


def _apply(user, activity, data: ActivityInput, today):
    status = data.status or activity.status or "planned"
    starts_on, latest_on, day_fixed = _dates(data, status, today)
    _check_training_fields(data)
    refuse_identifiers(PUBLICATION_TEXT, data.title, data.audience, data.bulletin_line, error=ActivityError)
    refuse_identifiers(CASE_TEXT, data.notes, error=ActivityError)
    initiative = _resolve_initiative(data.initiative)
    chosen = partners.by_uuids(data.partners)
    changed = populate(activity, data, EDIT_FIELDS)
    changed += populate(activity, {"title": data.title, "status": status, "starts_on": starts_on,
                                   "latest_on": latest_on, "day_fixed": day_fixed},
                        ("title", "status", "starts_on", "latest_on", "day_fixed"))
    if activity.initiative is not initiative:
        activity.initiative = initiative
        changed.append("initiative")
    if {p.id for p in activity.partners} != {p.id for p in chosen}:
        activity.partners = chosen
        changed.append("partners")
    return changed


def create_activity(user, data: ActivityInput, today=None) -> Activity:
    activity = Activity(created_by_id=user.id)
    activity.ensure_uuid()
    _apply(user, activity, data, today or local_today())
    db.session.add(activity)
    db.session.flush()
    record("activity.create", actor=user, obj=activity)
    record_confirmations(user, activity, data.confirmed_fields)
    return activity


def update_activity(user, activity, data: ActivityInput, today=None):
    changed = _apply(user, activity, data, today or local_today())
    record("activity.update", actor=user, obj=activity, detail=changed_detail(changed))
    record_confirmations(user, activity, data.confirmed_fields)
    return changed


def mark_done(user, activity, data: DoneInput, today=None):
    """Done, with what is only known afterwards."""
    today = today or local_today()
    if activity.status == "cancelled":
        raise ActivityError(_("Aktiviteten är inställd. Ändra den om den ändå blev av."))
    if data.held_on > today:
        raise ActivityError(_("En genomförd aktivitet kan inte ha ett datum i framtiden."), field="held_on")
    refuse_identifiers(PUBLICATION_TEXT, data.bulletin_line, error=ActivityError)
    refuse_identifiers(CASE_TEXT, data.notes, error=ActivityError)
    # The form shows the planned texts; what the coordinator empties there is emptied.
    values = {"status": "done", "starts_on": data.held_on, "latest_on": data.held_on, "day_fixed": True,
              "participants": data.participants if activity.is_training else None,
              "notes": data.notes, "bulletin_line": data.bulletin_line}
    changed = populate(activity, values, tuple(values))
    record("activity.done", actor=user, obj=activity, detail=changed_detail(changed))
    record_confirmations(user, activity, data.confirmed_fields, prefix="done.")
    return changed


def cancel(user, activity):
    if activity.status == "done":
        raise ActivityError(_("Aktiviteten är redan genomförd och kan inte ställas in."))
    if activity.status == "cancelled":
        raise ActivityError(_("Aktiviteten är redan inställd."))
    activity.status = "cancelled"
    record("activity.cancel", actor=user, obj=activity)
