"""Form data for the consultation tests (the cast of users is a top-level fixture)."""
from ..helpers import valid_personnummer  # noqa: F401  (re-exported for the tests here)

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
