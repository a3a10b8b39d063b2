"""Login throttling on Flask-Limiter's storage (memory, or Redis shared by all servers).

Per account, from one address: every attempt is counted atomically *before*
the password is checked, so parallel guesses cannot slip past the limit; a
successful login clears the count. Keyed by account *and* address, so an
attacker elsewhere cannot lock the real user out by failing on purpose.
Per account from all addresses: a higher limit bounds guessing spread over
many addresses. Per remote address: only failures count (a municipal network
behind one NAT address logs in many people each morning). A refusal lasts
until the window has passed.
"""
from flask import current_app
from limits import parse

from ..extensions import limiter


class Throttled(Exception):
    """Too many attempts: refused until the window has passed."""


def _limit(setting):
    return parse(current_app.config[setting])


def _key(kind, value):
    return (current_app.config["RATELIMIT_KEY_PREFIX"], kind, value or "-")


def before_login(email, address):
    """Refuse when a login limit is reached; count the attempt against the account."""
    strategy = limiter.limiter
    if not strategy.test(_limit("LOGIN_LIMIT_PER_ADDRESS"), *_key("login-address", address)):
        raise Throttled()
    if not strategy.test(_limit("LOGIN_LIMIT_PER_ACCOUNT_ALL"), *_key("login-account-all", email)):
        raise Throttled()
    if not strategy.hit(_limit("LOGIN_LIMIT_PER_ACCOUNT"), *_key("login-account", f"{email}|{address}")):
        raise Throttled()


def after_failed_login(email, address):
    limiter.limiter.hit(_limit("LOGIN_LIMIT_PER_ADDRESS"), *_key("login-address", address))
    limiter.limiter.hit(_limit("LOGIN_LIMIT_PER_ACCOUNT_ALL"), *_key("login-account-all", email))


def after_successful_login(email, address):
    limiter.limiter.clear(_limit("LOGIN_LIMIT_PER_ACCOUNT"), *_key("login-account", f"{email}|{address}"))


def before_password_check(user_id):
    """The change-password form asks for the current password: limit guesses per account."""
    if not limiter.limiter.hit(_limit("PASSWORD_CHANGE_LIMIT"), *_key("password-change", str(user_id))):
        raise Throttled()


def before_second_factor(user_id):
    """The code step after a right password: limit guesses per account (from any address)."""
    if not limiter.limiter.hit(_limit("TWO_FACTOR_LIMIT"), *_key("two-factor", str(user_id))):
        raise Throttled()


def after_second_factor(user_id):
    limiter.limiter.clear(_limit("TWO_FACTOR_LIMIT"), *_key("two-factor", str(user_id)))
