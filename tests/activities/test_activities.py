"""Activities: one path for trainings and meetings, the list and month view, marking
done or cancelled, the coordinator's agenda, and bad input."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from coordinator.activities import services as activities
from coordinator.activities.models import Activity
from coordinator.audit.models import AuditEvent
from coordinator.database import local_today
from coordinator.extensions import db

from ..factories import make_activity, make_partner, make_user
from ..helpers import post_form

TRAINING_FORM = {
    "kind": "training", "title": "Utbildning för Brynäs fotbolls styrelse", "our_role": "organiser",
    "status": "planned", "held_on": "2018-11-20", "area": "both", "format": "in_person",
    "audience": "Brynäs fotbolls styrelse", "audience_sector": "leisure", "participants": "",
    "bulletin_line": "Utbildning för Brynäs fotbolls styrelse har genomförts.", "notes": "Bra frågor om stödet.",
}


def _coordinator():
    return make_user("s@gavle.example", roles=("coordinator",))


def test_a_training_and_a_meeting_share_one_path(app, ctx):
    user = _coordinator()
    partner = make_partner(user)
    training = make_activity(user, participants=25, audience="skolledare", audience_sector="compulsory_school")
    meeting = make_activity(user, kind="network_meeting", title="Nätverksträff ang. VBE", area="vbe",
                            participants=40, audience="ska bort", partners=[str(partner.uuid)])
    db.session.expire_all()
    training, meeting = db.session.get(Activity, training.id), db.session.get(Activity, meeting.id)
    assert training.is_training and training.participants == 25 and training.audience == "skolledare"
    assert meeting.is_meeting and meeting.participants is None and meeting.audience is None
    assert [p.name for p in meeting.partners] == ["Länsstyrelsen Gävleborg"]


def test_a_planned_month_without_a_day(app, ctx):
    user = _coordinator()
    activity = make_activity(user, held_on=None, month=date(2019, 2, 14), title="Fortbildning i VBE",
                             kind="further_training")
    assert (activity.starts_on, activity.latest_on, activity.day_fixed) == (date(2019, 2, 1), date(2019, 2, 28), False)
    with pytest.raises(activities.ActivityError) as refused:
        make_activity(user, held_on=None, month=date(2018, 10, 1), status="done")
    assert refused.value.field == "held_on"


def test_done_in_the_future_is_refused(app, ctx):
    user = _coordinator()
    with pytest.raises(activities.ActivityError) as refused:
        make_activity(user, status="done", held_on=date(2018, 11, 20), today=date(2018, 11, 1))
    assert "framtiden" in str(refused.value)
    db.session.rollback()
    planned = make_activity(user)
    with pytest.raises(activities.ActivityError):
        activities.mark_done(user, planned, activities.DoneInput(held_on=date(2099, 1, 1)))


def test_marking_done_asks_for_what_is_known_afterwards(app, client, auth):
    with app.app_context():
        uuid = make_activity(_coordinator(), held_on=date(2018, 11, 20)).uuid
    auth.login("s@gavle.example")
    form = client.get(f"/activities/{uuid}/done").get_data(as_text=True)
    assert 'name="participants"' in form and 'value="2018-11-20"' in form
    refused = post_form(client, f"/activities/{uuid}/done", {"held_on": "2018-11-20", "participants": "-3"})
    assert refused.status_code == 200 and "Ange ett antal deltagare mellan 0 och 100 000." in refused.get_data(as_text=True)
    absurd = post_form(client, f"/activities/{uuid}/done", {"held_on": "2018-11-20", "participants": "5000000"})
    assert "Ange ett antal deltagare mellan 0 och 100 000." in absurd.get_data(as_text=True)
    future = (local_today_of(app) + timedelta(days=3)).isoformat()
    ahead = post_form(client, f"/activities/{uuid}/done", {"held_on": future, "participants": "12"})
    assert "framtiden" in ahead.get_data(as_text=True) and 'value="12"' in ahead.get_data(as_text=True)
    done = post_form(client, f"/activities/{uuid}/done", {
        "held_on": "2018-11-21", "participants": "18",
        "bulletin_line": "Vi har genomfört en insats riktad till skolledare och skolpersonal."})
    assert done.status_code == 302
    with app.app_context():
        activity = db.session.execute(select(Activity).where(Activity.uuid == uuid)).scalar_one()
        assert (activity.status, activity.participants, activity.starts_on) == ("done", 18, date(2018, 11, 21))
        assert "Vi har genomfört" in activity.bulletin_line


def local_today_of(app):
    with app.app_context():
        return local_today()


def test_the_form_creates_edits_and_keeps_input_on_errors(app, client, auth):
    with app.app_context():
        partner_uuid = str(make_partner(_coordinator()).uuid)
    auth.login("s@gavle.example")
    response = post_form(client, "/activities/new", dict(TRAINING_FORM, partners=partner_uuid, participants="30"))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Utbildning för Brynäs fotbolls styrelse" in page and "Länsstyrelsen Gävleborg" in page and "30" in page
    edit_url = response.headers["Location"] + "/edit"
    edit_page = client.get(edit_url).get_data(as_text=True)
    assert 'value="2018-11-20"' in edit_page and "selected" in edit_page
    moved = post_form(client, edit_url, dict(TRAINING_FORM, held_on="", month="2019-01", partners=partner_uuid))
    assert moved.status_code == 302
    assert "januari 2019 (dag ej bestämd)" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("change, message", [
    ({"held_on": "", "month": ""}, "Fyll i ett datum, eller en månad"),
    ({"month": "2019-02"}, "antingen ett datum eller en månad"),
    ({"participants": "-1"}, "Ange ett antal deltagare mellan 0 och 100 000."),
    ({"participants": "1000000"}, "Ange ett antal deltagare mellan 0 och 100 000."),
    ({"participants": "många"}, "Inte ett giltigt heltal"),
    ({"held_on": "1850-01-01"}, "Kontrollera året."),
    ({"status": "done", "held_on": (date.today() + timedelta(days=30)).isoformat()}, "framtiden"),
    ({"kind": ""}, "Välj typ av aktivitet."),
    ({"title": ""}, "Skriv en rubrik."),
    ({"partners": "00000000-0000-0000-0000-000000000000"}, "Välj alternativ ur listan."),
    ({"initiative": "not-an-initiative"}, "Välj ett alternativ ur listan."),
    ({"notes": "Flickan 19121212-1212 deltog"}, "kan identifiera en person"),
    ({"notes": "x" * 10_001}, "högst 10 000 tecken"),
])
def test_bad_activity_input_gets_a_swedish_message(app, client, auth, change, message):
    with app.app_context():
        _coordinator()
    auth.login("s@gavle.example")
    response = post_form(client, "/activities/new", dict(TRAINING_FORM, **change))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Brynäs fotbolls styrelse" in page  # what was typed is kept
    with app.app_context():
        assert db.session.execute(select(Activity)).first() is None


def test_filters_list_and_month_view(app, client, auth):
    with app.app_context():
        user = _coordinator()
        partner = make_partner(user, name="CVE")
        make_activity(user, title="Seminarium av CVE", kind="seminar", our_role="participant", area="vbe",
                      status="done", held_on=date(2018, 10, 9), partners=[str(partner.uuid)])
        make_activity(user, title="Informationsträff för socialnämnden", kind="information", held_on=date(2018, 11, 6))
        make_activity(user, title="Nätverksträff ang. VBE", kind="network_meeting", area="vbe", held_on=None,
                      month=date(2018, 11, 1))
        partner_uuid = partner.uuid
    auth.login("s@gavle.example")
    everything = client.get("/activities/").get_data(as_text=True)
    assert all(t in everything for t in ("Seminarium av CVE", "Informationsträff för socialnämnden", "Nätverksträff"))
    by_partner = client.get(f"/activities/?partner={partner_uuid}").get_data(as_text=True)
    assert "Seminarium av CVE" in by_partner and "socialnämnden" not in by_partner
    by_role = client.get("/activities/?our_role=participant").get_data(as_text=True)
    assert "Seminarium av CVE" in by_role and "socialnämnden" not in by_role
    period = client.get("/activities/?date_from=2018-11-01&date_to=2018-11-30").get_data(as_text=True)
    assert "Seminarium av CVE" not in period and "socialnämnden" in period and "Nätverksträff" in period
    assert client.get("/activities/?partner=garbage").status_code == 200
    month = client.get("/activities/month?m=2018-11").get_data(as_text=True)
    assert "tisdag 6 november" in month and "socialnämnden" in month
    assert "dag ej bestämd" in month and "Nätverksträff ang. VBE" in month and "Seminarium av CVE" not in month
    assert client.get("/activities/month?m=nonsense").status_code == 200


def test_the_start_page_shows_coming_and_overdue_and_overdue_can_be_cancelled(app, client, auth):
    with app.app_context():
        user = _coordinator()
        today = local_today()
        make_activity(user, title="Fortbildning i HRV", held_on=today + timedelta(days=10), today=today)
        overdue = make_activity(user, title="Heldag för projektets styrgrupp", kind="steering_group",
                                held_on=today - timedelta(days=5), today=today)
        overdue_uuid = overdue.uuid
    auth.login("s@gavle.example")
    page = client.get("/home/coordinator").get_data(as_text=True)
    coming = page.split("Kommande aktiviteter", 1)[1].split("Planerade aktiviteter vars datum har passerat", 1)[0]
    assert "Fortbildning i HRV" in coming and "Heldag" not in coming
    assert "Heldag för projektets styrgrupp" in page.split("Planerade aktiviteter vars datum har passerat", 1)[1]
    response = post_form(client, f"/activities/{overdue_uuid}/cancel", {"next": "/home/coordinator"})
    assert response.headers["Location"].endswith("/home/coordinator")
    assert "Heldag för projektets styrgrupp" not in client.get("/home/coordinator").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Activity.status).where(Activity.uuid == overdue_uuid)).scalar_one() == "cancelled"
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert "activity.cancel" in actions and "activity.create" in actions


def test_marking_done_clears_what_was_emptied_and_cancelling_twice_is_refused(app, ctx):
    user = _coordinator()
    planned = make_activity(user, bulletin_line="En heldag kommer att genomföras under perioden.", notes="Boka lokal.")
    activities.mark_done(user, planned, activities.DoneInput(held_on=date(2018, 11, 20)))
    assert planned.bulletin_line is None and planned.notes is None
    other = make_activity(user)
    activities.cancel(user, other)
    with pytest.raises(activities.ActivityError):
        activities.cancel(user, other)


def test_a_single_line_field_refuses_line_breaks(app, client, auth):
    with app.app_context():
        _coordinator()
    auth.login("s@gavle.example")
    page = post_form(client, "/activities/new", dict(TRAINING_FORM, title="Två\nrader")).get_data(as_text=True)
    assert "utan radbrytningar" in page


def test_marking_done_from_the_start_page_returns_there(app, client, auth):
    with app.app_context():
        user = _coordinator()
        today = local_today()
        uuid = make_activity(user, held_on=today - timedelta(days=3), today=today).uuid
    auth.login("s@gavle.example")
    page = client.get("/home/coordinator").get_data(as_text=True)
    assert f"/activities/{uuid}/done?next=/home/coordinator" in page
    response = post_form(client, f"/activities/{uuid}/done?next=/home/coordinator",
                         {"held_on": (today - timedelta(days=3)).isoformat()})
    assert response.headers["Location"].endswith("/home/coordinator")
    elsewhere = post_form(client, f"/activities/{uuid}/done?next=https://evil.example/", {"held_on": today.isoformat()})
    assert elsewhere.headers["Location"].endswith(f"/activities/{uuid}")
