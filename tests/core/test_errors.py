"""Error pages: Swedish, never a traceback; a 500 rolls the transaction back."""
import logging
import re

import pytest
from flask import abort
from sqlalchemy import select

from coordinator.auth.models import User
from coordinator.extensions import db
from coordinator.security import public
from tests.factories import make_user
from tests.helpers import PASSWORD, csrf_token, post_form

SECRET_DETAIL = "hemlig-detalj-i-undantaget"

TITLES = {
    400: "Felaktig begäran",
    403: "Åtkomst nekad",
    404: "Sidan finns inte",
    405: "Otillåten metod",
    413: "För mycket data",
    429: "För många försök",
    500: "Något gick fel",
}


def assert_swedish_error_page(response, code):
    assert response.status_code == code
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith(TITLES[code]), title
    assert f"<h1>{TITLES[code]}</h1>" in html
    assert f"Felkod {code}" in html
    for leak in ("Traceback", "File \"", "werkzeug", "sqlalchemy", "RuntimeError", SECRET_DETAIL):
        assert leak not in html, leak
    return html


@pytest.fixture
def error_app(app_factory):
    """An app with extra public routes that fail in the ways under test."""
    app = app_factory()

    @app.route("/test/abort/<int:code>")
    @public
    def abort_with(code):
        abort(code)

    @app.route("/test/crash")
    @public
    def crash():
        raise RuntimeError(SECRET_DETAIL)

    @app.route("/test/add-then-crash")
    @public
    def add_then_crash():
        db.session.add(User(email="spoke@gavle.example", display_name="Spöke"))
        db.session.flush()  # the row is in the database transaction
        raise RuntimeError(SECRET_DETAIL)

    @app.route("/test/add-then-abort-500")
    @public
    def add_then_abort():
        db.session.add(User(email="spoke@gavle.example", display_name="Spöke"))
        db.session.flush()
        abort(500)

    @app.route("/test/add-then-403")
    @public
    def add_then_forbidden():
        db.session.add(User(email="spoke@gavle.example", display_name="Spöke"))
        db.session.flush()
        abort(403)

    @app.route("/test/add")
    @public
    def add():
        db.session.add(User(email="ok@gavle.example", display_name="Okej"))
        return "sparat"

    return app


def users_named(app, email):
    with app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalars().all()


def test_400_csrf(app, client):
    """A form without its security code gives the Swedish 400 page."""
    assert_swedish_error_page(client.post("/auth/login", data={"email": "a@b.se", "password": "x"}), 400)


def test_403(app, client):
    """A page of another role gives the Swedish 403 page."""
    with app.app_context():
        make_user("o@gavle.example", roles=("officer",))
    post_form(client, "/auth/login", {"email": "o@gavle.example", "password": PASSWORD})
    assert_swedish_error_page(client.get("/admin/users"), 403)


def test_404(app, client):
    """An unknown address gives the Swedish 404 page, logged in or not."""
    assert_swedish_error_page(client.get("/finns/inte"), 404)
    with app.app_context():
        make_user("o@gavle.example", roles=("officer",))
    post_form(client, "/auth/login", {"email": "o@gavle.example", "password": PASSWORD})
    html = assert_swedish_error_page(client.get("/finns/inte"), 404)
    assert 'href="/"' in html  # back to the start page


def test_405(app, client):
    """A wrong method gives the Swedish 405 page."""
    assert_swedish_error_page(client.get("/auth/logout"), 405)
    assert_swedish_error_page(client.put("/auth/login"), 405)


