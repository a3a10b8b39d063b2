"""The command line: users create|list|deactivate|bootstrap|activation-link and audit verify."""
import re

from sqlalchemy import select, text

from coordinator.audit.models import AuditEvent
from coordinator.auth import services
from coordinator.extensions import db
from tests.factories import make_user
from tests.helpers import PASSWORD, post_form

LINK_RE = re.compile(r"^http://localhost(/auth/activate/[A-Za-z0-9_-]+)$", re.M)
CHOSEN = "sommarstugan vid sjön är röd"


def assert_clean_failure(result, message):
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)


def test_users_create_prints_a_working_link(app, runner, client):
    """`users create` makes the account with roles, name and unit and prints a link
    with which the person sets a password and logs in."""
    result = runner.invoke(args=["users", "create", "Karin@Gavle.example", "--role", "officer",
                                 "--role", "editor", "--name", "Karin Lind", "--unit", "Socialtjänst"])
    assert result.exit_code == 0, result.output
    assert "Created karin@gavle.example (editor, officer)." in result.output
    assert "valid 72 hours" in result.output
    path = LINK_RE.search(result.output).group(1)
    with app.app_context():
        user = services.find_user_by_email("karin@gavle.example")
        assert user.display_name == "Karin Lind"
        assert user.unit == "Socialtjänst"
        assert user.role_set == {"officer", "editor"}
        assert user.password_hash is None
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "user.create")).scalar_one()
        assert event.actor_id is None and event.remote_addr == "cli"

    assert client.get(path, follow_redirects=True).status_code == 200
    response = post_form(client, "/auth/activate", {"new_password": CHOSEN, "confirm": CHOSEN})
    assert response.status_code == 302
    response = post_form(client, "/auth/login", {"email": "karin@gavle.example", "password": CHOSEN})
    assert response.status_code == 302
    assert client.get("/home/", follow_redirects=True).request.path == "/home/officer"


