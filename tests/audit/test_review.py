"""The admin's view of the audit trail: the list with filters, the CSV export and the log
review (loggkontroll), on the page and on the command line."""
import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from coordinator.audit import review
from coordinator.audit.models import AuditEvent
from coordinator.audit.services import record
from coordinator.auth.models import User
from coordinator.consultations.models import Consultation
from coordinator.extensions import db
from tests.factories import make_consultation, make_user
from tests.helpers import PASSWORD, post_form

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def login(client, email):
    assert post_form(client, "/auth/login", {"email": email, "password": PASSWORD}).status_code == 302


@pytest.fixture
def people(app):
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
        officer = make_user("a@gavle.example", roles=("officer",))
        make_user("samordnare@gavle.example", roles=("coordinator",))
        request = make_consultation(None, officer=officer)
        return request.uuid


def opened(app, email, consultation_uuid, *local_times, action="consultation.view"):
    """Events as the app records them, at the given local times (Europe/Stockholm)."""
    with app.app_context():
        actor = db.session.execute(select(User).where(User.email == email)).scalar_one()
        consultation = db.session.execute(select(Consultation).where(Consultation.uuid == consultation_uuid)).scalar_one()
        for when in local_times:
            event = record(action, actor=actor, obj=consultation)
            event.occurred_at = when.replace(tzinfo=STOCKHOLM).astimezone(ZoneInfo("UTC"))
        db.session.commit()


def test_only_the_admin_sees_the_trail(app, client, people):
    login(client, "samordnare@gavle.example")
    for url in ("/admin/audit/", "/admin/audit/review"):
        assert client.get(url).status_code == 403
    assert post_form(client, "/admin/audit/export").status_code == 403


def test_the_list_filters_by_who_part_and_period(app, client, people):
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 3, 10, 0))
    login(client, "admin@gavle.example")
    page = client.get("/admin/audit/?who=samordnare@gavle.example&area=consultation").get_data(as_text=True)
    assert "consultation.view" in page and "consultation.request" not in page
    assert "1 händelse" in page
    dated = client.get("/admin/audit/?area=consultation&date_from=2026-11-03&date_to=2026-11-03").get_data(as_text=True)
    assert "consultation.view" in dated
    assert "Inga händelser" in client.get("/admin/audit/?date_from=2026-11-04&date_to=2026-11-04&area=consultation") \
        .get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "audit.list")).scalars().all()


def test_a_bad_filter_is_explained_not_a_crash(app, client, people):
    login(client, "admin@gavle.example")
    response = client.get("/admin/audit/?object=inte-ett-uuid&date_from=2026-13-45&action=DROP TABLE")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Filtret kunde inte användas" in page and "Skriv ett uuid" in page
    assert 'value="inte-ett-uuid"' in page  # what was typed stays


def test_the_export_is_csv_without_content(app, client, people):
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 3, 10, 0))
    login(client, "admin@gavle.example")
    response = post_form(client, "/admin/audit/export?area=consultation")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["id", "tid (UTC)", "användare", "e-post", "händelse"]
    assert {r[4] for r in rows[1:]} == {"consultation.request", "consultation.view"}
    assert "hårda regler" not in text  # the situation never leaves through the trail
    with app.app_context():
        assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "audit.export")).scalar_one()


def test_the_review_counts_opens_outside_hours_bursts_and_unconnected_cases(app, client, people):
    tuesday = date(2026, 11, 3)
    opened(app, "samordnare@gavle.example", people, *(datetime(2026, 11, 3, 10, 0, s) for s in range(3)))
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 3, 22, 15), datetime(2026, 11, 7, 11, 0))
    opened(app, "samordnare@gavle.example", people, *(datetime(2026, 11, 4, 14, 21, s) for s in range(25)))
    opened(app, "a@gavle.example", people, datetime(2026, 11, 3, 23, 30))
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 3, 11, 0), action="consultation.search")
    with app.app_context():
        result = review.review(tuesday, date(2026, 11, 30))
        by_email = {u.email: u for u in result.users}
        coordinator, officer = by_email["samordnare@gavle.example"], by_email["a@gavle.example"]
        assert coordinator.reads == 30
        assert coordinator.outside_hours == 2  # 22:15 on a Tuesday, and a Saturday
        assert [(when.hour, when.minute, n) for when, n in coordinator.bursts] == [(14, 20, 25)]
        assert coordinator.searches == 1
        assert coordinator.unconnected == 1  # she never answered or wrote in it
        assert officer.reads == 1 and officer.outside_hours == 1 and officer.unconnected == 0  # her own request
        assert review.review(date(2026, 12, 1), date(2026, 12, 31)).users == []

    login(client, "admin@gavle.example")
    page = client.get("/admin/audit/review?date_from=2026-11-03&date_to=2026-11-30").get_data(as_text=True)
    assert "samordnare@gavle.example" in page and "2026-11-04 14:20 (25)" in page
    assert "2 användare har något att titta närmare på" in page


def test_answering_connects_the_coordinator_to_the_case(app, people):
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 3, 10, 0))
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 3, 10, 5), action="consultation.answer")
    with app.app_context():
        result = review.review(date(2026, 11, 1), date(2026, 11, 30))
        assert {u.email: u.unconnected for u in result.users}["samordnare@gavle.example"] == 0


def test_the_review_asks_for_a_sane_period(app, client, people):
    login(client, "admin@gavle.example")
    first = client.get("/admin/audit/review").get_data(as_text=True)
    assert 'name="date_from"' in first and "Öppnade ärenden" not in first  # last month proposed, not run
    backwards = client.get("/admin/audit/review?date_from=2026-11-30&date_to=2026-11-01")
    assert backwards.status_code == 200 and "Slutdatumet ligger före startdatumet" in backwards.get_data(as_text=True)
    too_long = client.get("/admin/audit/review?date_from=2024-01-01&date_to=2026-11-01").get_data(as_text=True)
    assert "Granska högst ett år i taget" in too_long


def test_the_review_on_the_command_line(app, runner, people):
    opened(app, "samordnare@gavle.example", people, datetime(2026, 11, 7, 11, 0))
    result = runner.invoke(args=["audit", "review", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert result.exit_code == 0, result.output
    line = next(row for row in result.output.splitlines() if row.startswith("samordnare@gavle.example"))
    assert line.split()[1:3] == ["1", "1"] and line.endswith("*")
    bad = runner.invoke(args=["audit", "review", "--from", "2026-11-31", "--to", "2026-11-01"])
    assert bad.exit_code == 2 and "not a date" in bad.output
