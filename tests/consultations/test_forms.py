"""Bad input on the consultation forms: a Swedish message on the form, what was
typed kept, nothing saved, never a 500; and the anonymity guard on every free-text field."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordinator.audit.models import AuditEvent
from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.extensions import db

from ..factories import make_consultation
from ..helpers import post_form
from .conftest import CONSULTATION_FORM, REQUEST_FORM, valid_personnummer


def _count(app, model=Consultation):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _submit(client, path, form):
    response = post_form(client, path, form)
    return response, response.get_data(as_text=True)


BAD_COORDINATOR_INPUT = [
    ({"sector": "ministry"}, "Inte ett giltigt val"),
    ({"area": "weather"}, "Inte ett giltigt val"),
    ({"genders": "alien"}, "inte ett giltigt val"),
    ({"channel": "pigeon"}, "Inte ett giltigt val"),
    ({"sector": ""}, "Välj vilken verksamhet som frågar."),
    ({"situation": ""}, "Beskriv situationen."),
    ({"received_on": ""}, "Fyll i datumet då frågan kom in."),
    ({"received_on": "igår"}, "Inte ett giltigt datum"),
    ({"received_on": (date.today() + timedelta(days=2)).isoformat()}, "Datumet kan inte ligga i framtiden."),
    ({"minutes_spent": "en timme"}, "Inte ett giltigt heltal"),
    ({"minutes_spent": "-5"}, "Ange minuter mellan 0 och 10 000."),
    ({"situation": "Lång text. " * 1000}, "Texten får vara högst 10 000 tecken lång."),
    ({"follows_up_number": "99999"}, "Det finns ingen rådfrågning nr 99999 som du kan se."),
]


@pytest.mark.parametrize("change,message", BAD_COORDINATOR_INPUT)
def test_bad_input_on_coordinator_form(app, client, auth, cast, change, message):
    """Each kind of bad input: 200 with the Swedish message, an error summary, the text kept, nothing saved."""
    auth.login(cast.coordinator)
    before = _count(app)
    form = dict(CONSULTATION_FORM, **change)
    response, page = _submit(client, "/consultations/new", form)
    assert response.status_code == 200
    assert message in page
    assert "Formuläret innehåller fel" in page
    assert 'aria-invalid="true"' in page
    kept = form["situation"][:60] if form["situation"] else CONSULTATION_FORM["advice"]
    assert kept in page
    assert _count(app) == before


def test_follow_up_of_a_request_not_visible_to_the_officer(app, client, auth, cast):
    """Officer B cannot link a follow-up to officer A's request: Swedish message, nothing saved."""
    with app.app_context():
        number = db.session.execute(select(Consultation.id)).scalar_one()
    auth.login(cast.officer_b)
    response, page = _submit(client, "/consultations/request", dict(REQUEST_FORM, follows_up_number=str(number)))
    assert response.status_code == 200
    assert f"Det finns ingen rådfrågning nr {number} som du kan se." in page
    assert REQUEST_FORM["situation"] in page
    assert _count(app) == 1


def test_officer_form_bad_choice_and_missing_area(app, client, auth, cast):
    """The officer's form reports an unknown choice and a missing area, keeping the text."""
    auth.login(cast.officer_a)
    form = dict(REQUEST_FORM, urgency="whenever")
    form.pop("area")
    response, page = _submit(client, "/consultations/request", form)
    assert response.status_code == 200
    assert "Välj område." in page and "Inte ett giltigt val" in page
    assert REQUEST_FORM["situation"] in page


def test_empty_message_and_too_long_message(app, client, auth, cast):
    """An empty or over-long message is refused on the detail page with the text kept."""
    auth.login(cast.officer_a)
    response, page = _submit(client, f"/consultations/{cast.request_a}/messages", {"body": "   "})
    assert response.status_code == 200 and "Skriv ett meddelande." in page
    response, page = _submit(client, f"/consultations/{cast.request_a}/messages", {"body": ""})
    assert response.status_code == 200 and "Skriv ett meddelande." in page
    assert "Beskriv situationen." not in page
    long_body = "Ett långt meddelande. " * 600
    response, page = _submit(client, f"/consultations/{cast.request_a}/messages", {"body": long_body})
    assert response.status_code == 200 and "högst 10 000 tecken" in page
    assert long_body[:100] in page
    assert _count(app, ConsultationMessage) == 0


