"""A full disk under the SQLite database: a write gets a clear Swedish error page, nothing is
half-written, and the app keeps serving what needs no write; space freed, writes work again.

The instance folder (the database and its WAL) is put on a 24 MB tmpfs, which is filled
once the server runs, where this machine lets the test mount one (as root). Where it does
not, the test says so (a warning) and makes the database full instead with SQLite's
``PRAGMA max_page_count`` set in every worker (a gunicorn --config hook, see
harness.PAGE_LIMIT_CONFIG): the database cannot grow, though the disk has room, so writes
that only rewrite existing pages (a session's "last seen") still succeed there.

The tests of this module share one server and run in order: full, then freed.
"""
import warnings

import pytest

from .harness import (
    CONSULTATION_FORM,
    COORDINATOR,
    FullDisk,
    error_page_problems,
    logged_in,
    situation_text,
)

READ_PAGES = ("/home/coordinator", "/consultations/", "/activities/")

@pytest.fixture(scope="module")
def full(tmp_path_factory):
    disk = FullDisk(tmp_path_factory.mktemp("disk-full") / "register")
    if disk.method != "tmpfs":
        warnings.warn(f"cannot mount a tmpfs here ({disk.why_not_mounted}): the database is made full "
                      "with PRAGMA max_page_count instead of a full disk", stacklevel=1)
    register = disk.register
    try:
        register.create(requests=2, clean=False)
        with disk.server(workers=2) as server:
            # A session last seen a minute ago: its next request updates last_seen_at.
            disk.idle = logged_in(server.base, COORDINATOR)
            _backdate_sessions(register)
            disk.writer = logged_in(server.base, COORDINATOR)
            disk.reader = logged_in(server.base, COORDINATOR)
            for client in (disk.writer, disk.reader):
                client.token("/consultations/new")
                assert all(client.get(path).status == 200 for path in READ_PAGES)
            disk.before = _stored(register)
            disk.filled = disk.fill()
            yield disk
    finally:
        disk.close()


def _backdate_sessions(register):
    import sqlite3

    connection = sqlite3.connect(register.database_file, timeout=30)
    with connection:
        connection.execute("UPDATE auth_sessions SET last_seen_at = datetime(last_seen_at, '-60 seconds')")
    connection.close()


def _stored(register):
    """(consultations, events of their creation), straight from the file."""
    return tuple(register.query(
        "SELECT (SELECT count(*) FROM consultations),"
        " (SELECT count(*) FROM audit_events WHERE action IN ('consultation.create', 'consultation.request'))")[0])


def _write(client, n):
    return client.post_form("/consultations/new", dict(CONSULTATION_FORM, situation=situation_text(9, 1, n)))


def test_a_write_gets_a_clear_error_page_and_nothing_is_half_written(full):
    """Written until the first refusal (free pages inside the file may take a few first):
    each acknowledged one is there with its event, the refused one not at all."""
    consultations, events = full.before
    for n in range(1, 51):
        response = _write(full.writer, n)
        if response.status != 302:
            break
        full.writer.get(response.location)
        consultations, events = consultations + 1, events + 1
    assert error_page_problems(response) == [], (response.status, response.text[:500])
    assert _stored(full.register) == (consultations, events)  # neither the consultation nor its event
    full.before = (consultations, events)
    assert full.register.integrity_check() == "ok"
    with full.register.app():
        from coordinator.audit.services import verify_chain

        assert verify_chain().ok


def test_pages_that_write_nothing_are_still_served(full):
    for path in READ_PAGES:
        response = full.reader.get(path)
        assert response.status == 200, (path, response.status)
    # A consultation's page is a read that must be audited: shown with its audit event, or
    # refused with the error page (never shown unaudited).
    detail = full.reader.get(f"/consultations/{full.register.request_uuids[0]}")
    assert detail.status == 200 or error_page_problems(detail) == [], detail.status


def test_pages_of_a_session_due_for_its_touch_are_still_served(full):
    """Recording the session's last use is bookkeeping in a transaction of its own: when it
    cannot be written, the page is served all the same."""
    statuses = {path: full.idle.get(path).status for path in READ_PAGES}
    assert statuses == dict.fromkeys(READ_PAGES, 200)


def test_writes_work_again_once_there_is_room(full):
    full.free()
    response = _write(full.writer, 100)
    assert response.status == 302 and response.location.startswith("/consultations/"), response.status
    assert full.writer.get(response.location).status == 200
    consultations, events = full.before
    assert _stored(full.register) == (consultations + 1, events + 1)
    code, output = full.register.audit_verify()
    assert code == 0, output
    assert full.register.integrity_check() == "ok"
