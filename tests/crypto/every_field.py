"""Driven by the encryption registry: a record for every model that has encrypted
fields, with a marker text in every such field. A new encrypted column is covered
by the rotation and no-plaintext tests without editing them; a new model with
encrypted fields needs one builder here, or those tests fail and say so."""
from datetime import date

from sqlalchemy import select

from coordinator.activities.models import Activity
from coordinator.auth.models import User
from coordinator.bulletin.models import Bulletin, BulletinRevision
from coordinator.consultations import services as consultations
from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.encryption import REGISTRY
from coordinator.extensions import db
from coordinator.initiatives.models import Initiative, ProgressNote
from coordinator.partners.models import Partner, PartnerContact, PartnerImport, PartnerStep

from ..factories import make_activity, make_consultation, make_partner, make_user


def _consultation(people):
    return make_consultation(None, officer=people["officer"])


def _message(people):
    consultation = make_consultation(None, officer=people["officer"])
    return consultations.add_message(people["coordinator"], consultation, "Ett första meddelande.")


def _user(people):
    return people["coordinator"]


def _partner(people):
    return make_partner(people["coordinator"], name="Partner för krypteringstest")


def _partner_contact(people):
    from coordinator.partners import services as partners

    partner = make_partner(people["coordinator"], name="Partner med kontaktperson")
    return partners.add_contact(people["coordinator"], partner, partners.ContactInput(name="Anna Berg"))


def _partner_step(people):
    from coordinator.partners import services as partners

    partner = make_partner(people["coordinator"], name="Partner med steg")
    return partners.add_step(people["coordinator"], partner, date(2018, 11, 5), "Första kontakten.")


def _partner_import(people):
    from coordinator.partners import imports

    return imports.preview(people["coordinator"], b"Namn;Typ\nCVE;Myndighet\n")


def _activity(people):
    return make_activity(people["coordinator"])


def _initiative(people):
    from coordinator.initiatives.models import Initiative

    initiative = Initiative(kind="project", area="hrv", created_by_id=people["coordinator"].id)
    initiative.ensure_uuid()
    initiative.title = "Projekt för att utbilda unga förebilder"
    db.session.add(initiative)
    db.session.flush()
    return initiative


def _progress_note(people):
    from coordinator.initiatives.models import ProgressNote

    note = ProgressNote(initiative=_initiative(people), noted_on=date(2018, 11, 5), created_by_id=people["coordinator"].id)
    note.ensure_uuid()
    db.session.add(note)
    db.session.flush()
    return note


def _bulletin(people):
    from coordinator.bulletin import services as bulletins
    from coordinator.bulletin.counting import Period

    return bulletins.create_draft(people["coordinator"], Period(date(2018, 10, 1), date(2018, 10, 31)))


def _bulletin_revision(people):
    return _bulletin(people).revisions[0]


BUILDERS = {
    Consultation: _consultation, ConsultationMessage: _message, User: _user,
    Partner: _partner, PartnerContact: _partner_contact, PartnerStep: _partner_step, PartnerImport: _partner_import,
    Activity: _activity, Initiative: _initiative, ProgressNote: _progress_note,
    Bulletin: _bulletin, BulletinRevision: _bulletin_revision,
}


def missing_builders():
    return sorted({f.owner.__name__ for f in REGISTRY} - {m.__name__ for m in BUILDERS})


def fill_every_encrypted_field(marker):
    """Write ``marker`` (plus the field's name) into every encrypted field of one record
    per model; returns [(field, record id, text written)], committed."""
    assert not missing_builders(), f"no builder in tests/crypto/every_field.py for {missing_builders()}"
    people = {"coordinator": make_user(roles=("coordinator",)), "officer": make_user(roles=("officer",))}
    records = {model: build(people) for model, build in BUILDERS.items()}
    written = []
    for f in REGISTRY:
        record = records[f.owner]
        value = f"{marker} {f.table}.{f.column}"
        setattr(record, f.name, value)
        written.append((f, record.id, value))
    db.session.commit()
    return written


def stored_tokens():
    """Every stored ciphertext of every encrypted column: [(field, token)]."""
    out = []
    for f in REGISTRY:
        column = getattr(f.owner, f.storage)
        out += [(f, token) for token in db.session.execute(select(column).where(column.is_not(None))).scalars()]
    return out


def read_back(written):
    """Each written value as the model reads it now."""
    db.session.expire_all()
    return [(getattr(db.session.get(f.owner, record_id), f.name), value) for f, record_id, value in written]