def test_413(app, client):
    """A body larger than MAX_CONTENT_LENGTH gives the Swedish 413 page."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login", data={"email": "a@gavle.example", "password": "x" * (limit + 1),
                                                "csrf_token": token})
    assert_swedish_error_page(response, 413)


def test_413_limit_is_configurable(app_factory):
    """MAX_CONTENT_LENGTH sets the limit: a small body passes, a larger one is refused."""
    app = app_factory(MAX_CONTENT_LENGTH=2000)
    client = app.test_client()
    token = csrf_token(client, "/auth/login")
    small = client.post("/auth/login", data={"email": "a@gavle.example", "password": "x" * 100,
                                             "csrf_token": token})
    assert small.status_code == 200
    large = client.post("/auth/login", data={"email": "a@gavle.example", "password": "x" * 3000,
                                             "csrf_token": token})
    assert_swedish_error_page(large, 413)


def test_429_page(error_app):
    """A 429 outside the login page gives the Swedish error page."""
    assert_swedish_error_page(error_app.test_client().get("/test/abort/429"), 429)


def test_429_on_login_is_the_login_page(app, client):
    """On the login page, 429 shows the login form with the reason instead."""
    for _ in range(5):
        post_form(client, "/auth/login", {"email": "x@gavle.example", "password": "fel"})
    response = post_form(client, "/auth/login", {"email": "x@gavle.example", "password": "fel"})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html and "<h1>Logga in</h1>" in html


@pytest.mark.parametrize("code", sorted(TITLES))
def test_every_handled_code_has_a_swedish_page(error_app, code):
    """abort(code) for each handled code renders the Swedish page."""
    assert_swedish_error_page(error_app.test_client().get(f"/test/abort/{code}"), code)


def test_500_never_shows_a_traceback(error_app, caplog):
    """An unexpected exception gives the Swedish 500 page, without any detail."""
    with caplog.at_level(logging.ERROR, logger="coordinator.errors"):
        response = error_app.test_client().get("/test/crash")
    assert_swedish_error_page(response, 500)
    assert "ingenting sparades" in response.get_data(as_text=True)
    assert any("RuntimeError" in r.getMessage() and "crash" in r.getMessage() for r in caplog.records)


def test_500_log_without_traceback_when_configured(app_factory, caplog):
    """With LOG_TRACEBACKS off the log names the error type and view only, not its message."""
    app = app_factory(LOG_TRACEBACKS=False)

    @app.route("/test/crash")
    @public
    def crash():
        raise RuntimeError(SECRET_DETAIL)

    with caplog.at_level(logging.ERROR, logger="coordinator.errors"):
        assert app.test_client().get("/test/crash").status_code == 500
    (record,) = [r for r in caplog.records if r.name == "coordinator.errors"]
    assert not record.exc_info
    assert SECRET_DETAIL not in caplog.text


def test_500_rolls_back_the_session(error_app):
    """A row added before an unexpected exception is not saved."""
    response = error_app.test_client().get("/test/add-then-crash")
    assert_swedish_error_page(response, 500)
    assert users_named(error_app, "spoke@gavle.example") == []


def test_abort_500_rolls_back_the_session(error_app):
    """A row added before abort(500) is not saved either."""
    assert error_app.test_client().get("/test/add-then-abort-500").status_code == 500
    assert users_named(error_app, "spoke@gavle.example") == []


def test_error_responses_save_nothing(error_app):
    """A row added before a 4xx answer is not saved (changes are saved only on success)."""
    assert error_app.test_client().get("/test/add-then-403").status_code == 403
    assert users_named(error_app, "spoke@gavle.example") == []


def test_successful_request_commits(error_app):
    """Control: the same kind of change in a successful request is saved."""
    client = error_app.test_client()
    assert client.get("/test/add").get_data(as_text=True) == "sparat"
    assert len(users_named(error_app, "ok@gavle.example")) == 1


def test_app_keeps_working_after_a_500(error_app):
    """After a crash, the next request on the same app works normally."""
    client = error_app.test_client()
    client.get("/test/add-then-crash")
    assert client.get("/test/add").status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert len(users_named(error_app, "ok@gavle.example")) == 1


@pytest.mark.parametrize("code, general", [(410, 400), (418, 400), (501, 500), (503, 500)])
def test_other_error_codes_get_a_swedish_page_too(error_app, code, general):
    """Codes without a page of their own keep their status and get the general
    Swedish page of their class, never Werkzeug's English one."""
    response = error_app.test_client().get(f"/test/abort/{code}")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert f"<h1>{TITLES[general]}</h1>" in html
    assert f"Felkod {code}" in html


def test_bad_range_on_a_static_file_is_swedish(app, client):
    """A 416 (unsatisfiable Range on the style sheet) is answered in Swedish as well."""
    response = client.get("/static/app.css", headers={"Range": "bytes=99999999-"})
    assert response.status_code == 416
    assert '<html lang="sv">' in response.get_data(as_text=True)


def test_413_for_a_logged_in_user_is_the_swedish_page(app, client):
    """A body over the limit from a logged-in user gets the Swedish 413 page (the page's own
    logout form must not read the request body again)."""
    import re as _re

    from tests.factories import make_user
    from tests.helpers import AuthActions

    with app.app_context():
        make_user("stor@gavle.example", roles=("officer",))
    AuthActions(client).login("stor@gavle.example")
    page = client.get("/consultations/request").get_data(as_text=True)
    token = _re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post("/consultations/request", data={"csrf_token": token, "situation": big})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "För mycket data" in html and "Logga ut" in html
    assert "Content-Security-Policy" in response.headers
