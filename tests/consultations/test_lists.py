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
    """25 per page, newest first; the next page (after the last row seen) holds the rest;
    the pager goes back; a cursor past the end or malformed is an empty or first page, not an error."""
    import html as html_module
    import re

    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        for i in range(30):
            make_consultation(coordinator, received_on=date(2018, 9, 1) + timedelta(days=i))
    auth.login("s@gavle.example")
    first = client.get("/consultations/").get_data(as_text=True)
    next_link = html_module.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = client.get(next_link).get_data(as_text=True)
    assert len(_numbers(first)) == 25 and len(_numbers(second)) == 5
    assert _numbers(first)[0] == 30 and _numbers(second) == [5, 4, 3, 2, 1]
    assert "30 rådfrågningar" in first and 'rel="next"' in first and 'rel="next"' not in second
    prev_link = html_module.unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert _numbers(client.get(prev_link).get_data(as_text=True)) == _numbers(first)
    assert client.get("/consultations/?after=2000-01-01_1").status_code == 200
    assert _numbers(client.get("/consultations/?after=2000-01-01_1").get_data(as_text=True)) == []
    for bad in ("nonsense", "2018-13-01_5", "2018-01-01_-3", "2018-01-01_" + "9" * 40, "a_b_c", "2018-01-01.5"):
        response = client.get(f"/consultations/?after={bad}")
        assert response.status_code == 200 and len(_numbers(response.get_data(as_text=True))) == 25, bad


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


def test_start_page_sections_are_bounded_with_a_count_and_a_link(app, client, auth):
    """Each section shows its first rows, the total, and a link to the full filtered list."""
    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        for i in range(services.SECTION_ROWS + 5):
            make_consultation(coordinator, status="new", received_on=date(2018, 9, 1) + timedelta(days=i))
    auth.login("s@gavle.example")
    page = client.get("/home/coordinator").get_data(as_text=True)
    section = page.split("Nya frågor (15)", 1)[1].split("<h2>", 1)[0]
    assert len(_numbers(section)) == services.SECTION_ROWS
    assert 'href="/consultations/?status=new">Alla nya frågor (15)' in section
    listed = client.get("/consultations/?status=new").get_data(as_text=True)
    assert "15 rådfrågningar" in listed


def test_due_and_unread_filters_give_the_full_sections(app, client, auth):
    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        due = make_consultation(coordinator, status="ongoing", follow_up_on=date(2018, 9, 10))
        make_consultation(coordinator, status="closed", follow_up_on=date(2018, 9, 10))
        make_consultation(coordinator, status="ongoing", follow_up_on=date(2099, 1, 1))
        unread = make_consultation(coordinator, status="ongoing")
        unread.unread_by_coordinator = True
        db.session.commit()
        due_id, unread_id = due.id, unread.id
    auth.login("s@gavle.example")
    assert _numbers(client.get("/consultations/?due=y").get_data(as_text=True)) == [due_id]
    assert _numbers(client.get("/consultations/?unread=y").get_data(as_text=True)) == [unread_id]


def test_an_officer_with_many_requests_gets_pages(app, client, auth):
    """The officer's start page shows the latest ten and a link; "Mina rådfrågningar" pages."""
    import html as html_module
    import re

    with app.app_context():
        officer = make_user("k@gavle.example", roles=("officer",))
        for _ in range(30):
            make_consultation(None, officer=officer)
    auth.login("k@gavle.example")
    start = client.get("/home/officer").get_data(as_text=True)
    assert len(_numbers(start)) == services.SECTION_ROWS
    assert "Alla mina rådfrågningar (30)" in start
    mine = client.get("/consultations/mine").get_data(as_text=True)
    assert len(_numbers(mine)) == 25 and "Du har 30 rådfrågningar" in mine
    rest = client.get(html_module.unescape(re.search(r'href="([^"]+)" rel="next"', mine).group(1)))
    assert len(_numbers(rest.get_data(as_text=True))) == 5


def test_counts_past_the_cap_read_as_more_than(app):
    from coordinator.templating import _count

    with app.test_request_context():
        assert _count(1234) == "1\xa0234"
        assert _count(10_001) == "fler än 10\xa0000"


def test_the_list_says_what_each_case_is_about(app, client, auth):
    """Channel, the asker's unit, a short summary of forms or concerns, an unread marker."""
    with app.app_context():
        coordinator = make_user("s@gavle.example", roles=("coordinator",))
        officer = make_user("k@gavle.example", roles=("officer",), unit="Elevhälsan, Polhemsskolan")
        asked = make_consultation(None, officer=officer, hrv_forms=["control", "forced_marriage", "fgm"])
        make_consultation(coordinator, area="vbe", hrv_forms=[], vbe_concerns=["propaganda"], channel="phone")
        db.session.commit()
        asked_id = asked.id
    auth.login("s@gavle.example")
    page = client.get("/consultations/").get_data(as_text=True)
    assert "Elevhälsan, Polhemsskolan" in page and "Portalen (handläggarens fråga)" in page
    assert "Kontroll och begränsningar, tvångs- och barnäktenskap m.fl." in page
    assert "Propaganda" in page and "Telefon" in page
    row = page.split(f">Nr {asked_id}</a>", 1)[1].split("</tr>", 1)[0]
    assert 'badge--unread">Nytt' in row  # a portal request the coordinator has not opened


def test_a_logged_consultation_starts_as_ongoing_never_among_new_requests(app, client, auth):
    from ..helpers import post_form
    from .conftest import CONSULTATION_FORM

    with app.app_context():
        make_user("s@gavle.example", roles=("coordinator",))
    auth.login("s@gavle.example")
    import re

    form_page = client.get("/consultations/new").get_data(as_text=True)
    statuses = re.findall(r'<input[^>]*name="status"[^>]*>', form_page)
    assert len(statuses) == 2 and not any('value="new"' in tag for tag in statuses)
    assert any('value="ongoing"' in tag and "checked" in tag for tag in statuses)
    data = dict(CONSULTATION_FORM)
    data.pop("status")
    assert post_form(client, "/consultations/new", data).status_code == 200  # status is required
    data["status"] = "new"
    assert "Inte ett giltigt val" in post_form(client, "/consultations/new", data).get_data(as_text=True)
    data["status"] = "ongoing"
    assert post_form(client, "/consultations/new", data).status_code == 302
