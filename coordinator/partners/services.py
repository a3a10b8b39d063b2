"""The partner register: organisations, contact persons, steps taken, and each partner's
timeline. Only the coordinator reaches any of it (see routes.py). Plain arguments in, the
session changed, the audit event written; the request commits once."""
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..activities.models import Activity, activity_partners
from ..audit.services import changed_detail, record
from ..consultations import search_index
from ..consultations.models import Consultation
from ..database import local_today
from ..extensions import db
from ..initiatives.models import Initiative, initiative_partners
from ..listing import Equals, FilterSet, bounded_count, paginate
from ..records import DomainError, NotFound, populate
from ..text_guard import PROFESSIONAL_CONTACT, record_confirmations, refuse_identifiers
from .models import Partner, PartnerContact, PartnerStep, clean_name, name_key

# How many partners a select (an activity's partners, a referral) offers at most: a whole
# region's register fits; beyond it the list says so.
CHOICES_MAX = 2000
TIMELINE_ROWS = 50


class PartnerError(DomainError):
    """A refused partner operation."""


@dataclass
class PartnerInput:
    name: str
    kind: str
    area: Optional[str] = None
    status: Optional[str] = None
    description: Optional[str] = None
    next_step: Optional[str] = None
    next_step_on: Optional[date] = None
    confirmed_fields: list = field(default_factory=list)


@dataclass
class ContactInput:
    name: str
    role: Optional[str] = None
    email: Optional[str] = None
    phone: Optional[str] = None


PARTNER_FIELDS = ("kind", "area", "status", "description", "next_step", "next_step_on")
CONTACT_FIELDS = ("name", "role", "email", "phone")


# Reading ---------------------------------------------------------------------------------

def get_partner(partner_uuid):
    partner = db.session.execute(select(Partner).where(Partner.uuid == partner_uuid)).scalar_one_or_none()
    if partner is None:
        raise NotFound()
    return partner


def find_by_name(name, exclude_id=None):
    query = select(Partner).where(Partner.name_key == name_key(name))
    if exclude_id is not None:
        query = query.where(Partner.id != exclude_id)
    return db.session.execute(query).scalar_one_or_none()


FILTERS = FilterSet(Partner, Equals("kind"), Equals("status"), Equals("area"))


def list_page(filters, page, per_page):
    """The register in name order, a page at a time (names only: nothing decrypted)."""
    query = select(Partner).where(*FILTERS.conditions(filters)).order_by(Partner.name_key, Partner.id)
    return paginate(query, page, per_page)


def choices(include_ids=()):
    """(uuid, name) of partners for a select, in name order, bounded by CHOICES_MAX; partners
    already chosen (``include_ids``) are always among them."""
    rows = db.session.execute(
        select(Partner.id, Partner.uuid, Partner.name).order_by(Partner.name_key).limit(CHOICES_MAX)
    ).all()
    seen = {row.id for row in rows}
    missing = [i for i in include_ids if i not in seen]
    if missing:
        rows += db.session.execute(select(Partner.id, Partner.uuid, Partner.name).where(Partner.id.in_(missing))).all()
    return [(str(row.uuid), row.name) for row in rows]


def by_uuids(uuid_texts, field_name="partners"):
    """The partners with these UUIDs (strings from a form), or refuse with ``field_name``."""
    try:
        wanted = {uuid.UUID(text) for text in uuid_texts or ()}
    except (TypeError, ValueError):
        raise PartnerError(_("Välj samverkanspartner ur listan."), field=field_name) from None
    if not wanted:
        return []
    partners = db.session.execute(select(Partner).where(Partner.uuid.in_(wanted))).scalars().all()
    if len(partners) != len(wanted):
        raise PartnerError(_("En vald samverkanspartner finns inte längre. Välj igen."), field=field_name)
    return sorted(partners, key=lambda p: p.name_key)


# Writing ---------------------------------------------------------------------------------

def _check_name(name, exclude_id=None):
    clean = clean_name(name)
    if not clean:
        raise PartnerError(_("Skriv organisationens namn."), field="name")
    existing = find_by_name(clean, exclude_id)
    if existing is not None:
        raise PartnerError(
            _("Det finns redan en samverkanspartner som heter ”%(name)s”.", name=existing.name), field="name"
        )
    return clean


