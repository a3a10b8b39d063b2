"""Long texts survive an expired form: a refused CSRF token shows the form again with
what was typed; a POST after the session ended shows the typed texts to copy."""
from sqlalchemy import func, select

from coordinator.auth import services as accounts
from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.extensions import db

from .conftest import REQUEST_FORM


def _count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_refused_token_shows_the_form_again_with_the_text(app, client, auth, cast):
    auth.login(cast.officer_a)
    before = _count(app, Consultation)
    response = client.post("/consultations/request", data=dict(REQUEST_FORM, csrf_token="utgången"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Formuläret hade gått ut. Skicka det igen." in page
    assert REQUEST_FORM["situation"] in page and 'name="csrf_token"' in page
    assert _count(app, Consultation) == before


def test_a_refused_token_on_a_message_keeps_the_message(app, client, auth, cast):
    auth.login(cast.coordinator)
    response = client.post(f"/consultations/{cast.request_a}/messages",
                           data={"body": "Ett långt meddelande som inte får försvinna.", "csrf_token": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ett långt meddelande som inte får försvinna." in page
    assert _count(app, ConsultationMessage) == 0


def test_other_forms_keep_the_ordinary_refusal(app, client, auth, cast):
    auth.login(cast.coordinator)
    response = client.post("/auth/logout", data={"csrf_token": "x"})
    assert response.status_code == 400


def test_a_post_after_the_session_ended_shows_the_typed_text(app, client, auth, cast):
    from ..helpers import csrf_token

    auth.login(cast.officer_a)
    token = csrf_token(client, "/consultations/request")
    with app.app_context():
        accounts.end_sessions(accounts.find_user_by_email(cast.officer_a), reason="test")
        db.session.commit()
    response = client.post("/consultations/request", data=dict(REQUEST_FORM, csrf_token=token))
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Din session hade avslutats" in page and REQUEST_FORM["situation"] in page
    assert "Logga in igen" in page
    assert _count(app, Consultation) == 1  # only the cast's own request


def test_the_page_warns_before_an_idle_logout(app, client, auth, cast):
    auth.login(cast.coordinator)
    page = client.get("/home/coordinator").get_data(as_text=True)
    assert 'data-session-idle-seconds="1800"' in page and 'id="session-warning"' in page
    assert "/static/session.js" in page
    assert client.get("/auth/keepalive").status_code == 204
    assert client.get("/static/session.js").status_code == 200
    anonymous = app.test_client()
    assert "data-session-idle-seconds" not in anonymous.get("/auth/login").get_data(as_text=True)
