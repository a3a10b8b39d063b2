"""The HRV/VBE coordinator's consultation and partner register."""
import logging
import os
from pathlib import Path

from flask import Flask

from . import config as default_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


class ConfigurationError(RuntimeError):
    """The application cannot start with the settings it was given."""


def create_app(test_config=None):
    app = Flask(
        __name__,
        instance_path=os.environ.get("COORDINATOR_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    _load_config(app, test_config)
    _check_config(app)

    from . import cli, database, encryption, errors, records, request_cycle, security
    from .audit import services as audit
    from .auth import throttle_storage  # noqa: F401  (registers the "database://" rate-limit storage)
    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    encryption.init_app(app)
    database.configure_engine(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    records.init_app(app)  # the uuid converter, before any route is added

    from .activities import routes as activity_routes
    from .admin import routes as admin_routes
    from .audit import routes as audit_routes
    from .auth import routes as auth_routes
    from .bulletin import routes as bulletin_routes
    from .consultations import routes as consultation_routes
    from .home import routes as home_routes
    from .initiatives import routes as initiative_routes
    from .partners import routes as partner_routes
    from .retention import routes as retention_routes

    app.register_blueprint(home_routes.bp)
    app.register_blueprint(auth_routes.bp)
    app.register_blueprint(admin_routes.bp)
    app.register_blueprint(audit_routes.bp)
    app.register_blueprint(retention_routes.bp)
    app.register_blueprint(consultation_routes.bp)
    app.register_blueprint(activity_routes.bp)
    app.register_blueprint(initiative_routes.bp)
    app.register_blueprint(partner_routes.bp)
    app.register_blueprint(bulletin_routes.bp)
    home_routes.register_root(app)

    security.init_app(app)
    errors.init_app(app)
    request_cycle.init_app(app)
    audit.init_app(app)
    cli.init_app(app)

    from .templating import init_app as init_templating

    init_templating(app)
    return app


def _load_config(app, test_config):
    app.config.from_object(default_config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COORDINATOR")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
            app.instance_path, "coordinator.sqlite3"
        )
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config.get("KEYS_DIR") is None:
        app.config["KEYS_DIR"] = os.path.join(app.instance_path, "keys")
    if app.config.get("AUDIT_CHECKPOINT_DIR") is None:
        app.config["AUDIT_CHECKPOINT_DIR"] = os.path.join(app.instance_path, "audit-checkpoints")


def _normalise_database_url(url):
    """Route every PostgreSQL URL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_development(app):
    return app.config["ENVIRONMENT"] == "development"


def _check_config(app):
    env = app.config["ENVIRONMENT"]
    if env not in ("production", "development"):
        raise ConfigurationError(f"ENVIRONMENT must be 'production' or 'development', not {env!r}.")
    secret = app.config.get("SECRET_KEY")
    if not is_development(app):
        if not secret or len(str(secret)) < 32:
            raise ConfigurationError(
                "SECRET_KEY is missing or shorter than 32 characters. Set it in instance/config.py "
                "or COORDINATOR_SECRET_KEY (make run writes a random one)."
            )
        app.config["SESSION_COOKIE_SECURE"] = True
        # __Host-: the browser accepts the cookie only over HTTPS, for this host and path /.
        if not app.config["SESSION_COOKIE_NAME"].startswith("__Host-"):
            app.config["SESSION_COOKIE_NAME"] = "__Host-" + app.config["SESSION_COOKIE_NAME"]
    elif not secret:
        raise ConfigurationError(
            "SECRET_KEY is not set. Run `make instance` to write instance/config.py with a random key."
        )
