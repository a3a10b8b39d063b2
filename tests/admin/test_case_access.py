"""An admin alone can never reach case content: the coordinator role needs an existing
coordinator's approval, activation links of accounts that read cases never appear in
the admin's browser (they go to the account's own e-mail or come from the command
line), and the account holder is told of every change someone else makes."""
import re

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.auth import grants, services
from coordinator.auth.models import RoleGrant
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import AuthActions, post_form

LINK = re.compile(r"https?://[^\s\"<]+/auth/activate/[A-Za-z0-9_-]+")


def _login_admin(app, email="admin@gavle.example"):
    with app.app_context():
        make_user(email, roles=("admin",), name="Ada Admin")
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302
    return client


def _create(client, email, roles):
    return post_form(client, "/admin/users/new",
                     {"email": email, "display_name": "Ny Person", "unit": "", "roles": list(roles)})


def _roles(app, email):
    with app.app_context():
        return set(services.find_user_by_email(email).role_set)


def _actions(app, action):
    with app.app_context():
        return db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


@pytest.mark.parametrize("roles", [("officer",), ("coordinator",), ("officer", "editor")])
def test_no_link_in_the_browser_for_an_account_that_reads_cases(app, roles):
    """Without mail, the page says the link comes from the server's command line, and shows none."""
    admin = _login_admin(app)
    response = _create(admin, "ny@gavle.example", roles)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert not LINK.search(html) and "/auth/activate/" not in html
    assert "flask --app wsgi users activation-link ny@gavle.example" in html
    with app.app_context():
        user = services.find_user_by_email("ny@gavle.example")
        response = post_form(admin, f"/admin/users/{user.uuid}/activation-link")
    assert "/auth/activate/" not in response.get_data(as_text=True)


def test_with_mail_the_link_goes_to_the_accounts_own_address_only(mail_app, smtp):
    _controller, inbox = smtp
    admin = _login_admin(mail_app)
    html = _create(admin, "kurator@gavle.example", ("officer",)).get_data(as_text=True)
    assert "/auth/activate/" not in html and "skickad till kontots egen e-postadress" in html
    (mail,) = inbox.to("kurator@gavle.example")
    link = LINK.search(mail).group(0)
    person = mail_app.test_client()
    assert person.get(link.split("localhost", 1)[1], follow_redirects=True).status_code == 200
    assert inbox.to("admin@gavle.example") == []


def test_the_coordinator_role_from_an_admin_waits_for_a_coordinators_approval(mail_app, smtp):
    _controller, inbox = smtp
    admin = _login_admin(mail_app)
    with mail_app.app_context():
        make_user("samordnare@gavle.example", roles=("coordinator",), name="Sara Samordnare")
    _create(admin, "ny@gavle.example", ("coordinator", "editor"))
    assert _roles(mail_app, "ny@gavle.example") == {"editor"}, "not before approval"
    with mail_app.app_context():
        grant = db.session.execute(select(RoleGrant)).scalar_one()
        grant_uuid = grant.uuid
        assert grant.role == "coordinator" and grant.decided_at is None
    # The admin cannot approve it.
    assert post_form(admin, f"/auth/role-grants/{grant_uuid}/approve").status_code == 403
    assert _roles(mail_app, "ny@gavle.example") == {"editor"}

    coordinator = mail_app.test_client()
    AuthActions(coordinator).login("samordnare@gavle.example")
    start = coordinator.get("/home/coordinator").get_data(as_text=True)
    assert "Behörigheter att godkänna (1)" in start and "ny@gavle.example" in start
    response = post_form(coordinator, f"/auth/role-grants/{grant_uuid}/approve")
    assert response.status_code == 302
    assert _roles(mail_app, "ny@gavle.example") == {"coordinator", "editor"}
    assert [e.detail for e in _actions(mail_app, "user.role_approved")] == ["role:coordinator"]
    told = inbox.to("ny@gavle.example")
    assert any("rollen Samordnare" in text for text in told)
    # Decided: it cannot be decided again.
    assert post_form(coordinator, f"/auth/role-grants/{grant_uuid}/decline").status_code == 404


