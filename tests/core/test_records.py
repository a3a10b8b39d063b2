"""Records declared once (coordinator/records.py): domain errors, form input,
populate, the canonical-UUID converter and blanking unreadable values."""
import uuid
from dataclasses import dataclass
from typing import Optional

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth.services import AuthError, PolicyError
from coordinator.consultations import services as consultations
from coordinator.consultations.forms import ConsultationForm
from coordinator.consultations.models import Consultation
from coordinator.consultations.services import ConsultationError, NotVisible
from coordinator.extensions import db
from coordinator.records import (
    CanonicalUUIDConverter,
    DomainError,
    NotFound,
    blank_unreadable,
    form_input,
    populate,
)

from ..factories import make_consultation, make_user


def test_domain_errors_share_one_base_with_message_and_field():
    for cls in (ConsultationError, PolicyError, AuthError, NotVisible):
        assert issubclass(cls, DomainError)
    error = ConsultationError("Fel", field="situation")
    assert str(error) == "Fel" and error.field == "situation"
    assert str(NotVisible()) == "Uppgiften finns inte." and issubclass(NotVisible, NotFound)


@dataclass
class _Input:
    name: str
    note: Optional[str] = None
    codes: list = None


def test_form_input_takes_public_form_data_and_turns_empty_strings_into_none():
    class FakeForm:
        data = {"name": "x", "note": "", "codes": ["a"], "csrf_token": "secret", "submit": True}

    built = form_input(_Input, FakeForm(), codes=["b"])
    assert built == _Input(name="x", note=None, codes=["b"])


def test_populate_returns_the_changed_names_and_leaves_defaults_to_the_model(ctx):
    coordinator = make_user(roles=("coordinator",))
    consultation = make_consultation(coordinator, hrv_forms=["physical", "control"])
    same = {"sector": consultation.sector, "hrv_forms": ["control", "physical"], "person_count": None,
            "situation": consultation.situation}
    assert populate(consultation, same, list(same)) == []
    assert consultation.person_count == "1"  # None on a NOT NULL column with a default: left alone
    changed = populate(consultation, {"sector": "police", "situation": "Ny text.", "vbe_milieu": None},
                       ["sector", "situation", "vbe_milieu"])
    assert changed == ["sector", "situation"]
    assert consultation.situation == "Ny text."


def test_a_new_record_gets_the_model_default_when_input_gives_none(ctx):
    coordinator = make_user(roles=("coordinator",))
    consultation = make_consultation(coordinator, person_count=None, urgency=None)
    assert (consultation.person_count, consultation.urgency) == ("unknown", "not_acute")


def test_an_edit_audits_the_names_of_the_changed_fields_never_values(ctx):
    coordinator = make_user(roles=("coordinator",))
    consultation = make_consultation(coordinator)
    data = consultations.CaseInput(
        sector="police", area=consultation.area, person_count="1", genders=consultation.genders,
        age_bands=consultation.age_bands, hrv_forms=consultation.hrv_forms, situation="Helt ny beskrivning.",
        received_on=consultation.received_on, channel=consultation.channel, status=consultation.status,
    )
    changed = consultations.update_consultation(coordinator, consultation, data)
    db.session.commit()
    assert sorted(changed) == ["sector", "situation"]
    detail = db.session.execute(
        select(AuditEvent.detail).where(AuditEvent.action == "consultation.update")
    ).scalar_one()
    assert detail == "fields:sector.situation"


def test_uuid_converter_accepts_only_the_canonical_spelling():
    converter = CanonicalUUIDConverter(map=None)
    import re

    value = uuid.uuid4()
    pattern = re.compile(converter.regex)
    assert pattern.fullmatch(str(value))
    assert not pattern.fullmatch(str(value).upper())
    assert not pattern.fullmatch(value.hex)
    assert converter.to_python(str(value)) == value


def test_every_route_with_a_record_id_uses_the_uuid_converter(app):
    """No route takes a record's id as a plain string (one converter checks them all)."""
    for rule in app.url_map.iter_rules():
        for name in rule.arguments:
            if name.endswith("_uuid"):
                assert f"<uuid:{name}>" in rule.rule, rule.rule


def test_blank_unreadable_empties_only_undecryptable_fields(app):
    with app.test_request_context(method="POST"):
        coordinator = make_user(roles=("coordinator",))
        consultation = make_consultation(coordinator, advice="Ett råd.")
        consultation.situation_ciphertext = consultation.advice_ciphertext  # bound to another column
        form = ConsultationForm(obj=consultation, formdata=None)
        assert blank_unreadable(form, consultation) == ["situation"]
        assert form.situation.data == "" and form.advice.data == "Ett råd."
        db.session.rollback()


def test_not_found_from_a_service_is_the_404_page(client, auth, app):
    with app.app_context():
        make_user("k@gavle.example", roles=("coordinator",))
    auth.login("k@gavle.example")
    response = client.get(f"/consultations/{uuid.uuid4()}")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_get_visible_raises_not_visible_for_someone_elses_request(ctx):
    officer_a = make_user(roles=("officer",))
    officer_b = make_user(roles=("officer",))
    consultation = make_consultation(None, officer=officer_a)
    with pytest.raises(NotVisible):
        consultations.get_visible(officer_b, consultation.uuid)
    assert consultations.get_visible(officer_a, consultation.uuid).id == consultation.id
    assert db.session.get(Consultation, consultation.id) is not None
