"""The partner register: services and pages (coordinator only), contacts, steps, the
partner's page, potential partners, referrals from consultations."""
from datetime import date

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.consultations.models import Consultation
from coordinator.extensions import db
from coordinator.partners import services as partners
from coordinator.partners.models import Partner

from ..factories import make_activity, make_consultation, make_partner, make_user
from ..helpers import post_form

PARTNER_FORM = {"name": "RFSL Gävle", "kind": "nonprofit", "area": "hrv", "status": "potential",
                "description": "Dialog om hedersrelaterat våld i hbtq-kontext.", "next_step": "Dialog inleds i januari",
                "next_step_on": "2019-01-15"}


def _coordinator():
    return make_user("s@gavle.example", roles=("coordinator",))


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def test_names_are_unique_without_case_and_spaces(app, ctx):
    user = _coordinator()
    make_partner(user, name="Länsstyrelsen Gävleborg")
    for clash in ("länsstyrelsen gävleborg", "  Länsstyrelsen   Gävleborg "):
        with pytest.raises(partners.PartnerError) as refused:
            partners.create_partner(user, partners.PartnerInput(name=clash, kind="authority"))
        assert refused.value.field == "name" and "finns redan" in str(refused.value)
        db.session.rollback()
    assert db.session.execute(select(Partner.name)).scalars().all() == ["Länsstyrelsen Gävleborg"]


def test_renaming_to_another_partners_name_is_refused_but_own_case_change_is_fine(app, ctx):
    user = _coordinator()
    cve = make_partner(user, name="CVE")
    make_partner(user, name="RFSL Gävle", kind="nonprofit")
    with pytest.raises(partners.PartnerError):
        partners.update_partner(user, cve, partners.PartnerInput(name="rfsl gävle", kind="authority"))
    db.session.rollback()
    cve = db.session.get(Partner, cve.id)
    partners.update_partner(user, cve, partners.PartnerInput(name="Cve", kind="authority"))
    db.session.commit()
    assert db.session.get(Partner, cve.id).name == "Cve"


def test_a_personnummer_in_a_contact_is_refused_but_work_details_are_kept(app, ctx):
    user = _coordinator()
    partner = make_partner(user)
    with pytest.raises(partners.PartnerError):
        partners.add_contact(user, partner, partners.ContactInput(name="Anna Berg", role="19121212-1212"))
    db.session.rollback()
    partner = db.session.get(Partner, partner.id)
    partners.add_contact(user, partner, partners.ContactInput(
        name="Anna Berg", role="Regional samordnare", email="anna.berg@lansstyrelsen.se", phone="010-225 10 00"))
    db.session.commit()
    db.session.expire_all()
    contact = db.session.get(Partner, partner.id).contacts[0]
    assert (contact.name, contact.email, contact.phone) == ("Anna Berg", "anna.berg@lansstyrelsen.se", "010-225 10 00")


def test_the_pages_create_show_and_edit_a_partner(app, client, auth):
    with app.app_context():
        _coordinator()
    auth.login("s@gavle.example")
    response = post_form(client, "/partners/new", PARTNER_FORM)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "RFSL Gävle" in page and "Dialog inleds i januari" in page and "Potentiell" in page
    listing = client.get("/partners/?status=potential").get_data(as_text=True)
    assert "RFSL Gävle" in listing
    assert "RFSL Gävle" not in client.get("/partners/?status=active").get_data(as_text=True)
    potential = client.get("/partners/potential").get_data(as_text=True)
    assert "RFSL Gävle" in potential and "Ingen kontakt ännu" in potential and "15 januari 2019" in potential
    assert "partner.create" in _actions(app) and "partner.view" in _actions(app)


