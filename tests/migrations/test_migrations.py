"""Migrations: they build the schema from nothing on SQLite and PostgreSQL,
and they agree with the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from coordinator import create_app
from coordinator.extensions import db

from ..conftest import MIGRATION_SCHEMA, base_config, postgres_url, reset_postgres_schema


@pytest.fixture
def empty_app(tmp_path, backend, app_factory):
    """An app on an empty database (no create_all)."""
    app_factory()  # prepares the keys and environment of this test
    config = base_config(tmp_path)
    if backend == "postgresql":
        reset_postgres_schema(MIGRATION_SCHEMA)
        config["SQLALCHEMY_DATABASE_URI"] = postgres_url(MIGRATION_SCHEMA)
    else:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    app = create_app(config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _a_user(connection):
    """User 1, as the tables of every revision since 0001 take it (raw SQL: no models)."""
    import sqlalchemy as sa

    connection.execute(sa.text(
        "INSERT INTO users (id, email, display_name, active, must_change_password, created_at, uuid) "
        "VALUES (1, 'a@gavle.example', 'A', :t, :f, :now, :u)"),
        {"t": True, "f": False, "now": "2018-10-01 10:00:00", "u": "1" * 32})


def test_upgrade_builds_every_table_from_nothing(empty_app):
    """`db upgrade` on an empty database creates every table the models declare."""
    with empty_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(empty_app):
    """After upgrading, autogenerate finds no difference between models and schema."""
    with empty_app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_and_up_again(empty_app):
    """Every migration can be undone and redone."""
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_cli_db_upgrade_from_nothing(empty_app):
    """`flask --app wsgi db upgrade` (the command make run uses) works on an empty database."""
    result = empty_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        assert "users" in inspect(db.engine).get_table_names()


def test_audit_chain_head_migration_on_a_database_holding_events(empty_app):
    """0004 starts the chain head from the events already there; the chain then verifies,
    and new events chain on after them."""
    from coordinator.audit.services import record, verify_chain
    from coordinator.auth.models import User

    with empty_app.app_context():
        upgrade(revision="0003")
        # Events written the 0003 way: chained by hand, no head table yet.
        from coordinator.audit.models import AuditEvent
        from coordinator.audit.services import GENESIS, _digest
        from coordinator.database import utcnow

        prev = GENESIS
        with db.engine.begin() as connection:
            for n in range(3):
                event = AuditEvent(occurred_at=utcnow().replace(microsecond=0), action=f"test.event{n}",
                                   remote_addr="cli", prev_hash=prev)
                event.hash = _digest(prev, event)
                connection.execute(AuditEvent.__table__.insert().values(
                    occurred_at=event.occurred_at, action=event.action,
                    remote_addr="cli", prev_hash=prev, hash=event.hash))
                prev = event.hash
        upgrade()
        assert verify_chain().ok
        with empty_app.test_request_context():
            record("test.after_migration")
            db.session.commit()
            report = verify_chain()
        assert report.ok and report.checked == 4
        assert db.session.execute(db.select(User)).first() is None


def test_code_rows_migration_on_a_database_holding_consultations(empty_app):
    """0006 moves the comma-separated codes into consultation_codes, keeps every message,
    and makes follow-up links ON DELETE SET NULL; its downgrade puts the strings back."""
    import sqlalchemy as sa
    from flask_migrate import downgrade as migrate_down

    with empty_app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO users (id, email, display_name, active, must_change_password, created_at, uuid) "
                "VALUES (1, 'a@gavle.example', 'A', :t, :f, :now, :u)"),
                {"t": True, "f": False, "now": "2018-10-01 10:00:00", "u": "11111111111111111111111111111111"})
            for n, (forms, genders) in enumerate([("control,physical", "girl_woman"), ("", ""),
                                                   ("fgm", "boy_man,girl_woman")], start=1):
                connection.execute(sa.text(
                    "INSERT INTO consultations (id, received_on, channel, sector, area, created_by_id, "
                    "follows_up_id, person_count, genders, age_bands, hrv_forms, perpetrators, vbe_concerns, "
                    "urgency, advice_given, status, unread_by_officer, unread_by_coordinator, created_at, "
                    "updated_at, uuid, edit_version) VALUES (:id, '2018-10-03', 'phone', 'police', 'hrv', 1, "
                    ":follows, '1', :genders, '13-17', :forms, '', '', 'acute', 'report_made', 'ongoing', "
                    ":f, :f, :now, :now, :u, 1)"),
                    {"id": n, "follows": n - 1 if n > 1 else None, "genders": genders, "forms": forms,
                     "f": False, "now": "2018-10-03 10:00:00", "u": f"{n:032x}"})
            connection.execute(sa.text(
                "INSERT INTO consultation_messages (id, consultation_id, author_id, created_at, uuid) "
                "VALUES (1, 1, 1, '2018-10-03 11:00:00', :u)"), {"u": "f" * 32})
        upgrade()
        with db.engine.begin() as connection:
            rows = connection.execute(sa.text(
                "SELECT consultation_id, field, code FROM consultation_codes "
                "ORDER BY consultation_id, field, code")).all()
            assert [tuple(r) for r in rows] == [
                (1, "advice_given", "report_made"), (1, "age_bands", "13-17"), (1, "genders", "girl_woman"),
                (1, "hrv_forms", "control"), (1, "hrv_forms", "physical"),
                (2, "advice_given", "report_made"), (2, "age_bands", "13-17"),
                (3, "advice_given", "report_made"), (3, "age_bands", "13-17"), (3, "genders", "boy_man"),
                (3, "genders", "girl_woman"), (3, "hrv_forms", "fgm"),
            ]
            assert connection.execute(sa.text("SELECT count(*) FROM consultation_messages")).scalar() == 1
            connection.execute(sa.text("DELETE FROM consultations WHERE id = 2"))
            assert connection.execute(sa.text("SELECT follows_up_id FROM consultations WHERE id = 3")).scalar() is None
            assert connection.execute(
                sa.text("SELECT count(*) FROM consultation_codes WHERE consultation_id = 2")).scalar() == 0
        migrate_down(revision="0005")
        with db.engine.begin() as connection:
            back = connection.execute(sa.text("SELECT id, hrv_forms, genders FROM consultations ORDER BY id")).all()
            assert [tuple(r) for r in back] == [(1, "control,physical", "girl_woman"), (3, "fgm", "boy_man,girl_woman")]
            assert connection.execute(sa.text("SELECT count(*) FROM consultation_messages")).scalar() == 1


def test_register_migration_on_a_database_holding_consultations(empty_app):
    """0014 adds the register beside existing consultations (their free-text referral kept,
    no partner link yet), a partner's removal unlinks a referral instead of failing, and its
    downgrade leaves the consultations as they were."""
    import sqlalchemy as sa
    from flask_migrate import downgrade as migrate_down

    with empty_app.app_context():
        upgrade(revision="0013")
        with db.engine.begin() as connection:
            _a_user(connection)
            connection.execute(sa.text(
                "INSERT INTO consultations (id, received_on, channel, sector, area, created_by_id, person_count, "
                "urgency, status, unread_by_officer, unread_by_coordinator, created_at, updated_at, uuid, "
                "edit_version, referred_to) VALUES (1, '2018-10-03', 'phone', 'police', 'hrv', 1, '1', "
                "'acute', 'ongoing', :f, :f, :now, :now, :u, 1, 'token')"),
                {"f": False, "now": "2018-10-03 10:00:00", "u": "2" * 32})
        upgrade()
        with db.engine.begin() as connection:
            row = connection.execute(sa.text(
                "SELECT referred_to, referred_to_partner_id FROM consultations")).one()
            assert tuple(row) == ("token", None)
            connection.execute(sa.text(
                "INSERT INTO partners (id, name, name_key, kind, area, status, created_at, updated_at, uuid) "
                "VALUES (1, 'CVE', 'cve', 'authority', 'vbe', 'active', :now, :now, :u)"),
                {"now": "2018-10-03 10:00:00", "u": "3" * 32})
            with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
                connection.execute(sa.text(
                    "INSERT INTO partners (id, name, name_key, kind, area, status, created_at, updated_at, uuid) "
                    "VALUES (2, 'Cve', 'cve', 'authority', 'vbe', 'active', :now, :now, :u)"),
                    {"now": "2018-10-03 10:00:00", "u": "4" * 32})
            connection.execute(sa.text("UPDATE consultations SET referred_to_partner_id = 1"))
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM partners WHERE id = 1"))
            assert connection.execute(sa.text("SELECT referred_to_partner_id FROM consultations")).scalar() is None
        migrate_down(revision="0013")
        with db.engine.begin() as connection:
            assert connection.execute(sa.text("SELECT referred_to FROM consultations")).scalar() == "token"
            assert "partners" not in sa.inspect(connection).get_table_names()


def test_code_rows_take_their_consultations_date(empty_app):
    """0016 gives every existing code row its consultation's received date."""
    import sqlalchemy as sa

    with empty_app.app_context():
        upgrade(revision="0015")
        with db.engine.begin() as connection:
            _a_user(connection)
            for n, day in ((1, "2018-10-03"), (2, "2018-11-20")):
                connection.execute(sa.text(
                    "INSERT INTO consultations (id, received_on, channel, sector, area, created_by_id, person_count, "
                    "urgency, status, unread_by_officer, unread_by_coordinator, created_at, updated_at, uuid, "
                    "edit_version) VALUES (:id, :day, 'phone', 'police', 'hrv', 1, '1', 'acute', 'ongoing', :f, :f, "
                    ":now, :now, :u, 1)"), {"id": n, "day": day, "f": False, "now": "2018-10-03 10:00:00",
                                           "u": f"{n:032x}"})
                connection.execute(sa.text("INSERT INTO consultation_codes (consultation_id, field, code) "
                                           "VALUES (:id, 'hrv_forms', 'control')"), {"id": n})
        upgrade()
        with db.engine.begin() as connection:
            rows = connection.execute(sa.text(
                "SELECT consultation_id, received_on FROM consultation_codes ORDER BY consultation_id")).all()
            assert [(r[0], str(r[1])) for r in rows] == [(1, "2018-10-03"), (2, "2018-11-20")]


