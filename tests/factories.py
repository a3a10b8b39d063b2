"""``make_*`` factories: records made through the services, committed."""
import itertools
from datetime import date

from coordinator.auth import passwords, services
from coordinator.extensions import db

from .helpers import PASSWORD

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


def make_consultation(author, officer=None, **fields):
    """A consultation logged through the service (officer's request if ``officer``)."""
    from coordinator.consultations import services as consultations

    values = dict(
        sector="upper_secondary", area="hrv", person_count="1", genders=["girl_woman"],
        age_bands=["13-17"], hrv_forms=["control"], urgency="not_acute",
        situation="Eleven, 16 år, berättar om hårda regler i hemmet.",
        received_on=date(2018, 10, 3), channel="phone", status="new",
    )
    values.update(fields)
    data = consultations.CaseInput(**values)
    if officer is not None:
        consultation = consultations.request_advice(officer, data)
    else:
        consultation = consultations.log_consultation(author, data)
    db.session.commit()
    return consultation


def make_partner(user, name="Länsstyrelsen Gävleborg", kind="authority", **fields):
    """A partner made through the service, committed."""
    from coordinator.partners import services as partners

    partner = partners.create_partner(user, partners.PartnerInput(name=name, kind=kind, **fields))
    db.session.commit()
    return partner


def make_activity(user, **fields):
    """An activity made through the service (a planned training unless told), committed."""
    from coordinator.activities import services as activities

    values = dict(kind="training", area="hrv", title="Utbildning för skolledare om hedersrelaterat våld",
                  status="planned", held_on=date(2018, 11, 20))
    today = fields.pop("today", date(2018, 11, 1))
    values.update(fields)
    activity = activities.create_activity(user, activities.ActivityInput(**values), today=today)
    db.session.commit()
    return activity
