"""``make_*`` factories: records made through the services, committed."""
import itertools

from coordinator.auth import passwords, services
from coordinator.extensions import db

from .conftest import PASSWORD

_counter = itertools.count(1)


def make_user(email=None, roles=("officer",), password=PASSWORD, unit=None, active=True,
              name=None, must_change_password=False):
    n = next(_counter)
    email = email or f"user{n}@gavle.example"
    user, _token = services.create_user(email, name or f"Användare {n}", list(roles), unit)
    if password is not None:
        user.password_hash = passwords.hash_password(password)
    user.must_change_password = must_change_password
    user.active = active
    db.session.commit()
    return user
