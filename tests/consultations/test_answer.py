"""The coordinator answers an officer's request in one place; the officer sees one
answer; messages say who wrote them; one's own work contact details may be written."""
from sqlalchemy import select

from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.extensions import db

from ..helpers import post_form


def _edit_version(page):
    import re

    return re.search(r'name="edit_version" type="hidden" value="(\d+)"', page).group(1)


def test_the_coordinator_answers_and_the_officer_sees_one_answer(app, client, auth, cast):
    officer_page = app.test_client()
    from ..helpers import AuthActions

    AuthActions(officer_page).login(cast.officer_a)
    before = officer_page.get(f"/consultations/{cast.request_a}").get_data(as_text=True)
    assert "Samordnaren har inte svarat ännu." in before

    auth.login(cast.coordinator)
    detail = client.get(f"/consultations/{cast.request_a}").get_data(as_text=True)
    assert "Skicka svaret" in detail
    response = post_form(client, f"/consultations/{cast.request_a}/answer", {
        "advice": "Gör en orosanmälan i dag.", "message": "Hör av dig när du har pratat med socialtjänsten.",
        "edit_version": _edit_version(detail)})
    assert response.status_code == 302
    with app.app_context():
        c = db.session.execute(select(Consultation)).scalar_one()
        assert c.advice == "Gör en orosanmälan i dag." and c.status == "ongoing" and c.unread_by_officer
        assert [m.body for m in c.messages] == ["Hör av dig när du har pratat med socialtjänsten."]

    page = officer_page.get(f"/consultations/{cast.request_a}").get_data(as_text=True)
    answer = page.split("Samordnarens svar", 1)[1].split("<h2", 1)[0]
    assert "Gör en orosanmälan i dag." in answer and "inte svarat" not in page
    assert "(samordnaren)" in page


def test_an_answer_with_an_identifier_is_refused_with_the_text_kept(app, client, auth, cast):
    auth.login(cast.coordinator)
    detail = client.get(f"/consultations/{cast.request_a}").get_data(as_text=True)
    response = post_form(client, f"/consultations/{cast.request_a}/answer", {
        "advice": "Ring pappan på 070-123 45 67.", "edit_version": _edit_version(detail)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "telefonnummer" in page and "Ring pappan på" in page
    with app.app_context():
        assert db.session.execute(select(Consultation)).scalar_one().advice is None


def test_ones_own_work_phone_may_be_written_in_a_message(app, client, auth, cast):
    auth.login(cast.coordinator)
    body = {"body": "Ring mig på 026-17 80 00 om du vill prata."}
    refused = post_form(client, f"/consultations/{cast.request_a}/messages", body)
    assert refused.status_code == 200 and "telefonnummer" in refused.get_data(as_text=True)
    assert post_form(client, "/auth/account/contact", {"work_phone": "026-17 80 00"}).status_code == 302
    assert post_form(client, f"/consultations/{cast.request_a}/messages", body).status_code == 302
    other = {"body": "Ring mig på 026-17 80 01 om du vill prata."}
    assert post_form(client, f"/consultations/{cast.request_a}/messages", other).status_code == 200
    with app.app_context():
        assert [m.body for m in db.session.execute(select(ConsultationMessage)).scalars()] == [body["body"]]


def test_a_phone_number_that_is_not_one_is_refused_on_the_account_page(app, client, auth, cast):
    auth.login(cast.coordinator)
    page = post_form(client, "/auth/account/contact", {"work_phone": "ring mig"}).get_data(as_text=True)
    assert "Skriv bara siffror" in page and 'value="ring mig"' in page
