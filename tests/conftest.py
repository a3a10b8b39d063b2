"""Shared fixtures: an app per test on SQLite and on PostgreSQL, a client, a
CLI runner, ``auth`` (log in through the real login form) and ``cast`` (the
users of a typical test). The helpers themselves are in tests/helpers.py.

PostgreSQL (127.0.0.1:5432, database ``test``) and Redis (127.0.0.1:6379) are
used where reachable; tests that need them skip with a reason when they are
absent, and fail instead when ``CI=true``.
"""
import os
import uuid

import pytest

from coordinator import create_app, crypto
from coordinator.extensions import db

from .helpers import AuthActions, Inbox, free_port, make_cast

IN_CI = os.environ.get("CI") == "true"
POSTGRES_URL = os.environ.get(
    "COORDINATOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("COORDINATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# One schema per test process, so parallel runs on one server do not collide.
APP_SCHEMA = f"coordinator_test_{os.getpid()}"
MIGRATION_SCHEMA = f"coordinator_migrations_{os.getpid()}"

CHEAP_HASHING = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}

_reachable = {}


def _probe(name):
    if name not in _reachable:
        try:
            if name == "postgresql":
                import psycopg

                psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3).close()
            else:
                import redis

                redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
            _reachable[name] = None
        except Exception as exc:  # any failure to connect means "absent"
            _reachable[name] = f"{type(exc).__name__}: {str(exc)[:120]}"
    return _reachable[name]


def require(name):
    """Skip (or, when CI=true, fail) unless the service ``name`` is reachable."""
    problem = _probe(name)
    if problem:
        message = f"{name} is not reachable ({problem})"
        if IN_CI:
            pytest.fail(message + "; it is required when CI=true")
        pytest.skip(message)


def postgres_url(schema):
    """The test database with ``schema`` first on the search path."""
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def reset_postgres_schema(schema):
    import psycopg

    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')


def base_config(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "ENVIRONMENT": "development",
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "KEYS_DIR": str(tmp_path / "keys"),
        "PASSWORD_HASH_PARAMETERS": CHEAP_HASHING,
        "RATELIMIT_KEY_PREFIX": "test-" + uuid.uuid4().hex,
        "BASE_URL": "http://localhost",
        # Two-factor login is tested on its own (tests/auth/test_two_factor.py, with the
        # default roles); elsewhere a coordinator's login is the password alone.
        "TWO_FACTOR_ROLES": [],
    }
    config.update(overrides)
    return config


_pg_schema_ready = False


def _prepare_database(app, backend):
    global _pg_schema_ready
    with app.app_context():
        if backend == "sqlite":
            db.create_all()
        else:
            if not _pg_schema_ready:
                reset_postgres_schema(APP_SCHEMA)
                db.create_all()
                _pg_schema_ready = True
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(db.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()


def pytest_sessionfinish(session, exitstatus):
    """Drop this process's PostgreSQL schemas."""
    if _reachable.get("postgresql", "unprobed") is None:
        import psycopg

        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:
            for schema in (APP_SCHEMA, MIGRATION_SCHEMA):
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    if request.param == "postgresql":
        require("postgresql")
    return request.param


@pytest.fixture
def app_factory(tmp_path, backend, monkeypatch):
    """Build an app for this test's backend with extra settings."""
    for name in list(os.environ):
        if name.startswith("COORDINATOR_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("COORDINATOR_INSTANCE_PATH", str(tmp_path / "instance"))
    if not (tmp_path / "keys").exists():
        crypto.add_key(tmp_path / "keys")
    apps = []

    def factory(**overrides):
        config = base_config(tmp_path)
        if backend == "postgresql":
            config["SQLALCHEMY_DATABASE_URI"] = postgres_url(APP_SCHEMA)
        config.update(overrides)
        app = create_app(config)
        _prepare_database(app, backend)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """A request context, for calling services directly.

    Do not combine with ``client`` requests in one test: the pushed context
    (its ``g``, Flask-Login's cached user, the database session) would be
    reused by those requests."""
    with app.test_request_context():
        yield


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 (aiosmtpd): (controller, inbox)."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def mail_app(app_factory, smtp):
    """An app that sends its mail to the ``smtp`` fixture's server."""
    controller, _inbox = smtp
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_FROM="samordnaren@gavle.example")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def cast(app):
    """Two officers, the coordinator, an editor, an admin, and officer A's request."""
    with app.app_context():
        return make_cast()
