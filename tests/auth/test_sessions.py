"""Server-side sessions: idle and absolute time-outs, logout, "log out
everywhere", and sessions ended by an admin."""
from datetime import datetime, timedelta, timezone

import time_machine
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth import services
from coordinator.auth.models import AuthSession
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, csrf_token, post_form

COOKIE = "coordinator_session"
START = datetime(2025, 3, 3, 7, 0, tzinfo=timezone.utc)
PAGE = "/home/officer"


def login(client, email):
    response = post_form(client, "/auth/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return response


def is_logged_in(client):
    """True when the client reaches a page that needs login; False when sent to the login page."""
    response = client.get(PAGE)
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    return False


def session_rows(app, email=None):
    with app.app_context():
        query = select(AuthSession).order_by(AuthSession.id)
        if email:
            query = query.where(AuthSession.user_id == services.find_user_by_email(email).id)
        rows = db.session.execute(query).scalars().all()
        db.session.expunge_all()
        return rows


def audit_actions(app):
    with app.app_context():
        return db.session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()


def copy_cookie(source, app):
    """A second browser holding a copy of ``source``'s session cookie."""
    clone = app.test_client()
    clone.set_cookie(COOKIE, source.get_cookie(COOKIE).value)
    return clone


def test_idle_timeout_ends_session(app, client):
    """A session unused for 30 minutes (the default) ends; 29 minutes is fine."""
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "anna@gavle.example")
        traveller.shift(timedelta(minutes=29, seconds=59))
        assert is_logged_in(client)
        traveller.shift(timedelta(minutes=30))
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")
        page = client.get(response.headers["Location"])
        assert "Din session har avslutats. Logga in igen." in page.get_data(as_text=True)
        # Ended for good, even if the clock were turned back.
        traveller.move_to(START + timedelta(minutes=31))
        assert not is_logged_in(client)
    (row,) = session_rows(app)
    assert row.end_reason == "idle_timeout"
    assert row.ended_at == START + timedelta(minutes=29, seconds=59) + timedelta(minutes=30)
    assert "auth.session_expired" in audit_actions(app)


def test_idle_timeout_is_configurable(app_factory):
    """SESSION_IDLE_MINUTES sets the idle time-out."""
    app = app_factory(SESSION_IDLE_MINUTES=10)
    client = app.test_client()
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "anna@gavle.example")
        traveller.shift(timedelta(minutes=9))
        assert is_logged_in(client)
        traveller.shift(timedelta(minutes=10))
        assert not is_logged_in(client)


def test_activity_keeps_session_alive_until_absolute_timeout(app, client):
    """Activity every 20 minutes keeps the session alive, but never beyond 12 hours."""
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 12
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "anna@gavle.example")
        for step in range(1, 36):  # 20, 40, ... 700 minutes: 11 h 40 min
            traveller.shift(timedelta(minutes=20))
            assert is_logged_in(client), f"logged out after {step * 20} minutes"
        traveller.move_to(START + timedelta(hours=12))
        assert not is_logged_in(client)
    (row,) = session_rows(app)
    assert row.end_reason == "absolute_timeout"
    assert row.ended_at == START + timedelta(hours=12)


def test_post_after_timeout_returns_to_a_page_not_to_the_action(app, client):
    """Pressing "Logga ut" after the session timed out leads to login, and the next
    login goes to the start page, not back to the POST-only action (which would be 405)."""
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "anna@gavle.example")
        token = csrf_token(client, "/auth/account")
        traveller.shift(timedelta(hours=1))
        response = client.post("/auth/logout", data={"csrf_token": token})
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location == "/auth/login"
        response = post_form(client, location, {"email": "anna@gavle.example", "password": PASSWORD})
        assert response.headers["Location"] == "/home/"
        # A GET page still brings the user back after login.
        traveller.shift(timedelta(hours=1))
        location = client.get("/auth/account").headers["Location"]
        response = post_form(client, location, {"email": "anna@gavle.example", "password": PASSWORD})
        assert response.headers["Location"] == "/auth/account"


def test_new_login_after_timeout_works(app, client):
    """After a time-out the user simply logs in again and gets a fresh session."""
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        login(client, "anna@gavle.example")
        traveller.shift(timedelta(hours=1))
        assert not is_logged_in(client)
        login(client, "anna@gavle.example")
        assert is_logged_in(client)
    assert [r.end_reason for r in session_rows(app)] == ["idle_timeout", None]


