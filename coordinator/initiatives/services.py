"""Initiatives (satsningar) and their progress notes: plain arguments in, the session
changed, the audit event written, domain exceptions raised. The request commits once.
Only the coordinator reaches any of it (see routes.py).

Titles and bulletin lines go into the public bulletin (``PUBLICATION_TEXT``); the
description and the notes are the coordinator's own (``CASE_TEXT``). Every read of the
encrypted text (the list, a page, an edit form) is audited."""
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import false, select
from sqlalchemy.orm import selectinload

from ..activities.models import Activity
from ..audit.services import changed_detail, record
from ..database import local_today, utcnow
from ..extensions import db
from ..listing import Custom, Equals, FilterSet, Keyset, bounded_count, keyset_page
from ..partners import services as partner_services
from ..partners.models import Partner
from ..records import DomainError, NotFound, populate
from ..text_guard import CASE_TEXT, PUBLICATION_TEXT, record_confirmations, refuse_identifiers
from .choices import INITIATIVE_KINDS, INITIATIVE_STATUSES, WORK_AREAS
from .models import Initiative, ProgressNote, initiative_partners

TITLE_MAX = 200
BULLETIN_LINE_MAX = 500
NOTES_SHOWN = 50  # progress notes on an initiative's page, newest first
ACTIVITIES_SHOWN = 50  # activities on an initiative's page, newest first

# Copied from the input by ``populate`` (title and partners are handled on their own).
FIELDS = ("kind", "area", "status", "starts_on", "ends_on", "description")


class InitiativeError(DomainError):
    """A refused initiative operation."""


@dataclass
class InitiativeInput:
    """An initiative as entered. ``None`` means "not given" (the model's default applies);
    ``partners`` are partner UUIDs as text (from the form's select)."""

    title: str
    kind: str
    area: str
    status: Optional[str] = None
    starts_on: Optional[date] = None
    ends_on: Optional[date] = None
    partners: list = field(default_factory=list)
    description: Optional[str] = None
    # Guarded fields where the writer confirmed a flagged word is not a person
    confirmed_fields: list = field(default_factory=list)


# Reading ---------------------------------------------------------------------------------

def get_initiative(initiative_uuid):
    """The initiative with this UUID (a ``uuid.UUID`` from the route), or ``NotFound``."""
    initiative = db.session.execute(
        select(Initiative).where(Initiative.uuid == initiative_uuid)
    ).scalar_one_or_none()
    if initiative is None:
        raise NotFound()
    return initiative


def open_for_edit(user, initiative):
    """The edit form shows the encrypted title and description: audited as a read."""
    record("initiative.view", actor=user, obj=initiative)


@dataclass
class InitiativePage:
    initiative: Initiative
    notes: list  # the latest NOTES_SHOWN, newest first
    notes_total: int
    activities: list  # the latest ACTIVITIES_SHOWN, newest first
    activities_total: int


def detail(user, initiative):
    """Everything on an initiative's page, each list bounded; the read is audited."""
    of_initiative = ProgressNote.initiative_id == initiative.id
    notes = db.session.execute(
        select(ProgressNote).where(of_initiative)
        .order_by(ProgressNote.noted_on.desc(), ProgressNote.id.desc()).limit(NOTES_SHOWN)
    ).scalars().all()
    in_initiative = Activity.initiative_id == initiative.id
    activities = db.session.execute(
        select(Activity).where(in_initiative)
        .order_by(Activity.starts_on.desc(), Activity.id.desc()).limit(ACTIVITIES_SHOWN)
    ).scalars().all()
    record("initiative.view", actor=user, obj=initiative)
    return InitiativePage(
        initiative=initiative,
        notes=notes, notes_total=bounded_count(select(ProgressNote.id).where(of_initiative)),
        activities=activities, activities_total=bounded_count(select(Activity.id).where(in_initiative)),
    )


# The list --------------------------------------------------------------------------------

def _with_partner(text):
    """Initiatives that have the partner with this UUID (text); an unreadable UUID: none."""
    try:
        partner_uuid = uuid.UUID(str(text))
    except (TypeError, ValueError):
        return [false()]
    return [Initiative.id.in_(
        select(initiative_partners.c.initiative_id)
        .join(Partner, Partner.id == initiative_partners.c.partner_id)
        .where(Partner.uuid == partner_uuid)
    )]


# What the list can be filtered on (the query-string names are FilterForm's).
FILTERS = FilterSet(Initiative, Equals("status"), Equals("area"), Equals("kind"), Custom("partner", _with_partner))
LIST_ORDER = Keyset((Initiative.updated_at, Initiative.id))


def list_page(user, filters, per_page, after=None, before=None):
    """One page of initiatives (``filters``: values of FILTERS), most recently updated
    first, and the total counted up to listing.COUNT_CAP. The list shows the titles, so
    the read is audited (one event for the page)."""
    conditions = FILTERS.conditions(filters)
    query = select(Initiative).where(*conditions).options(selectinload(Initiative.partners))
    page = keyset_page(query, LIST_ORDER, per_page, after=after, before=before)
    total = bounded_count(select(Initiative.id).where(*conditions))
    record("initiative.list", actor=user, object_type="initiatives", detail=f"rows:{len(page.items)}")
    return page, total


