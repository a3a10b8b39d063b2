"""Activation links: set a password, single use, 72-hour validity, a new link
invalidates the old, and the weak-password error."""
import re
import secrets
from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth import services
from coordinator.auth.models import ActivationToken
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, post_form

CHOSEN = "sommarstugan vid sjön är röd"
INVALID = "Länken är ogiltig, redan använd eller för gammal (den gäller i 72 timmar)."
START = datetime(2025, 5, 12, 9, 0, tzinfo=timezone.utc)


def new_account(app, email="ny@gavle.example", roles=("officer",)):
    """An account awaiting activation; returns its activation token."""
    with app.app_context():
        _user, token = services.create_user(email, "Ny Person", list(roles))
        db.session.commit()
    return token


def open_link(client, token):
    """Open the activation link as a browser does (the token moves into the session)."""
    return client.get(f"/auth/activate/{token}", follow_redirects=True)


def activate(client, token, password=CHOSEN, confirm=None):
    opened = open_link(client, token)
    if opened.status_code != 200:
        return opened
    return post_form(client, "/auth/activate", {"new_password": password,
                                                "confirm": password if confirm is None else confirm})


def login(client, email, password=CHOSEN):
    return post_form(client, "/auth/login", {"email": email, "password": password})


def assert_refused(response):
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<h1>Länken gäller inte</h1>" in html
    assert INVALID in html
    assert 'name="new_password"' not in html


def test_activation_sets_password_and_allows_login(app, client):
    """The person opens the link, chooses a password and can then log in."""
    token = new_account(app)
    assert login(client, "ny@gavle.example", CHOSEN).status_code == 200, "no login before activation"
    page = open_link(client, token)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ny@gavle.example" in html
    assert "<h1>Välj lösenord</h1>" in html

    response = activate(client, token)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Ditt lösenord är sparat. Logga in med det." in client.get("/auth/login").get_data(as_text=True)

    assert login(client, "ny@gavle.example").status_code == 302
    assert client.get("/home/officer").status_code == 200
    with app.app_context():
        user = services.find_user_by_email("ny@gavle.example")
        assert user.password_hash.startswith("$argon2id$")
        assert user.must_change_password is False
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "user.activated")
        ).scalar_one()
        assert event.actor_id == user.id


def test_link_is_single_use(app, client):
    """A used link is refused (404, Swedish message), both to look at and to post to."""
    token = new_account(app)
    assert activate(client, token).status_code == 302
    assert_refused(client.get(f"/auth/activate/{token}"))
    other = app.test_client()
    assert_refused(other.get(f"/auth/activate/{token}"))
    # Posting again (with a valid CSRF token) changes nothing.
    with app.app_context():
        before = services.find_user_by_email("ny@gavle.example").password_hash
    response = post_form(other, "/auth/activate",
                         {"new_password": "ett helt annat lösenord", "confirm": "ett helt annat lösenord"})
    assert_refused(response)
    assert_refused(activate(other, token, "ett helt annat lösenord"))
    with app.app_context():
        assert services.find_user_by_email("ny@gavle.example").password_hash == before


def test_unknown_token_is_refused(app, client):
    """A made-up token gets the same refusal."""
    new_account(app)
    assert_refused(client.get(f"/auth/activate/{secrets.token_urlsafe(32)}"))


def test_link_expires_after_72_hours(app, client):
    """The link works until 72 hours after it was issued, then it is refused."""
    assert app.config["ACTIVATION_VALID_HOURS"] == 72
    with time_machine.travel(START, tick=False) as traveller:
        token = new_account(app)
        traveller.shift(timedelta(hours=71, minutes=59))
        assert open_link(client, token).status_code == 200
        traveller.shift(timedelta(minutes=1))
        assert_refused(client.get(f"/auth/activate/{token}"))
        assert_refused(activate(client, token))
    with app.app_context():
        assert services.find_user_by_email("ny@gavle.example").password_hash is None


def test_expired_link_can_still_be_used_just_before_expiry(app, client):
    """A password chosen just before the 72 hours are over is saved."""
    with time_machine.travel(START, tick=False) as traveller:
        token = new_account(app)
        traveller.shift(timedelta(hours=71, minutes=59, seconds=59))
        assert activate(client, token).status_code == 302
    assert login(client, "ny@gavle.example").status_code == 302


