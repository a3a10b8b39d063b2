"""Driven by the encryption registry: a record for every model that has encrypted
fields, with a marker text in every such field. A new encrypted column is covered
by the rotation and no-plaintext tests without editing them; a new model with
encrypted fields needs one builder here, or those tests fail and say so."""
from sqlalchemy import select

from coordinator.auth.models import User
from coordinator.consultations import services as consultations
from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.encryption import REGISTRY
from coordinator.extensions import db

from ..factories import make_consultation, make_user


def _consultation(people):
    return make_consultation(None, officer=people["officer"])


def _message(people):
    consultation = make_consultation(None, officer=people["officer"])
    return consultations.add_message(people["coordinator"], consultation, "Ett första meddelande.")


def _user(people):
    return people["coordinator"]


BUILDERS = {Consultation: _consultation, ConsultationMessage: _message, User: _user}


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