def test_logout_ends_session_on_server(app, client):
    """After logout, a copy of the old cookie no longer works (the session is ended on the server)."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    stolen = copy_cookie(client, app)
    assert is_logged_in(stolen), "a copied cookie works while the session lives"

    response = post_form(client, "/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Du är utloggad." in client.get("/auth/login").get_data(as_text=True)

    assert not is_logged_in(client)
    assert not is_logged_in(stolen)
    (row,) = session_rows(app)
    assert row.end_reason == "logout"
    assert row.ended_at is not None


def test_logout_requires_post(app, client):
    """Logging out by GET is not possible (a link or image cannot log someone out)."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    assert client.get("/auth/logout").status_code == 405
    assert is_logged_in(client)


def _sessions_table(page):
    """The table of live sessions on the account page."""
    return page.split("<h2>Aktiva sessioner</h2>", 1)[1].split("</table>", 1)[0]


def test_logout_everywhere_ends_all_sessions_of_the_user(app, client):
    """"Log out everywhere" ends every session of the user, and nobody else's."""
    with app.app_context():
        make_user("anna@gavle.example")
        make_user("bo@gavle.example")
    phone = app.test_client()
    other_user = app.test_client()
    login(client, "anna@gavle.example")
    login(phone, "anna@gavle.example")
    login(other_user, "bo@gavle.example")
    account = client.get("/auth/account").get_data(as_text=True)
    assert _sessions_table(account).count("<tr>") == 3  # header row and two sessions

    response = post_form(client, "/auth/logout-everywhere")
    assert response.headers["Location"] == "/auth/login"
    assert not is_logged_in(client)
    assert not is_logged_in(phone)
    assert is_logged_in(other_user)
    rows = session_rows(app, "anna@gavle.example")
    assert [r.end_reason for r in rows] == ["logout_everywhere", "logout_everywhere"]
    assert "user.sessions_ended" in audit_actions(app)


def test_admin_deactivation_ends_sessions(app, client):
    """Deactivating an account ends its sessions at once and blocks new logins."""
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
        target = make_user("anna@gavle.example")
        target_uuid = target.uuid
    user_client = app.test_client()
    login(user_client, "anna@gavle.example")
    login(client, "admin@gavle.example")

    response = post_form(client, f"/admin/users/{target_uuid}/deactivate")
    assert response.status_code == 302
    assert not is_logged_in(user_client)
    assert [r.end_reason for r in session_rows(app, "anna@gavle.example")] == ["deactivated"]
    response = post_form(user_client, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD})
    assert response.status_code == 200
    assert not is_logged_in(user_client)

    # Reactivation does not revive the old session, but allows a new login.
    post_form(client, f"/admin/users/{target_uuid}/reactivate")
    assert not is_logged_in(user_client)
    login(user_client, "anna@gavle.example")
    assert is_logged_in(user_client)


def test_admin_end_sessions(app, client):
    """An admin's "end sessions" logs the user out everywhere; the user may log in again."""
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
        target_uuid = make_user("anna@gavle.example").uuid
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "anna@gavle.example")
    login(phone, "anna@gavle.example")
    login(client, "admin@gavle.example")

    response = post_form(client, f"/admin/users/{target_uuid}/end-sessions")
    assert response.status_code == 302
    assert "Användarens alla sessioner är avslutade." in client.get("/admin/users").get_data(as_text=True)
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert client.get("/admin/users").status_code == 200, "the admin's own session is untouched"
    assert [r.end_reason for r in session_rows(app, "anna@gavle.example")] == ["admin", "admin"]
    login(laptop, "anna@gavle.example")
    assert is_logged_in(laptop)


def test_password_change_ends_the_other_sessions(app, client):
    """Changing the password ends every earlier session; the current browser stays logged in
    on a new session with a new id."""
    with app.app_context():
        make_user("anna@gavle.example")
    other = app.test_client()
    login(client, "anna@gavle.example")
    login(other, "anna@gavle.example")
    new = "gråsuggan simmar i ån"
    with client.session_transaction() as cookie:
        sid_before = cookie["sid"]
    response = post_form(client, "/auth/password",
                         {"current_password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other)
    with client.session_transaction() as cookie:
        assert cookie["sid"] != sid_before
    assert sorted(r.end_reason or "live" for r in session_rows(app)) == ["live", "password_changed", "password_changed"]


def test_session_of_deactivated_user_is_not_resolved(app, ctx):
    """A live session row of a deactivated account does not resolve (defence in depth)."""
    user = make_user("anna@gavle.example")
    token = services.start_session(user)
    db.session.commit()
    assert services.resolve_session(token) is not None
    user.active = False
    db.session.commit()
    assert services.resolve_session(token) is None
    assert services.resolve_session("not-a-token") is None
    assert services.resolve_session(None) is None
