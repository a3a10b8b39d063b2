"""A fixture register for the bulletin tests: October 2018, small enough to read."""
from datetime import date

import pytest

from ..factories import make_activity, make_consultation, make_partner, make_user

PERIOD = (date(2018, 10, 1), date(2018, 10, 31))


def fill_register():
    """Nine consultations in October 2018 (one a follow-up), a done training, a done network
    meeting, a planned further training; returns the coordinator."""
    coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
    county = make_partner(coordinator, name="Länsstyrelsen Gävleborg")
    first = None
    for n in range(6):
        consultation = make_consultation(
            coordinator, area="hrv", sector="upper_secondary" if n < 4 else "social_children",
            hrv_forms=["control", "psychological"] if n < 5 else ["forced_marriage"],
            age_bands=["13-17"] if n < 5 else ["18-25"], person_count="1" if n < 5 else "2-3",
            received_on=date(2018, 10, 2 + n), status="closed",
            advice_given=["report_recommended"] if n < 5 else ["referral"],
            referred_to_partner=str(county.uuid) if n < 5 else None)
        first = first or consultation
    for n in range(3):
        make_consultation(coordinator, area="vbe", sector="social_children" if n < 2 else "police", hrv_forms=[],
                          vbe_concerns=["radicalisation"], age_bands=["13-17"], received_on=date(2018, 10, 20 + n),
                          follows_up_number=first.id if n == 2 else None, status="closed")
    make_consultation(coordinator, received_on=date(2018, 9, 12), status="closed")  # the month before
    make_activity(coordinator, title="Utbildning för skolledare", held_on=date(2018, 10, 9), status="done",
                  audience="skolledare och skolpersonal", participants=42, today=date(2018, 12, 1),
                  bulletin_line="Vi har genomfört en insats riktad till skolledare och skolpersonal.")
    make_activity(coordinator, title="Träff med Länsstyrelsens nätverk", kind="network_meeting", area="both",
                  our_role="participant", held_on=date(2018, 10, 11), status="done", today=date(2018, 12, 1),
                  partners=[str(county.uuid)])
    make_activity(coordinator, title="Fortbildning i VBE", kind="further_training", area="vbe", held_on=None,
                  month=date(2019, 1, 1), today=date(2018, 12, 1))
    return coordinator


@pytest.fixture
def register(app):
    with app.app_context():
        fill_register()
