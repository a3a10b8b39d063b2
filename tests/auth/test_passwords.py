"""Passwords: Argon2id hashes, the policy (length, common and guessable
passwords, no composition rules) and the change-password page."""
import re

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth import passwords, services
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, post_form

NEW = "gråsuggan simmar i ån"
TOO_SHORT = "Lösenordet måste ha minst 12 tecken."
TOO_LONG = "Lösenordet får ha högst 128 tecken."
COMMON = "Lösenordet finns på listan över vanliga lösenord. Välj ett annat."
GUESSABLE = "Lösenordet är för lätt att gissa."


def login(client, email, password=PASSWORD):
    return post_form(client, "/auth/login", {"email": email, "password": password})


def stored_hash(app, email):
    with app.app_context():
        return services.find_user_by_email(email).password_hash


def change(client, current, new, confirm=None):
    return post_form(client, "/auth/password", {
        "current_password": current, "new_password": new,
        "confirm": new if confirm is None else confirm,
    })


# Hashing ---------------------------------------------------------------------------

def test_hash_is_argon2id_and_verifies(ctx):
    """hash_password makes an Argon2id hash that verifies the password and nothing else."""
    hashed = passwords.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert passwords.verify_password(hashed, PASSWORD)
    assert not passwords.verify_password(hashed, PASSWORD + " ")
    assert not passwords.verify_password(hashed, "")
    assert not passwords.verify_password("not a hash", PASSWORD)
    assert not passwords.verify_password(None, PASSWORD)
    assert passwords.hash_password(PASSWORD) != hashed, "each hash has its own salt"


def test_default_hash_parameters_are_the_libraries_recommended(app_factory):
    """Without the test override the hash uses argon2-cffi's recommended (RFC 9106) parameters."""
    from argon2 import PasswordHasher

    app = app_factory(PASSWORD_HASH_PARAMETERS=None)
    with app.app_context():
        hashed = passwords.hash_password("x" * 12)
    reference = PasswordHasher()
    assert hashed.startswith("$argon2id$")
    assert f"m={reference.memory_cost},t={reference.time_cost},p={reference.parallelism}" in hashed


def test_weaker_hash_is_upgraded_at_login(app_factory):
    """A hash made with other parameters is replaced at the next successful login."""
    app = app_factory(PASSWORD_HASH_PARAMETERS={"time_cost": 2, "memory_cost": 2048, "parallelism": 1})
    cheap = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    with app.app_context():
        user = make_user("anna@gavle.example", password=None)
        app.config["PASSWORD_HASH_PARAMETERS"] = cheap
        user.password_hash = passwords.hash_password(PASSWORD)
        app.config["PASSWORD_HASH_PARAMETERS"] = {"time_cost": 2, "memory_cost": 2048, "parallelism": 1}
        db.session.commit()
    assert "m=1024,t=1,p=1" in stored_hash(app, "anna@gavle.example")
    client = app.test_client()
    assert login(client, "anna@gavle.example").status_code == 302
    upgraded = stored_hash(app, "anna@gavle.example")
    assert upgraded.startswith("$argon2id$") and "m=2048,t=2,p=1" in upgraded
    client2 = app.test_client()
    assert login(client2, "anna@gavle.example").status_code == 302


def test_password_set_through_the_web_is_stored_as_argon2id(app, client):
    """The hash a password change stores is Argon2id and never the password."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    assert change(client, PASSWORD, NEW).status_code == 302
    hashed = stored_hash(app, "anna@gavle.example")
    assert hashed.startswith("$argon2id$")
    assert NEW not in hashed
    with app.app_context():
        assert passwords.verify_password(hashed, NEW)


# Policy ----------------------------------------------------------------------------

@pytest.mark.parametrize("length, problem", [
    (11, TOO_SHORT), (12, None), (72, None), (73, None), (128, None), (129, TOO_LONG),
])
def test_length_limits(ctx, length, problem):
    """Between 12 and 128 characters (counted as characters, not bytes) is allowed,
    including beyond zxcvbn's own default limit of 72."""
    phrase = "kvarnö7 lyse över ängen där tranorna dansar i gryningen medan dimman lättar "
    candidate = (phrase * 2)[:length]  # hard to guess, with non-ASCII letters
    assert len(candidate) == length
    found = passwords.password_problems(candidate)
    assert found == ([problem] if problem else [])


def test_common_passwords_are_refused(ctx):
    """Passwords on zxcvbn's common list are refused whatever their case."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    common = FREQUENCY_LISTS["passwords"]
    for candidate in ("password1234", "qwerty123456", "leavemealone"):
        assert candidate in common, candidate  # the test relies on the list
        assert len(candidate) >= 12
        assert passwords.password_problems(candidate) == [COMMON]
    assert passwords.password_problems("Password1234") == [COMMON]
    assert passwords.password_problems("QWERTY123456") == [COMMON]


@pytest.mark.parametrize("candidate", ["aaaaaaaaaaaaaaaa", "abcdefghijklmnop", "1234567890123"])
def test_easily_guessed_passwords_are_refused(ctx, candidate):
    """Patterns zxcvbn rates as easy (repeats, sequences) are refused although long enough."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    assert candidate not in FREQUENCY_LISTS["passwords"]  # so the guessability check is what refuses it
    problems = passwords.password_problems(candidate)
    assert len(problems) == 1
    assert problems[0].startswith(GUESSABLE)


