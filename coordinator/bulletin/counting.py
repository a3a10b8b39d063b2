"""The bulletin's figures for a period, counted in SQL: the consultations' figures are sums
of the per-day tallies (tallies.py, kept in step as consultations are saved), the rest GROUP
BY over activities, notes and partners; never by loading consultations. Every function
returns true counts; what may be published is decided by disclosure.py.

Counting rules (also in the README):
- a consultation belongs to the period in which it was received (``received_on``);
- a follow-up (it follows up an earlier consultation) is a consultation but not a new case;
- persons concerned are counted on new cases, at the low end of each case's band (1, 2 for
  "2–3", 4 for "4 eller fler", 1 when unknown): "minst N personer";
- a consultation concerns a minor when one of its age bands is wholly under 18;
- every line broken down by one attribute (area, sector, under 18) adds up to the same
  total, the period's consultations, so no line can be subtracted from another;
- a consultation with two forms of violence (or concerns, or measures) counts once per form.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, func, select

from ..activities.models import Activity, activity_partners
from ..extensions import db
from ..initiatives.models import Initiative, ProgressNote
from ..partners.models import Partner, PartnerStep
from . import tallies


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def overlaps(self, other):
        return self.start <= other.end and other.start <= self.end


def consultation_totals(period):
    """(all consultations, new cases, follow-ups) received in the period."""
    counts = tallies.sum_by_field(period, ("total", "new"))
    total, new = counts.get("total", {}).get("", 0), counts.get("new", {}).get("", 0)
    return total, new, total - new


def by_column(period, column_name):
    """{code: consultations} by a single-code column (area, sector, channel, urgency)."""
    if column_name not in tallies.COLUMNS:
        raise ValueError(f"no tally by {column_name}")
    return tallies.sum_by_field(period, (column_name,)).get(column_name, {})


def by_codes(period, field):
    """{code: consultations with it} for a multi-code field (forms, concerns, measures)."""
    return codes_by_field(period, (field,)).get(field, {})


def codes_by_field(period, fields):
    """{field: {code: consultations with it}} for several multi-code fields."""
    return tallies.sum_by_field(period, fields)


def persons(period):
    """(at least this many persons concerned by the new cases, consultations concerning
    someone under 18)."""
    counts = tallies.sum_by_field(period, ("persons", "minors"))
    return counts.get("persons", {}).get("", 0), counts.get("minors", {}).get("", 0)


def referrals(period):
    """{partner name: consultations referred to it} (partners of the register)."""
    counted = tallies.sum_by_field(period, ("referred_to",)).get("referred_to", {})
    if not counted:
        return {}
    names = dict(db.session.execute(
        select(Partner.id, Partner.name).where(Partner.id.in_(sorted(int(k) for k in counted)))).all())
    out = {}
    for key, n in counted.items():
        name = names.get(int(key))
        if name is not None:  # a partner removed from the register is not named
            out[name] = out.get(name, 0) + n
    return dict(sorted(out.items()))


# The coordinator's own work ---------------------------------------------------------------

ACTIVITY_ROWS = 100  # lines of activities in one section at most


def activities_done(period):
    """The activities done in the period, in date order."""
    return db.session.execute(
        select(Activity).where(Activity.status == "done", Activity.starts_on.between(period.start, period.end))
        .order_by(Activity.starts_on, Activity.id).limit(ACTIVITY_ROWS)
    ).scalars().all()


def activities_planned(period):
    """What is planned from the period on (not yet done or cancelled)."""
    return db.session.execute(
        select(Activity).where(Activity.status == "planned", Activity.latest_on >= period.start)
        .order_by(Activity.starts_on, Activity.id).limit(ACTIVITY_ROWS)
    ).scalars().all()


def meetings_by_partner(period, kinds):
    """{partner name: meetings done in the period} for activities of ``kinds``."""
    rows = db.session.execute(
        select(Partner.name, func.count())
        .join(activity_partners, activity_partners.c.partner_id == Partner.id)
        .join(Activity, and_(Activity.id == activity_partners.c.activity_id))
        .where(Activity.status == "done", Activity.kind.in_(sorted(kinds)),
               Activity.starts_on.between(period.start, period.end))
        .group_by(Partner.name).order_by(func.count().desc(), Partner.name)
    ).all()
    return dict(rows)


def progress_lines(period):
    """(initiative, note) of the period's progress notes that carry a bulletin line."""
    rows = db.session.execute(
        select(ProgressNote, Initiative).join(Initiative, Initiative.id == ProgressNote.initiative_id)
        .where(ProgressNote.noted_on.between(period.start, period.end), ProgressNote.bulletin_line_ciphertext.is_not(None))
        .order_by(ProgressNote.noted_on, ProgressNote.id).limit(ACTIVITY_ROWS)
    ).all()
    return [(initiative, note) for note, initiative in rows if note.bulletin_line]


def new_partners(period):
    """Partners added to the register as active in the period (names, in order)."""
    start, end = _moments(period)
    return db.session.execute(
        select(Partner.name).where(Partner.status == "active", Partner.created_at >= start, Partner.created_at < end)
        .order_by(Partner.name_key).limit(ACTIVITY_ROWS)
    ).scalars().all()


def dialogues_started(period):
    """Potential partners whose first step was taken in the period."""
    first = (select(PartnerStep.partner_id, func.min(PartnerStep.taken_on).label("first"))
             .group_by(PartnerStep.partner_id).subquery())
    return db.session.execute(
        select(Partner.name).join(first, first.c.partner_id == Partner.id)
        .where(Partner.status == "potential", first.c.first.between(period.start, period.end))
        .order_by(Partner.name_key).limit(ACTIVITY_ROWS)
    ).scalars().all()


def _moments(period):
    return (datetime.combine(period.start, time(), timezone.utc),
            datetime.combine(period.end + timedelta(days=1), time(), timezone.utc))


def monthly_by_area(first_month, months):
    """{(year, month): {area: consultations}} for ``months`` months from ``first_month``."""
    end = first_month
    for _ in range(months):
        end = (end.replace(day=28) + timedelta(days=4)).replace(day=1)
    table = tallies.ConsultationTally.__table__
    # Per day and area (the primary key's order: no sort), summed into months here: cheaper
    # than a date function on every row.
    rows = db.session.execute(
        select(table.c.day, table.c.code, func.sum(table.c.n))
        .where(table.c.field == "area", table.c.day >= first_month, table.c.day < end)
        .group_by(table.c.day, table.c.code)
    ).all()
    out = {}
    for day, area, n in rows:
        if n:
            month = out.setdefault((day.year, day.month), {})
            month[area] = month.get(area, 0) + int(n)
    return out
