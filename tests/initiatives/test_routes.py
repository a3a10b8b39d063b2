"""The initiative pages through the real forms, on both databases: who reaches them, the
list's filters and pages, creating and editing with partners, the progress log, the
anonymity guard on every free-text field, bad input (a Swedish message, what was typed
kept, nothing saved, never a 500) and the audit events."""
import html
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coordinator.audit.models import AuditEvent
from coordinator.auth.services import find_user_by_email
from coordinator.extensions import db
from coordinator.initiatives import services
from coordinator.initiatives.models import Initiative, ProgressNote

from ..helpers import post_form, valid_personnummer
from .conftest import INITIATIVE_FORM, make_activity, make_initiative, make_partner, today_in_gavle

NOTE_FORM = {
    "noted_on": "2018-10-03",
    "note": "Styrgruppen har godkänt upplägget och arbetsgruppen träffas varannan vecka.",
    "bulletin_line": "Arbetet fortskrider inom arbetsgruppen och finansiering och struktur tar sakta form.",
}


@pytest.fixture
def seeded(app, cast):
    """An initiative with one partner, made by the coordinator: (initiative uuid, partner uuid)."""
    with app.app_context():
        coordinator = find_user_by_email(cast.coordinator)
        partner = make_partner(coordinator, "Familjecentralen i Sätra")
        initiative = make_initiative(coordinator, "Samarbete med familjecentralen i Sätra om könsstympning",
                                     kind="collaboration", area="hrv", partners=[partner])
        return initiative.uuid, partner.uuid


