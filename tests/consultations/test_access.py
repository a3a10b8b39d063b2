"""The access matrix: every consultation route for officer A (owner), officer B,
the coordinator, the editor and the admin."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ..helpers import post_form
from .conftest import CONSULTATION_FORM, REQUEST_FORM

# (method, path template, {actor: expected status})
MATRIX = [
    ("GET", "/consultations/", {"a": 403, "b": 403, "coordinator": 200, "editor": 403, "admin": 403}),
    ("GET", "/consultations/new", {"a": 403, "b": 403, "coordinator": 200, "editor": 403, "admin": 403}),
    ("GET", "/consultations/request", {"a": 200, "b": 200, "coordinator": 403, "editor": 403, "admin": 403}),
    ("GET", "/consultations/mine", {"a": 200, "b": 200, "coordinator": 403, "editor": 403, "admin": 403}),
    ("GET", "/consultations/{uuid}", {"a": 200, "b": 404, "coordinator": 200, "editor": 403, "admin": 403}),
    ("GET", "/consultations/{uuid}/edit", {"a": 403, "b": 403, "coordinator": 200, "editor": 403, "admin": 403}),
    ("POST", "/consultations/{uuid}/status", {"a": 403, "b": 403, "coordinator": 302, "editor": 403, "admin": 403}),
    ("POST", "/consultations/{uuid}/messages", {"a": 302, "b": 404, "coordinator": 302, "editor": 403, "admin": 403}),
    ("POST", "/consultations/search", {"a": 403, "b": 403, "coordinator": 200, "editor": 403, "admin": 403}),
    ("POST", "/consultations/new", {"a": 403, "b": 403, "coordinator": 302, "editor": 403, "admin": 403}),
    ("POST", "/consultations/request", {"a": 302, "b": 302, "coordinator": 403, "editor": 403, "admin": 403}),
    ("POST", "/consultations/{uuid}/edit", {"a": 403, "b": 403, "coordinator": 302, "editor": 403, "admin": 403}),
]

FORMS = {
    "/new": CONSULTATION_FORM,
    "/request": REQUEST_FORM,
    "/edit": dict(CONSULTATION_FORM, received_on=datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()),
    "/status": {"status": "ongoing"},
    "/messages": {"body": "Tack, vi återkommer efter mötet med skolan."},
    "/search": {"query": "skolan"},
}


@pytest.mark.parametrize("actor", ["a", "b", "coordinator", "editor", "admin"])
def test_access_matrix(app, client, auth, cast, actor):
    """Each actor gets exactly the expected status on every route; a foreign request is a 404."""
    email = {"a": cast.officer_a, "b": cast.officer_b, "coordinator": cast.coordinator,
             "editor": cast.editor, "admin": cast.admin}[actor]
    auth.login(email)
    for method, template, expected in MATRIX:
        path = template.format(uuid=cast.request_a)
        if method == "GET":
            response = client.get(path)
        else:
            data = next((v for k, v in FORMS.items() if path.endswith(k)), {})
            response = post_form(client, path, data)
        assert response.status_code == expected[actor], f"{actor} {method} {path}"


def test_anonymous_is_sent_to_login_everywhere(client, cast):
    """Without login, every consultation page redirects to the login page."""
    for method, template, _expected in MATRIX:
        path = template.format(uuid=cast.request_a)
        response = client.get(path) if method == "GET" else client.post(path)
        assert response.status_code in (302, 400), path
        if response.status_code == 302:
            assert "/auth/login" in response.headers["Location"]


def test_unknown_or_malformed_uuid_is_404(client, auth, cast):
    """A consultation that does not exist, or a malformed id, is a 404 for the coordinator."""
    auth.login(cast.coordinator)
    assert client.get("/consultations/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/consultations/not-a-uuid").status_code == 404


def test_editor_and_admin_never_see_case_text(app, client, auth, cast):
    """No page an editor or admin can open shows the situation text."""
    for email in (cast.editor, cast.admin):
        auth.login(email)
        for path in ("/home/", "/home/editor", "/admin/users", f"/consultations/{cast.request_a}"):
            page = client.get(path, follow_redirects=True).get_data(as_text=True)
            assert "inte får vara med" not in page and "hårda regler" not in page
        auth.logout()


def test_only_the_canonical_uuid_spelling_opens_a_consultation(client, auth, cast):
    """Other spellings of the same UUID (no hyphens, braces, urn:) are 404: one address per record."""
    auth.login(cast.coordinator)
    assert client.get(f"/consultations/{cast.request_a}").status_code == 200
    for spelling in (cast.request_a.hex, "{" + str(cast.request_a) + "}", f"urn:uuid:{cast.request_a}",
                     str(cast.request_a).upper()):
        assert client.get(f"/consultations/{spelling}").status_code == 404, spelling


def test_officer_sees_no_link_to_a_follow_up_target_they_cannot_open(app, client, auth, cast):
    """When the coordinator links officer A's request to another officer's case, A sees no link to it."""
    from sqlalchemy import select

    from coordinator.consultations.models import Consultation
    from coordinator.extensions import db

    from ..factories import make_consultation

    with app.app_context():
        from coordinator.auth.services import find_user_by_email

        other = make_consultation(None, officer=find_user_by_email(cast.officer_b))
        mine = db.session.execute(select(Consultation).where(Consultation.uuid == cast.request_a)).scalar_one()
        mine.follows_up_id = other.id
        db.session.commit()
        other_uuid = str(other.uuid)
    auth.login(cast.officer_a)
    page = client.get(f"/consultations/{cast.request_a}").get_data(as_text=True)
    assert other_uuid not in page