@pytest.mark.parametrize("change, message", [
    ({"name": "  "}, "Skriv organisationens namn."),
    ({"kind": ""}, "Välj typ av organisation."),
    ({"kind": "spaceship"}, "Inte ett giltigt val"),
    ({"next_step_on": "15/1"}, "Inte ett giltigt datum"),
    ({"description": "Kontakt via 19121212-1212"}, "kan identifiera en person"),
    ({"name": "Två\nrader"}, "radbrytningar"),
])
def test_bad_partner_input_gets_a_message_and_keeps_what_was_typed(app, client, auth, change, message):
    with app.app_context():
        _coordinator()
    auth.login("s@gavle.example")
    data = dict(PARTNER_FORM, **change)
    response = post_form(client, "/partners/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Formuläret innehåller fel" in page
    assert message in page
    assert "Dialog inleds i januari" in page
    with app.app_context():
        assert db.session.execute(select(Partner)).first() is None


def test_a_duplicate_name_from_the_form_is_a_message_on_the_name(app, client, auth):
    with app.app_context():
        make_partner(_coordinator(), name="RFSL Gävle", kind="nonprofit")
    auth.login("s@gavle.example")
    page = post_form(client, "/partners/new", dict(PARTNER_FORM, name="rfsl gävle")).get_data(as_text=True)
    assert "Det finns redan en samverkanspartner som heter ”RFSL Gävle”" in page


def test_contacts_and_steps_on_the_partners_page(app, client, auth):
    with app.app_context():
        partner_uuid = make_partner(_coordinator()).uuid
    auth.login("s@gavle.example")
    base = f"/partners/{partner_uuid}"
    assert post_form(client, base + "/contacts", {"name": "Anna Berg", "role": "Regional samordnare",
                                                  "email": "anna.berg@lansstyrelsen.se", "phone": "010-225 10 00"}).status_code == 302
    refused = post_form(client, base + "/contacts", {"name": "Per Ek", "email": "inte-en-adress"})
    assert refused.status_code == 200 and "Skriv en e-postadress" in refused.get_data(as_text=True)
    assert 'value="Per Ek"' in refused.get_data(as_text=True)
    assert post_form(client, base + "/steps", {"taken_on": "2018-11-05", "summary": "Möte om samverkan i regionen."}).status_code == 302
    future = post_form(client, base + "/steps", {"taken_on": "2099-01-01", "summary": "Planerat möte."})
    assert "framtiden" in future.get_data(as_text=True)
    page = client.get(base).get_data(as_text=True)
    assert "anna.berg@lansstyrelsen.se" in page and "Möte om samverkan i regionen." in page
    assert "5 november 2018" in page  # the last contact


def test_the_partners_page_counts_referrals_and_shows_its_timeline(app, client, auth):
    with app.app_context():
        user = _coordinator()
        partner = make_partner(user)
        make_activity(user, title="Nätverksträff om VBE", kind="network_meeting", area="vbe", status="done",
                      held_on=date(2018, 10, 10), partners=[str(partner.uuid)])
        make_activity(user, title="Fortbildning i HRV", kind="further_training", held_on=date(2099, 2, 1),
                      partners=[str(partner.uuid)])
        for _ in range(3):
            make_consultation(user, referred_to_partner=str(partner.uuid))
        make_consultation(user)
        partner_uuid = partner.uuid
    auth.login("s@gavle.example")
    page = client.get(f"/partners/{partner_uuid}").get_data(as_text=True)
    referrals = page.split("Hänvisningar från rådfrågningar</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert referrals == "3"
    assert "Nätverksträff om VBE" in page and "Fortbildning i HRV" in page
    assert "10 oktober 2018" in page.split("Senaste kontakt</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Fortbildning i HRV" in page.split("Nästa planerade aktivitet</dt>", 1)[1].split("</dd>", 1)[0]


def test_a_consultations_referral_links_to_the_register(app, client, auth):
    from ..consultations.conftest import CONSULTATION_FORM

    with app.app_context():
        partner = make_partner(_coordinator())
        partner_uuid = str(partner.uuid)
    auth.login("s@gavle.example")
    form = dict(CONSULTATION_FORM, referred_to_partner=partner_uuid, referred_to="")
    response = post_form(client, "/consultations/new", form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/partners/{partner_uuid}">Länsstyrelsen Gävleborg</a>' in page
    unknown = post_form(client, "/consultations/new", dict(form, referred_to_partner="00000000-0000-0000-0000-000000000000"))
    assert unknown.status_code == 200 and "Välj ett alternativ ur listan." in unknown.get_data(as_text=True)


def test_free_text_referrals_are_matched_to_partners_by_name(app, ctx, runner):
    user = _coordinator()
    matching = make_consultation(user, referred_to="  länsstyrelsen gävleborg ")
    other = make_consultation(user, referred_to="Kvinnojouren")
    make_partner(user, name="Länsstyrelsen Gävleborg")
    result = runner.invoke(args=["partners", "link-referrals"])
    assert "Linked 1 consultations" in result.output
    db.session.expire_all()
    matched, kept = db.session.get(Consultation, matching.id), db.session.get(Consultation, other.id)
    assert matched.referred_to_partner.name == "Länsstyrelsen Gävleborg" and matched.referred_to is None
    assert kept.referred_to_partner_id is None and kept.referred_to == "Kvinnojouren"
    assert "Linked 0" in runner.invoke(args=["partners", "link-referrals"]).output  # idempotent


@pytest.mark.parametrize("lookalike", ["La\u0308nsstyrelsen Ga\u0308vleborg", "Länsstyrelsen\u200b Gävleborg",
                                       "Länsstyrelsen Gävleborg\u202e"])
def test_names_that_look_the_same_are_the_same(app, ctx, lookalike):
    user = _coordinator()
    make_partner(user, name="Länsstyrelsen Gävleborg")
    with pytest.raises(partners.PartnerError):
        partners.create_partner(user, partners.PartnerInput(name=lookalike, kind="authority"))


@pytest.mark.parametrize("name", ["=HYPERLINK(\"x\")", "+Plusföreningen", "@admin", "-minus"])
def test_a_name_that_looks_like_a_formula_is_refused_on_the_form(app, client, auth, name):
    with app.app_context():
        _coordinator()
    auth.login("s@gavle.example")
    page = post_form(client, "/partners/new", dict(PARTNER_FORM, name=name)).get_data(as_text=True)
    assert "ser ut som en formel" in page


@pytest.mark.parametrize("field, value", [("next_step_on", "0001-01-01"), ("next_step_on", "9999-12-31")])
def test_dates_outside_the_registers_time_are_refused(app, client, auth, field, value):
    with app.app_context():
        _coordinator()
    auth.login("s@gavle.example")
    assert "Kontrollera året." in post_form(client, "/partners/new", dict(PARTNER_FORM, **{field: value})).get_data(as_text=True)


def test_a_typed_referral_that_names_a_partner_links_to_it(app, ctx):
    user = _coordinator()
    partner = make_partner(user, name="Gävle moské", kind="faith")
    consultation = make_consultation(user, referred_to="  gävle MOSKÉ ")
    assert consultation.referred_to_partner_id == partner.id and consultation.referred_to is None
    from coordinator.consultations import search_index

    assert "Gävle moské" in search_index.texts_of(consultation)
