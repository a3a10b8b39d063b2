"""The access matrix, generated from ``app.url_map``: every endpoint × every role and an
anonymous visitor × every method the rule allows, against ONE explicit table of who may
reach each endpoint (ACCESS below). A route missing from the table fails the suite, so a
new route is added here, on purpose, with its audience.

"Let through" is observed, not guessed: a ``before_request`` hook appended after the
application's own (the guard is the last of those) notes the endpoint whenever the guard
passed the request on. On top of that:

* allowed: the guard let the request through and the answer is neither 403 nor a 5xx
  (a 404 for a random UUID, a 400/405 from the view itself are fine);
* denied, logged in: 403, the guard did not let it through;
* denied, anonymous: a redirect to /auth/login, the guard did not let it through.

Real URLs: a random UUID for every ``<uuid:...>``, a random token for other variables
(``static`` gets the real style sheet). POSTs carry a valid CSRF token of the session, so
the CSRF check (which runs before the guard) is not what answers.
"""
import secrets
import uuid

import pytest
from flask import request, url_for

from ..factories import make_user
from ..helpers import csrf_token
from .conftest import EMAILS, ROLE_CODES, login, make_users

PUBLIC = "public"  # anybody, logged in or not
ANY = "any logged-in user"
COORDINATOR = frozenset({"coordinator"})
OFFICER = frozenset({"officer"})
EDITOR = frozenset({"editor"})
ADMIN = frozenset({"admin"})
CASE_READERS = frozenset({"coordinator", "officer"})
BULLETIN_READERS = frozenset({"coordinator", "editor"})

# endpoint -> PUBLIC, ANY, or the roles that may use it (any one of them suffices)
ACCESS = {
    # Public: logging in, activation, the health check, the style sheet and script
    "static": PUBLIC,
    "healthz": PUBLIC,
    "auth.login": PUBLIC,
    "auth.two_factor_login": PUBLIC,
    "auth.activation_link": PUBLIC,
    "auth.activate": PUBLIC,
    # Every logged-in user: the start page redirect and the own account
    "root": ANY,
    "home.index": ANY,
    "auth.account": ANY,
    "auth.contact": ANY,
    "auth.keepalive": ANY,
    "auth.logout": ANY,
    "auth.logout_everywhere": ANY,
    "auth.change_password": ANY,
    "auth.two_factor_setup": ANY,
    "auth.two_factor_recovery_codes": ANY,
    "auth.two_factor_remove": ANY,
    # Start pages
    "home.coordinator": COORDINATOR,
    "home.officer": OFFICER,
    "home.editor": EDITOR,
    # Role grants: only a coordinator decides on the coordinator role
    "auth.approve_role": COORDINATOR,
    "auth.decline_role": COORDINATOR,
    # Accounts: the admin only (never case content)
    "admin.users": ADMIN,
    "admin.create_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.confirm_deactivation": ADMIN,
    "admin.deactivate_user": ADMIN,
    "admin.reactivate_user": ADMIN,
    "admin.end_sessions": ADMIN,
    "admin.reset_two_factor": ADMIN,
    "admin.new_activation_link": ADMIN,
    # The audit trail: the admin reviews codes and identifiers (never case content)
    "audit.events": ADMIN,
    "audit.export": ADMIN,
    "audit.log_review": ADMIN,
    # Consultations: an officer asks and reads (own, checked by the view), the coordinator all
    "consultations.request_advice": OFFICER,
    "consultations.mine": OFFICER,
    "consultations.detail": CASE_READERS,
    "consultations.add_message": CASE_READERS,
    "consultations.index": COORDINATOR,
    "consultations.search": COORDINATOR,
    "consultations.new": COORDINATOR,
    "consultations.edit": COORDINATOR,
    "consultations.answer": COORDINATOR,
    "consultations.change_status": COORDINATOR,
    # Retention (gallring): the coordinator decides what is kept
    "retention.due": COORDINATOR,
    "retention.keep_open": COORDINATOR,
    # Activities, initiatives, partners: the coordinator only
    "activities.index": COORDINATOR,
    "activities.month": COORDINATOR,
    "activities.new": COORDINATOR,
    "activities.detail": COORDINATOR,
    "activities.edit": COORDINATOR,
    "activities.done": COORDINATOR,
    "activities.cancel": COORDINATOR,
    "initiatives.index": COORDINATOR,
    "initiatives.new": COORDINATOR,
    "initiatives.detail": COORDINATOR,
    "initiatives.edit": COORDINATOR,
    "initiatives.add_note": COORDINATOR,
    "partners.index": COORDINATOR,
    "partners.potential": COORDINATOR,
    "partners.new": COORDINATOR,
    "partners.detail": COORDINATOR,
    "partners.edit": COORDINATOR,
    "partners.add_contact": COORDINATOR,
    "partners.edit_contact": COORDINATOR,
    "partners.remove_contact": COORDINATOR,
    "partners.add_step": COORDINATOR,
    "partners.import_upload": COORDINATOR,
    "partners.import_preview": COORDINATOR,
    "partners.export": COORDINATOR,
    # The bulletin: the coordinator drafts, the editor fastställer; both read and export
    "bulletin.index": BULLETIN_READERS,
    "bulletin.detail": BULLETIN_READERS,
    "bulletin.export": BULLETIN_READERS,
    "bulletin.new": COORDINATOR,
    "bulletin.save_text": COORDINATOR,
    "bulletin.regenerate": COORDINATOR,
    "bulletin.propose": COORDINATOR,
    "bulletin.new_version": COORDINATOR,
    "bulletin.fix": EDITOR,
    "bulletin.return_to_draft": EDITOR,
}

