"""Demo accounts: a coordinator (unless there is one) and officers of six units."""
from sqlalchemy import select

from ..auth import services as accounts
from ..auth.models import User, UserRole
from ..extensions import db

NAME = "accounts"

OFFICERS = (
    dict(email="handlaggare.barn@demo.invalid", name="Handläggare barn och unga", unit="Socialtjänst, barn och unga"),
    dict(email="handlaggare.vuxen@demo.invalid", name="Handläggare vuxen", unit="Socialtjänst, vuxen"),
    dict(email="kurator.gymnasiet@demo.invalid", name="Kurator gymnasiet", unit="Elevhälsan, gymnasiet"),
    dict(email="rektor.grundskola@demo.invalid", name="Biträdande rektor", unit="Grundskola"),
    dict(email="forskolechef@demo.invalid", name="Förskolechef", unit="Förskola"),
    dict(email="fritidsledare@demo.invalid", name="Fritidsledare", unit="Fritidsgård"),
)
COORDINATOR = dict(email="samordnare@demo.invalid", name="Samordnaren (demo)")


def _first_coordinator():
    return db.session.execute(
        select(User).join(UserRole).where(UserRole.role == "coordinator").order_by(User.id).limit(1)
    ).scalar_one_or_none()


def is_loaded():
    return all(accounts.find_user_by_email(o["email"]) for o in OFFICERS) and _first_coordinator() is not None


def reuse(context):
    context.made["coordinator"] = _first_coordinator()
    context.made["officers"] = [accounts.find_user_by_email(o["email"]) for o in OFFICERS]


def load(context, count):
    created = 0
    coordinator = _first_coordinator()
    if coordinator is None:
        coordinator, _token = accounts.create_user(COORDINATOR["email"], COORDINATOR["name"], ["coordinator"])
        created += 1
    officers = []
    for officer in OFFICERS:
        user = accounts.find_user_by_email(officer["email"])
        if user is None:
            user, _token = accounts.create_user(officer["email"], officer["name"], ["officer"], officer["unit"])
            created += 1
        officers.append(user)
    context.made["coordinator"] = coordinator
    context.made["officers"] = officers
    return created