# Writing ---------------------------------------------------------------------------------

def _clean_title(title):
    clean = " ".join((title or "").split())
    if not clean:
        raise InitiativeError(_("Skriv satsningens namn."), field="title")
    if len(clean) > TITLE_MAX:
        raise InitiativeError(_("Namnet får vara högst %(n)s tecken långt.", n=TITLE_MAX), field="title")
    return clean


def _checked(data: InitiativeInput):
    """Everything that can refuse the input, checked before anything is changed:
    the title, the dates, the texts and the partners (resolved)."""
    title = _clean_title(data.title)
    for name, codes in (("kind", INITIATIVE_KINDS), ("area", WORK_AREAS), ("status", INITIATIVE_STATUSES)):
        value = getattr(data, name)
        if (value is not None or name != "status") and value not in codes:
            raise InitiativeError(_("Välj ett av alternativen."), field=name)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise InitiativeError(_("Slutdatumet kan inte ligga före startdatumet."), field="ends_on")
    refuse_identifiers(PUBLICATION_TEXT, title, error=InitiativeError)
    refuse_identifiers(CASE_TEXT, data.description, error=InitiativeError)
    partners = partner_services.by_uuids(data.partners, "partners")
    return title, partners


def _close_if_needed(initiative, was_status):
    """Closed now, and no end date: it ended today (unless it starts later than today)."""
    if initiative.status != "closed" or was_status == "closed" or initiative.ends_on is not None:
        return []
    today = local_today()
    if initiative.starts_on is not None and initiative.starts_on > today:
        return []
    initiative.ends_on = today
    return ["ends_on"]


def _apply(initiative, data, title, partners):
    """Change the initiative; return the names of the fields that changed."""
    was_status = initiative.status
    changed = populate(initiative, {"title": title}, ["title"])
    changed += populate(initiative, data, FIELDS)
    if {p.id for p in initiative.partners} != {p.id for p in partners}:
        initiative.partners = partners
        changed.append("partners")
    changed += [name for name in _close_if_needed(initiative, was_status) if name not in changed]
    return changed


def create_initiative(user, data: InitiativeInput) -> Initiative:
    title, partners = _checked(data)
    initiative = Initiative(created_by_id=user.id, status="ongoing")
    initiative.ensure_uuid()
    _apply(initiative, data, title, partners)
    db.session.add(initiative)
    db.session.flush()
    record("initiative.create", actor=user, obj=initiative)
    record_confirmations(user, initiative, data.confirmed_fields)
    return initiative


def update_initiative(user, initiative, data: InitiativeInput):
    """Save an edit; returns the names of the fields that changed (audited, never the values)."""
    title, partners = _checked(data)
    changed = _apply(initiative, data, title, partners)
    if changed:
        initiative.updated_at = utcnow()  # also when only the partners changed
    record("initiative.update", actor=user, obj=initiative, detail=changed_detail(changed))
    record_confirmations(user, initiative, data.confirmed_fields)
    return changed


def _text_or_none(text):
    return text if text and text.strip() else None


def add_note(user, initiative, noted_on, note, bulletin_line, confirmed_fields=()):
    """A dated progress note (not in the future), with a note for the coordinator, a line
    for the public bulletin, or both. The initiative counts as updated."""
    note, bulletin_line = _text_or_none(note), _text_or_none(bulletin_line)
    if noted_on is None:
        raise InitiativeError(_("Fyll i datumet."), field="noted_on")
    if noted_on > local_today():
        raise InitiativeError(_("Datumet kan inte ligga i framtiden. Skriv det som har hänt."), field="noted_on")
    if note is None and bulletin_line is None:
        raise InitiativeError(_("Skriv en anteckning, en rad till nyhetsbrevet eller båda."), field="note")
    if bulletin_line is not None and len(bulletin_line) > BULLETIN_LINE_MAX:
        raise InitiativeError(_("Texten får vara högst %(n)s tecken lång.", n=BULLETIN_LINE_MAX),
                              field="bulletin_line")
    refuse_identifiers(CASE_TEXT, note, error=InitiativeError)
    refuse_identifiers(PUBLICATION_TEXT, bulletin_line, error=InitiativeError)
    # By id, not through ``initiative.notes``: adding a note never loads all the others.
    progress = ProgressNote(initiative_id=initiative.id, noted_on=noted_on, created_by_id=user.id)
    progress.ensure_uuid()
    progress.note = note
    progress.bulletin_line = bulletin_line
    db.session.add(progress)
    initiative.updated_at = utcnow()
    db.session.flush()
    record("initiative.note", actor=user, obj=initiative)
    record_confirmations(user, initiative, confirmed_fields, prefix="note.")
    return progress