IDENTIFIERS = {
    "personnummer": f"Flickan har personnummer {valid_personnummer()} enligt skolan.",
    "phone": "Mamman nås på 070-123 45 67 dagtid.",
    "email": "Skicka svar till flickan.privat@example.com i stället.",
    "address": "Familjen bor på Kungsgatan 12B, 803 20 Gävle sedan i våras.",
    "case_number": "Ärendet finns hos socialtjänsten med Dnr 2018/1234.",
    "birthdate": "Pojken är född 2005-03-14 och går i nian.",
}


@pytest.mark.parametrize("kind", sorted(IDENTIFIERS))
@pytest.mark.parametrize("field", ["situation", "advice", "referred_to"])
def test_guard_refuses_identifiers_in_every_field(app, client, auth, cast, kind, field):
    """A structured identifier in any free-text field is refused, marked in place, text kept."""
    auth.login(cast.coordinator)
    text = IDENTIFIERS[kind]
    response, page = _submit(client, "/consultations/new", dict(CONSULTATION_FORM, **{field: text}))
    assert response.status_code == 200
    assert "kan identifiera en person" in page
    assert '<mark class="finding">' in page
    assert _count(app) == 1


@pytest.mark.parametrize("kind", sorted(IDENTIFIERS))
def test_guard_on_officer_request_and_message(app, client, auth, cast, kind):
    """The officer's situation text and a message in the thread pass the same guard."""
    auth.login(cast.officer_a)
    response, page = _submit(client, "/consultations/request", dict(REQUEST_FORM, situation=IDENTIFIERS[kind]))
    assert response.status_code == 200 and "kan identifiera en person" in page
    response, page = _submit(client, f"/consultations/{cast.request_a}/messages", {"body": IDENTIFIERS[kind]})
    assert response.status_code == 200 and "kan identifiera en person" in page
    assert _count(app) == 1 and _count(app, ConsultationMessage) == 0


def test_probable_name_is_flagged_then_confirmed_and_audited(app, client, auth, cast):
    """A probable name is flagged; ticking 'not a person' saves it and the confirmation is audited."""
    auth.login(cast.officer_a)
    text = "Eleven berättar att Fatima i klassen har samma problem hemma."
    response, page = _submit(client, "/consultations/request", dict(REQUEST_FORM, situation=text))
    assert response.status_code == 200
    assert "verkar innehålla personnamn" in page
    assert 'name="situation__not_person" value="Fatima"' in page
    assert _count(app) == 1
    response, _page = _submit(
        client, "/consultations/request", dict(REQUEST_FORM, situation=text, situation__not_person="Fatima")
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.execute(select(Consultation).order_by(Consultation.id.desc())).scalars().first()
        assert saved.situation == text
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "anonymity.name_confirmed")
        ).scalar_one()
        assert event.detail == "situation" and event.object_uuid == saved.uuid


def test_rewriting_the_name_also_passes(app, client, auth, cast):
    """Rewriting the flagged name with a role lets the request through without confirmation."""
    auth.login(cast.officer_a)
    _submit(client, "/consultations/request", dict(REQUEST_FORM, situation="Ahmed vill inte gå hem efter skolan."))
    response, _page = _submit(
        client, "/consultations/request", dict(REQUEST_FORM, situation="Pojken vill inte gå hem efter skolan.")
    )
    assert response.status_code == 302


def test_confirming_one_name_does_not_cover_another(app, client, auth, cast):
    """A confirmation is per word: a second, unconfirmed name still stops the save."""
    auth.login(cast.officer_a)
    text = "Fatima och Ahmed har berättat om samma sak."
    response, page = _submit(client, "/consultations/request",
                             dict(REQUEST_FORM, situation=text, situation__not_person="Fatima"))
    assert response.status_code == 200
    assert 'name="situation__not_person" value="Ahmed"' in page
    assert _count(app) == 1


def test_text_with_dates_ages_and_organisations_passes(app, client, auth, cast):
    """Ordinary case language (dates, ages, times, organisations, places) is not flagged."""
    auth.login(cast.officer_a)
    text = ("Mötet 2018-11-05 kl. 14.30 med Socialtjänsten och Länsstyrelsen i Gävle gällde en flicka, "
            "15 år, på Borgarskolan. Kuratorn och rektorn deltog; nästa möte är vecka 47.")
    response, page = _submit(client, "/consultations/request", dict(REQUEST_FORM, situation=text))
    assert response.status_code == 302, page[:3000]