def _flush_unique_name():
    """Flush, turning a name taken at the same moment by someone else into the form's message."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise PartnerError(_("Det finns redan en samverkanspartner med det namnet."), field="name") from None


def create_partner(user, data: PartnerInput) -> Partner:
    name = _check_name(data.name)
    refuse_identifiers(PROFESSIONAL_CONTACT, data.description, data.next_step, error=PartnerError)
    partner = Partner()
    partner.ensure_uuid()
    partner.set_name(name)
    populate(partner, data, PARTNER_FIELDS)
    db.session.add(partner)
    _flush_unique_name()
    record("partner.create", actor=user, obj=partner)
    record_confirmations(user, partner, data.confirmed_fields)
    return partner


def update_partner(user, partner, data: PartnerInput):
    name = _check_name(data.name, exclude_id=partner.id)
    refuse_identifiers(PROFESSIONAL_CONTACT, data.description, data.next_step, error=PartnerError)
    changed = []
    if partner.name != name:
        partner.set_name(name)
        changed.append("name")
    changed += populate(partner, data, PARTNER_FIELDS)
    _flush_unique_name()
    record("partner.update", actor=user, obj=partner, detail=changed_detail(changed))
    record_confirmations(user, partner, data.confirmed_fields)
    return changed


def _contact_texts(data):
    return [getattr(data, name) for name in CONTACT_FIELDS]


def add_contact(user, partner, data: ContactInput) -> PartnerContact:
    refuse_identifiers(PROFESSIONAL_CONTACT, *_contact_texts(data), error=PartnerError)
    contact = PartnerContact(partner=partner)
    contact.ensure_uuid()
    populate(contact, data, CONTACT_FIELDS)
    db.session.add(contact)
    record("partner.contact_add", actor=user, obj=partner)
    return contact


def get_contact(partner, contact_uuid):
    contact = db.session.execute(
        select(PartnerContact).where(PartnerContact.uuid == contact_uuid, PartnerContact.partner_id == partner.id)
    ).scalar_one_or_none()
    if contact is None:
        raise NotFound()
    return contact


def record_contact_read(user, partner):
    """A contact person's details opened for editing: an audited read."""
    record("partner.contact_view", actor=user, obj=partner)


def update_contact(user, contact, data: ContactInput):
    refuse_identifiers(PROFESSIONAL_CONTACT, *_contact_texts(data), error=PartnerError)
    changed = populate(contact, data, CONTACT_FIELDS)
    record("partner.contact_update", actor=user, obj=contact.partner, detail=changed_detail(changed))
    return changed


def remove_contact(user, contact):
    partner = contact.partner
    partner.contacts.remove(contact)
    record("partner.contact_remove", actor=user, obj=partner)


def add_step(user, partner, taken_on, summary, confirmed_fields=()):
    """A step taken with the partner (not in the future: a planned step is the next step)."""
    if taken_on > local_today():
        raise PartnerError(_("Ett steg som har tagits kan inte ligga i framtiden. Skriv planerade "
                             "steg som nästa steg."), field="taken_on")
    refuse_identifiers(PROFESSIONAL_CONTACT, summary, error=PartnerError)
    step = PartnerStep(partner=partner, taken_on=taken_on, created_by_id=user.id)
    step.ensure_uuid()
    step.summary = summary
    db.session.add(step)
    record("partner.step", actor=user, obj=partner)
    record_confirmations(user, partner, confirmed_fields, prefix="step.")
    return step


# A partner's page ------------------------------------------------------------------------

@dataclass
class PartnerPage:
    partner: Partner
    contacts: list
    steps: list
    activities: list
    activities_total: int
    initiatives: list
    referrals: int  # consultations referred to it: a count, no case content
    last_contact: Optional[date]
    next_activity: Optional[object]


