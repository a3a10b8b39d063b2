"""Two-factor login: set up with a QR code and a code, the code step after the password,
single-use codes and recovery codes, throttling, removal, and an admin's reset."""
import re

import pyotp
import pytest
from sqlalchemy import select

from coordinator import config as default_config
from coordinator.audit.models import AuditEvent
from coordinator.auth import two_factor
from coordinator.auth.models import RecoveryCode, User
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, csrf_token, post_form

COORDINATOR = "samordnare@gavle.example"
SECRET_RE = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
CODE_RE = re.compile(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>")


@pytest.fixture
def app(app_factory):
    """The application with the default rule: admin and coordinator need a second factor."""
    return app_factory(TWO_FACTOR_ROLES=list(default_config.TWO_FACTOR_ROLES))


def login(client, email=COORDINATOR, password=PASSWORD, url="/auth/login"):
    return post_form(client, url, {"email": email, "password": password})


def user(app, email=COORDINATOR):
    with app.app_context():
        found = db.session.execute(select(User).where(User.email == email)).scalar_one()
        db.session.expunge(found)
        return found


def actions(app, action):
    with app.app_context():
        return db.session.execute(select(AuditEvent.action).where(AuditEvent.action == action)).scalars().all()


def secret_of(app, email=COORDINATOR):
    with app.app_context():
        return db.session.execute(select(User).where(User.email == email)).scalar_one().totp_secret


def enrol(app, client, email=COORDINATOR):
    """Log in with the password, set up the second factor through the pages; returns
    (secret, recovery codes)."""
    login(client, email)
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = SECRET_RE.search(page).group(1).replace(" ", "")
    response = post_form(client, "/auth/two-factor/setup", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD},
                         )
    assert response.status_code == 200
    codes = CODE_RE.findall(response.get_data(as_text=True))
    post_form(client, "/auth/logout")
    return secret, codes


def next_code(secret, ahead=1):
    """The code of a later time step (accepted within the allowed drift, never used yet)."""
    totp = pyotp.TOTP(secret)
    return totp.at(totp.timecode(two_factor.utcnow()) * totp.interval + ahead * totp.interval)


def test_the_default_makes_it_mandatory_for_admin_and_coordinator():
    assert set(default_config.TWO_FACTOR_ROLES) == {"admin", "coordinator"}


