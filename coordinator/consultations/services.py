"""Consultation operations: plain arguments in, the session changed, the audit
event written, domain exceptions raised. The request commits once."""
from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import false, select, true, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import notifications
from ..audit.services import changed_detail, record
from ..auth.models import User
from ..database import local_today, utcnow
from ..extensions import db
from ..links import absolute_url
from ..listing import DateRange, Equals, FilterSet, Flag, Keyset, Section, bounded_count, keyset_page, section
from ..partners import services as partners
from ..records import DomainError, NotFound, populate
from ..text_guard import CASE_TEXT, record_confirmations, refuse_identifiers
from . import search_index
from .choices import STATUSES
from .models import Consultation, ConsultationMessage


class ConsultationError(DomainError):
    """A refused consultation operation."""


class NotVisible(NotFound):
    """The consultation does not exist or the user may not see it (shown as 404)."""


# The fields both an officer and the coordinator fill in, and the coordinator's own.
CASE_FIELDS = (
    "sector", "area", "person_count", "genders", "age_bands", "hrv_forms", "perpetrators",
    "vbe_milieu", "vbe_concerns", "urgency", "situation",
)
COORDINATOR_FIELDS = (
    "received_on", "channel", "advice", "advice_given", "referred_to", "minutes_spent", "follow_up_on",
)


@dataclass
class CaseInput:
    """The structured fields and free text of a consultation, as entered. ``None``
    means "not given": the model's defaults apply (see ``records.populate``)."""

    sector: str
    area: str
    person_count: Optional[str] = None
    genders: list = field(default_factory=list)
    age_bands: list = field(default_factory=list)
    hrv_forms: list = field(default_factory=list)
    perpetrators: list = field(default_factory=list)
    vbe_milieu: Optional[str] = None
    vbe_concerns: list = field(default_factory=list)
    urgency: Optional[str] = None
    follows_up_number: Optional[int] = None
    situation: str = ""
    # The coordinator's fields
    received_on: Optional[date] = None
    channel: Optional[str] = None
    status: Optional[str] = None
    advice: Optional[str] = None
    advice_given: list = field(default_factory=list)
    referred_to: Optional[str] = None
    referred_to_partner: Optional[str] = None  # a partner's UUID, from the register
    minutes_spent: Optional[int] = None
    follow_up_on: Optional[date] = None
    # The edit_version the form was opened on (edits only)
    edit_version: Optional[int] = None
    # Guarded fields where the writer confirmed a flagged word is not a person
    confirmed_fields: list = field(default_factory=list)


def _detail_url(consultation):
    return absolute_url("consultations.detail", consultation_uuid=consultation.uuid)


def _notify_officer(consultation):
    notifications.notify_user(consultation.requested_by, _("Svar från samordnaren"), _detail_url(consultation))


# Visibility ---------------------------------------------------------------------

def is_coordinator(user):
    return user.has_role("coordinator")


def visible_to(user):
    """A filter: everything for the coordinator, own requests for an officer, nothing else."""
    if is_coordinator(user):
        return true()
    if user.has_role("officer"):
        return Consultation.requested_by_id == user.id
    return false()


def get_visible(user, consultation_uuid):
    """The consultation with this UUID (a ``uuid.UUID``: routes take only the canonical
    spelling) if ``user`` may see it; otherwise ``NotVisible``."""
    consultation = db.session.execute(
        select(Consultation).where(Consultation.uuid == consultation_uuid, visible_to(user))
    ).scalar_one_or_none()
    if consultation is None:
        raise NotVisible()
    return consultation


def _resolve_follow_up(user, number, own_id=None, received_on=None):
    """The earlier consultation this one follows up, or refuse: it must exist, be visible,
    have come in no later than this one, and not lead back here (a cycle would count a
    case twice or never)."""
    if number is None:
        return None
    target = db.session.execute(
        select(Consultation).where(Consultation.id == number, visible_to(user))
    ).scalar_one_or_none()
    if target is None or target.id == own_id:
        raise ConsultationError(
            _("Det finns ingen rådfrågning nr %(n)s som du kan se. Kontrollera numret.", n=number),
            field="follows_up_number",
        )
    if received_on is not None and target.received_on > received_on:
        raise ConsultationError(
            _("Rådfrågning nr %(n)s kom in senare än den här. En uppföljning gäller en tidigare rådfrågning.",
              n=number),
            field="follows_up_number",
        )
    step, seen = target, set()
    while step is not None and step.id not in seen:
        if own_id is not None and step.follows_up_id == own_id:
            raise ConsultationError(
                _("Rådfrågning nr %(n)s är redan en uppföljning av den här.", n=number),
                field="follows_up_number",
            )
        seen.add(step.id)
        step = step.follows_up
    return target


