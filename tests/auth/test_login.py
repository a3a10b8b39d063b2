"""Login: the happy path, one generic error, session fixation, cookie flags,
the ``next`` parameter, forced password change and the audit events."""
import re
from urllib.parse import quote

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth import services
from coordinator.auth.models import AuthSession
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, csrf_token, post_form

COOKIE = "coordinator_session"
WRONG_PASSWORD = "fel-lösenord-som-inte-ska-synas-17"
CSRF_INPUT_RE = re.compile(r'<input (?:id="csrf_token" )?name="csrf_token" type="hidden" value="[^"]+">')  # any CSRF input (tokens carry a timestamp)


def events(app, action=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = db.session.execute(query).scalars().all()
        db.session.expunge_all()
        return rows


def login(client, email, password=PASSWORD, url="/auth/login", **kwargs):
    return post_form(client, url, {"email": email, "password": password}, **kwargs)


def test_login_success_redirects_to_start_page(app, client):
    """A correct login answers a redirect and the user lands on their start page."""
    with app.app_context():
        make_user("anna@gavle.example", roles=("officer",))
    response = login(client, "anna@gavle.example")
    assert response.status_code == 302
    assert response.headers["Location"] == "/home/"
    page = client.get("/home/", follow_redirects=True)
    assert page.status_code == 200
    assert page.request.path == "/home/officer"
    assert "<h1>Mina rådfrågningar</h1>" in page.get_data(as_text=True)


def test_login_is_case_insensitive_on_email(app, client):
    """The e-mail is the login name whatever its case and surrounding spaces."""
    with app.app_context():
        make_user("anna@gavle.example")
    response = login(client, "  Anna@GAVLE.example ")
    assert response.status_code == 302
    assert client.get("/home/officer").status_code == 200


def _normalised_login_page(response, email):
    html = response.get_data(as_text=True)
    html = CSRF_INPUT_RE.sub("CSRF", html)
    return html.replace(email, "EMAIL")


def test_one_generic_error_for_unknown_wrong_password_and_inactive(app, client):
    """Unknown account, wrong password and deactivated account give the very same page."""
    with app.app_context():
        make_user("aktiv@gavle.example")
        make_user("inaktiv@gavle.example", active=False)
    cases = {
        "unknown": login(client, "okand@gavle.example", PASSWORD),
        "wrong password": login(client, "aktiv@gavle.example", WRONG_PASSWORD),
        "inactive, right password": login(client, "inaktiv@gavle.example", PASSWORD),
    }
    emails = {"unknown": "okand@gavle.example", "wrong password": "aktiv@gavle.example",
              "inactive, right password": "inaktiv@gavle.example"}
    with app.test_request_context():
        message = str(services.GENERIC_LOGIN_ERROR)
    assert message == "Fel e-postadress eller lösenord, eller så är kontot inte aktivt."
    pages = {}
    for name, response in cases.items():
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert message in html, name
        pages[name] = _normalised_login_page(response, emails[name])
    assert len(set(pages.values())) == 1, "the pages differ in more than the typed e-mail"
    # None of them logged anybody in.
    assert client.get("/home/").status_code == 302
    with app.app_context():
        assert db.session.execute(select(AuthSession)).first() is None


def test_failed_login_keeps_email_and_never_echoes_password(app, client):
    """After a failed login the typed e-mail is in the form; the password is not."""
    with app.app_context():
        make_user("anna@gavle.example")
    response = login(client, "anna@gavle.example", WRONG_PASSWORD)
    html = response.get_data(as_text=True)
    assert 'value="anna@gavle.example"' in html
    assert WRONG_PASSWORD not in html
    password_input = re.search(r'<input[^>]*name="password"[^>]*>', html).group(0)
    assert re.search(r'value="[^"]', password_input) is None


def test_empty_fields_give_swedish_field_errors(app, client):
    """A login without e-mail and password is refused with Swedish messages per field."""
    response = login(client, "", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fyll i din e-postadress." in html
    assert "Fyll i ditt lösenord." in html


def test_session_cookie_changes_at_login(app, client):
    """Session fixation: the cookie value and the session id are new after login,
    and a cookie planted before login does not become logged in."""
    with app.app_context():
        make_user("anna@gavle.example")
    token = csrf_token(client, "/auth/login")
    with client.session_transaction() as session:
        session["sid"] = "planted-by-attacker"
        session["planted"] = "by-attacker"
    before = client.get_cookie(COOKIE).value

    response = client.post("/auth/login", data={"email": "anna@gavle.example", "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302
    after = client.get_cookie(COOKIE).value
    assert after != before
    with client.session_transaction() as session:
        assert session["sid"] != "planted-by-attacker"
        assert "planted" not in session, "the pre-login session was not discarded"
        assert len(session["sid"]) >= 40

    attacker = app.test_client()
    attacker.set_cookie(COOKIE, before)
    assert attacker.get("/home/officer").status_code == 302
    assert client.get("/home/officer").status_code == 200


def test_each_login_gets_its_own_server_session(app, client):
    """Two logins of the same user get different session ids and two server-side rows."""
    with app.app_context():
        make_user("anna@gavle.example")
    other = app.test_client()
    login(client, "anna@gavle.example")
    login(other, "anna@gavle.example")
    with client.session_transaction() as s1, other.session_transaction() as s2:
        assert s1["sid"] != s2["sid"]
    with app.app_context():
        rows = db.session.execute(select(AuthSession)).scalars().all()
        assert len(rows) == 2
        # Only a hash of the token is stored.
        with client.session_transaction() as s1:
            assert all(s1["sid"] not in r.token_hash for r in rows)


def _set_cookie_header(response, name=COOKIE):
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert headers, "the response sets no session cookie"
    return headers[-1]


def test_session_cookie_flags_in_development(app, client):
    """The session cookie is HttpOnly and SameSite=Lax (not Secure over plain HTTP in development)."""
    with app.app_context():
        make_user("anna@gavle.example")
    header = _set_cookie_header(login(client, "anna@gavle.example"))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


def test_session_cookie_is_secure_in_production(app_factory):
    """In production mode, over HTTPS and with no Referer (the app's own Referrer-Policy
    is no-referrer), login works and the session cookie is Secure, HttpOnly and SameSite=Lax."""
    app = app_factory(ENVIRONMENT="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        make_user("anna@gavle.example")
    client = app.test_client()
    page = client.get("/auth/login", base_url="https://localhost")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post(
        "/auth/login", base_url="https://localhost",
        data={"email": "anna@gavle.example", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},  # what a browser sends here
    )
    assert response.status_code == 302
    assert client.get("/home/officer", base_url="https://localhost").status_code == 200
    header = _set_cookie_header(response, "__Host-" + COOKIE)
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/home/",
        "https://evil.example",
        "https://evil.example/home/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_parameter_only_accepts_local_paths(app, client, target):
    """A ``next`` that is not a plain local path is ignored: the user goes to /home/."""
    with app.app_context():
        make_user("anna@gavle.example")
    response = login(client, "anna@gavle.example", url="/auth/login?next=" + quote(target, safe=""))
    assert response.status_code == 302
    assert response.headers["Location"] == "/home/"


def test_next_parameter_with_local_path_is_followed(app, client):
    """A local path in ``next`` (with its query string) is where the login leads."""
    with app.app_context():
        make_user("anna@gavle.example")
    response = login(client, "anna@gavle.example",
                     url="/auth/login?next=" + quote("/home/officer?flik=2", safe=""))
    assert response.headers["Location"] == "/home/officer?flik=2"


def test_login_redirect_carries_the_page_asked_for(app, client):
    """An anonymous visit to a page leads to login and, after login, back to that page."""
    with app.app_context():
        make_user("anna@gavle.example")
    response = client.get("/auth/account")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/auth/login?next=")
    landing = client.get(location)
    assert "Logga in för att fortsätta." in landing.get_data(as_text=True)
    response = login(client, "anna@gavle.example", url=location)
    assert response.headers["Location"] == "/auth/account"


def test_logged_in_user_visiting_login_goes_home(app, client):
    """The login page sends someone already logged in to their start page."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/home/"


def test_must_change_password_is_forced_everywhere(app, client):
    """A user who must change the password is sent to /auth/password from every
    page until they have done so; then they reach their start page."""
    with app.app_context():
        make_user("ny@gavle.example", roles=("officer", "admin"), must_change_password=True)
    assert login(client, "ny@gavle.example").status_code == 302
    for path in ("/", "/home/", "/home/officer", "/home/coordinator", "/auth/account", "/admin/users",
                 "/admin/users/new"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/auth/password", path
    page = client.get("/auth/password")
    assert page.status_code == 200
    assert "engångslösenord" in page.get_data(as_text=True)
    # An admin action is redirected too, and does nothing.
    response = post_form(client, "/admin/users/new",
                         {"email": "x@gavle.se", "display_name": "X", "roles": "officer"})
    assert response.headers["Location"] == "/auth/password"

    new = "gråsuggan simmar i ån"
    response = post_form(client, "/auth/password",
                         {"current_password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 302
    page = client.get("/home/", follow_redirects=True)
    assert page.request.path == "/home/officer"
    assert client.get("/admin/users").status_code == 200
    with app.app_context():
        assert services.find_user_by_email("ny@gavle.example").must_change_password is False


def test_must_change_password_user_can_log_out(app, client):
    """Logging out stays possible for a user who must change the password."""
    with app.app_context():
        make_user("ny@gavle.example", must_change_password=True)
    login(client, "ny@gavle.example")
    response = post_form(client, "/auth/logout")
    assert response.headers["Location"] == "/auth/login"
    assert client.get("/auth/password").headers["Location"].startswith("/auth/login")


def test_login_and_logout_write_audit_events(app, client):
    """Login and logout are audited with the actor and the remote address."""
    with app.app_context():
        user_id = make_user("anna@gavle.example").id
    environ = {"REMOTE_ADDR": "10.20.30.40"}
    login(client, "anna@gavle.example", environ_base=environ)
    post_form(client, "/auth/logout", environ_base=environ)
    (login_event,) = events(app, "auth.login")
    assert login_event.actor_id == user_id
    assert login_event.remote_addr == "10.20.30.40"
    assert login_event.object_type == "users"
    (logout_event,) = events(app, "auth.logout")
    assert logout_event.actor_id == user_id
    assert logout_event.remote_addr == "10.20.30.40"


def test_failed_logins_are_audited_without_the_password(app, client):
    """A failed login is audited with a reason code; the password is never stored."""
    with app.app_context():
        user_id = make_user("anna@gavle.example").id
        make_user("inaktiv@gavle.example", active=False)
    environ = {"REMOTE_ADDR": "10.9.8.7"}
    login(client, "anna@gavle.example", WRONG_PASSWORD, environ_base=environ)
    login(client, "okand@gavle.example", WRONG_PASSWORD, environ_base=environ)
    login(client, "inaktiv@gavle.example", PASSWORD, environ_base=environ)
    failed = events(app, "auth.login_failed")
    assert [e.detail for e in failed] == ["bad_password", "unknown_account", "inactive"]
    assert failed[0].actor_id == user_id
    assert failed[1].actor_id is None and failed[1].object_uuid is None
    assert all(e.remote_addr == "10.9.8.7" for e in failed)
    assert events(app, "auth.login") == []
    for event in events(app):
        stored = " ".join(str(getattr(event, c.key)) for c in AuditEvent.__table__.columns)
        assert WRONG_PASSWORD not in stored
        assert PASSWORD not in stored
        assert "okand@gavle.example" not in stored


def test_typed_email_is_escaped(app, client):
    """A typed e-mail containing markup is shown escaped, never as HTML."""
    typed = '"><script>alert(1)</script>@gavle.example'
    response = login(client, typed, WRONG_PASSWORD)
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html or "&#34;&gt;&lt;script" in html


def test_cross_site_posts_are_refused(app, client):
    """A POST that the browser marks as cross-site, or with a foreign Origin, is refused
    even with a valid CSRF token."""
    with app.app_context():
        make_user("anna@gavle.example")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/auth/login").get_data(as_text=True)).group(1)
    data = {"email": "anna@gavle.example", "password": PASSWORD, "csrf_token": token}
    assert client.post("/auth/login", data=data, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 400
    assert client.post("/auth/login", data=data, headers={"Origin": "https://evil.example"}).status_code == 400
    assert client.post("/auth/login", data=data, headers={"Origin": "http://localhost",
                                                          "Sec-Fetch-Site": "same-origin"}).status_code == 302


def test_nul_in_login_email_is_harmless(app, client):
    """A NUL character in the e-mail gives the ordinary answer, not a 500 (PostgreSQL refuses NUL)."""
    with app.app_context():
        make_user("anna@gavle.example")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/auth/login").get_data(as_text=True)).group(1)
    response = client.post("/auth/login", data={"email": "anna\x00@gavle.example", "password": PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302
