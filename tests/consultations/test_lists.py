"""The coordinator's list (filters, pagination), free-text search, and the queue."""
from datetime import date, timedelta

from sqlalchemy import select, text

from coordinator.audit.models import AuditEvent
from coordinator.consultations import services
from coordinator.consultations.models import Consultation
from coordinator.extensions import db

from ..factories import make_consultation, make_user
from ..helpers import post_form


def _numbers(page_html):
    import re

    return [int(n) for n in re.findall(r">Nr (\d+)</a>", page_html)]


def _seed_varied(app):
    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        rows = [
            dict(area="hrv", sector="upper_secondary", status="new", urgency="acute", received_on=date(2018, 9, 3)),
            dict(area="vbe", sector="leisure", status="ongoing", urgency="not_acute", received_on=date(2018, 10, 9),
                 situation="Fritidsledarna ser propaganda i gruppchatten."),
            dict(area="hrv", sector="preschool", status="closed", urgency="not_acute", received_on=date(2018, 11, 20)),
            dict(area="both", sector="upper_secondary", status="ongoing", urgency="acute", received_on=date(2018, 12, 1),
                 advice="Kontakta CVE:s stödtelefon."),
        ]
        return [make_consultation(coordinator, **r).id for r in rows]


def test_filters_by_period_area_sector_status_urgency(app, client, auth):
    """Each filter narrows the list to exactly the matching consultations."""
    ids = _seed_varied(app)
    auth.login("s@gavle.example")
    cases = {
        "": ids,
        "?area=hrv": [ids[0], ids[2]],
        "?sector=upper_secondary": [ids[0], ids[3]],
        "?status=ongoing": [ids[1], ids[3]],
        "?urgency=acute": [ids[0], ids[3]],
        "?date_from=2018-10-01&date_to=2018-11-30": [ids[1], ids[2]],
        "?area=hrv&status=closed": [ids[2]],
    }
    for query, expected in cases.items():
        page = client.get("/consultations/" + query).get_data(as_text=True)
        assert sorted(_numbers(page)) == sorted(expected), query


def test_bad_filter_is_explained_not_crashed(app, client, auth):
    """An unknown filter value or a reversed period shows a Swedish message and the unfiltered list."""
    ids = _seed_varied(app)
    auth.login("s@gavle.example")
    response = client.get("/consultations/?area=weather&date_from=2018-12-01&date_to=2018-01-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Filtret kunde inte användas" in page
    assert "Slutdatumet ligger före startdatumet." in page
    assert sorted(_numbers(page)) == sorted(ids)
    assert client.get("/consultations/?page=abc").status_code == 200
    assert client.get("/consultations/?date_from=not-a-date").status_code == 200


def test_pagination(app, client, auth):
    """25 per page, newest first; page 2 holds the rest; a page past the end is empty, not an error."""
    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        for i in range(30):
            make_consultation(coordinator, received_on=date(2018, 9, 1) + timedelta(days=i))
    auth.login("s@gavle.example")
    first = client.get("/consultations/").get_data(as_text=True)
    second = client.get("/consultations/?page=2").get_data(as_text=True)
    assert len(_numbers(first)) == 25 and len(_numbers(second)) == 5
    assert _numbers(first)[0] == 30
    assert "Sida 1 av 2" in first and 'rel="next"' in first
    assert client.get("/consultations/?page=9").status_code == 200


def test_search_decrypts_in_memory_and_is_audited_once(app, client, auth):
    """Search finds text in situation, advice and messages; one audit event; the query is not in the URL."""
    ids = _seed_varied(app)
    auth.login("s@gavle.example")
    response = post_form(client, "/consultations/search", {"query": "propaganda"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _numbers(page) == [ids[1]]
    page = post_form(client, "/consultations/search", {"query": "cve:s STÖDTELEFON"}).get_data(as_text=True)
    assert _numbers(page) == [ids[3]]
    with app.app_context():
        events = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "consultation.search")
        ).scalars().all()
        assert len(events) == 2
        assert [e.detail for e in events] == ["hits:1", "hits:1"]


def test_search_needs_two_characters(app, client, auth):
    """A one-letter search is refused with a Swedish message."""
    _seed_varied(app)
    auth.login("s@gavle.example")
    page = post_form(client, "/consultations/search", {"query": "a"}).get_data(as_text=True)
    assert "Skriv 2–200 tecken." in page


def test_queue_urgent_first_and_due_follow_ups(app):
    """New requests come urgent first; follow-ups due today or earlier and not closed are listed."""
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        calm = make_consultation(coordinator, urgency="not_acute", received_on=date(2018, 9, 1))
        urgent = make_consultation(coordinator, urgency="acute", received_on=date(2018, 9, 5))
        due = make_consultation(coordinator, status="ongoing", follow_up_on=date(2018, 9, 10))
        make_consultation(coordinator, status="closed", follow_up_on=date(2018, 9, 10))
        make_consultation(coordinator, status="ongoing", follow_up_on=date(2018, 9, 30))
        queue = services.coordinator_queue(today=date(2018, 9, 15))
        assert [c.id for c in queue.new] == [urgent.id, calm.id]
        assert [c.id for c in queue.due_follow_ups] == [due.id]
        assert queue.counts == {"new": 2, "ongoing": 2, "closed": 1}


def test_every_free_text_field_is_encrypted_at_rest(app, client, auth, cast):
    """situation, advice, referred_to and message bodies are stored as tokens, never plaintext."""
    auth.login(cast.officer_a)
    post_form(client, f"/consultations/{cast.request_a}/messages", {"body": "Meddelandetext om läget."})
    with app.app_context():
        c = db.session.execute(select(Consultation)).scalar_one()
        coordinator = make_user(roles=("coordinator",))
        services.update_consultation(coordinator, c, services.CaseInput(
            sector=c.sector, area=c.area, situation=c.situation, received_on=c.received_on,
            channel=c.channel, status="ongoing", advice="Rådets text.", referred_to="RFSL Gävle",
        ))
        db.session.commit()
        row = db.session.execute(text(
            "SELECT situation, advice, referred_to FROM consultations")).one()
        body = db.session.execute(text("SELECT body FROM consultation_messages")).scalar_one()
        for value in (*row, body):
            assert value.startswith("enc1:")
        assert "Rådets" not in "".join(row) and "Meddelandetext" not in body
