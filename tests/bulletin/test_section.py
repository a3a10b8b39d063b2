"""The section for a fixture period: golden outputs in every format, the .docx read back,
the counting rules, an empty period and one with only planned work."""
import io
from datetime import date
from pathlib import Path

import pytest

from coordinator.bulletin import counting, services
from coordinator.bulletin.counting import Period

from ..factories import make_activity, make_user
from .conftest import PERIOD

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_golden_output_of_the_fixture_period(app, register, fmt):
    with app.test_request_context():
        produced = services.export_period(Period(*PERIOD), fmt).decode("utf-8")
    assert produced == (GOLDEN / f"october-2018.{fmt}").read_text(encoding="utf-8")


def test_the_docx_has_the_heading_real_bullets_and_swedish(app, register):
    from docx import Document

    with app.test_request_context():
        document = Document(io.BytesIO(services.export_period(Period(*PERIOD), "docx")))
    heading = document.paragraphs[0]
    assert heading.text == "Hedersvåld och våldsbejakande extremism" and heading.style.name == "Heading 2"
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0].startswith("Under perioden har 9 rådfrågningar inkommit")
    assert "Fortbildning i VBE är inplanerad (januari 2019)." in bullets
    assert document.core_properties.language == "sv-SE"
    assert 'w:val="sv-SE"' in document.styles["Normal"].element.xml


def test_counting_rules(app, register):
    """A follow-up is a consultation but not a new case; persons at the low end of each band,
    on new cases; a consultation with two forms counts once per form."""
    with app.app_context():
        period = Period(*PERIOD)
        assert counting.consultation_totals(period) == (9, 8, 1)
        assert counting.by_column(period, "area") == {"hrv": 6, "vbe": 3}
        assert counting.persons(period) == (5 + 2 + 2, 5 + 3)
        forms = counting.by_codes(period, "hrv_forms")
        assert forms == {"control": 5, "psychological": 5, "forced_marriage": 1}
        assert sum(forms.values()) > counting.by_column(period, "area")["hrv"]
        assert counting.referrals(period) == {"Länsstyrelsen Gävleborg": 5}
        assert counting.meetings_by_partner(period, {"network_meeting"}) == {"Länsstyrelsen Gävleborg": 1}


def test_an_empty_period_says_so(app):
    with app.test_request_context():
        make_user(roles=("coordinator",))
        text = services.export_period(Period(date(2017, 1, 1), date(2017, 1, 31)), "md").decode()
    assert "Inga rådfrågningar har inkommit under perioden." in text
    assert "Planerat" not in text and "Siffrorna beskriver samordnarens kontakter" in text


def test_a_period_with_only_planned_work(app):
    with app.test_request_context():
        user = make_user(roles=("coordinator",))
        make_activity(user, title="Nätverksträff ang. VBE", kind="network_meeting", area="vbe", held_on=None,
                      month=date(2018, 12, 1), bulletin_line="Nätverksträff ang. VBE genomförs under perioden.")
        text = services.export_period(Period(date(2018, 11, 1), date(2018, 11, 30)), "md").decode()
    assert "Inga rådfrågningar har inkommit under perioden." in text
    assert text.split("Planerat", 1)[1].strip().startswith("- Nätverksträff ang. VBE genomförs under perioden.")


def test_the_comparison_with_the_previous_period(app):
    from ..factories import make_consultation

    with app.test_request_context():
        user = make_user(roles=("coordinator",))
        for day in range(1, 8):
            make_consultation(user, received_on=date(2018, 10, day))
        for day in range(1, 13):
            make_consultation(user, received_on=date(2018, 11, day))
        text = services.export_period(Period(date(2018, 11, 1), date(2018, 11, 30)), "md").decode()
        fewer = services.export_period(Period(date(2018, 12, 1), date(2018, 12, 31)), "md").decode()
    assert "Under perioden har 12 rådfrågningar inkommit. Det är fler än under föregående period av samma längd (6)." in text  # 2–31 October
    assert "Inga rådfrågningar har inkommit" in fewer


def test_code_rows_follow_their_consultations_date(app):
    """A consultation moved to another month takes its codes with it: the month's forms count
    follows (the code rows carry the date the bulletin counts them by)."""
    from coordinator.consultations import services as consultations
    from coordinator.extensions import db

    from ..factories import make_consultation

    with app.test_request_context():
        user = make_user(roles=("coordinator",))
        moved = make_consultation(user, received_on=date(2018, 10, 3), hrv_forms=["fgm"])
        october, november = Period(date(2018, 10, 1), date(2018, 10, 31)), Period(date(2018, 11, 1), date(2018, 11, 30))
        assert counting.by_codes(october, "hrv_forms") == {"fgm": 1}
        data = consultations.CaseInput(sector="police", area="hrv", hrv_forms=["fgm"], received_on=date(2018, 11, 2), channel="phone",
                                       situation=moved.situation, edit_version=moved.edit_version)
        consultations.update_consultation(user, moved, data)
        db.session.commit()
        assert counting.by_codes(october, "hrv_forms") == {} and counting.by_codes(november, "hrv_forms") == {"fgm": 1}
