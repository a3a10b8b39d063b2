"""The admin's account pages: create, edit, deactivate/reactivate, end
sessions, new activation link, the safety rules, and 403 for everyone else."""
import re
import uuid

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth import services
from coordinator.auth.models import ActivationToken
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, post_form

LINK_RE = re.compile(r"<code>(http://localhost/auth/activate/[A-Za-z0-9_-]+)</code>")
CHOSEN = "sommarstugan vid sjön är röd"
LAST_ADMIN = "Det måste finnas minst en aktiv administratör."


@pytest.fixture
def admin(app, client):
    """A logged-in admin; returns the admin's id."""
    with app.app_context():
        user_id = make_user("admin@gavle.example", roles=("admin",), name="Ada Admin").id
    response = post_form(client, "/auth/login", {"email": "admin@gavle.example", "password": PASSWORD})
    assert response.status_code == 302
    return user_id


def user(app, email):
    with app.app_context():
        found = services.find_user_by_email(email)
        if found is not None:
            _ = found.role_set  # load the roles before the context closes
            db.session.expunge(found)
        return found


def audit(app, action):
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars().all()
        db.session.expunge_all()
        return rows


def checked_roles(html):
    """The role checkboxes that are ticked on a rendered user form."""
    tags = re.findall(r'<input[^>]*name="roles"[^>]*>', html)
    assert len(tags) == 4
    return {re.search(r'value="([a-z]+)"', t).group(1) for t in tags if re.search(r"\bchecked\b", t)}


def create(client, email="karin@gavle.se", name="Karin Lind", unit="Socialtjänst", roles=("officer",)):
    return post_form(client, "/admin/users/new",
                     {"email": email, "display_name": name, "unit": unit, "roles": list(roles)})


def test_user_list(app, client, admin):
    """The list shows every account with its roles, unit and state."""
    with app.app_context():
        make_user("anna@gavle.example", roles=("officer", "editor"), unit="Skola", name="Anna Berg")
        make_user("bo@gavle.example", active=False, name="Bo Ek")
        services.create_user("cecilia@gavle.example", "Cecilia Ny", ["coordinator"])
        db.session.commit()
    html = client.get("/admin/users").get_data(as_text=True)
    assert "<h1>Konton</h1>" in html
    assert "Anna Berg" in html and "Redaktör för nyhetsbrevet, Handläggare" in html and "Skola" in html
    assert "Inaktiverat" in html
    assert "Väntar på aktivering" in html
    assert "Aktivt" in html


def test_create_user_shows_activation_link_once(app, client, admin):
    """Creating an account that cannot read cases shows its activation link once; the link
    works; an audit event is written."""
    page = client.get("/admin/users/new")
    assert page.status_code == 200
    response = create(client, email="Karin@Gavle.se", roles=("editor",))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = LINK_RE.search(html).group(1)
    assert "Länken visas bara nu." in html
    assert "gäller i 72 timmar" in html

    created = user(app, "karin@gavle.se")
    assert created.display_name == "Karin Lind"
    assert created.unit == "Socialtjänst"
    assert created.role_set == {"editor"}
    assert created.password_hash is None
    token = link.rsplit("/", 1)[1]
    # Only a hash is stored; the list page does not show the link again.
    with app.app_context():
        hashes = db.session.execute(select(ActivationToken.token_hash)).scalars().all()
        assert token not in hashes
    assert token not in client.get("/admin/users").get_data(as_text=True)

    (event,) = [e for e in audit(app, "user.create") if e.object_uuid == created.uuid]
    assert event.actor_id == admin
    (issued,) = [e for e in audit(app, "user.activation_issued") if e.object_uuid == created.uuid]
    assert issued.actor_id == admin

    person = app.test_client()
    assert person.get(link.replace("http://localhost", ""), follow_redirects=True).status_code == 200
    response = post_form(person, "/auth/activate", {"new_password": CHOSEN, "confirm": CHOSEN})
    assert response.status_code == 302
    response = post_form(person, "/auth/login", {"email": "karin@gavle.se", "password": CHOSEN})
    assert response.status_code == 302


