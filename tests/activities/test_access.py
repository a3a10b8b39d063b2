"""The access matrix of the activity and partner pages: only the coordinator reaches any of
them; officers, the editor and the admin get 403, the anonymous the login page."""
import pytest
from flask import url_for
from sqlalchemy import select

from coordinator.auth.models import User
from coordinator.extensions import db
from coordinator.partners import services as partners

from ..factories import make_activity, make_partner
from ..helpers import post_form

# (method, endpoint, url arguments, form)
ROUTES = [
    ("GET", "activities.index", {}, None),
    ("GET", "activities.month", {}, None),
    ("GET", "activities.new", {}, None),
    ("POST", "activities.new", {}, {"kind": "training", "title": "Utbildning", "area": "hrv", "held_on": "2018-11-02"}),
    ("GET", "activities.detail", {"activity_uuid": "A"}, None),
    ("GET", "activities.edit", {"activity_uuid": "A"}, None),
    ("GET", "activities.done", {"activity_uuid": "A"}, None),
    ("POST", "activities.cancel", {"activity_uuid": "A"}, {}),
    ("GET", "partners.index", {}, None),
    ("GET", "partners.potential", {}, None),
    ("GET", "partners.new", {}, None),
    ("POST", "partners.new", {}, {"name": "Brynäs IF", "kind": "association", "area": "both", "status": "active"}),
    ("GET", "partners.detail", {"partner_uuid": "P"}, None),
    ("GET", "partners.edit", {"partner_uuid": "P"}, None),
    ("POST", "partners.add_contact", {"partner_uuid": "P"}, {"name": "Anna Berg"}),
    ("GET", "partners.edit_contact", {"partner_uuid": "P", "contact_uuid": "C"}, None),
    ("POST", "partners.remove_contact", {"partner_uuid": "P", "contact_uuid": "C"}, {}),
    ("POST", "partners.add_step", {"partner_uuid": "P"}, {"taken_on": "2018-11-05", "summary": "Första kontakt."}),
    ("GET", "partners.import_upload", {}, None),
    ("POST", "partners.export", {}, {}),
]
COORDINATOR_STATUS = {"GET": 200, "POST": (200, 302)}


@pytest.fixture
def records(app, cast):
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == cast.coordinator)).scalar_one()
        partner = make_partner(user)
        contact = partners.add_contact(user, partner, partners.ContactInput(name="Anna Berg"))
        activity = make_activity(user)
        db.session.commit()
        return {"A": str(activity.uuid), "P": str(partner.uuid), "C": str(contact.uuid)}


def _url(app, endpoint, args, records):
    with app.test_request_context():
        return url_for(endpoint, **{k: records[v] for k, v in args.items()})


def test_the_matrix_covers_every_route(app):
    """A new route of either blueprint must be added to the matrix (the preview and the
    done form's POST share their endpoint with a GET listed here or are tested in
    test_import_export.py)."""
    listed = {endpoint for _m, endpoint, _a, _f in ROUTES} | {"partners.import_preview"}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in ("activities", "partners")}
    assert routes == listed


@pytest.mark.parametrize("actor", ["officer_a", "editor", "admin"])
def test_only_the_coordinator_gets_in(app, client, auth, cast, records, actor):
    auth.login(getattr(cast, actor))
    for method, endpoint, args, form in ROUTES:
        url = _url(app, endpoint, args, records)
        response = client.get(url) if method == "GET" else post_form(client, url, form)
        assert response.status_code == 403, f"{actor} {method} {url}"


def test_the_coordinator_reaches_every_page(app, client, auth, cast, records):
    auth.login(cast.coordinator)
    for method, endpoint, args, form in ROUTES:
        url = _url(app, endpoint, args, records)
        response = client.get(url) if method == "GET" else post_form(client, url, form)
        expected = COORDINATOR_STATUS[method]
        assert response.status_code in (expected if isinstance(expected, tuple) else (expected,)), f"{method} {url}"


def test_the_anonymous_are_sent_to_login(app, client, records):
    for method, endpoint, args, _form in ROUTES:
        url = _url(app, endpoint, args, records)
        response = client.get(url) if method == "GET" else client.post(url)
        assert response.status_code in (302, 400), url
        if response.status_code == 302:
            assert "/auth/login" in response.headers["Location"]


def test_contacts_and_notes_never_reach_officers_or_editors(app, client, auth, cast, records):
    """No page an officer, editor or admin can open shows a contact person or activity notes."""
    with app.app_context():
        from coordinator.activities.models import Activity

        activity = db.session.execute(db.select(Activity)).scalar_one()
        activity.notes = "Hemlig anteckning om utbildningen"
        db.session.commit()
    for actor in ("officer_a", "editor", "admin"):
        auth.login(getattr(cast, actor))
        for path in ("/home/", "/consultations/mine", "/home/editor", "/admin/users",
                     f"/partners/{records['P']}", f"/activities/{records['A']}"):
            page = client.get(path, follow_redirects=True).get_data(as_text=True)
            assert "Anna Berg" not in page and "Hemlig anteckning" not in page, (actor, path)
        auth.logout()
