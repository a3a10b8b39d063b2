"""Concurrent requests against a running server never end in an error page.

A message, a read and a status change at the same moment all succeed; only two
edits of the same consultation opened on the same version conflict, and then the
second gets the Swedish conflict message with its text kept."""
import re
import threading

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from coordinator.consultations.models import Consultation, ConsultationMessage
from coordinator.extensions import db

from ..helpers import LiveClient
from .conftest import CONSULTATION_FORM

ROUNDS = 8


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _together(*calls):
    """Run the calls in threads released at the same moment; return their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_message_read_and_status_change_at_the_same_moment(app, live_server, cast):
    officer, coordinator, reader = (LiveClient(live_server) for _ in range(3))
    assert officer.login(cast.officer_a)[0] == 302
    assert coordinator.login(cast.coordinator)[0] == 302
    assert reader.login(cast.coordinator)[0] == 302
    detail = f"/consultations/{cast.request_a}"
    statuses = []
    for n in range(ROUNDS):
        status = "ongoing" if n % 2 else "closed"
        results = _together(
            lambda n=n: officer.post_form(f"{detail}/messages", {"body": f"Meddelande nummer {n} om läget."},
                                          token_page=detail),
            lambda status=status: coordinator.post_form(f"{detail}/status", {"status": status}, token_page=detail),
            lambda: reader.get(detail),
        )
        statuses += [code for code, _page in results]
    assert all(code in (200, 302) for code in statuses), statuses
    with app.app_context():
        messages = db.session.execute(select(func.count()).select_from(ConsultationMessage)).scalar_one()
        assert messages == ROUNDS


def test_two_edits_of_the_same_version_the_second_gets_the_conflict_message(app, live_server, cast):
    first, second = LiveClient(live_server), LiveClient(live_server)
    for client in (first, second):
        assert client.login(cast.coordinator)[0] == 302
    edit = f"/consultations/{cast.request_a}/edit"
    for n in range(ROUNDS):
        pages = [client.get(edit)[1] for client in (first, second)]
        versions = [re.search(r'name="edit_version" type="hidden" value="(\d+)"', p).group(1) for p in pages]
        assert versions[0] == versions[1]
        forms = [dict(CONSULTATION_FORM, edit_version=versions[0], situation=f"Version {n} av {who}.")
                 for who in ("första", "andra")]
        results = _together(*(lambda c=c, f=f: c.post_form(edit, f, token_page=edit) for c, f in zip((first, second), forms)))
        codes = sorted(code for code, _page in results)
        assert codes == [200, 302], codes
        refused = next(page for code, page in results if code == 200)
        assert "har ändrats av någon annan" in refused
        assert f"Version {n} av" in refused  # the typed text is kept
    with app.app_context():
        consultation = db.session.execute(select(Consultation)).scalar_one()
        assert consultation.edit_version == 1 + ROUNDS
