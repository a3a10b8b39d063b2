"""The application factory: configuration layering, DATABASE_URL, production
checks and the SQLite settings."""
import os
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from coordinator import ConfigurationError, create_app, crypto
from coordinator.extensions import db
from tests.conftest import POSTGRES_URL
from tests.factories import make_user
from tests.helpers import PASSWORD, post_form

SECRET = "s" * 40


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A clean environment whose instance folder is tmp_path/instance (with a key)."""
    for name in list(os.environ):
        if name.startswith("COORDINATOR_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    path = tmp_path / "instance"
    path.mkdir()
    monkeypatch.setenv("COORDINATOR_INSTANCE_PATH", str(path))
    crypto.add_key(path / "keys")
    return path


@pytest.fixture
def build(instance):
    """create_app with the given test config; disposes the engines afterwards."""
    apps = []

    def factory(test_config=None):
        app = create_app(test_config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def write_instance_config(instance, **settings):
    lines = [f"{name} = {value!r}" for name, value in settings.items()]
    (instance / "config.py").write_text("\n".join(lines) + "\n")


DEV = {"ENVIRONMENT": "development", "SECRET_KEY": SECRET}


def test_defaults(build, instance):
    """Without any settings beyond the secret, the documented defaults apply."""
    app = build(DEV)
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 12
    assert app.config["ACTIVATION_VALID_HOURS"] == 72
    assert app.config["PASSWORD_MIN_LENGTH"] == 12
    assert app.config["PASSWORD_MAX_LENGTH"] == 128
    assert app.config["LOGIN_LIMIT_PER_ACCOUNT"] == "5 per 15 minutes"
    assert app.config["LOGIN_LIMIT_PER_ADDRESS"] == "20 per 15 minutes"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.instance_path == str(instance)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(instance / "coordinator.sqlite3")
    assert app.config["KEYS_DIR"] == str(instance / "keys")


def test_instance_config_overrides_defaults(build, instance):
    """instance/config.py (in COORDINATOR_INSTANCE_PATH) overrides the defaults."""
    write_instance_config(instance, ENVIRONMENT="development", SECRET_KEY=SECRET,
                          SESSION_IDLE_MINUTES=20, ACTIVATION_VALID_HOURS=48)
    app = build()
    assert app.config["SECRET_KEY"] == SECRET
    assert app.config["SESSION_IDLE_MINUTES"] == 20
    assert app.config["ACTIVATION_VALID_HOURS"] == 48
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 12


def test_environment_overrides_instance_config(build, instance, monkeypatch):
    """COORDINATOR_* variables (parsed as JSON) override instance/config.py."""
    write_instance_config(instance, ENVIRONMENT="production", SECRET_KEY=SECRET,
                          SESSION_IDLE_MINUTES=20, ACTIVATION_VALID_HOURS=48, BASE_URL="https://instans.example")
    monkeypatch.setenv("COORDINATOR_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("COORDINATOR_ENVIRONMENT", '"development"')
    monkeypatch.setenv("COORDINATOR_BASE_URL", "https://miljo.example")  # not JSON: kept as a string
    monkeypatch.setenv("COORDINATOR_SESSION_COOKIE_SAMESITE", '"Strict"')
    app = build()
    assert app.config["SESSION_IDLE_MINUTES"] == 15  # an int, not "15"
    assert app.config["ENVIRONMENT"] == "development"
    assert app.config["BASE_URL"] == "https://miljo.example"
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Strict"
    assert app.config["ACTIVATION_VALID_HOURS"] == 48
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_test_config_overrides_everything(build, instance, monkeypatch):
    """The test config given to create_app wins over the environment and the instance config."""
    write_instance_config(instance, ENVIRONMENT="development", SECRET_KEY=SECRET, SESSION_IDLE_MINUTES=20)
    monkeypatch.setenv("COORDINATOR_SESSION_IDLE_MINUTES", "15")
    app = build({"SESSION_IDLE_MINUTES": 5})
    assert app.config["SESSION_IDLE_MINUTES"] == 5


def test_environment_setting_is_enforced(app_factory, monkeypatch):
    """COORDINATOR_SESSION_IDLE_MINUTES=15 really shortens the idle time-out."""
    monkeypatch.setenv("COORDINATOR_SESSION_IDLE_MINUTES", "15")
    app = app_factory()
    assert app.config["SESSION_IDLE_MINUTES"] == 15
    with app.app_context():
        make_user("anna@gavle.example")
    client = app.test_client()
    with time_machine.travel(datetime(2025, 1, 7, 8, 0, tzinfo=timezone.utc), tick=False) as traveller:
        post_form(client, "/auth/login", {"email": "anna@gavle.example", "password": PASSWORD})
        traveller.shift(timedelta(minutes=14))
        assert client.get("/home/officer").status_code == 200
        traveller.shift(timedelta(minutes=15))
        assert client.get("/home/officer").status_code == 302


@pytest.mark.parametrize("given, expected", [
    ("postgres://u:p@db.example:5432/register", "postgresql+psycopg://u:p@db.example:5432/register"),
    ("postgresql://u@db.example/register", "postgresql+psycopg://u@db.example/register"),
    ("postgresql+psycopg://u@db.example/register", "postgresql+psycopg://u@db.example/register"),
    ("sqlite:////var/lib/register.sqlite3", "sqlite:////var/lib/register.sqlite3"),
])
def test_database_url_is_normalised(build, monkeypatch, given, expected):
    """DATABASE_URL sets the database; postgres:// and postgresql:// go through psycopg 3."""
    monkeypatch.setenv("DATABASE_URL", given)
    app = build(DEV)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_database_url_overrides_instance_and_prefixed_env(build, instance, monkeypatch):
    """DATABASE_URL wins over instance/config.py and COORDINATOR_SQLALCHEMY_DATABASE_URI,
    but a test config still wins over DATABASE_URL."""
    write_instance_config(instance, SQLALCHEMY_DATABASE_URI="sqlite:////instans.sqlite3")
    monkeypatch.setenv("COORDINATOR_SQLALCHEMY_DATABASE_URI", '"sqlite:////miljo.sqlite3"')
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/register")
    assert build(DEV).config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/register"
    app = build({**DEV, "SQLALCHEMY_DATABASE_URI": "sqlite:////test.sqlite3"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////test.sqlite3"


def test_database_url_is_used(backend, build, tmp_path, monkeypatch):
    """The database named in DATABASE_URL is the one the application talks to."""
    if backend == "postgresql":
        plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
        monkeypatch.setenv("DATABASE_URL", plain)
        app = build(DEV)
        with app.app_context():
            assert db.engine.dialect.name == "postgresql"
            assert db.engine.dialect.driver == "psycopg"
            name = db.session.execute(text("SELECT current_database()")).scalar_one()
            assert name == POSTGRES_URL.rsplit("/", 1)[1].split("?")[0]
    else:
        path = tmp_path / "from-env.sqlite3"
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
        app = build(DEV)
        with app.app_context():
            db.session.execute(text("CREATE TABLE probe (id INTEGER)"))
            db.session.commit()
        assert path.exists()


def test_production_is_the_default_and_needs_a_secret_key(build):
    """ENVIRONMENT defaults to production, which refuses to start without a SECRET_KEY."""
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        build()
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        build({"SECRET_KEY": ""})


def test_production_refuses_a_short_secret_key(build):
    """A SECRET_KEY of fewer than 32 characters is refused in production."""
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        build({"SECRET_KEY": "k" * 31})


def test_production_with_a_proper_key_sets_secure_cookies(build):
    """With a 32-character key production starts and marks the session cookie Secure."""
    app = build({"SECRET_KEY": "k" * 32})
    assert app.config["ENVIRONMENT"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_key_from_instance_config(build, instance):
    """The SECRET_KEY written by `make instance` into instance/config.py is enough for production."""
    write_instance_config(instance, SECRET_KEY="q" * 64)
    app = build()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_cannot_be_talked_out_of_secure_cookies(build, monkeypatch):
    """Even if SESSION_COOKIE_SECURE is set to false, production mode forces it on."""
    monkeypatch.setenv("COORDINATOR_SESSION_COOKIE_SECURE", "false")
    app = build({"SECRET_KEY": "k" * 32, "SESSION_COOKIE_SECURE": False})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_needs_a_secret_key_too(build):
    """Development mode also refuses to start without any SECRET_KEY."""
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        build({"ENVIRONMENT": "development"})


def test_unknown_environment_is_refused(build):
    """ENVIRONMENT must be production or development."""
    with pytest.raises(ConfigurationError, match="ENVIRONMENT"):
        build({"ENVIRONMENT": "staging", "SECRET_KEY": SECRET})


# SQLite -------------------------------------------------------------------------

@pytest.fixture
def sqlite_app(build, tmp_path):
    app = build({**DEV, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"})
    with app.app_context():
        db.create_all()
    return app


def test_sqlite_pragmas(sqlite_app):
    """Every SQLite connection runs with WAL, foreign keys and secure delete on."""
    with sqlite_app.app_context():
        def pragma(name):
            return db.session.execute(text(f"PRAGMA {name}")).scalar_one()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("secure_delete") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 15000


def test_sqlite_pragmas_hold_on_every_pooled_connection(sqlite_app):
    """A second, separate connection has the same settings (set per connection)."""
    with sqlite_app.app_context(), db.engine.connect() as first, db.engine.connect() as second:
        for conn in (first, second):
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA secure_delete")).scalar_one() == 1


def test_sqlite_enforces_foreign_keys(sqlite_app):
    """A row pointing at a user that does not exist is refused by the database."""
    with sqlite_app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(text("INSERT INTO user_roles (user_id, role) VALUES (4242, 'officer')"))
            db.session.flush()
        db.session.rollback()
