"""The per-day tallies stay equal to a recount of the consultations through every kind of
save, and the section read from them is the section counted from the register."""
import random
import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coordinator.bulletin import counting, tallies
from coordinator.consultations import services as consultations
from coordinator.consultations.models import Consultation
from coordinator.extensions import db

from ..factories import make_consultation, make_partner, make_user


def case_input(rng, day, partner_uuid=None, follows_up=None):
    return consultations.CaseInput(
        sector=rng.choice(["upper_secondary", "social_children", "police", "health_care"]),
        area=rng.choice(["hrv", "vbe", "both"]), person_count=rng.choice(["1", "2-3", "4+", "unknown"]),
        genders=["girl_woman"], age_bands=rng.sample(["0-12", "13-17", "18-25", "26+"], rng.randint(0, 2)),
        hrv_forms=rng.sample(["control", "psychological", "forced_marriage", "physical"], rng.randint(0, 3)),
        vbe_concerns=rng.sample(["radicalisation", "propaganda"], rng.randint(0, 1)),
        advice_given=rng.sample(["report_recommended", "referral", "police_report"], rng.randint(0, 2)),
        urgency=rng.choice(["acute", "not_acute"]), situation="En elev berättar om hårda regler hemma.",
        received_on=day, channel="phone", status="ongoing",
        referred_to_partner=partner_uuid if rng.random() < 0.3 else None,
        follows_up_number=follows_up,
    )


def test_tallies_follow_every_save(app):
    """Logging, editing (date, codes, area, referral, follow-up), and deleting: after each
    commit the tallies equal a recount from the consultations."""
    rng = random.Random(7)
    with app.test_request_context():
        coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
        partner = make_partner(coordinator)
        days = [date(2018, 10, 1) + timedelta(days=n) for n in range(5)]
        made = []
        for step in range(40):
            action = rng.random() if made else 0
            if action < 0.45:
                day = rng.choice(days)
                earlier = [c for c in made if c.received_on <= day]
                follows = rng.choice(earlier).id if earlier and rng.random() < 0.3 else None
                made.append(consultations.log_consultation(
                    coordinator, case_input(rng, day, str(partner.uuid), follows)))
            elif action < 0.9:
                consultation = rng.choice(made)
                data = replace(case_input(rng, rng.choice(days), str(partner.uuid)),
                               edit_version=consultation.edit_version)
                consultations.update_consultation(coordinator, consultation, data)
            else:
                consultation = made.pop(rng.randrange(len(made)))
                db.session.delete(consultation)
            db.session.commit()
            assert tallies.differences() == {}, f"after step {step}"
        assert db.session.execute(select(db.func.count()).select_from(Consultation)).scalar_one() == len(made)


def test_deleting_a_consultation_makes_its_follow_up_a_new_case(app):
    with app.test_request_context():
        coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
        first = make_consultation(coordinator, received_on=date(2018, 10, 2))
        make_consultation(coordinator, received_on=date(2018, 10, 9), follows_up_number=first.id)
        october = counting.Period(date(2018, 10, 1), date(2018, 10, 31))
        assert counting.consultation_totals(october) == (2, 1, 1)
        db.session.delete(first)
        db.session.commit()
        assert counting.consultation_totals(october) == (1, 1, 0)
        assert tallies.differences() == {}


def test_a_rolled_back_save_leaves_the_tallies_as_they_were(app):
    with app.test_request_context():
        coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
        make_consultation(coordinator, received_on=date(2018, 10, 2))
        october = counting.Period(date(2018, 10, 1), date(2018, 10, 31))
        consultations.log_consultation(coordinator, case_input(random.Random(1), date(2018, 10, 3)))
        db.session.flush()
        assert counting.consultation_totals(october)[0] == 2
        db.session.rollback()
        assert counting.consultation_totals(october)[0] == 1
        assert tallies.differences() == {}


def test_rebuild_recounts_what_was_changed_outside_the_application(app, runner):
    with app.test_request_context():
        coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
        for n in range(3):
            make_consultation(coordinator, received_on=date(2018, 10, 2 + n), area="vbe")
        # A change the application never saw (a restore, a hand-made SQL fix).
        db.session.execute(Consultation.__table__.update().values(area="hrv"))
        db.session.commit()
        october = counting.Period(date(2018, 10, 1), date(2018, 10, 31))
        assert counting.by_column(october, "area") == {"vbe": 3}

    checked = runner.invoke(args=["bulletin", "recount", "--check"])
    assert checked.exit_code == 1
    assert "area" in checked.output and "tallies differ" in checked.output
    rebuilt = runner.invoke(args=["bulletin", "recount"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Recounted" in rebuilt.output
    assert runner.invoke(args=["bulletin", "recount", "--check"]).exit_code == 0
    with app.app_context():
        assert counting.by_column(october, "area") == {"hrv": 3}


def test_the_period_sums_its_days_only(app):
    with app.test_request_context():
        coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
        for day in (date(2018, 9, 30), date(2018, 10, 1), date(2018, 10, 31), date(2018, 11, 1)):
            make_consultation(coordinator, received_on=day, age_bands=["13-17", "0-12"], person_count="4+")
        october = counting.Period(date(2018, 10, 1), date(2018, 10, 31))
        assert counting.consultation_totals(october) == (2, 2, 0)
        # persons at the low end of the band; a consultation with two bands under 18 is one minor case
        assert counting.persons(october) == (8, 2)
        assert counting.by_codes(october, "age_bands") == {"13-17": 2, "0-12": 2}
        with pytest.raises(ValueError):
            counting.by_column(october, "situation")


def test_concurrent_saves_on_the_same_day_both_count(app):
    """Two transactions logging a consultation for the same day at the same moment: the
    second's upsert waits for the first's row (PostgreSQL) or the database lock (SQLite) and
    adds to it; neither count is lost."""
    with app.app_context():
        coordinator_id = make_user("samordnare@gavle.example", roles=("coordinator",)).id
    first_flushed, errors = threading.Event(), []

    def log(wait_for=None, then=None):
        try:
            with app.test_request_context():
                from coordinator.auth.models import User

                coordinator = db.session.get(User, coordinator_id)
                if wait_for is not None:
                    wait_for.wait(10)
                consultations.log_consultation(coordinator, case_input(random.Random(2), date(2018, 10, 4)))
                db.session.flush()
                if then is not None:
                    then.set()
                    threading.Event().wait(0.5)  # hold the row while the other transaction flushes
                db.session.commit()
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=log, kwargs={"then": first_flushed}),
               threading.Thread(target=log, kwargs={"wait_for": first_flushed})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    with app.app_context():
        day = counting.Period(date(2018, 10, 4), date(2018, 10, 4))
        assert counting.consultation_totals(day)[0] == 2
        assert tallies.differences() == {}