# Writing ------------------------------------------------------------------------

def _apply_case_fields(consultation, data, user):
    """Check, then change; returns the names of the fields that changed."""
    # Everything that can refuse the change is checked before anything is changed.
    received_on = data.received_on or consultation.received_on or local_today()
    follows_up = _resolve_follow_up(user, data.follows_up_number, consultation.id, received_on)
    refuse_identifiers(CASE_TEXT, data.situation, data.advice, data.referred_to, error=ConsultationError)
    changed = populate(consultation, data, CASE_FIELDS)
    if consultation.follows_up is not follows_up:
        consultation.follows_up = follows_up
        changed.append("follows_up")
    return changed


def request_advice(officer, data: CaseInput, received_on=None) -> Consultation:
    """An officer's request through the portal; the coordinator is notified.
    ``received_on`` is today unless given (demo data and imports of older requests)."""
    consultation = Consultation(
        received_on=received_on or local_today(), channel="portal", status="new",
        requested_by_id=officer.id, created_by_id=officer.id, unread_by_coordinator=True,
    )
    consultation.ensure_uuid()
    _apply_case_fields(consultation, data, officer)
    db.session.add(consultation)
    db.session.flush()
    search_index.reindex(consultation)
    record("consultation.request", actor=officer, obj=consultation)
    record_confirmations(officer, consultation, data.confirmed_fields)
    notifications.notify_coordinators(_detail_url(consultation))
    return consultation


def _apply_coordinator_fields(consultation, data):
    partner = partners.by_uuids([data.referred_to_partner], "referred_to_partner") if data.referred_to_partner else []
    named = partners.find_by_name(data.referred_to) if data.referred_to and not partner else None
    if named is not None:
        # The free text is a partner's name: the referral links to the register instead.
        partner, data.referred_to = [named], None
    changed = populate(consultation, data, COORDINATOR_FIELDS)
    partner_id = partner[0].id if partner else None
    if consultation.referred_to_partner_id != partner_id:
        consultation.referred_to_partner_id = partner_id
        changed.append("referred_to_partner")
    if data.status and data.status != consultation.status:
        _set_status(consultation, data.status)
        changed.append("status")
    return changed


def _set_status(consultation, status):
    if status == "closed" and consultation.status != "closed":
        consultation.closed_at = utcnow()
    elif status != "closed":
        consultation.closed_at = None
    consultation.status = status


def log_consultation(coordinator, data: CaseInput) -> Consultation:
    """A consultation the coordinator logs directly (phone, e-mail, meeting)."""
    consultation = Consultation(created_by_id=coordinator.id)
    consultation.ensure_uuid()
    _apply_case_fields(consultation, data, coordinator)
    _apply_coordinator_fields(consultation, data)
    db.session.add(consultation)
    db.session.flush()
    search_index.reindex(consultation)
    record("consultation.create", actor=coordinator, obj=consultation)
    record_confirmations(coordinator, consultation, data.confirmed_fields)
    return consultation


STALE_MESSAGE = _l(
    "Rådfrågningen har ändrats av någon annan sedan du öppnade formuläret. Dina ändringar är "
    "inte sparade. Öppna rådfrågningen igen för att se den senaste versionen; det du skrev finns "
    "kvar i formuläret så att du kan kopiera det."
)


def claim_edit(consultation, expected_version=None):
    """Raise the edit version in one conditional UPDATE, before anything is changed.

    With ``expected_version`` (the version the form was opened on) the UPDATE matches
    only if nobody saved an edit since; two edits at the same moment are serialised by
    the row (PostgreSQL) or database (SQLite) lock, so the second finds the new version
    and gets the conflict message, never a lost update or an error page. Messages,
    reads and unread flags never touch the version, so they never conflict.
    """
    table = Consultation.__table__
    conditions = [table.c.id == consultation.id]
    if expected_version is not None:
        conditions.append(table.c.edit_version == expected_version)
    new_version = db.session.execute(
        update(table).where(*conditions).values(edit_version=table.c.edit_version + 1)
        .returning(table.c.edit_version)
    ).scalar_one_or_none()
    if new_version is None:
        raise ConsultationError(STALE_MESSAGE)
    set_committed_value(consultation, "edit_version", new_version)


def update_consultation(coordinator, consultation, data: CaseInput):
    claim_edit(consultation, data.edit_version)
    changed = _apply_case_fields(consultation, data, coordinator)
    changed += _apply_coordinator_fields(consultation, data)
    if {"situation", "advice", "referred_to", "referred_to_partner"} & set(changed):
        search_index.reindex(consultation)
    record("consultation.update", actor=coordinator, obj=consultation, detail=changed_detail(changed))
    record_confirmations(coordinator, consultation, data.confirmed_fields)
    if consultation.requested_by_id and "advice" in changed:
        consultation.unread_by_officer = True
        _notify_officer(consultation)
    return changed


