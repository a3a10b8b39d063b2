"""Password hashing (Argon2id) and the password policy.

Policy (NIST SP 800-63B): 12 to 128 characters, no composition rules, and
refuse passwords found in zxcvbn's list of 30,000 common passwords or that
zxcvbn rates as easy to guess given the user's own e-mail and name.
"""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
_hashers = {}


def _hasher_pair():
    """(hasher, dummy hash): Argon2id with the library's recommended parameters,
    unless PASSWORD_HASH_PARAMETERS overrides them (the test suite uses cheap
    ones; a hash made with other parameters is upgraded at the next login).
    The dummy hash is verified against when an account does not exist, so that
    answer takes as long as a wrong password."""
    params = tuple(sorted((current_app.config.get("PASSWORD_HASH_PARAMETERS") or {}).items()))
    if params not in _hashers:
        hasher = PasswordHasher(**dict(params))
        _hashers[params] = (hasher, hasher.hash("not a real password, only for timing"))
    return _hashers[params]


def _hasher() -> PasswordHasher:
    return _hasher_pair()[0]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash, password: str) -> bool:
    if password_hash is None:
        _burn(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _burn(password):
    try:
        hasher, dummy = _hasher_pair()
        hasher.verify(dummy, password)
    except VerificationError:
        pass


def needs_rehash(password_hash) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def password_problems(password: str, user_inputs=()) -> list[str]:
    """Swedish reasons the password is refused; empty when it is acceptable."""
    low = current_app.config["PASSWORD_MIN_LENGTH"]
    high = current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password) < low:
        return [_("Lösenordet måste ha minst %(n)d tecken.", n=low)]
    if len(password) > high:
        return [_("Lösenordet får ha högst %(n)d tecken.", n=high)]
    if password.lower() in _COMMON or password.strip().lower() in _COMMON:
        return [_("Lösenordet finns på listan över vanliga lösenord. Välj ett annat.")]
    folded = password.casefold()
    for value in user_inputs:
        address = str(value or "").casefold()
        if "@" in address and (address in folded or len(address.split("@")[0]) >= 3 and address.split("@")[0] in folded):
            return [_("Lösenordet får inte innehålla din e-postadress.")]
    inputs = [part for value in user_inputs if value for part in str(value).replace("@", " ").split()]
    # zxcvbn refuses (ValueError) passwords over 72 characters unless told the limit.
    if zxcvbn(password, user_inputs=inputs, max_length=high)["score"] < 3:
        return [
            _(
                "Lösenordet är för lätt att gissa. Använd gärna en mening eller flera "
                "ord som inte hör ihop."
            )
        ]
    return []