def _count(app, model=Initiative):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _events(app, action):
    with app.app_context():
        return db.session.execute(
            select(AuditEvent.object_uuid, AuditEvent.detail).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def _submit(client, path, form):
    response = post_form(client, path, form)
    return response, response.get_data(as_text=True)


# Access ----------------------------------------------------------------------------------

# (method, path, the coordinator's status); everyone else with a role gets 403.
ROUTES = [
    ("GET", "/initiatives/", 200),
    ("GET", "/initiatives/new", 200),
    ("POST", "/initiatives/new", 302),
    ("GET", "/initiatives/{uuid}", 200),
    ("GET", "/initiatives/{uuid}/edit", 200),
    ("POST", "/initiatives/{uuid}/edit", 302),
    ("POST", "/initiatives/{uuid}/notes", 302),
]
FORMS = {"/new": INITIATIVE_FORM, "/edit": INITIATIVE_FORM, "/notes": NOTE_FORM}


def _form_for(path):
    return next((form for suffix, form in FORMS.items() if path.endswith(suffix)), {})


def test_the_matrix_covers_every_route_of_the_blueprint(app):
    rules = {
        (method, rule.rule.replace("<uuid:initiative_uuid>", "{uuid}"))
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("initiatives.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == {(method, path) for method, path, _status in ROUTES}


@pytest.mark.parametrize("actor", ["coordinator", "officer_a", "editor", "admin"])
def test_access_matrix(app, client, auth, cast, seeded, actor):
    """The coordinator reaches every route; an officer, the editor and the admin get 403
    everywhere, and none of their POSTs changes anything."""
    initiative_uuid, _partner_uuid = seeded
    auth.login(getattr(cast, actor))
    for method, template, coordinator_status in ROUTES:
        path = template.format(uuid=initiative_uuid)
        response = client.get(path) if method == "GET" else post_form(client, path, _form_for(path))
        expected = coordinator_status if actor == "coordinator" else 403
        assert response.status_code == expected, f"{actor} {method} {path}"
    if actor != "coordinator":
        assert _count(app) == 1 and _count(app, ProgressNote) == 0
        assert _events(app, "initiative.view") == []


def test_anonymous_is_sent_to_login_everywhere(client, seeded):
    initiative_uuid, _partner_uuid = seeded
    for method, template, _status in ROUTES:
        path = template.format(uuid=initiative_uuid)
        response = client.get(path) if method == "GET" else post_form(client, path, _form_for(path))
        assert response.status_code == 302, path
        assert "/auth/login" in response.headers["Location"], path


def test_unknown_or_non_canonical_uuid_is_404(client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    for path in (f"/initiatives/{uuid.uuid4()}", f"/initiatives/{uuid.uuid4()}/edit",
                 f"/initiatives/{str(initiative_uuid).upper()}", f"/initiatives/{initiative_uuid.hex}"):
        assert client.get(path).status_code == 404, path
    assert post_form(client, f"/initiatives/{uuid.uuid4()}/notes", NOTE_FORM).status_code == 404


# Creating and editing ----------------------------------------------------------------------

def test_create_with_partners_through_the_form_and_see_them_on_the_page(app, client, auth, cast):
    with app.app_context():
        coordinator = find_user_by_email(cast.coordinator)
        violence = make_partner(coordinator, "Samordnaren mot våld i nära relationer")
        college = make_partner(coordinator, "Högskolan i Gävle", kind="academia")
        violence_uuid, college_uuid = violence.uuid, college.uuid
    auth.login(cast.coordinator)
    form_page = client.get("/initiatives/new").get_data(as_text=True)
    assert "Samordnaren mot våld i nära relationer" in form_page and 'name="partners"' in form_page
    response = post_form(client, "/initiatives/new", dict(INITIATIVE_FORM, partners=[str(violence_uuid)]))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Satsningen är sparad." in page
    assert "<h1>Projekt för att utbilda unga förebilder</h1>" in page
    assert f'href="/partners/{violence_uuid}">Samordnaren mot våld i nära relationer</a>' in page
    assert str(college_uuid) not in page
    assert "Projekt" in page and "Hedersrelaterat våld (HRV)" in page and "1 september 2018" in page
    with app.app_context():
        saved = db.session.execute(select(Initiative)).scalar_one()
        assert (saved.kind, saved.area, saved.status, saved.starts_on, saved.ends_on) == (
            "project", "hrv", "ongoing", date(2018, 9, 1), date(2019, 6, 30))
        assert [p.uuid for p in saved.partners] == [violence_uuid]
        saved_uuid = saved.uuid
    assert _events(app, "initiative.create") == [(saved_uuid, None)]


def test_edit_form_shows_what_is_saved_and_saves_changes(app, client, auth, cast, seeded):
    initiative_uuid, partner_uuid = seeded
    auth.login(cast.coordinator)
    page = client.get(f"/initiatives/{initiative_uuid}/edit").get_data(as_text=True)
    assert 'value="Samarbete med familjecentralen i Sätra om könsstympning"' in page
    assert re.search(rf'<option selected value="{partner_uuid}">', page)
    assert _events(app, "initiative.view") == [(initiative_uuid, None)]  # the form shows the texts
    form = dict(INITIATIVE_FORM, title="Samarbete med familjecentralen i Sätra om könsstympning",
                kind="collaboration", status="paused")  # no partner chosen any more
    response = post_form(client, f"/initiatives/{initiative_uuid}/edit", form)
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.execute(select(Initiative)).scalar_one()
        assert saved.status == "paused" and saved.partners == []
        assert saved.description == INITIATIVE_FORM["description"]
    [(_uuid, detail)] = _events(app, "initiative.update")
    assert detail == "fields:description.ends_on.partners.starts_on.status"


def test_closing_on_the_edit_form_without_an_end_date_ends_it_today(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    form = dict(INITIATIVE_FORM, status="closed", ends_on="")
    assert post_form(client, f"/initiatives/{initiative_uuid}/edit", form).status_code == 302
    page = client.get(f"/initiatives/{initiative_uuid}").get_data(as_text=True)
    assert "Avslutad" in page
    with app.app_context():
        assert db.session.execute(select(Initiative.ends_on)).scalar_one() == today_in_gavle()


def test_end_before_start_is_shown_on_the_end_date_with_what_was_typed(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    form = dict(INITIATIVE_FORM, starts_on="2019-03-01", ends_on="2019-02-28")
    for path in ("/initiatives/new", f"/initiatives/{initiative_uuid}/edit"):
        response, page = _submit(client, path, form)
        assert response.status_code == 200, path
        assert "Slutdatumet kan inte ligga före startdatumet." in page
        assert 'id="ends_on-error"' in page and 'value="2019-02-28"' in page
        assert INITIATIVE_FORM["description"] in page
    assert _count(app) == 1
    assert _events(app, "initiative.create") == [(initiative_uuid, None)]  # only the seeded one
    assert _events(app, "initiative.update") == []


BAD_INPUT = [
    ({"title": ""}, "Skriv satsningens namn."),
    ({"title": "   "}, "Skriv satsningens namn."),
    ({"title": "x" * 10_001}, "Texten får vara högst 200 tecken lång."),
    ({"description": "Lång text. " * 1000}, "Texten får vara högst 10 000 tecken lång."),
    ({"kind": ""}, "Välj typ av satsning."),
    ({"kind": "party"}, "Inte ett giltigt val"),
    ({"area": "other"}, "Inte ett giltigt val"),
    ({"status": "forgotten"}, "Inte ett giltigt val"),
    ({"starts_on": "igår"}, "Inte ett giltigt datum"),
    ({"ends_on": "2019-02-30"}, "Inte ett giltigt datum"),
    ({"partners": str(uuid.uuid4())}, "ur listan."),
    ({"partners": "inte-ett-id"}, "ur listan."),
    ({"description": f"Flickan har personnummer {valid_personnummer()}."}, "kan identifiera en person"),
    ({"title": "Projekt med Amira Hassan"}, "verkar innehålla personnamn"),
]


@pytest.mark.parametrize("change,message", BAD_INPUT)
def test_bad_input_on_the_initiative_form(app, client, auth, cast, change, message):
    auth.login(cast.coordinator)
    form = dict(INITIATIVE_FORM, **change)
    response, page = _submit(client, "/initiatives/new", form)
    assert response.status_code == 200
    assert message in page and "Formuläret innehåller fel" in page and 'aria-invalid="true"' in page
    kept = form["title"] if "title" not in change or change["title"].strip() else form["description"]
    assert html.escape(kept, quote=True)[:200] in page
    assert _count(app) == 0


def test_guard_marks_the_identifier_in_the_description(app, client, auth, cast):
    auth.login(cast.coordinator)
    text = f"Flickan har personnummer {valid_personnummer()}."
    _response, page = _submit(client, "/initiatives/new", dict(INITIATIVE_FORM, description=text))
    assert f'<mark class="finding">{valid_personnummer()}' in page


def test_a_confirmed_name_in_the_title_is_saved_and_audited(app, client, auth, cast):
    """The title goes into the bulletin: a probable name is flagged, and saved once the
    coordinator confirms it is not a person (e.g. a place or a project's name)."""
    auth.login(cast.coordinator)
    form = dict(INITIATIVE_FORM, title="Projekt Fatima")
    _response, page = _submit(client, "/initiatives/new", form)
    assert 'name="title__not_person" value="Fatima"' in page
    response = post_form(client, "/initiatives/new", dict(form, title__not_person="Fatima"))
    assert response.status_code == 302
    assert [detail for _uuid, detail in _events(app, "anonymity.name_confirmed")] == ["title"]


# The progress log --------------------------------------------------------------------------

def test_a_note_through_the_form_is_shown_in_the_log(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    page = client.get(f"/initiatives/{initiative_uuid}").get_data(as_text=True)
    assert f'value="{today_in_gavle().isoformat()}"' in page  # the date defaults to today
    assert "Inga lägesrapporter ännu." in page
    response = post_form(client, f"/initiatives/{initiative_uuid}/notes", NOTE_FORM)
    assert response.status_code == 302 and response.headers["Location"].endswith("#lagesrapporter")
    page = client.get(f"/initiatives/{initiative_uuid}").get_data(as_text=True)
    assert "Anteckningen är sparad." in page
    assert NOTE_FORM["note"] in page and NOTE_FORM["bulletin_line"] in page and "3 oktober 2018" in page
    assert _count(app, ProgressNote) == 1
    assert _events(app, "initiative.note") == [(initiative_uuid, None)]


BAD_NOTES = [
    ({"noted_on": (date.today() + timedelta(days=2)).isoformat()}, "Datumet kan inte ligga i framtiden."),
    ({"noted_on": "imorgon"}, "Inte ett giltigt datum"),
    ({"noted_on": ""}, "Fyll i datumet."),
    ({"note": "", "bulletin_line": "  "}, "Skriv en anteckning, en rad till nyhetsbrevet eller båda."),
    ({"note": "Lång text. " * 1000}, "Texten får vara högst 10 000 tecken lång."),
    ({"bulletin_line": "Lång rad. " * 1001}, "Texten får vara högst 500 tecken lång."),
    ({"note": f"Flickan har personnummer {valid_personnummer()} enligt skolan."}, "kan identifiera en person"),
    ({"note": "Mamman nås på 070-123 45 67 dagtid."}, "kan identifiera en person"),
    ({"bulletin_line": "Ärendet Dnr 2018/1234 har avslutats."}, "kan identifiera en person"),
    ({"bulletin_line": "Vi träffade Fatima på familjecentralen."}, "verkar innehålla personnamn"),
]


@pytest.mark.parametrize("change,message", BAD_NOTES)
def test_a_refused_note_shows_the_page_again_with_what_was_typed(app, client, auth, cast, seeded, change, message):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    form = dict(NOTE_FORM, **change)
    response, page = _submit(client, f"/initiatives/{initiative_uuid}/notes", form)
    assert response.status_code == 200
    assert message in page and "Formuläret innehåller fel" in page
    assert "<h1>Samarbete med familjecentralen i Sätra om könsstympning</h1>" in page  # the page, again
    for name in ("note", "bulletin_line"):
        if form[name].strip():
            assert html.escape(form[name], quote=False)[:200] in page, name
    assert _count(app, ProgressNote) == 0


def test_a_personnummer_in_a_note_is_marked(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    form = dict(NOTE_FORM, note=f"Flickan har personnummer {valid_personnummer()}.")
    _response, page = _submit(client, f"/initiatives/{initiative_uuid}/notes", form)
    assert f'<mark class="finding">{valid_personnummer()}' in page


def test_a_name_in_a_bulletin_line_is_flagged_then_confirmed_and_audited(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    form = dict(NOTE_FORM, bulletin_line="Vi träffade Fatima på familjecentralen och planerade hösten.")
    _response, page = _submit(client, f"/initiatives/{initiative_uuid}/notes", form)
    assert "verkar innehålla personnamn" in page
    assert '<mark class="finding finding--warning">' in page
    assert 'name="bulletin_line__not_person" value="Fatima"' in page
    response = post_form(client, f"/initiatives/{initiative_uuid}/notes", dict(form, bulletin_line__not_person="Fatima"))
    assert response.status_code == 302
    assert _count(app, ProgressNote) == 1
    assert _events(app, "anonymity.name_confirmed") == [(initiative_uuid, "note.bulletin_line")]


def test_a_note_alone_or_a_bulletin_line_alone_is_saved(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    assert post_form(client, f"/initiatives/{initiative_uuid}/notes", dict(NOTE_FORM, bulletin_line="")).status_code == 302
    assert post_form(client, f"/initiatives/{initiative_uuid}/notes", dict(NOTE_FORM, note="")).status_code == 302
    assert _count(app, ProgressNote) == 2


# The page: the read, the activities ----------------------------------------------------------

def test_the_page_read_is_audited_each_time(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    auth.login(cast.coordinator)
    client.get(f"/initiatives/{initiative_uuid}")
    client.get(f"/initiatives/{initiative_uuid}")
    with app.app_context():
        coordinator_id = find_user_by_email(cast.coordinator).id
        actors = db.session.execute(
            select(AuditEvent.actor_id).where(AuditEvent.action == "initiative.view",
                                              AuditEvent.object_uuid == initiative_uuid)).scalars().all()
    assert actors == [coordinator_id, coordinator_id]


def test_the_activities_of_the_initiative_are_listed_newest_first_with_links(app, client, auth, cast, seeded):
    initiative_uuid, _partner_uuid = seeded
    with app.app_context():
        coordinator = find_user_by_email(cast.coordinator)
        initiative = services.get_initiative(initiative_uuid)
        other = make_initiative(coordinator, "Handlingsplan mot VBE")
        early = make_activity(coordinator, initiative, "Utbildning om könsstympning", date(2018, 9, 12))
        late = make_activity(coordinator, initiative, "Nätverksträff i Sätra", None, kind="network_meeting",
                             month=date(2018, 11, 1))
        make_activity(coordinator, other, "Föreläsning om VBE", date(2018, 10, 1), kind="lecture")
        early_uuid, late_uuid = early.uuid, late.uuid
    auth.login(cast.coordinator)
    page = client.get(f"/initiatives/{initiative_uuid}").get_data(as_text=True)
    assert "2 aktiviteter" in page and "Föreläsning om VBE" not in page
    assert page.index(f'href="/activities/{late_uuid}"') < page.index(f'href="/activities/{early_uuid}"')
    assert "november 2018" in page and "12 september 2018" in page


# The list ------------------------------------------------------------------------------------

def _listed(page):
    return re.findall(r'<a href="/initiatives/[0-9a-f-]{36}">([^<]+)</a>', page)


def test_list_filters_on_status_area_kind_and_partner(app, client, auth, cast):
    with app.app_context():
        coordinator = find_user_by_email(cast.coordinator)
        centre = make_partner(coordinator, "Familjecentralen i Sätra")
        college = make_partner(coordinator, "Högskolan i Gävle", kind="academia")
        make_initiative(coordinator, "Förebilder", kind="project", area="hrv")
        make_initiative(coordinator, "Handlingsplan", kind="action_plan", area="vbe", status="planned")
        make_initiative(coordinator, "Lägesbild", kind="collaboration", area="vbe", partners=[college])
        make_initiative(coordinator, "Könsstympning", kind="collaboration", area="hrv", status="paused",
                        partners=[centre])
        centre_uuid, college_uuid = centre.uuid, college.uuid
    auth.login(cast.coordinator)
    page = client.get("/initiatives/").get_data(as_text=True)
    assert f'<option value="{college_uuid}">Högskolan i Gävle</option>' in page
    assert "<caption>4 satsningar</caption>" in page
    cases = {
        "": {"Förebilder", "Handlingsplan", "Lägesbild", "Könsstympning"},
        "?status=planned": {"Handlingsplan"},
        "?area=hrv": {"Förebilder", "Könsstympning"},
        "?kind=collaboration": {"Lägesbild", "Könsstympning"},
        f"?partner={college_uuid}": {"Lägesbild"},
        f"?partner={centre_uuid}&status=paused": {"Könsstympning"},
        f"?partner={centre_uuid}&area=vbe": set(),
    }
    for query, expected in cases.items():
        page = client.get("/initiatives/" + query).get_data(as_text=True)
        assert set(_listed(page)) == expected, query
    assert _events(app, "initiative.list")[0] == (None, "rows:4")


@pytest.mark.parametrize("query", ["?partner=inte-ett-id", f"?partner={uuid.uuid4()}", "?kind=party",
                                   "?status=&area=weather", "?after=nonsense", "?before=2018-01-01_x",
                                   "?after=9999-12-31T00:00:00+00:00_1", "?page=abc&endpoint=x"])
def test_odd_filters_and_cursors_never_crash(app, client, auth, cast, seeded, query):
    auth.login(cast.coordinator)
    response = client.get("/initiatives/" + query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if "partner=" in query or "kind=" in query or "area=" in query:
        assert "Filtret kunde inte användas" in page
        assert _listed(page) == ["Samarbete med familjecentralen i Sätra om könsstympning"]  # unfiltered


def test_pages_of_25_newest_updated_first(app, client, auth, cast):
    with app.app_context():
        coordinator = find_user_by_email(cast.coordinator)
        made = [make_initiative(coordinator, f"Satsning {n:02d}") for n in range(30)]
        services.add_note(coordinator, made[0], date(2018, 10, 3), "Nytt läge.", None)
        db.session.commit()
    auth.login(cast.coordinator)
    first = client.get("/initiatives/?kind=action_plan").get_data(as_text=True)
    expected = ["Satsning 00"] + [f"Satsning {n:02d}" for n in range(29, 0, -1)]
    assert _listed(first) == expected[:25]
    assert "<caption>30 satsningar</caption>" in first
    next_link = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert "kind=action_plan" in next_link  # the filters stay on
    second = client.get(next_link).get_data(as_text=True)
    assert _listed(second) == expected[25:]
    assert 'rel="next"' not in second
    prev_link = html.unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert _listed(client.get(prev_link).get_data(as_text=True)) == expected[:25]