def test_users_create_uses_base_url(app_factory):
    """The printed link starts with BASE_URL."""
    app = app_factory(BASE_URL="https://register.gavle.example/")
    result = app.test_cli_runner().invoke(args=["users", "create", "a@gavle.example", "--role", "officer"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^https://register\.gavle\.example/auth/activate/[A-Za-z0-9_-]+$", result.output, re.M)
    with app.app_context():
        assert services.find_user_by_email("a@gavle.example").display_name == "a"


def test_users_create_duplicate_fails_cleanly(app, runner):
    """A second account with the same e-mail (in any case) fails with a message, no traceback."""
    assert runner.invoke(args=["users", "create", "karin@gavle.example", "--role", "officer"]).exit_code == 0
    result = runner.invoke(args=["users", "create", "KARIN@gavle.example", "--role", "coordinator"])
    assert_clean_failure(result, "Det finns redan ett konto med den e-postadressen.")
    with app.app_context():
        assert len(services.list_users()) == 1
        assert services.find_user_by_email("karin@gavle.example").role_set == {"officer"}


def test_users_create_refuses_an_invalid_email(app, runner):
    """An address that is not an e-mail address is refused, as on the admin page."""
    for bad in ("karin", "karin@", "karin gavle.example", "@gavle.example"):
        result = runner.invoke(args=["users", "create", bad, "--role", "officer"])
        assert_clean_failure(result, "Not a valid e-mail address")
    with app.app_context():
        assert services.list_users() == []


def test_users_create_needs_a_known_role(app, runner):
    """An unknown or missing role is refused by the command line itself."""
    result = runner.invoke(args=["users", "create", "karin@gavle.example", "--role", "boss"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    result = runner.invoke(args=["users", "create", "karin@gavle.example"])
    assert result.exit_code == 2
    with app.app_context():
        assert services.list_users() == []


def test_users_list(app, runner):
    """`users list` shows e-mail, roles, unit and state, one account a line."""
    with app.app_context():
        make_user("anna@gavle.example", roles=("officer", "editor"), unit="Skola", name="Anna")
        make_user("bo@gavle.example", roles=("coordinator",), active=False, name="Bo")
        services.create_user("cecilia@gavle.example", "Cecilia", ["admin"])
        db.session.commit()
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "anna@gavle.example\teditor,officer\tSkola\tactive",
        "bo@gavle.example\tcoordinator\t-\tdeactivated",
        "cecilia@gavle.example\tadmin\t-\tawaiting activation",
    ]


def test_users_deactivate(app, runner, client):
    """`users deactivate` deactivates the account and ends its sessions."""
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
        make_user("anna@gavle.example")
    post_form(client, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD})
    assert client.get("/home/officer").status_code == 200
    result = runner.invoke(args=["users", "deactivate", "Anna@gavle.example"])
    assert result.exit_code == 0, result.output
    assert "Deactivated anna@gavle.example" in result.output
    assert client.get("/home/officer").status_code == 302
    with app.app_context():
        assert services.find_user_by_email("anna@gavle.example").active is False
    assert "deactivated" in runner.invoke(args=["users", "list"]).output


def test_users_deactivate_unknown_and_last_admin(app, runner):
    """Deactivating an unknown account or the last admin fails cleanly."""
    assert_clean_failure(runner.invoke(args=["users", "deactivate", "ingen@gavle.example"]),
                         "No account with the e-mail ingen@gavle.example.")
    with app.app_context():
        make_user("admin@gavle.example", roles=("admin",))
    assert_clean_failure(runner.invoke(args=["users", "deactivate", "admin@gavle.example"]),
                         "Det måste finnas minst en aktiv administratör.")
    with app.app_context():
        assert services.find_user_by_email("admin@gavle.example").active is True


def test_users_bootstrap(app, runner, client):
    """`users bootstrap` creates an admin+coordinator with a one-time password that logs
    in and must be changed; a second run creates nothing."""
    result = runner.invoke(args=["users", "bootstrap"])
    assert result.exit_code == 0, result.output
    email = re.search(r"e-mail:\s+(\S+)", result.output).group(1)
    password = re.search(r"one-time password:\s+(\S+)", result.output).group(1)
    assert email == "samordnare@example.invalid"
    assert "log in at:          http://localhost/auth/login" in result.output
    assert len(password) >= 12
    with app.app_context():
        user = services.find_user_by_email(email)
        assert user.role_set == {"admin", "coordinator"}
        assert user.must_change_password is True
        assert user.password_hash.startswith("$argon2id$")

    response = post_form(client, "/auth/login", {"email": email, "password": password})
    assert response.status_code == 302
    assert client.get("/home/").headers["Location"] == "/auth/password"
    response = post_form(client, "/auth/password",
                         {"current_password": password, "new_password": CHOSEN, "confirm": CHOSEN})
    assert response.status_code == 302
    assert client.get("/home/", follow_redirects=True).request.path == "/home/coordinator"

    again = runner.invoke(args=["users", "bootstrap"])
    assert again.exit_code == 0
    assert "no account was created" in again.output
    assert "one-time password" not in again.output
    with app.app_context():
        assert len(services.list_users()) == 1


def test_users_bootstrap_with_email(app, runner):
    """--email chooses the first account's e-mail."""
    result = runner.invoke(args=["users", "bootstrap", "--email", "Agare@Gavle.example"])
    assert result.exit_code == 0
    with app.app_context():
        assert services.find_user_by_email("agare@gavle.example").has_role("admin")


def test_users_activation_link(app, runner, client):
    """`users activation-link` prints a new link that works; the earlier link stops working."""
    first = runner.invoke(args=["users", "create", "karin@gavle.example", "--role", "officer"])
    first_path = LINK_RE.search(first.output).group(1)
    result = runner.invoke(args=["users", "activation-link", "karin@gavle.example"])
    assert result.exit_code == 0, result.output
    second_path = LINK_RE.search(result.output).group(1)
    assert second_path != first_path
    assert client.get(first_path).status_code == 404
    assert client.get(second_path).status_code == 302
    assert post_form(client, "/auth/activate", {"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 302
    assert_clean_failure(runner.invoke(args=["users", "activation-link", "ingen@gavle.example"]),
                         "No account with the e-mail ingen@gavle.example.")


def test_audit_verify_intact(app, runner):
    """`audit verify` exits 0 on an intact trail and says how many events it checked."""
    with app.app_context():
        make_user("anna@gavle.example")
        make_user("bo@gavle.example")
        count = db.session.execute(select(db.func.count()).select_from(AuditEvent)).scalar_one()
    assert count >= 4
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Audit trail intact: {count} events checked." in result.output


def test_audit_verify_empty_trail(app, runner):
    """An empty trail is intact."""
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "0 events checked" in result.output


def test_audit_verify_detects_tampering(app, runner):
    """Changing one event's action with SQL makes `audit verify` exit 1 naming that event."""
    with app.app_context():
        make_user("anna@gavle.example")
        make_user("bo@gavle.example")
        ids = db.session.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars().all()
        victim = ids[2]
        db.session.execute(text("UPDATE audit_events SET action = 'user.harmless' WHERE id = :id"),
                           {"id": victim})
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at event id {victim}" in result.output
    assert f"BROKEN at event id {victim}" in result.stderr
    assert "(2 events before it are intact)" in result.output
    assert "Traceback" not in result.output


def test_users_bootstrap_takes_the_name_and_email_make_run_passes(app, runner):
    result = runner.invoke(args=["users", "bootstrap", "--email", "Sara.Lind@Gavle.se", "--name", "Sara Lind"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = services.find_user_by_email("sara.lind@gavle.se")
        assert user.display_name == "Sara Lind"


def test_users_set_email_changes_the_login_name_and_tells_both_addresses(mail_app, smtp):
    _controller, inbox = smtp
    runner = mail_app.test_cli_runner()
    with mail_app.app_context():
        make_user("gammal@gavle.example", roles=("coordinator",))
        make_user("upptagen@gavle.example")
    result = runner.invoke(args=["users", "set-email", "gammal@gavle.example", "Ny@Gavle.example"])
    assert result.exit_code == 0, result.output
    with mail_app.app_context():
        assert services.find_user_by_email("ny@gavle.example") is not None
        assert services.find_user_by_email("gammal@gavle.example") is None
    assert inbox.to("ny@gavle.example") and inbox.to("gammal@gavle.example")
    refused = runner.invoke(args=["users", "set-email", "ny@gavle.example", "upptagen@gavle.example"])
    assert refused.exit_code != 0 and "Det finns redan ett konto" in refused.output
    assert runner.invoke(args=["users", "set-email", "ny@gavle.example", "inte-en-adress"]).exit_code != 0


def test_instance_setup_keeps_base_url_in_step_with_make_run(tmp_path, monkeypatch):
    from coordinator import instance_setup

    monkeypatch.setenv("COORDINATOR_INSTANCE_PATH", str(tmp_path / "instance"))
    instance_setup.main(["--base-url", "http://127.0.0.1:8000"])
    config = tmp_path / "instance" / "config.py"
    assert "BASE_URL = 'http://127.0.0.1:8000'" in config.read_text()
    instance_setup.main(["--base-url", "http://127.0.0.1:9090"])
    text = config.read_text()
    assert "BASE_URL = 'http://127.0.0.1:9090'" in text and "8000" not in text
    config.write_text(text.replace("BASE_URL = 'http://127.0.0.1:9090'  # kept in step by make run",
                                   "BASE_URL = 'https://register.gavle.se'"))
    instance_setup.main(["--base-url", "http://127.0.0.1:8000"])
    assert "BASE_URL = 'https://register.gavle.se'" in config.read_text()
    assert "SECRET_KEY" in config.read_text()
