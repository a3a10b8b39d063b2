"""Importing the coordinator's partner spreadsheet, and exporting the register.

An upload is read (``spreadsheet.read_sheet``) and kept, encrypted, as a
``PartnerImport``; the preview reports line by line what is new, what matches a
partner already in the register and what is wrong. Nothing is written to the
register until the coordinator confirms, and the confirmation writes every line or
none (one savepoint). A pending import lives a day and only for whoever uploaded it.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..audit.services import record
from ..database import utcnow
from ..extensions import db
from ..records import DomainError, NotFound
from . import services, spreadsheet
from .models import Partner, PartnerContact, PartnerImport, name_key

MAX_BYTES = spreadsheet.MAX_BYTES
PENDING_LIFETIME = timedelta(days=1)
EXPORT_BATCH = 500


class PartnerImportError(DomainError):
    """A refused import (the file as a whole)."""


def _forget_stale():
    db.session.execute(delete(PartnerImport).where(PartnerImport.created_at < utcnow() - PENDING_LIFETIME))


def preview(user, data: bytes) -> PartnerImport:
    """Read the upload and keep it for the preview; a file that cannot be read at all is
    refused here with a message (``spreadsheet.SpreadsheetError``)."""
    if data is None:  # no file chosen (an empty file is read, and said to be empty)
        raise spreadsheet.SpreadsheetError(_("Välj en fil att ladda upp."))
    if len(data) > MAX_BYTES:
        raise spreadsheet.SpreadsheetError(
            _("Filen är för stor. Den får vara högst %(mb)s MB.", mb=MAX_BYTES // (1024 * 1024)))
    sheet = spreadsheet.read_sheet(data)
    _forget_stale()
    pending = PartnerImport(created_by_id=user.id, line_count=len(sheet.lines))
    pending.ensure_uuid()
    pending.content = spreadsheet.decode(data)
    db.session.add(pending)
    record("partner.import_preview", actor=user, obj=pending, detail=f"lines:{len(sheet.lines)}")
    return pending


def get_pending(user, import_uuid) -> PartnerImport:
    pending = db.session.execute(
        select(PartnerImport).where(
            PartnerImport.uuid == import_uuid, PartnerImport.created_by_id == user.id,
            PartnerImport.created_at >= utcnow() - PENDING_LIFETIME,
        )
    ).scalar_one_or_none()
    if pending is None:
        raise NotFound(_("Importen finns inte längre. Ladda upp filen igen."))
    return pending


@dataclass
class ReportRow:
    """One partner of the file, as the preview shows it."""

    row: object  # spreadsheet.PartnerRow
    existing: Partner = None
    new_contacts: list = field(default_factory=list)

    @property
    def is_new(self):
        return self.existing is None


@dataclass
class Report:
    sheet: object  # spreadsheet.Sheet
    rows: list

    @property
    def ok(self):
        return self.sheet.ok

    @property
    def new_partners(self):
        return sum(1 for r in self.rows if r.is_new)

    @property
    def matched_partners(self):
        return sum(1 for r in self.rows if not r.is_new)

    @property
    def new_contacts(self):
        return sum(len(r.new_contacts) for r in self.rows)

    @property
    def problem_lines(self):
        return [line for line in self.sheet.lines if line.errors]


def _sheet(pending):
    return spreadsheet.read_sheet(pending.content.encode("utf-8"))


def report(pending) -> Report:
    """What confirming would do: partners new to the register, partners it already has
    (only contact persons it lacks are added; its other details stay as they are), and the
    lines that are wrong (then nothing can be confirmed)."""
    sheet = _sheet(pending)
    rows = sheet.partners() if sheet.ok else []
    keys = [row.key for row in rows]
    existing = {}
    for start in range(0, len(keys), EXPORT_BATCH):
        chunk = keys[start:start + EXPORT_BATCH]
        existing.update({p.name_key: p for p in db.session.execute(
            select(Partner).where(Partner.name_key.in_(chunk)).options(selectinload(Partner.contacts))).scalars()})
    out = []
    for row in rows:
        partner = existing.get(row.key)
        known = {name_key(c.name) for c in partner.contacts} if partner else set()
        out.append(ReportRow(row=row, existing=partner,
                             new_contacts=[c for c in row.contacts if c.name and name_key(c.name) not in known]))
    return Report(sheet=sheet, rows=out)


@dataclass
class ImportResult:
    partners_created: int
    contacts_added: int
    referrals_linked: int


def confirm(user, pending) -> ImportResult:
    """Write the whole file, or nothing: a line that is wrong refuses the import."""
    result = report(pending)
    if not result.ok:
        raise PartnerImportError(_("Filen har rader med fel. Rätta dem i kalkylbladet och ladda upp filen igen."))
    # Written in one go (the lines were checked, guard included, when the file was read):
    # thousands of partners take seconds, not a savepoint each.
    created = contacts = 0
    for item in result.rows:
        partner = item.existing
        if partner is None:
            row = item.row
            partner = Partner(kind=row.kind, area=row.area, status=row.status)
            partner.ensure_uuid()
            partner.set_name(row.name)
            partner.description = row.description or None
            partner.next_step = row.next_step or None
            db.session.add(partner)
            created += 1
        for contact in item.new_contacts:
            person = PartnerContact(partner=partner)
            person.ensure_uuid()
            for name in services.CONTACT_FIELDS:
                setattr(person, name, getattr(contact, name) or None)
            db.session.add(person)
            contacts += 1
    db.session.delete(pending)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise PartnerImportError(_("En samverkanspartner i filen har just lagts till av någon annan. "
                                   "Ladda upp filen igen.")) from None
    linked = services.link_referrals()
    record("partner.import", actor=user, object_type="partners",
           detail=f"partners:{created}.contacts:{contacts}.referrals:{linked}")
    return ImportResult(created, contacts, linked)


def export_register(user, with_contacts=False) -> bytes:
    """The register as CSV (a spreadsheet opens it; every cell neutralised against formulas).
    Contact persons only when asked for; audited either way. Read in batches of partners in
    name order, their contacts loaded with each batch (one query, not one per partner)."""
    columns = spreadsheet.EXPORT_COLUMNS_WITH_CONTACTS if with_contacts else spreadsheet.EXPORT_COLUMNS
    rows, last_key = [], None
    while True:
        query = select(Partner).order_by(Partner.name_key).limit(EXPORT_BATCH)
        if with_contacts:
            query = query.options(selectinload(Partner.contacts))
        if last_key is not None:
            query = query.where(Partner.name_key > last_key)
        batch = db.session.execute(query).scalars().all()
        if not batch:
            break
        rows += spreadsheet.export_rows(batch, with_contacts)
        last_key = batch[-1].name_key
        db.session.expire_all()
    record("partner.export", actor=user, object_type="partners",
           detail="contacts:yes" if with_contacts else "contacts:no")
    return spreadsheet.write_csv([header for _name, header in columns], rows)