def test_password_made_of_the_users_name_is_refused(ctx):
    """The user's own e-mail and name count as easy to guess."""
    inputs = ("karin.lindqvist@gavle.se", "Karin Lindqvist")
    assert passwords.password_problems("karinlindqvist", inputs)[0].startswith(GUESSABLE)
    assert passwords.password_problems("karinlindqvist") == [], "without the name it is acceptable"


@pytest.mark.parametrize("candidate", [
    "korrekt häst batteri häftstift",
    "sommarstugan vid sjön är röd",
    "gråsuggan simmar i ån",
])
def test_no_composition_rules(ctx, candidate):
    """A long lower-case passphrase without digits or symbols is accepted."""
    assert candidate == candidate.lower() and not any(ch.isdigit() for ch in candidate)
    assert passwords.password_problems(candidate) == []


def test_very_long_passphrase_accepted_on_the_web(app, client):
    """A 100-character passphrase (beyond zxcvbn's default limit of 72) can be chosen."""
    long_phrase = ("ugglan hoar över den frusna mossen medan " * 3)[:100]
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    response = change(client, PASSWORD, long_phrase)
    assert response.status_code == 302
    post_form(client, "/auth/logout")
    assert login(client, "anna@gavle.example", long_phrase).status_code == 302


# The change-password page ------------------------------------------------------------

def test_change_password_page_asks_for_current_password(app, client):
    """The page has fields for the current, the new and the repeated password."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    html = client.get("/auth/password").get_data(as_text=True)
    for name in ("current_password", "new_password", "confirm"):
        assert re.search(rf'<input[^>]*name="{name}"[^>]*type="password"', html), name
    assert "Nuvarande lösenord" in html


def _password_inputs_are_empty(html):
    inputs = re.findall(r'<input[^>]*type="password"[^>]*>', html)
    assert len(inputs) == 3
    return all(not re.search(r'value="[^"]', tag) for tag in inputs)


def test_wrong_current_password_is_a_field_error(app, client):
    """A wrong current password gives a Swedish error on that field, echoes no
    password and changes nothing."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    before = stored_hash(app, "anna@gavle.example")
    response = change(client, "inte-mitt-lösenord-alls", NEW)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det nuvarande lösenordet stämmer inte." in html
    assert 'id="current_password-error"' in html
    assert 'aria-invalid="true"' in html
    assert "inte-mitt-lösenord-alls" not in html
    assert NEW not in html
    assert _password_inputs_are_empty(html)
    assert stored_hash(app, "anna@gavle.example") == before
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert "user.password_change" not in actions


def test_repeated_password_must_match(app, client):
    """The new password must be typed twice alike."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    before = stored_hash(app, "anna@gavle.example")
    response = change(client, PASSWORD, NEW, confirm=NEW + "x")
    html = response.get_data(as_text=True)
    assert "Lösenorden stämmer inte överens." in html
    assert NEW not in html
    assert stored_hash(app, "anna@gavle.example") == before


@pytest.mark.parametrize("new, message", [
    ("kort", TOO_SHORT),
    ("password1234", COMMON),
    (PASSWORD, "Det nya lösenordet måste skilja sig från det nuvarande."),
])
def test_new_password_breaking_the_policy_is_a_field_error(app, client, new, message):
    """A new password that breaks the policy gives a Swedish error on the new-password field."""
    with app.app_context():
        make_user("anna@gavle.example")
    login(client, "anna@gavle.example")
    before = stored_hash(app, "anna@gavle.example")
    response = change(client, PASSWORD, new)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'id="new_password-error"' in html
    assert _password_inputs_are_empty(html)
    assert stored_hash(app, "anna@gavle.example") == before


def test_successful_change(app, client):
    """Success: the new password works, the old does not, an audit event is written,
    the other sessions end and the current one continues."""
    with app.app_context():
        user_id = make_user("anna@gavle.example").id
    other = app.test_client()
    login(client, "anna@gavle.example")
    login(other, "anna@gavle.example")
    response = change(client, PASSWORD, NEW)
    assert response.status_code == 302
    page = client.get("/home/", follow_redirects=True)
    assert page.status_code == 200
    assert "Lösenordet är bytt." in page.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 200
    assert other.get("/auth/account").status_code == 302

    with app.app_context():
        (event,) = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "user.password_change")
        ).scalars().all()
        assert event.actor_id == user_id

    fresh = app.test_client()
    assert login(fresh, "anna@gavle.example", PASSWORD).status_code == 200
    assert login(fresh, "anna@gavle.example", NEW).status_code == 302


def test_a_password_with_ones_own_e_mail_address_is_refused(app):
    """The address, or the part before @, inside the password is refused with its own message."""
    from coordinator.auth.passwords import password_problems

    with app.test_request_context():
        for password in ("anna.berg@gavle.se är mitt hemliga lösen", "mitt långa lösen ANNA.BERG 2026 vår"):
            assert password_problems(password, ("anna.berg@gavle.se", "Anna Berg")) == [
                "Lösenordet får inte innehålla din e-postadress."], password
        assert password_problems("sommarstugan vid sjön är röd", ("anna.berg@gavle.se",)) == []
