"""Actors for the consultation tests: two officers, the coordinator, an editor, an admin."""
from dataclasses import dataclass

import pytest

from ..factories import make_consultation, make_user


@dataclass
class Cast:
    officer_a: object
    officer_b: object
    coordinator: object
    editor: object
    admin: object
    request_a: object  # officer A's request


@pytest.fixture
def cast(app):
    with app.app_context():
        officer_a = make_user("a@gavle.example", roles=("officer",), unit="Elevhälsan, gymnasiet")
        officer_b = make_user("b@gavle.example", roles=("officer",), unit="Socialtjänst, barn och unga")
        coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
        editor = make_user("redaktor@gavle.example", roles=("editor",))
        admin = make_user("admin@gavle.example", roles=("admin",))
        request_a = make_consultation(None, officer=officer_a)
        return Cast(officer_a.email, officer_b.email, coordinator.email, editor.email, admin.email,
                    request_a.uuid)


def valid_personnummer(yymmdd="050314", serial="123"):
    """A personnummer with a correct check digit (Luhn), e.g. '050314-1234'."""
    digits = yymmdd + serial
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return f"{yymmdd}-{serial}{(10 - total % 10) % 10}"


REQUEST_FORM = {
    "sector": "upper_secondary",
    "area": "hrv",
    "person_count": "1",
    "genders": "girl_woman",
    "age_bands": "13-17",
    "hrv_forms": "control",
    "urgency": "not_acute",
    "situation": "Eleven, 16 år, berättar att hon inte får vara med på aktiviteter efter skolan.",
}

CONSULTATION_FORM = dict(
    REQUEST_FORM,
    received_on="2018-10-03",
    channel="phone",
    status="ongoing",
    advice="Gör en orosanmälan och kontakta socialtjänsten.",
    advice_given="report_recommended",
    referred_to="Länsstyrelsen Gävleborg",
    minutes_spent="30",
    follow_up_on="2018-10-17",
)
