"""Login throttling: per account (5 failures per 15 minutes) and per remote
address (20 per 15 minutes), with the memory storage and with Redis."""
import secrets
from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from tests.conftest import REDIS_URL, require
from tests.factories import make_user
from tests.helpers import PASSWORD, csrf_token, post_form

WRONG = "fel-lösenord-igen-42"
START = datetime(2025, 6, 2, 8, 0, tzinfo=timezone.utc)
THROTTLED = "För många misslyckade inloggningsförsök."


def attempt(client, email, password=WRONG, addr="127.0.0.1", headers=None):
    token = csrf_token(client, "/auth/login")
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": addr}, headers=headers or {})


def fail(client, email, times, addr="127.0.0.1"):
    for n in range(times):
        response = attempt(client, email, addr=addr)
        assert response.status_code == 200, f"attempt {n + 1} was not an ordinary failure"


def assert_throttled(response, email):
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert THROTTLED in html
    assert "Vänta 15 minuter och försök igen." in html
    assert 'name="email"' in html and f'value="{email}"' in html, "the typed e-mail is kept"
    assert PASSWORD not in html and WRONG not in html


def test_sixth_try_is_refused_even_with_the_right_password(app, client):
    """After 5 failed logins for one account, the 6th try gets 429 with a Swedish
    message and the e-mail kept, even with the right password; nobody is logged in."""
    with app.app_context():
        make_user("anna@gavle.example")
    fail(client, "anna@gavle.example", 5)
    response = attempt(client, "anna@gavle.example", PASSWORD)
    assert_throttled(response, "anna@gavle.example")
    assert client.get("/home/officer").status_code == 302


def test_account_limit_counts_case_insensitively(app, client):
    """The per-account counter is keyed on the normalised e-mail."""
    with app.app_context():
        make_user("anna@gavle.example")
    for email in ("anna@gavle.example", "ANNA@gavle.example", " Anna@Gavle.Example ",
                  "anna@GAVLE.EXAMPLE", "aNNa@gavle.example"):
        assert attempt(client, email).status_code == 200
    assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 429


def test_per_account_limit_does_not_block_other_accounts(app, client):
    """Another account from the same address is not affected by one account's limit."""
    with app.app_context():
        make_user("anna@gavle.example")
        make_user("bo@gavle.example")
    fail(client, "anna@gavle.example", 5)
    assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 429
    assert attempt(client, "bo@gavle.example", PASSWORD).status_code == 302


def test_per_account_limit_applies_from_every_address(app, client):
    """Spreading the guesses over addresses does not escape the account-wide limit (30 failures)."""
    with app.app_context():
        make_user("anna@gavle.example")
    for n in range(30):
        assert attempt(client, "anna@gavle.example", addr=f"192.0.2.{n + 1}").status_code == 200
    response = attempt(client, "anna@gavle.example", PASSWORD, addr="198.51.100.9")
    assert_throttled(response, "anna@gavle.example")


def test_per_address_limit_blocks_other_accounts(app, client):
    """After 20 failures from one address, every account is refused from that
    address, while other addresses can still log in."""
    with app.app_context():
        make_user("anna@gavle.example")
    for n in range(5):
        fail(client, f"gissning{n}@gavle.example", 4, addr="203.0.113.7")
    response = attempt(client, "anna@gavle.example", PASSWORD, addr="203.0.113.7")
    assert_throttled(response, "anna@gavle.example")
    other = app.test_client()
    assert attempt(other, "anna@gavle.example", PASSWORD, addr="203.0.113.8").status_code == 302


def test_forwarded_for_header_does_not_escape_address_limit(app, client):
    """Without a configured proxy, X-Forwarded-For is ignored by the address limit."""
    with app.app_context():
        make_user("anna@gavle.example")
    for n in range(20):
        response = attempt(client, f"gissning{n % 5}@gavle.example", addr="203.0.113.7",
                           headers={"X-Forwarded-For": f"198.51.100.{n}"})
        assert response.status_code == 200
    response = attempt(client, "anna@gavle.example", PASSWORD, addr="203.0.113.7",
                       headers={"X-Forwarded-For": "198.51.100.200"})
    assert response.status_code == 429


def test_successful_logins_and_page_views_do_not_count(app, client):
    """Only failed attempts count: many page views and successful logins never throttle."""
    with app.app_context():
        make_user("anna@gavle.example")
    for _ in range(25):
        assert client.get("/auth/login").status_code == 200
    for _ in range(6):
        assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 302
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/account")})
    fail(client, "anna@gavle.example", 4)
    assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 302


def test_login_works_again_after_the_window(app, client):
    """The lock lasts one window: 16 minutes later the right password logs in."""
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "anna@gavle.example", 5)
        assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 302
        assert client.get("/home/officer").status_code == 200


def test_tries_during_the_lock_do_not_prolong_it(app, client):
    """Refused tries while locked do not extend the lock: it ends 15 minutes after it began."""
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, "anna@gavle.example", 5)
        for _ in range(3):
            traveller.shift(timedelta(minutes=4))
            assert attempt(client, "anna@gavle.example").status_code == 429
        traveller.move_to(START + timedelta(minutes=15, seconds=1))
        assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 302


