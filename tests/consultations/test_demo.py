"""`flask --app wsgi demo load`: realistic anonymised data into an empty database."""
from sqlalchemy import func, select

from coordinator.anonymity import find_identifiers
from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.demo.accounts import OFFICERS
from coordinator.demo.consultations import CASES, MESSAGES
from coordinator.extensions import db


def test_demo_load_fills_an_empty_database(app, runner):
    """The command creates autumn-2018 consultations, officers' requests with threads, and says so."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "consultations: loaded 48 demo records" in result.output
    with app.app_context():
        rows = db.session.execute(select(Consultation)).scalars().all()
        assert len(rows) == 48
        assert all(c.received_on.year == 2018 and c.received_on.month >= 8 for c in rows)
        assert {c.area for c in rows} == {"hrv", "vbe", "both", "other"}
        assert any(c.requested_by_id for c in rows) and any(c.follows_up_id for c in rows)
        assert db.session.execute(select(func.count()).select_from(ConsultationMessage)).scalar_one() > 0
        assert all(c.situation for c in rows)


def test_demo_load_again_adds_only_what_is_missing(app, runner):
    """A second load leaves the domains that hold data alone and says so."""
    runner.invoke(args=["demo", "load", "--count", "5"])
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "consultations: already there" in result.output
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Consultation)).scalar_one() == 5


def test_demo_texts_pass_the_anonymity_guard():
    """Every demo text is clean: the guard finds nothing in it."""
    texts = [case[name] for case in CASES for name in ("situation", "advice")] + [m for _role, m in MESSAGES]
    texts += [officer["unit"] for officer in OFFICERS]
    for text in texts:
        assert find_identifiers(text) == [], text
