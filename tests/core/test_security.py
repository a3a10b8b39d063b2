"""Deny by default (the url_map walk), CSRF rejection and the security headers."""
import re
import secrets
import uuid

import pytest
from sqlalchemy import select
from werkzeug.routing import UUIDConverter

from coordinator.audit.models import AuditEvent
from coordinator.auth import services
from coordinator.auth.models import AuthSession
from coordinator.extensions import db
from coordinator.security import ROLES, public, roles_required, rule_for_endpoint
from tests.factories import make_user
from tests.helpers import PASSWORD, csrf_token, post_form

PUBLIC_ENDPOINTS = {"auth.login", "auth.two_factor_login", "auth.activation_link", "auth.activate", "healthz", "static"}
CSRF_MESSAGE = "Formuläret hade gått ut eller saknade sin säkerhetskod."


def login(client, email):
    response = post_form(client, "/auth/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def url_for_rule(app, rule):
    """The rule's URL with a random UUID or token for each variable."""
    values = {}
    for name in rule.arguments:
        if isinstance(rule._converters[name], UUIDConverter) or name.endswith("uuid"):
            values[name] = str(uuid.uuid4())
        else:
            values[name] = secrets.token_urlsafe(16)
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


# Deny by default -----------------------------------------------------------------

def test_every_endpoint_declares_an_access_rule(app):
    """Walk app.url_map: every endpoint but static carries an access rule, and the
    public ones are exactly the allow-list."""
    missing, public_endpoints = [], set()
    for rule in app.url_map.iter_rules():
        access = rule_for_endpoint(app, rule.endpoint)
        if access is None:
            missing.append(rule.endpoint)
            continue
        if rule.endpoint != "static":
            assert getattr(app.view_functions[rule.endpoint], "access_rule", None) is access
        if access.public:
            public_endpoints.add(rule.endpoint)
        else:
            assert access.roles <= set(ROLES), rule.endpoint
    assert missing == [], f"endpoints without an access rule: {missing}"
    assert public_endpoints == PUBLIC_ENDPOINTS


def test_an_unmarked_route_is_denied_even_to_an_admin(app_factory):
    """A view registered without an access decorator answers 403 to everybody,
    also to a logged-in user holding every role."""
    app = app_factory()

    @app.route("/unmarked")
    def unmarked():
        return "hemligt innehåll"

    assert rule_for_endpoint(app, "unmarked") is None
    with app.app_context():
        make_user("admin@gavle.example", roles=ROLES)
    client = app.test_client()
    anonymous = client.get("/unmarked")
    assert anonymous.status_code == 403
    assert "hemligt innehåll" not in anonymous.get_data(as_text=True)
    login(client, "admin@gavle.example")
    response = client.get("/unmarked")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "hemligt innehåll" not in html
    assert "Åtkomst nekad" in html


def test_roles_required_refuses_unknown_roles():
    """A typo in a role name fails at import time instead of silently denying or allowing."""
    with pytest.raises(ValueError):
        roles_required("administrator")
    with pytest.raises(ValueError):
        roles_required()


def test_guard_applies_roles(app_factory):
    """A view marked for a role answers 403 to a user without it and 200 to one with it."""
    app = app_factory()

    @app.route("/editors-only")
    @roles_required("editor")
    def editors_only():
        return "ok"

    @app.route("/open")
    @public
    def open_page():
        return "open"

    with app.app_context():
        make_user("o@gavle.example", roles=("officer",))
        make_user("e@gavle.example", roles=("editor",))
    officer, editor, anonymous = app.test_client(), app.test_client(), app.test_client()
    login(officer, "o@gavle.example")
    login(editor, "e@gavle.example")
    assert officer.get("/editors-only").status_code == 403
    assert editor.get("/editors-only").get_data(as_text=True) == "ok"
    assert anonymous.get("/editors-only").status_code == 302
    assert anonymous.get("/open").get_data(as_text=True) == "open"


def _protected_rules(app, method):
    rules = []
    for rule in app.url_map.iter_rules():
        access = rule_for_endpoint(app, rule.endpoint)
        if access is not None and not access.public and method in rule.methods:
            rules.append(rule)
    return rules


def test_anonymous_get_on_every_protected_route_redirects_to_login(app, client):
    """Every non-public GET route answers an anonymous visitor with a redirect to login."""
    rules = _protected_rules(app, "GET")
    assert len(rules) >= 8
    for rule in rules:
        url = url_for_rule(app, rule)
        response = client.get(url)
        assert response.status_code == 302, url
        location = response.headers["Location"]
        assert location.startswith("/auth/login"), url


def test_anonymous_post_on_every_protected_route_redirects_to_login(app, client):
    """Every non-public POST route, given a valid CSRF token, still redirects an
    anonymous client to login and changes nothing."""
    with app.app_context():
        make_user("anna@gavle.example")
    rules = _protected_rules(app, "POST")
    assert rules
    for rule in rules:
        url = url_for_rule(app, rule)
        response = client.post(url, data={"csrf_token": csrf_token(client, "/auth/login")})
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/auth/login"), url
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert set(actions) <= {"user.create", "user.activation_issued"}


def test_own_pages_never_fail_for_a_user_with_every_role(app, client):
    """Every GET page of the account, admin and start-page areas answers a user
    holding every role without an error (200 or a redirect; 204 for the keep-alive that
    has nothing to say; 404 for made-up ids)."""
    with app.app_context():
        make_user("alla@gavle.example", roles=ROLES)
    login(client, "alla@gavle.example")
    for rule in _protected_rules(app, "GET"):
        if rule.endpoint.split(".")[0] not in ("auth", "admin", "home", "root"):
            continue
        response = client.get(url_for_rule(app, rule))
        expected = (404,) if rule.arguments else (200, 204, 302)
        assert response.status_code in expected, rule.rule


# CSRF -----------------------------------------------------------------------------

def assert_csrf_refused(response):
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert CSRF_MESSAGE in html
    assert "<title>Felaktig begäran" in html


def test_login_without_csrf_token_is_refused(app, client):
    """A login POST without a token is refused (400, Swedish page) and logs nobody in."""
    with app.app_context():
        make_user("anna@gavle.example")
    client.get("/auth/login")
    response = client.post("/auth/login", data={"email": "anna@gavle.example", "password": PASSWORD})
    assert_csrf_refused(response)
    assert client.get("/home/officer").status_code == 302
    with app.app_context():
        assert db.session.execute(select(AuthSession)).first() is None


def test_csrf_token_of_another_session_is_refused(app, client):
    """A token read from another browser's session is not accepted (login CSRF)."""
    with app.app_context():
        make_user("anna@gavle.example")
    attacker = app.test_client()
    foreign = csrf_token(attacker, "/auth/login")
    client.get("/auth/login")
    response = client.post("/auth/login", data={"email": "anna@gavle.example", "password": PASSWORD,
                                                "csrf_token": foreign})
    assert_csrf_refused(response)


def test_logout_without_csrf_token_is_refused(app, client):
    """A logout POST without a token is refused and the session continues."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    assert_csrf_refused(client.post("/auth/logout"))
    assert_csrf_refused(client.post("/auth/logout-everywhere"))
    assert client.get("/home/officer").status_code == 200
    with app.app_context():
        assert db.session.execute(select(AuthSession.ended_at)).scalar_one() is None


def test_change_password_without_csrf_token_is_refused(app, client):
    """A password change POST without a token is refused and changes nothing."""
    with app.app_context():
        before = make_user("anna@gavle.example").password_hash
    login(client, "anna@gavle.example")
    new = "gråsuggan simmar i ån"
    response = client.post("/auth/password", data={"current_password": PASSWORD, "new_password": new,
                                                   "confirm": new})
    assert_csrf_refused(response)
    with app.app_context():
        assert services.find_user_by_email("anna@gavle.example").password_hash == before


def test_admin_actions_without_csrf_token_are_refused(app, client):
    """Admin POSTs without a token are refused and change nothing."""
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
        target_uuid = make_user("anna@gavle.example", name="Anna Berg").uuid
    login(client, "admin@gavle.example")
    assert_csrf_refused(client.post(f"/admin/users/{target_uuid}/deactivate"))
    assert_csrf_refused(client.post(f"/admin/users/{target_uuid}/end-sessions"))
    assert_csrf_refused(client.post(f"/admin/users/{target_uuid}/activation-link"))
    assert_csrf_refused(client.post(f"/admin/users/{target_uuid}/edit",
                                    data={"display_name": "Ändrad", "roles": "admin"}))
    assert_csrf_refused(client.post("/admin/users/new",
                                    data={"email": "ny@gavle.se", "display_name": "Ny", "roles": "admin"}))
    with app.app_context():
        target = services.find_user_by_email("anna@gavle.example")
        assert target.active and target.display_name == "Anna Berg" and target.role_set == {"officer"}
        assert services.find_user_by_email("ny@gavle.se") is None
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert not {"user.deactivate", "user.update", "user.sessions_ended"} & set(actions)


# Headers ---------------------------------------------------------------------------

EXPECTED_CSP = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        assert name not in directives, f"duplicate directive {name}"
        directives[name] = value.strip()
    return directives


def test_content_security_policy(app, client):
    """The CSP is exactly the strict policy: nothing inline, nothing from elsewhere."""
    response = client.get("/auth/login")
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert parse_csp(header) == EXPECTED_CSP


def test_pages_have_nothing_the_csp_would_block(app, client):
    """Rendered pages contain no inline scripts, styles or event handlers."""
    with app.app_context():
        make_user("alla@gavle.example", roles=ROLES)
    pages = [client.get("/auth/login"), client.get("/finns-inte")]
    login(client, "alla@gavle.example")
    for path in ("/home/coordinator", "/home/officer", "/home/editor", "/auth/account",
                 "/auth/password", "/admin/users", "/admin/users/new"):
        pages.append(client.get(path))
    for response in pages:
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), response.request.path
        assert "<style" not in html
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert "javascript:" not in html


def test_basic_security_headers_on_every_response(app, client):
    """nosniff, no-referrer and frame denial on pages, redirects and error pages alike."""
    for response in (client.get("/auth/login"), client.get("/"), client.get("/finns-inte"),
                     client.get("/healthz")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response.headers


def test_authenticated_pages_are_not_cached(app, client):
    """Pages shown to a logged-in user carry Cache-Control: no-store."""
    with app.app_context():
        make_user("alla@gavle.example", roles=ROLES)
    login(client, "alla@gavle.example")
    for path in ("/home/officer", "/auth/account", "/admin/users", "/home/"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Pragma"] == "no-cache"


def test_static_files_may_be_cached(app, client):
    """The style sheet is not marked no-store."""
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_hsts_only_over_https(app, client):
    """Strict-Transport-Security is sent over HTTPS and never over plain HTTP."""
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    secure = client.get("/auth/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(secure.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000


def test_forwarded_headers_are_ignored_without_proxy(app, client):
    """Without PROXY_COUNT, X-Forwarded-Proto cannot switch HSTS on."""
    response = client.get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_forwarded_headers_are_trusted_behind_one_proxy(app_factory):
    """With PROXY_COUNT=1 the proxy's X-Forwarded-Proto and -For are used."""
    app = app_factory(PROXY_COUNT=1)
    with app.app_context():
        make_user("anna@gavle.example")
    client = app.test_client()
    response = client.get("/auth/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    token = csrf_token(client, "/auth/login")
    client.post("/auth/login", data={"email": "anna@gavle.example", "password": PASSWORD, "csrf_token": token},
                headers={"X-Forwarded-For": "198.51.100.23"})
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "auth.login")).scalar_one()
        assert event.remote_addr == "198.51.100.23"
