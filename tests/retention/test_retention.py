"""Retention (gallring): old closed consultations lose their free text but keep their
figures; the coordinator sees what is due and can keep a case open; inactive accounts go."""
from datetime import date, timedelta

from sqlalchemy import func, select

from coordinator.audit.models import AuditEvent
from coordinator.auth.models import User
from coordinator.bulletin import counting
from coordinator.bulletin import services as bulletin
from coordinator.consultations import services as consultations
from coordinator.consultations.models import Consultation, ConsultationMessage, ConsultationSearchTerm
from coordinator.database import utcnow
from coordinator.extensions import db
from coordinator.retention import services as retention
from tests.factories import make_consultation, make_user
from tests.helpers import PASSWORD, post_form

OCTOBER = counting.Period(date(2018, 10, 1), date(2018, 10, 31))


def closed(officer, coordinator, days_ago, **fields):
    """An officer's request with a message, answered, closed ``days_ago`` days ago."""
    consultation = make_consultation(None, officer=officer, received_on=date(2018, 10, 3), **fields)
    consultations.add_message(officer, consultation, "Vi har pratat med eleven igen om hemmet.")
    consultations.answer(coordinator, consultation, "Gör en orosanmälan och kontakta mig efteråt.")
    consultations.change_status(coordinator, consultation, "closed")
    consultation.closed_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return consultation


def setup_people():
    officer = make_user("a@gavle.example", roles=("officer",))
    coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
    return officer, coordinator


def count(model, *where):
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_old_text_goes_and_the_figures_stay(app):
    with app.test_request_context():
        officer, coordinator = setup_people()
        old = closed(officer, coordinator, 800)
        recent = closed(officer, coordinator, 300)
        before = bulletin.export_period(OCTOBER, "md")
        old_id, recent_id = old.id, recent.id
        assert count(ConsultationSearchTerm, ConsultationSearchTerm.consultation_id == old_id) > 0

        report = retention.run()
        assert report.erased == 1
        old, recent = db.session.get(Consultation, old_id), db.session.get(Consultation, recent_id)
        assert (old.situation, old.advice, old.referred_to) == (None, None, None)
        assert old.text_erased_at is not None
        assert count(ConsultationMessage, ConsultationMessage.consultation_id == old.id) == 0
        assert count(ConsultationSearchTerm, ConsultationSearchTerm.consultation_id == old.id) == 0
        assert (old.area, old.sector, old.hrv_forms, old.received_on) == (recent.area, recent.sector,
                                                                           recent.hrv_forms, recent.received_on)
        assert recent.situation and recent.advice
        assert count(ConsultationMessage, ConsultationMessage.consultation_id == recent.id) == 1
        # The bulletin of the old period reads the same.
        assert bulletin.export_period(OCTOBER, "md") == before
        assert count(AuditEvent, AuditEvent.action == "consultation.text_erased") == 1
        # Idempotent.
        assert retention.run().erased == 0


def test_a_dry_run_changes_nothing(app, runner):
    with app.test_request_context():
        officer, coordinator = setup_people()
        old_id = closed(officer, coordinator, 800).id
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Would erase the text of 1 consultations" in result.output
    with app.app_context():
        assert db.session.get(Consultation, old_id).situation
    done = runner.invoke(args=["retention", "run"])
    assert "Erased the text of 1 consultations" in done.output
    with app.app_context():
        assert db.session.get(Consultation, old_id).situation is None


def test_the_coordinator_sees_what_is_due_and_keeps_a_case_open(app, client):
    with app.test_request_context():
        officer, coordinator = setup_people()
        soon = closed(officer, coordinator, 720)  # 24 months less a few days
        later = closed(officer, coordinator, 400)
        soon_uuid, later_number = soon.uuid, later.id
    post_form(client, "/auth/login", {"email": "samordnare@gavle.example", "password": PASSWORD})
    start = client.get("/home/coordinator").get_data(as_text=True)
    assert "1 avslutad rådfrågning gallras inom 30 dagar" in start
    page = client.get("/retention/").get_data(as_text=True)
    assert f"/consultations/{soon_uuid}" in page and f"Nr {later_number}<" not in page
    detail = client.get(f"/consultations/{soon_uuid}").get_data(as_text=True)
    assert "gallras omkring" in detail

    kept = post_form(client, f"/retention/{soon_uuid}/keep-open", follow_redirects=True)
    assert "öppnad igen och gallras inte nu" in kept.get_data(as_text=True)
    with app.app_context():
        consultation = db.session.execute(select(Consultation).where(Consultation.uuid == soon_uuid)).scalar_one()
        assert consultation.status == "ongoing" and consultation.closed_at is None
        assert count(AuditEvent, AuditEvent.action == "retention.kept_open") == 1
        assert retention.run(now=utcnow() + timedelta(days=60)).erased == 0
    again = post_form(client, f"/retention/{soon_uuid}/keep-open", follow_redirects=True)
    assert "Bara en avslutad rådfrågning" in again.get_data(as_text=True)


def test_an_erased_consultation_says_so_and_is_not_found_by_search(app, client):
    with app.test_request_context():
        officer, coordinator = setup_people()
        uuid = closed(officer, coordinator, 800).uuid
        retention.run()
    post_form(client, "/auth/login", {"email": "samordnare@gavle.example", "password": PASSWORD})
    page = client.get(f"/consultations/{uuid}").get_data(as_text=True)
    assert "Texterna gallrades" in page and "orosanmälan och kontakta" not in page
    assert "None" not in page and "Meddelandena är gallrade" in page and 'name="body"' not in page
    hits = post_form(client, "/consultations/search", {"query": "hårda regler"}).get_data(as_text=True)
    assert f"/consultations/{uuid}" not in hits


def test_inactive_accounts_are_deactivated_but_not_the_last_admin(app):
    with app.test_request_context():
        gone = make_user("borta@gavle.example", roles=("officer",))
        here = make_user("har@gavle.example", roles=("officer",))
        admin = make_user("admin@gavle.example", roles=("admin",))
        long_ago = utcnow() - timedelta(days=400)
        gone.last_login_at = long_ago
        admin.last_login_at, admin.created_at = None, long_ago
        here.last_login_at = utcnow() - timedelta(days=10)
        db.session.commit()
        report = retention.run()
        assert report.deactivated == ["borta@gavle.example"]
        assert [email for email, _why in report.skipped_accounts] == ["admin@gavle.example"]
        users = {u.email: u.active for u in db.session.execute(select(User)).scalars()}
        assert users == {"borta@gavle.example": False, "har@gavle.example": True, "admin@gavle.example": True}


def test_the_cutoff_counts_calendar_months(app):
    from datetime import datetime, timezone

    with app.app_context():
        moment = datetime(2026, 3, 31, 12, 0, tzinfo=timezone.utc)
        assert retention.cutoff(moment) == datetime(2024, 3, 31, 12, 0, tzinfo=timezone.utc)
        app.config["RETENTION_MONTHS"] = 1
        assert retention.cutoff(moment) == datetime(2026, 2, 28, 12, 0, tzinfo=timezone.utc)