def test_address_limit_ends_after_the_window(app, client):
    """The per-address lock also ends after the window."""
    with app.app_context():
        make_user("anna@gavle.example")
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(5):
            fail(client, f"gissning{n}@gavle.example", 4, addr="203.0.113.7")
        assert attempt(client, "anna@gavle.example", PASSWORD, addr="203.0.113.7").status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert attempt(client, "anna@gavle.example", PASSWORD, addr="203.0.113.7").status_code == 302


def test_limits_are_configurable(app_factory):
    """LOGIN_LIMIT_PER_ACCOUNT sets the per-account limit."""
    app = app_factory(LOGIN_LIMIT_PER_ACCOUNT="2 per 15 minutes")
    client = app.test_client()
    with app.app_context():
        make_user("anna@gavle.example")
    fail(client, "anna@gavle.example", 2)
    assert attempt(client, "anna@gavle.example", PASSWORD).status_code == 429


def test_per_account_limit_with_redis(app_factory):
    """The same per-account limit works with the Redis storage, and a second
    application server using the same Redis sees the same count."""
    require("redis")
    prefix = "test-redis-" + secrets.token_hex(8)
    app = app_factory(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    (limiter,) = app.extensions["limiter"]
    assert type(limiter.storage).__name__ == "RedisStorage"
    # Unique per run: counters in Redis outlive the test (time_machine cannot move Redis's clock).
    email = f"redis-{secrets.token_hex(6)}@gavle.example"
    addr = "10.{}.{}.{}".format(*secrets.token_bytes(3))
    with app.app_context():
        make_user(email)
    client = app.test_client()
    fail(client, email, 5, addr=addr)
    response = attempt(client, email, PASSWORD, addr=addr)
    assert_throttled(response, email)

    second_server = app_factory(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    (second_limiter,) = second_server.extensions["limiter"]
    assert type(second_limiter.storage).__name__ == "RedisStorage"
    other = second_server.test_client()
    assert attempt(other, email, PASSWORD, addr=addr).status_code == 429


def test_attempts_are_counted_before_the_password_is_checked(app):
    """Parallel guesses cannot slip through: each attempt is counted as it starts, so the
    sixth concurrent attempt is refused even before any of the first five has failed."""
    from coordinator.auth import throttling

    with app.test_request_context():
        for _ in range(5):
            throttling.before_login("mal@gavle.example", "198.51.100.9")
        with pytest.raises(throttling.Throttled):
            throttling.before_login("mal@gavle.example", "198.51.100.9")
        throttling.after_successful_login("mal@gavle.example", "198.51.100.9")
        throttling.before_login("mal@gavle.example", "198.51.100.9")  # a success clears the count


def test_change_password_guesses_are_limited(app, client):
    """The current-password check on the change-password page is limited per account (429, Swedish)."""
    with app.app_context():
        make_user("gissa@gavle.example")
    post_form(client, "/auth/login", {"email": "gissa@gavle.example", "password": PASSWORD})
    new = "en alldeles ny lösenordsfras"
    for _ in range(10):
        response = post_form(client, "/auth/password",
                             {"current_password": "fel fel fel fel", "new_password": new, "confirm": new})
        assert response.status_code == 200
    response = post_form(client, "/auth/password",
                         {"current_password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 429
    assert "För många försök" in response.get_data(as_text=True)


def test_throttled_attempts_are_audited(app, client):
    """A refused (throttled) login attempt is written to the audit trail despite the 429."""
    from sqlalchemy import select

    from coordinator.audit.models import AuditEvent
    from coordinator.extensions import db

    with app.app_context():
        make_user("spärrad@gavle.example")
    for _ in range(5):
        post_form(client, "/auth/login", {"email": "spärrad@gavle.example", "password": "fel lösenord helt"})
    response = post_form(client, "/auth/login", {"email": "spärrad@gavle.example", "password": PASSWORD})
    assert response.status_code == 429
    with app.app_context():
        details = db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "auth.login_failed")).scalars().all()
    assert details == ["bad_password"] * 5 + ["throttled"]


def test_an_attacker_elsewhere_cannot_lock_the_user_out(app, client):
    """Failures from one address block that address for the account, not the real user at another."""
    with app.app_context():
        make_user("offer@gavle.example")
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(6):
        response = post_form(client, "/auth/login", {"email": "offer@gavle.example", "password": "gissning gissning"},
                             environ_base=attacker)
    assert response.status_code == 429
    user_client = app.test_client()
    response = post_form(user_client, "/auth/login", {"email": "offer@gavle.example", "password": PASSWORD},
                         environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert response.status_code == 302


def test_guessing_spread_over_many_addresses_is_bounded(app_factory):
    """Failures for one account from many addresses hit the account-wide limit."""
    app = app_factory(LOGIN_LIMIT_PER_ACCOUNT_ALL="8 per 15 minutes")
    with app.app_context():
        make_user("mål@gavle.example")
    client = app.test_client()
    statuses = []
    for n in range(10):
        response = post_form(client, "/auth/login", {"email": "mål@gavle.example", "password": "fel fel fel fel"},
                             environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"})
        statuses.append(response.status_code)
    assert statuses[:8] == [200] * 8 and statuses[8:] == [429, 429]