def partner_page(user, partner, today=None):
    """Everything on a partner's page, each list bounded; the read of its encrypted details
    (contacts, notes) is audited."""
    today = today or local_today()
    with_partner = Activity.id.in_(select(activity_partners.c.activity_id).where(activity_partners.c.partner_id == partner.id))
    activities = db.session.execute(
        select(Activity).where(with_partner).order_by(Activity.starts_on.desc(), Activity.id.desc()).limit(TIMELINE_ROWS)
    ).scalars().all()
    activities_total = bounded_count(select(Activity.id).where(with_partner))
    initiatives = db.session.execute(
        select(Initiative).where(Initiative.id.in_(
            select(initiative_partners.c.initiative_id).where(initiative_partners.c.partner_id == partner.id)))
        .order_by(Initiative.updated_at.desc()).limit(TIMELINE_ROWS)
    ).scalars().all()
    steps = db.session.execute(
        select(PartnerStep).where(PartnerStep.partner_id == partner.id)
        .order_by(PartnerStep.taken_on.desc(), PartnerStep.id.desc()).limit(TIMELINE_ROWS)
    ).scalars().all()
    referrals = bounded_count(select(Consultation.id).where(Consultation.referred_to_partner_id == partner.id))
    last_done = db.session.execute(
        select(func.max(Activity.starts_on)).where(with_partner, Activity.status == "done", Activity.starts_on <= today)
    ).scalar_one_or_none()
    last_step = steps[0].taken_on if steps else None
    next_activity = db.session.execute(
        select(Activity).where(with_partner, Activity.status == "planned", Activity.latest_on >= today)
        .order_by(Activity.starts_on, Activity.id).limit(1)
    ).scalar_one_or_none()
    record("partner.view", actor=user, obj=partner)
    return PartnerPage(
        partner=partner, contacts=list(partner.contacts), steps=steps, activities=activities,
        activities_total=activities_total, initiatives=initiatives, referrals=referrals,
        last_contact=max((d for d in (last_done, last_step) if d), default=None), next_activity=next_activity,
    )


@dataclass
class TimelineEntry:
    on: date
    kind: str  # a label
    text: str
    endpoint: Optional[str] = None
    args: dict = field(default_factory=dict)
    day_fixed: bool = True  # False: only the month is known (a planned activity)


def timeline(view: PartnerPage):
    """The partner's page's timeline, newest first: activities (by their date), initiatives
    (by their start, or when they were recorded) and steps taken."""
    entries = [
        TimelineEntry(a.starts_on, a.label("kind"), f"{a.title} ({a.label('status').lower()})",
                      "activities.detail", {"activity_uuid": a.uuid}, day_fixed=a.day_fixed)
        for a in view.activities
    ]
    entries += [
        TimelineEntry(i.starts_on or i.created_at.date(), _("Satsning"), f"{i.title} ({i.label('status').lower()})",
                      "initiatives.detail", {"initiative_uuid": i.uuid})
        for i in view.initiatives
    ]
    entries += [TimelineEntry(s.taken_on, _("Steg"), s.summary) for s in view.steps]
    return sorted(entries, key=lambda e: e.on, reverse=True)


@dataclass
class Prospect:
    partner: Partner
    last_step: Optional[PartnerStep]


def prospects_page(user, page, per_page):
    """Potential partners: the search for new partners, with the last step taken and the next
    step, soonest next step first (those without one last)."""
    query = (select(Partner).where(Partner.status == "potential")
             .order_by(Partner.next_step_on.is_(None), Partner.next_step_on, Partner.name_key))
    result = paginate(query, page, per_page)
    ids = [p.id for p in result.items]
    latest = {}
    if ids:
        ranked = (
            select(PartnerStep.id, func.row_number().over(
                partition_by=PartnerStep.partner_id, order_by=(PartnerStep.taken_on.desc(), PartnerStep.id.desc())
            ).label("rank")).where(PartnerStep.partner_id.in_(ids)).subquery()
        )
        steps = db.session.execute(
            select(PartnerStep).join(ranked, ranked.c.id == PartnerStep.id).where(ranked.c.rank == 1)
        ).scalars().all()
        latest = {step.partner_id: step for step in steps}
    record("partner.prospects", actor=user, object_type="partners")
    return result, [Prospect(p, latest.get(p.id)) for p in result.items]


# Referrals from consultations --------------------------------------------------------------

LINK_BATCH = 500


def link_referrals():
    """Match consultations' free-text "referred to" to the register: where the text is a
    partner's name (compared as names are), the consultation links to the partner and the
    text goes. Others keep their text. Runs in batches; returns how many were linked."""
    partners = dict(db.session.execute(select(Partner.name_key, Partner.id)).all())
    if not partners:
        return 0
    linked, last_id = 0, 0
    while True:
        batch = db.session.execute(
            select(Consultation).where(
                Consultation.id > last_id, Consultation.referred_to_partner_id.is_(None),
                Consultation.referred_to_ciphertext.is_not(None),
            ).order_by(Consultation.id).limit(LINK_BATCH)
        ).scalars().all()
        if not batch:
            return linked
        for consultation in batch:
            partner_id = partners.get(name_key(consultation.referred_to))
            if partner_id is not None:
                consultation.referred_to_partner_id = partner_id
                consultation.referred_to = None
                search_index.reindex(consultation)
                linked += 1
        last_id = batch[-1].id
        db.session.flush()