def test_new_link_invalidates_previous(app, client):
    """Issuing a new link makes the earlier, unused one stop working."""
    first = new_account(app)
    with app.app_context():
        second = services.issue_activation(services.find_user_by_email("ny@gavle.example"))
        db.session.commit()
    assert_refused(client.get(f"/auth/activate/{first}"))
    assert open_link(client, second).status_code == 200
    assert activate(client, second).status_code == 302


def test_only_a_hash_of_the_token_is_stored(app):
    """The database holds the SHA-256 of the token, never the token."""
    token = new_account(app)
    with app.app_context():
        (row,) = db.session.execute(select(ActivationToken)).scalars().all()
        assert row.token_hash != token and token not in row.token_hash
        assert len(row.token_hash) == 64


def test_weak_password_on_activation_form(app, client):
    """A weak password gives a Swedish field error, echoes nothing secret and keeps the link usable."""
    token = new_account(app)
    for weak, message in (
        ("kv7-kort", "Lösenordet måste ha minst 12 tecken."),
        ("password1234", "Lösenordet finns på listan över vanliga lösenord."),
        ("aaaaaaaaaaaaaaaa", "Lösenordet är för lätt att gissa."),
    ):
        response = activate(client, token, weak)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in html
        assert 'id="new_password-error"' in html
        assert weak not in html
        assert token not in html
        for tag in re.findall(r'<input[^>]*type="password"[^>]*>', html):
            assert not re.search(r'value="[^"]', tag)
    response = activate(client, token, CHOSEN, confirm=CHOSEN + "!")
    assert "Lösenorden stämmer inte överens." in response.get_data(as_text=True)
    assert CHOSEN not in response.get_data(as_text=True)
    with app.app_context():
        assert services.find_user_by_email("ny@gavle.example").password_hash is None
    assert activate(client, token).status_code == 302, "the link still works after a refusal"


def test_link_of_deactivated_account_is_refused(app, client):
    """An account deactivated before activation cannot be activated."""
    token = new_account(app)
    with app.app_context():
        user = services.find_user_by_email("ny@gavle.example")
        user.active = False
        db.session.commit()
    assert_refused(client.get(f"/auth/activate/{token}"))


def test_activation_link_as_password_reset_ends_old_sessions(app, client):
    """A new link used to reset a forgotten password ends the user's existing sessions."""
    with app.app_context():
        user = make_user("anna@gavle.example")
        token = services.issue_activation(user)
        db.session.commit()
    login(client, "anna@gavle.example", PASSWORD)
    assert client.get("/home/officer").status_code == 200
    other = app.test_client()
    assert activate(other, token).status_code == 302
    assert client.get("/home/officer").status_code == 302
    assert login(other, "anna@gavle.example", PASSWORD).status_code == 200
    assert login(other, "anna@gavle.example", CHOSEN).status_code == 302


def test_activating_while_logged_in_as_someone_else_ends_that_session(app, client, auth):
    """Using a link while another person is logged in ends that person's session on the server."""
    from coordinator.auth.models import AuthSession

    with app.app_context():
        make_user("inloggad@gavle.example", roles=("officer",))
        newcomer = make_user("ny@gavle.example", roles=("officer",), password=None)
        token = services.issue_activation(newcomer)
        db.session.commit()
    auth.login("inloggad@gavle.example")
    response = activate(client, token, "en helt ny lång lösenordsfras")
    assert response.status_code == 302
    with app.app_context():
        live = db.session.execute(select(AuthSession).where(AuthSession.ended_at.is_(None))).scalars().all()
        assert live == []


def test_the_token_leaves_the_address_at_once(app, client):
    """Opening the link redirects to /auth/activate: the page, its form and any later
    request carry no token (so no log line, history entry or Referer after the first)."""
    token = new_account(app)
    response = client.get(f"/auth/activate/{token}")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/activate"
    page = client.get("/auth/activate").get_data(as_text=True)
    assert token not in page and "<h1>Välj lösenord</h1>" in page
    assert activate(client, token).status_code == 302


def test_the_form_without_an_opened_link_is_refused(app, client):
    new_account(app)
    assert_refused(client.get("/auth/activate"))