def test_edit_form_leaves_an_unreadable_text_empty(app, client, auth, cast):
    """Editing a consultation whose text cannot be decrypted shows an empty field and a
    warning instead of the placeholder, so the placeholder is never saved as text."""
    from sqlalchemy import text as sql

    with app.app_context():
        db.session.execute(sql("UPDATE consultations SET advice = situation"))
        db.session.commit()
    auth.login(cast.coordinator)
    page = client.get(f"/consultations/{cast.request_a}/edit").get_data(as_text=True)
    assert "kan inte visas och har lämnats tom" in page
    assert "Innehållet kan inte visas</textarea>" not in page


def test_refused_edit_changes_nothing(app, client, auth, cast):
    """An edit refused by the service (an unknown follow-up number) saves none of its changes
    and writes no update event."""
    auth.login(cast.coordinator)
    form = dict(CONSULTATION_FORM, sector="police", area="vbe", urgency="acute", follows_up_number="999")
    response, page = _submit(client, f"/consultations/{cast.request_a}/edit", form)
    assert response.status_code == 200 and "Det finns ingen rådfrågning nr 999" in page
    with app.app_context():
        c = db.session.execute(select(Consultation)).scalar_one()
        assert (c.sector, c.area, c.urgency) == ("upper_secondary", "hrv", "not_acute")
        assert not db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "consultation.update")).first()


def test_services_refuse_identifiers_whatever_the_path(app, cast):
    """The services themselves refuse structured identifiers (a path that skips the forms)."""
    from coordinator.auth.services import find_user_by_email
    from coordinator.consultations import services

    with app.test_request_context():
        officer = find_user_by_email(cast.officer_a)
        consultation = services.get_visible(officer, cast.request_a)
        with pytest.raises(services.ConsultationError):
            services.add_message(officer, consultation, "Ring mamman på 070-123 45 67.")
        with pytest.raises(services.ConsultationError):
            services.request_advice(officer, services.CaseInput(
                sector="preschool", area="hrv", situation=f"Barnet har nr {valid_personnummer()}."))


def test_no_message_on_a_consultation_without_thread(app, client, auth, cast):
    """A consultation the coordinator logged has no thread: posting a message there is a 404."""
    with app.app_context():
        from coordinator.auth.services import find_user_by_email

        logged = make_consultation(find_user_by_email(cast.coordinator))
        uuid = logged.uuid
    auth.login(cast.coordinator)
    response = post_form(client, f"/consultations/{uuid}/messages", {"body": "Ett meddelande."})
    assert response.status_code == 404
    assert _count(app, ConsultationMessage) == 0


def test_odd_query_strings_and_numbers_never_crash(app, client, auth, cast):
    """Huge page numbers, stray url_for keywords and huge follow-up numbers get an answer, not a 500."""
    auth.login(cast.coordinator)
    for query in ("?page=922337203685477580", "?page=-1", "?endpoint=x", "?_external=1&_scheme=javascript",
                  "?area=hrv&endpoint=x&page=99999999999999999999"):
        response = client.get("/consultations/" + query)
        assert response.status_code == 200, query
        assert "javascript:" not in response.get_data(as_text=True)
    response = post_form(client, "/consultations/search?endpoint=x", {"query": "skolan"})
    assert response.status_code == 200
    response, page = _submit(client, "/consultations/new", dict(CONSULTATION_FORM, follows_up_number=str(2**63)))
    assert response.status_code == 200 and "Ange numret på en tidigare rådfrågning." in page


def test_control_characters_are_removed_not_fatal(app, client, auth, cast):
    """A NUL or other control character in any field is dropped (PostgreSQL refuses NUL); the rest is saved."""
    auth.login(cast.coordinator)
    form = dict(CONSULTATION_FORM, situation="Eleven\x00 berättar\x07 om\tläget.\nNy rad.",
                referred_to="RFSL\x00 Gävle")
    response, page = _submit(client, "/consultations/new", form)
    assert response.status_code == 302, page[:2000]
    with app.app_context():
        newest = db.session.execute(select(Consultation).order_by(Consultation.id.desc())).scalars().first()
        assert newest.situation == "Eleven berättar om\tläget.\nNy rad."
        assert newest.referred_to == "RFSL Gävle"