def test_a_coordinator_without_a_second_factor_is_sent_to_set_one_up(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    login(client)
    for page in ("/consultations/", "/home/coordinator", "/bulletin/"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"].endswith("/auth/two-factor/setup")
    setup = client.get("/auth/two-factor/setup")
    html = setup.get_data(as_text=True)
    assert setup.status_code == 200
    qr = html[html.index('<div class="qr-code">'):html.index("</svg>")]
    assert "<svg" in qr and "script" not in qr and "href" not in qr  # drawn on the server, nothing fetched
    assert SECRET_RE.search(html)
    assert setup.headers["Cache-Control"] == "no-store"
    # A reload shows the same secret (the app may already hold it).
    assert SECRET_RE.search(client.get("/auth/two-factor/setup").get_data(as_text=True)).group(1) == \
        SECRET_RE.search(html).group(1)


def test_an_officer_is_not_asked(app, client):
    with app.app_context():
        make_user("a@gavle.example", roles=("officer",))
    login(client, "a@gavle.example")
    assert client.get("/home/officer").status_code == 200


def test_setting_up_needs_a_right_code_and_the_password(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    login(client)
    html = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = SECRET_RE.search(html).group(1).replace(" ", "")
    wrong_code = post_form(client, "/auth/two-factor/setup", {"code": "000000", "password": PASSWORD})
    assert wrong_code.status_code == 200 and "Koden stämmer inte" in wrong_code.get_data(as_text=True)
    wrong_password = post_form(client, "/auth/two-factor/setup",
                               {"code": pyotp.TOTP(secret).now(), "password": "fel lösenord här"})
    assert "Lösenordet stämmer inte" in wrong_password.get_data(as_text=True)
    nonsense = post_form(client, "/auth/two-factor/setup", {"code": "x" * 41, "password": PASSWORD})
    assert nonsense.status_code == 200 and "Högst 40 tecken" in nonsense.get_data(as_text=True)
    assert user(app).totp_enabled_at is None

    done = post_form(client, "/auth/two-factor/setup", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    codes = CODE_RE.findall(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert user(app).totp_enabled_at is not None
    assert client.get("/consultations/").status_code == 200
    assert actions(app, "user.two_factor_enabled") == ["user.two_factor_enabled"]
    with app.app_context():
        stored = db.session.execute(select(RecoveryCode.code_hash)).scalars().all()
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & set(stored)  # hashes only


def test_login_asks_for_the_code_after_the_password(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    secret, _codes = enrol(app, client)
    response = post_form(client, "/auth/login?next=/bulletin/", {"email": COORDINATOR, "password": PASSWORD})
    assert response.headers["Location"].endswith("/auth/two-factor")
    # The password alone is no login.
    assert client.get("/consultations/").headers["Location"].startswith("/auth/login")
    page = client.get("/auth/two-factor")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.get_data(as_text=True)
    wrong = post_form(client, "/auth/two-factor", {"code": "123456"}, )
    assert wrong.status_code == 200 and "Koden stämmer inte" in wrong.get_data(as_text=True)
    right = post_form(client, "/auth/two-factor", {"code": next_code(secret)})
    assert right.status_code == 302 and right.headers["Location"] == "/bulletin/"
    assert client.get("/consultations/").status_code == 200
    assert actions(app, "auth.two_factor_failed") == ["auth.two_factor_failed"]


def test_a_code_is_accepted_only_once(app, client, app_factory):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    secret, _codes = enrol(app, client)
    code = next_code(secret)
    login(client)
    assert post_form(client, "/auth/two-factor", {"code": code}).status_code == 302
    post_form(client, "/auth/logout")
    other = app.test_client()
    login(other)
    replay = post_form(other, "/auth/two-factor", {"code": code})
    assert replay.status_code == 200 and "redan använd" in replay.get_data(as_text=True)
    assert actions(app, "auth.two_factor_replay") == ["auth.two_factor_replay"]


def test_a_recovery_code_works_once(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    _secret, codes = enrol(app, client)
    login(client)
    assert post_form(client, "/auth/two-factor", {"code": codes[0].upper().replace("-", " ")}).status_code == 302
    assert "9 oanvända reservkoder" in client.get("/auth/account").get_data(as_text=True)
    post_form(client, "/auth/logout")
    login(client)
    again = post_form(client, "/auth/two-factor", {"code": codes[0]})
    assert again.status_code == 200 and "Koden stämmer inte" in again.get_data(as_text=True)
    assert actions(app, "auth.recovery_code_used") == ["auth.recovery_code_used"]


def test_wrong_codes_are_throttled(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    secret, _codes = enrol(app, client)
    login(client)
    for _n in range(5):
        assert post_form(client, "/auth/two-factor", {"code": "000000"}).status_code == 200
    refused = post_form(client, "/auth/two-factor", {"code": next_code(secret)})
    assert refused.status_code == 429
    assert "För många felaktiga koder" in refused.get_data(as_text=True)
    assert client.get("/consultations/").status_code == 302


def test_the_code_step_waits_only_a_while(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    secret, _codes = enrol(app, client)
    login(client)
    app.config["TWO_FACTOR_PENDING_SECONDS"] = -1
    late = post_form(client, "/auth/two-factor", {"code": next_code(secret), "csrf_token": csrf_token(client, "/auth/login")})
    assert late.status_code == 302 and late.headers["Location"].startswith("/auth/login")


def test_without_a_password_first_there_is_no_code_step(app, client):
    response = client.get("/auth/two-factor")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_a_coordinator_cannot_turn_it_off_an_officer_can(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
        make_user("a@gavle.example", roles=("officer",))
    enrol(app, client)
    coordinator_secret = secret_of(app)
    login(client)
    post_form(client, "/auth/two-factor", {"code": next_code(coordinator_secret)})
    token = csrf_token(client, "/auth/account")
    refused = client.post("/auth/two-factor/remove", data={"remove-csrf_token": token, "remove-password": PASSWORD},
                          follow_redirects=True)
    assert "Din roll kräver tvåstegsverifiering" in refused.get_data(as_text=True)
    assert user(app).totp_enabled_at is not None
    post_form(client, "/auth/logout")

    officer = app.test_client()
    login(officer, "a@gavle.example")
    secret = SECRET_RE.search(officer.get("/auth/two-factor/setup").get_data(as_text=True)).group(1).replace(" ", "")
    post_form(officer, "/auth/two-factor/setup", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    token = csrf_token(officer, "/auth/account")
    wrong = officer.post("/auth/two-factor/remove", data={"remove-csrf_token": token, "remove-password": "fel"},
                         follow_redirects=True)
    assert "Lösenordet stämmer inte" in wrong.get_data(as_text=True)
    off = officer.post("/auth/two-factor/remove", data={"remove-csrf_token": token, "remove-password": PASSWORD},
                       follow_redirects=True)
    assert "Tvåstegsverifieringen är avstängd" in off.get_data(as_text=True)
    assert user(app, "a@gavle.example").totp_enabled_at is None


def test_new_recovery_codes_replace_the_old(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    secret, old = enrol(app, client)
    login(client)
    post_form(client, "/auth/two-factor", {"code": next_code(secret)})
    token = csrf_token(client, "/auth/account")
    page = client.post("/auth/two-factor/recovery-codes",
                       data={"recovery-csrf_token": token, "recovery-password": PASSWORD})
    new = CODE_RE.findall(page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    post_form(client, "/auth/logout")
    login(client)
    assert post_form(client, "/auth/two-factor", {"code": old[1]}).status_code == 200  # refused
    assert post_form(client, "/auth/two-factor", {"code": new[1]}).status_code == 302


def test_an_admin_resets_a_lost_second_factor(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
        make_user("admin@gavle.example", roles=("admin",))
    enrol(app, client)
    coordinator_client = app.test_client()
    login(coordinator_client)
    secret = secret_of(app)
    post_form(coordinator_client, "/auth/two-factor", {"code": next_code(secret)})
    assert coordinator_client.get("/consultations/").status_code == 200

    admin_secret, _codes = enrol(app, client, "admin@gavle.example")
    login(client, "admin@gavle.example")
    post_form(client, "/auth/two-factor", {"code": next_code(admin_secret)})
    target = user(app)
    response = post_form(client, f"/admin/users/{target.uuid}/two-factor/reset", follow_redirects=True)
    assert "Tvåstegsverifieringen är återställd" in response.get_data(as_text=True)
    assert user(app).totp_enabled_at is None and secret_of(app) is None
    assert actions(app, "user.two_factor_reset") == ["user.two_factor_reset"]
    # The coordinator's session ended; the next login sets the second factor up again.
    assert coordinator_client.get("/consultations/").status_code == 302
    login(coordinator_client)
    assert coordinator_client.get("/consultations/").headers["Location"].endswith("/auth/two-factor/setup")
    # Not one's own.
    own = post_form(client, f"/admin/users/{user(app, 'admin@gavle.example').uuid}/two-factor/reset",
                    follow_redirects=True)
    assert "Du kan inte återställa din egen" in own.get_data(as_text=True)


def test_a_one_time_password_is_changed_first_then_the_second_factor_set_up(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",), must_change_password=True)
    login(client)
    assert client.get("/consultations/").headers["Location"].endswith("/auth/password")
    changed = post_form(client, "/auth/password", {"current_password": PASSWORD, "new_password": "ett helt nytt lösenord 42",
                                                  "confirm": "ett helt nytt lösenord 42"})
    assert changed.status_code == 302
    assert client.get("/consultations/").headers["Location"].endswith("/auth/two-factor/setup")


def test_guessing_the_password_on_the_setup_page_is_limited(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    login(client)
    html = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = SECRET_RE.search(html).group(1).replace(" ", "")
    for n in range(10):
        page = post_form(client, "/auth/two-factor/setup", {"code": "000000", "password": f"gissning nummer {n}"})
        assert "Lösenordet stämmer inte" in page.get_data(as_text=True)
    refused = post_form(client, "/auth/two-factor/setup", {"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    assert "För många försök" in refused.get_data(as_text=True)
    assert user(app).totp_enabled_at is None


def test_the_setup_page_offers_no_navigation_until_done(app, client):
    with app.app_context():
        make_user(COORDINATOR, roles=("coordinator",))
    login(client)
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert 'href="/consultations/"' not in page and "Logga ut" in page