def answer(coordinator, consultation, advice, message=None, edit_version=None, confirmed_fields=()):
    """The coordinator's answer to an officer's request: the advice (an edit, so it is
    refused if someone saved another edit since the page was opened), and optionally a
    message in the thread. The officer is told once."""
    if consultation.requested_by_id is None:
        raise NotVisible()  # logged by the coordinator: no officer to answer
    refuse_identifiers(CASE_TEXT, advice, message, allowed=coordinator.own_contact_details(), error=ConsultationError)
    claim_edit(consultation, edit_version)
    changed = populate(consultation, {"advice": advice}, ["advice"])
    if consultation.status == "new":
        _set_status(consultation, "ongoing")
    if changed:
        search_index.reindex(consultation)
    record("consultation.answer", actor=coordinator, obj=consultation, detail=changed_detail(changed))
    record_confirmations(coordinator, consultation, confirmed_fields, prefix="answer.")
    if message:
        _add_message(coordinator, consultation, message, notify=False)
    consultation.unread_by_officer = True
    _notify_officer(consultation)


def change_status(coordinator, consultation, status):
    """ny → pågående → avslutad, and reopening (any status may be set again)."""
    claim_edit(consultation)
    _set_status(consultation, status)
    record("consultation.status", actor=coordinator, obj=consultation, detail=status)
    if consultation.requested_by_id:
        consultation.unread_by_officer = True


def add_message(author, consultation, body, confirmed_fields=()):
    """A message in the thread of an officer's request. The writer's own work e-mail and
    phone (from their account) may stand in it; no other identifier."""
    if consultation.requested_by_id is None:
        raise NotVisible()  # logged by the coordinator: there is no thread to write in
    message = _add_message(author, consultation, body, notify=True)
    record_confirmations(author, consultation, confirmed_fields, prefix="message.")
    return message


def _add_message(author, consultation, body, notify):
    refuse_identifiers(CASE_TEXT, body, allowed=author.own_contact_details(), error=ConsultationError)
    message = ConsultationMessage(consultation=consultation, author_id=author.id)
    message.ensure_uuid()
    message.body = body
    db.session.add(message)
    db.session.flush()
    search_index.add_text(consultation, body)
    record("consultation.message", actor=author, obj=consultation)
    if author.id == consultation.requested_by_id:
        consultation.unread_by_coordinator = True
        notifications.notify_coordinators(_detail_url(consultation))
    else:
        if consultation.status == "new":
            consultation.status = "ongoing"
        consultation.unread_by_officer = True
        if notify:
            _notify_officer(consultation)
    return message


# Reading (every read of decrypted content is audited) -----------------------------

def open_detail(user, consultation):
    """Record the read and clear the reader's unread flag."""
    record("consultation.view", actor=user, obj=consultation)
    if user.id == consultation.requested_by_id:
        consultation.unread_by_officer = False
    if is_coordinator(user):
        consultation.unread_by_coordinator = False


# The coordinator's list ---------------------------------------------------------------

# Lists show the asker's unit: load the askers in one query, without their roles.
_ASKER = selectinload(Consultation.requested_by).lazyload(User.roles)

ACTIVE_STATUSES = ("new", "ongoing")
SECTION_ROWS = 10  # rows of each start-page section; the rest behind a link
LIST_ORDER = Keyset((Consultation.received_on, Consultation.id))
OFFICER_ORDER = Keyset((Consultation.created_at, Consultation.id))


def _due_follow_up(today=None):
    today = today or local_today()
    return [Consultation.status.in_(ACTIVE_STATUSES), Consultation.follow_up_on <= today]


def _unread_for_coordinator():
    return [Consultation.unread_by_coordinator.is_(True), Consultation.status != "new"]


# What the list can be filtered on (the query-string names are FilterForm's).
FILTERS = FilterSet(
    Consultation, DateRange("received_on"), Equals("area"), Equals("sector"), Equals("status"), Equals("urgency"),
    Flag("due", _due_follow_up), Flag("unread", _unread_for_coordinator),
)


def list_query(filters):
    """Coordinator's list (``filters``: values of FILTERS), not yet ordered (LIST_ORDER
    pages it, newest first): structured fields only, nothing decrypted."""
    return select(Consultation).where(*FILTERS.conditions(filters)).options(_ASKER)


def list_page(filters, per_page, after=None, before=None):
    """One page of the list and its total, counted up to listing.COUNT_CAP."""
    query = list_query(filters)
    page = keyset_page(query, LIST_ORDER, per_page, after=after, before=before)
    return page, bounded_count(select(Consultation.id).where(*FILTERS.conditions(filters)))