@pytest.mark.parametrize("email", ["inte-en-adress", "karin@", "@gavle.se", "karin gavle.se"])
def test_invalid_email_is_a_field_error_and_keeps_input(app, client, admin, email):
    """An invalid e-mail gives a Swedish error on that field and keeps everything typed."""
    response = create(client, email=email, name="Karin Lind", unit="Socialtjänst", roles=("officer", "editor"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skriv en giltig e-postadress, t.ex. namn@gavle.se." in html
    assert 'id="email-error"' in html
    assert f'value="{email}"' in html
    assert 'value="Karin Lind"' in html
    assert 'value="Socialtjänst"' in html
    assert checked_roles(html) == {"officer", "editor"}
    with app.app_context():
        assert len(services.list_users()) == 1


def test_duplicate_email_is_a_field_error_and_keeps_input(app, client, admin):
    """An e-mail already in use (in any case) is refused on the field, keeping what was typed."""
    with app.app_context():
        make_user("karin@gavle.se")
    created_before = len(audit(app, "user.create"))
    response = create(client, email="KARIN@gavle.se", name="Karin Andra", unit="Fritid")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det finns redan ett konto med den e-postadressen." in html
    assert 'id="email-error"' in html
    assert 'value="KARIN@gavle.se"' in html
    assert 'value="Karin Andra"' in html and 'value="Fritid"' in html
    assert LINK_RE.search(html) is None
    with app.app_context():
        assert len(services.list_users()) == 2
    assert len(audit(app, "user.create")) == created_before


def test_missing_name_and_role_are_field_errors(app, client, admin):
    """Name and at least one role are required."""
    response = create(client, name="", roles=())
    html = response.get_data(as_text=True)
    assert "Fyll i ett namn." in html
    assert "Välj minst en roll." in html
    assert user(app, "karin@gavle.se") is None


def test_edit_roles_name_and_unit(app, client, admin):
    """The edit page changes roles, name and unit, not the e-mail; it is audited."""
    with app.app_context():
        target = make_user("anna@gavle.example", roles=("officer",), unit="Skola", name="Anna Berg")
        target_uuid = target.uuid
    page = client.get(f"/admin/users/{target_uuid}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Anna Berg"' in html and 'value="Skola"' in html
    assert checked_roles(html) == {"officer"}

    response = post_form(client, f"/admin/users/{target_uuid}/edit", {
        "email": "kapad@evil.example", "display_name": "Anna Ek", "unit": "Fritid",
        "roles": ["admin", "editor"],
    })
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    edited = user(app, "anna@gavle.example")
    assert edited.display_name == "Anna Ek"
    assert edited.unit == "Fritid"
    assert edited.role_set == {"admin", "editor"}
    assert user(app, "kapad@evil.example") is None
    (event,) = audit(app, "user.update")
    assert event.actor_id == admin and event.object_uuid == target_uuid


def test_edit_without_role_is_refused(app, client, admin):
    """Removing every role is refused with a Swedish message; nothing changes."""
    with app.app_context():
        target_uuid = make_user("anna@gavle.example", roles=("officer",), name="Anna Berg").uuid
    response = post_form(client, f"/admin/users/{target_uuid}/edit",
                         {"display_name": "Anna Ek", "unit": ""})
    assert "Välj minst en roll." in response.get_data(as_text=True)
    assert user(app, "anna@gavle.example").display_name == "Anna Berg"


def test_unknown_user_is_404(app, client, admin):
    """A made-up or malformed user id gives 404 on the edit page and the actions."""
    assert client.get(f"/admin/users/{uuid.uuid4()}/edit").status_code == 404
    assert client.get("/admin/users/not-a-uuid/edit").status_code == 404
    assert post_form(client, f"/admin/users/{uuid.uuid4()}/deactivate").status_code == 404
    assert post_form(client, "/admin/users/1/deactivate").status_code == 404


def test_admin_cannot_remove_own_admin_role(app, client, admin):
    """An admin cannot change their own roles (so neither drop the last admin role nor
    grant themselves the coordinator's)."""
    admin_uuid = user(app, "admin@gavle.example").uuid
    response = post_form(client, f"/admin/users/{admin_uuid}/edit",
                         {"display_name": "Ada Admin", "unit": "", "roles": ["coordinator"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Du kan inte ändra dina egna roller" in html
    assert 'id="roles-error"' in html
    assert user(app, "admin@gavle.example").role_set == {"admin"}
    assert client.get("/admin/users").status_code == 200


def test_last_admin_cannot_lose_admin_role(app):
    """The service refuses to take the admin role from the only active admin (e.g. from the CLI);
    a deactivated admin does not count as another one."""
    import pytest as _pytest

    with app.test_request_context():
        only = make_user("ensam@gavle.example", roles=("admin",))
        make_user("gammal@gavle.example", roles=("admin",), active=False)
        with _pytest.raises(services.PolicyError, match=LAST_ADMIN):
            services.update_user(only, display_name="Ensam", roles=["coordinator"], unit=None, actor=None)
        db.session.rollback()
        assert services.find_user_by_email("ensam@gavle.example").role_set == {"admin"}


def test_admin_role_can_be_removed_when_another_admin_exists(app, client, admin):
    """An admin can take the admin role from another admin while they themselves remain."""
    with app.app_context():
        make_user("admin2@gavle.example", roles=("admin",))
    other_uuid = user(app, "admin2@gavle.example").uuid
    response = post_form(client, f"/admin/users/{other_uuid}/edit",
                         {"display_name": "Andra Admin", "unit": "", "roles": ["editor"]})
    assert response.status_code == 302
    assert user(app, "admin2@gavle.example").role_set == {"editor"}


def test_deactivate_and_reactivate(app, client, admin):
    """Deactivation blocks login and is audited; reactivation allows it again."""
    with app.app_context():
        target_uuid = make_user("anna@gavle.example").uuid
    response = post_form(client, f"/admin/users/{target_uuid}/deactivate")
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Kontot är inaktiverat och alla dess sessioner är avslutade." in page
    assert user(app, "anna@gavle.example").active is False
    assert user(app, "anna@gavle.example").deactivated_at is not None
    assert audit(app, "user.deactivate")[0].actor_id == admin
    person = app.test_client()
    assert post_form(person, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD}).status_code == 200

    response = post_form(client, f"/admin/users/{target_uuid}/reactivate")
    assert response.status_code == 302
    assert "Kontot är aktiverat igen." in client.get("/admin/users").get_data(as_text=True)
    assert user(app, "anna@gavle.example").active is True
    assert user(app, "anna@gavle.example").deactivated_at is None
    assert audit(app, "user.reactivate")[0].actor_id == admin
    assert post_form(person, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD}).status_code == 302


def test_cannot_deactivate_yourself(app, client, admin):
    """An admin cannot deactivate their own account (even with another admin present)."""
    with app.app_context():
        make_user("admin2@gavle.example", roles=("admin",))
    admin_uuid = user(app, "admin@gavle.example").uuid
    response = post_form(client, f"/admin/users/{admin_uuid}/deactivate")
    assert response.status_code == 302
    assert "Du kan inte inaktivera ditt eget konto." in client.get("/admin/users").get_data(as_text=True)
    assert user(app, "admin@gavle.example").active is True
    assert audit(app, "user.deactivate") == []


def test_deactivating_another_admin(app, client, admin):
    """Another admin can be deactivated while the acting admin remains."""
    with app.app_context():
        other_uuid = make_user("admin2@gavle.example", roles=("admin",)).uuid
    post_form(client, f"/admin/users/{other_uuid}/deactivate")
    assert user(app, "admin2@gavle.example").active is False


def test_end_sessions_is_audited(app, client, admin):
    """"End sessions" ends the user's sessions and writes an audit event."""
    with app.app_context():
        target_uuid = make_user("anna@gavle.example").uuid
    person = app.test_client()
    post_form(person, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD})
    assert person.get("/home/officer").status_code == 200
    assert post_form(client, f"/admin/users/{target_uuid}/end-sessions").status_code == 302
    assert person.get("/home/officer").status_code == 302
    (event,) = audit(app, "user.sessions_ended")
    assert event.actor_id == admin and event.object_uuid == target_uuid and event.detail == "admin"


def test_new_activation_link(app, client, admin):
    """A new link for an account that cannot read cases is shown once, works, and the
    earlier link stops working."""
    with app.app_context():
        _target, first = services.create_user("ny@gavle.example", "Ny Person", ["editor"])
        db.session.commit()
        target_uuid = _target.uuid
    response = post_form(client, f"/admin/users/{target_uuid}/activation-link")
    assert response.status_code == 200
    link = LINK_RE.search(response.get_data(as_text=True)).group(1)
    path = link.replace("http://localhost", "")
    person = app.test_client()
    assert person.get(f"/auth/activate/{first}").status_code == 404
    assert person.get(path, follow_redirects=True).status_code == 200
    assert post_form(person, "/auth/activate", {"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 302
    issued = [e for e in audit(app, "user.activation_issued") if e.object_uuid == target_uuid]
    assert [e.actor_id for e in issued] == [None, admin]


def test_activation_link_action_needs_post(app, client, admin):
    """Actions that change state answer 405 to GET."""
    target_uuid = user(app, "admin@gavle.example").uuid
    for action in ("deactivate", "reactivate", "end-sessions", "activation-link", "two-factor/reset"):
        assert client.get(f"/admin/users/{target_uuid}/{action}").status_code == 405


ADMIN_ROUTES = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{uuid}/edit"),
    ("POST", "/admin/users/{uuid}/edit"),
    ("POST", "/admin/users/{uuid}/deactivate"),
    ("GET", "/admin/users/{uuid}/deactivate/confirm"),
    ("POST", "/admin/users/{uuid}/reactivate"),
    ("POST", "/admin/users/{uuid}/end-sessions"),
    ("POST", "/admin/users/{uuid}/activation-link"),
    ("POST", "/admin/users/{uuid}/two-factor/reset"),
]


def test_admin_routes_cover_the_blueprint(app):
    """The list above names every admin route, so the 403 test below covers them all."""
    listed = {(method, path.replace("{uuid}", "<uuid:user_uuid>")) for method, path in ADMIN_ROUTES}
    actual = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert actual == listed


@pytest.mark.parametrize("roles", [("officer",), ("coordinator",), ("editor",),
                                   ("coordinator", "officer", "editor")])
def test_non_admins_get_403_everywhere(app, client, roles):
    """Every admin route answers 403 to a logged-in user without the admin role, and changes nothing."""
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
        target = make_user("anna@gavle.example", roles=("officer",))
        target_uuid = target.uuid
        make_user("user@gavle.example", roles=roles)
    post_form(client, "/auth/login", {"email": "user@gavle.example", "password": PASSWORD})
    for method, path in ADMIN_ROUTES:
        url = path.replace("{uuid}", str(target_uuid))
        if method == "GET":
            response = client.get(url)
        else:
            response = post_form(client, url, {"email": "x@gavle.se", "display_name": "X", "roles": ["admin"]})
        assert response.status_code == 403, (method, url)
        assert "Åtkomst nekad" in response.get_data(as_text=True)
    anna = user(app, "anna@gavle.example")
    assert anna.active and anna.role_set == {"officer"} and anna.display_name != "X"
    assert user(app, "x@gavle.se") is None
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert not [a for a in actions if a.startswith("user.") and a not in ("user.create", "user.activation_issued")]


def test_names_are_escaped_on_the_admin_pages(app, client, admin):
    """A display name or unit containing markup is shown as text, never as HTML."""
    with app.app_context():
        make_user("anna@gavle.example", name="<b>Anna</b><script>x()</script>", unit="<i>Skola</i>")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "<script>x()</script>" not in html and "<i>Skola</i>" not in html
    assert "&lt;b&gt;Anna&lt;/b&gt;" in html


def test_admin_cannot_change_own_roles_and_role_grants_are_audited(app, client):
    """An admin cannot give themselves the coordinator role (a way to case content); a role
    change made for someone else is recorded with the new roles."""
    from sqlalchemy import select

    from coordinator.audit.models import AuditEvent
    from tests.helpers import AuthActions, post_form

    with app.app_context():
        admin = make_user("chef@gavle.example", roles=("admin",))
        other = make_user("kollega@gavle.example", roles=("officer",))
        admin_uuid, other_uuid = admin.uuid, other.uuid
    AuthActions(client).login("chef@gavle.example")
    response = post_form(client, f"/admin/users/{admin_uuid}/edit",
                         {"email": "chef@gavle.example", "display_name": "Chef", "roles": ["admin", "coordinator"]})
    assert response.status_code == 200
    assert "Du kan inte ändra dina egna roller" in response.get_data(as_text=True)
    response = post_form(client, f"/admin/users/{other_uuid}/edit",
                         {"email": "kollega@gavle.example", "display_name": "Kollega", "roles": ["officer", "editor"]})
    assert response.status_code == 302
    with app.app_context():
        details = db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "user.update")).scalars().all()
        assert details == ["roles:editor.officer"]
        from coordinator.auth.services import find_user_by_email

        assert find_user_by_email("chef@gavle.example").role_set == {"admin"}


def test_deactivation_asks_first_and_actions_fit_the_row(app, client, admin):
    """A confirmation page before deactivating; no deactivate or end-sessions on one's own
    row, and no end-sessions for an account still awaiting activation; names sorted without case."""
    with app.app_context():
        target = make_user("anna@gavle.example", name="anna Berg")
        make_user("bo@gavle.example", name="Bo Ek")
        services.create_user("ny@gavle.example", "Cecilia Ny", ["editor"])
        db.session.commit()
        target_uuid, admin_uuid = target.uuid, user(app, "admin@gavle.example").uuid
    html = client.get("/admin/users").get_data(as_text=True)
    assert html.index("Ada Admin") < html.index("anna Berg") < html.index("Bo Ek") < html.index("Cecilia Ny")
    own_row = html.split("Ada Admin", 1)[1].split("</tr>", 1)[0]
    assert "Inaktivera" not in own_row and "Avsluta sessioner" not in own_row
    pending_row = html.split("Cecilia Ny", 1)[1].split("</tr>", 1)[0]
    assert "Avsluta sessioner" not in pending_row and "Inaktivera" in pending_row
    assert f"/admin/users/{target_uuid}/deactivate/confirm" in html
    confirm = client.get(f"/admin/users/{target_uuid}/deactivate/confirm").get_data(as_text=True)
    assert "Inaktivera anna Berg?" in confirm and "Ja, inaktivera kontot" in confirm
    assert user(app, "anna@gavle.example").active  # looking at the question changes nothing
    post_form(client, f"/admin/users/{target_uuid}/deactivate")
    assert not user(app, "anna@gavle.example").active
    assert client.get(f"/admin/users/{admin_uuid}/deactivate/confirm").status_code == 200