def test_follow_up_must_be_earlier_and_never_a_cycle(app, client, auth, cast):
    """A follow-up cannot point at a later consultation, nor close a loop (A follows B follows A)."""
    with app.app_context():
        from coordinator.auth.services import find_user_by_email

        coordinator = find_user_by_email(cast.coordinator)
        early = make_consultation(coordinator, received_on=date(2018, 9, 1))
        late = make_consultation(coordinator, received_on=date(2018, 10, 1))
        late.follows_up_id = early.id
        db.session.commit()
        early_uuid, early_id, late_id = early.uuid, early.id, late.id
    auth.login(cast.coordinator)
    form = dict(CONSULTATION_FORM, received_on="2018-09-01", follows_up_number=str(late_id))
    response, page = _submit(client, f"/consultations/{early_uuid}/edit", form)
    assert response.status_code == 200
    assert f"Rådfrågning nr {late_id} kom in senare än den här." in page
    form = dict(CONSULTATION_FORM, received_on="2018-11-01", follows_up_number=str(late_id))
    response, page = _submit(client, f"/consultations/{early_uuid}/edit", form)
    assert response.status_code == 200
    assert f"Rådfrågning nr {late_id} är redan en uppföljning av den här." in page
    with app.app_context():
        assert db.session.get(Consultation, early_id).follows_up_id is None


def test_error_summary_links_to_each_field(app, client, auth, cast):
    """The error summary at the top links to each field in error, by its id."""
    auth.login(cast.coordinator)
    form = dict(CONSULTATION_FORM, sector="", situation="")
    form.pop("area")
    _response, page = _submit(client, "/consultations/new", form)
    summary = page[page.index('class="error-summary"'):page.index("</div>", page.index('class="error-summary"'))]
    for field_id in ("sector", "area", "situation"):
        assert f'href="#{field_id}"' in summary
        assert f'id="{field_id}"' in page


def test_dates_are_written_in_swedish(app, client, auth, cast):
    """Dates on the pages are Swedish ("3 oktober 2018"), not ISO or English."""
    with app.app_context():
        from coordinator.auth.services import find_user_by_email

        c = make_consultation(find_user_by_email(cast.coordinator), received_on=date(2018, 10, 3),
                              follow_up_on=date(2018, 12, 12), status="ongoing")
        uuid = c.uuid
    auth.login(cast.coordinator)
    page = client.get(f"/consultations/{uuid}").get_data(as_text=True)
    assert "3 oktober 2018" in page and "12 december 2018" in page
    assert "October" not in page


def test_under_18_is_derived_from_the_age_bands(app, cast):
    """'Under 18' follows from the age bands: 0–12 or 13–17 makes it true, 18+ and unknown do not."""
    with app.app_context():
        from coordinator.auth.services import find_user_by_email

        coordinator = find_user_by_email(cast.coordinator)
        cases = {("13-17",): True, ("0-12", "26+"): True, ("18-25",): False, ("unknown",): False, (): False}
        for bands, minor in cases.items():
            assert make_consultation(coordinator, age_bands=list(bands)).concerns_minor is minor


def test_an_edit_on_an_older_version_is_refused_not_overwriting(app, client, auth, cast):
    """Two coordinators open the same consultation; the second save is refused with a Swedish
    message, its text kept on the form, and the first save stays."""
    import re as _re

    from ..helpers import AuthActions

    auth.login(cast.coordinator)
    other = app.test_client()
    AuthActions(other).login(cast.coordinator)
    first_page = client.get(f"/consultations/{cast.request_a}/edit").get_data(as_text=True)
    second_page = other.get(f"/consultations/{cast.request_a}/edit").get_data(as_text=True)
    version = _re.search(r'name="edit_version" type="hidden" value="(\d+)"', first_page).group(1)
    assert f'value="{version}"' in second_page
    from datetime import datetime
    from zoneinfo import ZoneInfo

    received = datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()  # the request's own date
    base = dict(CONSULTATION_FORM, received_on=received, edit_version=version)
    response, _page = _submit(client, f"/consultations/{cast.request_a}/edit", dict(base, advice="Första rådet."))
    assert response.status_code == 302
    response, page = _submit(other, f"/consultations/{cast.request_a}/edit", dict(base, advice="Andra rådet."))
    assert response.status_code == 200
    assert "har ändrats av någon annan" in page and "Andra rådet." in page
    with app.app_context():
        c = db.session.execute(select(Consultation)).scalar_one()
        assert c.advice == "Första rådet." and c.edit_version == int(version) + 1