def test_an_admin_editing_roles_only_requests_the_coordinator_role(app):
    admin = _login_admin(app)
    with app.app_context():
        target = make_user("anna@gavle.example", roles=("officer",))
        target_uuid = target.uuid
    post_form(admin, f"/admin/users/{target_uuid}/edit",
              {"display_name": "Anna", "unit": "", "roles": ["officer", "coordinator"]})
    assert _roles(app, "anna@gavle.example") == {"officer"}
    page = admin.get(f"/admin/users/{target_uuid}/edit").get_data(as_text=True)
    assert "Väntar på att en samordnare godkänner: Samordnare." in page
    assert re.search(r'<input[^>]*checked[^>]*value="coordinator"|<input[^>]*value="coordinator"[^>]*checked', page)
    # Unticking it withdraws the request.
    post_form(admin, f"/admin/users/{target_uuid}/edit", {"display_name": "Anna", "unit": "", "roles": ["officer"]})
    with app.app_context():
        assert grants.pending()[1] == 0
    assert [e.detail for e in _actions(app, "user.role_withdrawn")] == ["role:coordinator"]


def test_a_coordinator_or_the_command_line_grants_at_once(app, runner):
    """The first coordinator comes from the command line; a coordinator who is also admin
    grants the role directly (audited)."""
    result = runner.invoke(args=["users", "create", "forsta@gavle.example", "--role", "coordinator"])
    assert result.exit_code == 0, result.output
    assert _roles(app, "forsta@gavle.example") == {"coordinator"}
    with app.app_context():
        make_user("bada@gavle.example", roles=("admin", "coordinator"))
    client = app.test_client()
    AuthActions(client).login("bada@gavle.example")
    _create(client, "tredje@gavle.example", ("coordinator",))
    assert _roles(app, "tredje@gavle.example") == {"coordinator"}


def test_a_coordinator_cannot_decide_a_grant_for_their_own_account(app):
    with app.test_request_context():
        admin = make_user(roles=("admin",))
        person = make_user(roles=("officer", "coordinator"))
        grants.request(person, "coordinator", admin)  # a stale request for someone who has it
        db.session.commit()
        grant_uuid = db.session.execute(select(RoleGrant.uuid)).scalar_one()
        from coordinator.records import DomainError

        with pytest.raises(DomainError):
            grants.decide(person, grant_uuid, True)


def test_the_account_holder_is_told_of_changes_others_make(mail_app, smtp):
    _controller, inbox = smtp
    admin = _login_admin(mail_app)
    with mail_app.app_context():
        target = make_user("anna@gavle.example", roles=("editor",))
        target_uuid = target.uuid
    post_form(admin, f"/admin/users/{target_uuid}/edit", {"display_name": "Anna", "unit": "", "roles": ["admin", "editor"]})
    post_form(admin, f"/admin/users/{target_uuid}/end-sessions")
    post_form(admin, f"/admin/users/{target_uuid}/activation-link")
    post_form(admin, f"/admin/users/{target_uuid}/deactivate")
    told = " ".join(inbox.to("anna@gavle.example"))
    for change in ("dina roller är nu", "alla dina inloggningar har avslutats", "en ny aktiveringslänk har skapats",
                   "kontot är inaktiverat"):
        assert change in told, change


def test_the_account_page_lists_the_changes(app, client, auth):
    with app.app_context():
        admin = make_user("admin@gavle.example", roles=("admin",), name="Ada Admin")
        anna = make_user("anna@gavle.example", roles=("editor",))
        services.update_user(anna, display_name="Anna", roles=["editor", "officer"], unit=None, actor=admin)
        db.session.commit()
    auth.login("anna@gavle.example")
    page = client.get("/auth/account").get_data(as_text=True)
    assert "Ändringar av ditt konto" in page
    assert "Kontots uppgifter eller roller ändrades" in page and "Ada Admin" in page
    assert "Kontot skapades" in page