SEARCH_HITS = 200  # hits shown
SEARCH_CANDIDATES = 2000  # candidates decrypted at most, newest first
SEARCH_BATCH = 100


@dataclass
class SearchResult:
    hits: list
    truncated: bool  # more candidates than were checked: narrow the search with filters


def search(coordinator, query_text, filters, limit=SEARCH_HITS):
    """Free-text search through the blind index: only the candidates whose index has every
    word are decrypted (newest first, in batches) to confirm the match; audited as one event."""
    condition = search_index.matching(query_text)
    hits, truncated = [], False
    if condition is not None:
        candidate_ids = db.session.execute(
            select(Consultation.id).where(condition, *FILTERS.conditions(filters))
            .order_by(Consultation.received_on.desc(), Consultation.id.desc()).limit(SEARCH_CANDIDATES + 1)
        ).scalars().all()
        truncated = len(candidate_ids) > SEARCH_CANDIDATES
        hits = _confirmed(candidate_ids[:SEARCH_CANDIDATES], search_index.query_words(query_text), limit)
    record("consultation.search", actor=coordinator, object_type="consultations", detail=f"hits:{len(hits)}")
    return SearchResult(hits=hits, truncated=truncated or len(hits) >= limit)


def _confirmed(candidate_ids, query_words, limit):
    hits = []
    for start in range(0, len(candidate_ids), SEARCH_BATCH):
        batch = candidate_ids[start:start + SEARCH_BATCH]
        rows = db.session.execute(
            select(Consultation).where(Consultation.id.in_(batch))
            .options(selectinload(Consultation.messages), selectinload(Consultation.referred_to_partner), _ASKER)
        ).scalars().all()
        by_id = {c.id: c for c in rows}
        for consultation_id in batch:
            consultation = by_id[consultation_id]
            if search_index.contains_all(search_index.texts_of(consultation), query_words):
                hits.append(consultation)
            else:
                db.session.expunge(consultation)  # checked and dropped: nothing of it stays in memory
            if len(hits) >= limit:
                return hits
    return hits


def officer_page(officer, per_page, after=None, before=None):
    """An officer's own requests, newest first, a page at a time."""
    query = select(Consultation).where(Consultation.requested_by_id == officer.id)
    page = keyset_page(query, OFFICER_ORDER, per_page, after=after, before=before)
    total = bounded_count(select(Consultation.id).where(Consultation.requested_by_id == officer.id))
    return page, total


def officer_start(officer):
    """An officer's start page: new answers, and the latest requests (each bounded)."""
    own = Consultation.requested_by_id == officer.id
    unread = _section([own, Consultation.unread_by_officer.is_(True)],
                      (Consultation.updated_at.desc(), Consultation.id.desc()), {})
    latest = _section([own], (Consultation.created_at.desc(), Consultation.id.desc()), {})
    return unread, latest


@dataclass
class Queue:
    new: Section
    due_follow_ups: Section
    unread: Section
    counts: dict


def _section(conditions, order, list_args):
    return section(Consultation, conditions, order, list_args, rows=SECTION_ROWS, options=(_ASKER,))


def _due_section(today):
    """Due follow-ups, oldest first: one index range per active status (status, follow_up_on),
    merged, so no sort of every due row."""
    rows = []
    for status in ACTIVE_STATUSES:
        rows += db.session.execute(
            select(Consultation).where(Consultation.status == status, Consultation.follow_up_on <= (today or local_today()))
            .order_by(Consultation.follow_up_on, Consultation.id).limit(SECTION_ROWS).options(_ASKER)
        ).scalars().all()
    rows = sorted(rows, key=lambda c: (c.follow_up_on, c.id))[:SECTION_ROWS]
    return Section(rows, bounded_count(select(Consultation.id).where(*_due_follow_up(today))), {"due": "y"})


def coordinator_queue(today=None):
    """The start page: new requests (urgent first), due follow-ups, unread messages, each
    bounded, and the number of consultations per status (each counted up to listing.COUNT_CAP)."""
    # "acute" sorts before "not_acute": urgent first without a computed sort key.
    new = _section([Consultation.status == "new"],
                   (Consultation.urgency, Consultation.received_on, Consultation.id), {"status": "new"})
    due = _due_section(today)
    unread = _section(_unread_for_coordinator(), (Consultation.updated_at.desc(), Consultation.id.desc()),
                      {"unread": "y"})
    counts = {status: bounded_count(select(Consultation.id).where(Consultation.status == status))
              for status in STATUSES}
    return Queue(new=new, due_follow_ups=due, unread=unread, counts=counts)