def test_tallies_are_counted_from_the_register_on_upgrade(empty_app):
    """0017 counts the existing consultations into the bulletin's tallies, exactly as the
    application recounts them (``tallies.differences`` finds nothing)."""
    import sqlalchemy as sa

    from coordinator.bulletin import counting, tallies

    with empty_app.app_context():
        upgrade(revision="0016")
        with db.engine.begin() as connection:
            _a_user(connection)
            connection.execute(sa.text(
                "INSERT INTO partners (id, name, name_key, kind, area, status, created_at, updated_at, uuid) "
                "VALUES (1, 'Polisen', 'polisen', 'authority', 'both', 'active', :now, :now, :u)"),
                {"now": "2018-10-01 10:00:00", "u": "2" * 32})
            rows = ((1, "2018-10-03", None, "4+", 1, "hrv"), (2, "2018-10-03", None, "2-3", None, "vbe"),
                    (3, "2018-11-20", 1, "1", 1, "hrv"))
            for n, day, follows, persons, partner, area in rows:
                connection.execute(sa.text(
                    "INSERT INTO consultations (id, received_on, channel, sector, area, created_by_id, person_count, "
                    "urgency, status, unread_by_officer, unread_by_coordinator, created_at, updated_at, uuid, "
                    "edit_version, follows_up_id, referred_to_partner_id) VALUES (:id, :day, 'phone', 'police', "
                    ":area, 1, :persons, 'acute', 'ongoing', :f, :f, :now, :now, :u, 1, :follows, :partner)"),
                    {"id": n, "day": day, "f": False, "now": "2018-10-03 10:00:00", "u": f"{n:032x}",
                     "follows": follows, "partner": partner, "persons": persons, "area": area})
                for field, code in (("hrv_forms", "control"), ("age_bands", "13-17"), ("age_bands", "0-12")):
                    connection.execute(sa.text(
                        "INSERT INTO consultation_codes (consultation_id, field, code, received_on) "
                        "VALUES (:id, :field, :code, :day)"), {"id": n, "field": field, "code": code, "day": day})
        upgrade()
        assert tallies.differences() == {}
        october = counting.Period(counting.date(2018, 10, 1), counting.date(2018, 10, 31))
        assert counting.consultation_totals(october) == (2, 2, 0)
        assert counting.persons(october) == (6, 2)
        assert counting.referrals(october) == {"Polisen": 1}
        db.session.rollback()