IDENTITIES = ("anonymous",) + ROLE_CODES
# These end the session they are sent in: log in again after them.
ENDS_SESSION = {"auth.logout", "auth.logout_everywhere"}


def allowed(endpoint, identity):
    rule = ACCESS[endpoint]
    if rule == PUBLIC:
        return True
    if identity == "anonymous":
        return False
    return rule == ANY or identity in rule


def role_for(endpoint):
    """Someone who may use ``endpoint``: "anonymous" for a public one, an officer where any
    logged-in user may, else the coordinator when she may, else the first role allowed."""
    rule = ACCESS.get(endpoint)
    assert rule is not None, f"{endpoint} is not in ACCESS (tests/security/test_access_matrix.py)"
    if rule == PUBLIC:
        return "anonymous"
    if rule == ANY:
        return "officer"
    return "coordinator" if "coordinator" in rule else sorted(rule)[0]


def url_for_rule(app, rule):
    """The rule's URL: a random UUID for each <uuid:...>, a random token for the others."""
    values = {}
    for name in rule.arguments:
        if rule.endpoint == "static":
            values[name] = "app.css"
        elif type(rule._converters[name]).__name__.endswith("UUIDConverter"):
            values[name] = str(uuid.uuid4())
        else:
            values[name] = secrets.token_urlsafe(12)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def every_request(app):
    """(endpoint, method, url) for every rule and every method it allows."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted(rule.methods):
            yield rule.endpoint, method, url_for_rule(app, rule)


@pytest.fixture
def reached(app):
    """Endpoints the guard let through (appended after every before_request of the app)."""
    seen = []
    app.before_request(lambda: seen.append(request.endpoint))
    return seen


def test_every_route_is_in_the_table(app):
    """Each endpoint of the url_map has a row in ACCESS, and each row names a real endpoint
    with real role codes: a new route fails here until its audience is written down."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ACCESS))
    assert not missing, f"routes missing from ACCESS (add them with who may reach them): {missing}"
    stale = sorted(set(ACCESS) - endpoints)
    assert not stale, f"ACCESS names endpoints that do not exist: {stale}"
    for endpoint, rule in ACCESS.items():
        assert rule in (PUBLIC, ANY) or (rule and rule <= set(ROLE_CODES)), endpoint


@pytest.mark.parametrize("identity", IDENTITIES)
def test_access_matrix(app, reached, identity):
    """Every endpoint and method, as ``identity``, is let through or refused exactly as the
    table says."""
    with app.app_context():
        make_users()
    client = app.test_client()
    if identity != "anonymous":
        login(client, EMAILS[identity])
    token = csrf_token(client, "/auth/login" if identity == "anonymous" else None)
    mismatches, checked = [], 0
    for endpoint, method, url in every_request(app):
        if endpoint not in ACCESS:
            mismatches.append(f"{method} {url}: {endpoint} is not in ACCESS")
            continue
        reached.clear()
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        response.get_data()  # a streamed body (the CSV exports) runs to its end
        response.close()
        let_through = endpoint in reached
        status = response.status_code
        location = response.headers.get("Location", "")
        checked += 1
        if allowed(endpoint, identity):
            if not let_through or status == 403 or status >= 500:
                mismatches.append(f"{method} {url}: should be allowed, got {status} "
                                  f"(guard {'passed' if let_through else 'refused'})")
        elif identity == "anonymous":
            if let_through or status != 302 or not location.startswith("/auth/login"):
                mismatches.append(f"{method} {url}: should redirect to the login, got {status} {location}")
        elif let_through or status != 403:
            mismatches.append(f"{method} {url}: should be 403, got {status}")
        if identity != "anonymous" and endpoint in ENDS_SESSION and method == "POST":
            login(client, EMAILS[identity])
            token = csrf_token(client)
    assert checked >= 200, f"only {checked} requests: did the url_map walk break?"
    assert not mismatches, f"{identity}:\n" + "\n".join(mismatches)


def test_a_user_holding_every_role_reaches_every_endpoint(app, reached):
    """A user with all four roles is let through everywhere but the public pages' own
    redirects: the table's role sets together cover every protected endpoint."""
    with app.app_context():
        make_user("alla@gavle.example", roles=ROLE_CODES)
    client = app.test_client()
    login(client, "alla@gavle.example")
    token = csrf_token(client)
    refused = []
    for endpoint, method, url in every_request(app):
        reached.clear()
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        response.get_data()
        response.close()
        if endpoint not in reached or response.status_code == 403 or response.status_code >= 500:
            refused.append(f"{method} {url}: {response.status_code}")
        if endpoint in ENDS_SESSION and method == "POST":
            login(client, "alla@gavle.example")
            token = csrf_token(client)
    assert not refused, "\n".join(refused)
