"""Writes under load and a SIGKILL in the middle of them (bench/faults.py measures the same
for longer and prints the figures).

gunicorn with 4 workers, as the README's Deployment starts it, on SQLite and on PostgreSQL;
20 clients logged in as the coordinator write consultations, messages in officers'
threads and activities, following every redirect as a browser does. Afterwards every write
acknowledged by its 302 is in the database with its content and its audit event, no
response was a 5xx, and ``flask --app wsgi audit verify`` passes.
"""
import threading

import pytest

from tests.conftest import require

from .harness import (
    COORDINATOR,
    KINDS,
    Register,
    Server,
    WriteLoad,
    check_writes,
    logged_in,
)

LOAD_SECONDS = 5
CLIENTS = 20

@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """A register (coordinator, admin, officer with 8 requests) served by gunicorn, 4 workers."""
    if request.param == "postgresql":
        require("postgresql")
    register = Register(request.param, tmp_path_factory.mktemp(f"writes-{request.param}"), name="writes")
    try:
        register.create(requests=8)
        with Server(register, workers=4) as server:
            yield register, server
    finally:
        register.drop()


def assert_stored_and_chained(register, tally):
    missing, half_written = check_writes(register, tally)
    assert missing == [], f"{len(missing)} acknowledged writes are not in the database: {missing[:5]}"
    assert half_written == {"consultation": [], "activity": [], "message": []}, half_written
    code, output = register.audit_verify()
    assert code == 0, output
    if register.backend == "sqlite":
        assert register.integrity_check() == "ok"


def assert_no_server_error(tally, server, log_from):
    """No 5xx at all (the log is read too, so a 500 names its cause in the failure)."""
    assert tally.server_errors == [], (f"5xx answers: {tally.server_errors[:3]}",
                                       server.log_since(log_from)[-2000:])


def test_every_acknowledged_write_is_stored_under_load(served):
    register, server = served
    log_from = server.log_position()
    load = WriteLoad(server.base, register.request_uuids, clients=CLIENTS, label=1)
    tally = load.run_for(LOAD_SECONDS)
    assert {kind: tally.count(kind) > 0 for kind in KINDS} == dict.fromkeys(KINDS, True), tally.statuses
    assert tally.refused == [], f"forms refused: {tally.refused[:3]}"
    assert tally.connection_errors == [] and tally.client_errors == []
    assert_no_server_error(tally, server, log_from)
    assert_stored_and_chained(register, tally)


def test_sigkill_in_the_middle_of_writes(served):
    """SIGKILL to the master and all workers while 20 clients write; restart on the same
    port; the clients go on (their sessions live in the database). Nothing acknowledged
    before the kill is lost, the SQLite file is sound right after the crash, and the chain
    verifies."""
    register, server = served
    log_from = server.log_position()
    load = WriteLoad(server.base, register.request_uuids, clients=CLIENTS, label=2).start()
    try:
        assert load.wait_for_acks(20), "no writes acknowledged before the kill"
        server.kill()
        killed_at = max(load.acked())
        if register.backend == "sqlite":
            assert register.integrity_check() == "ok"  # the file as the crash left it
        server.start()
        assert load.wait_for_acks(20, since=killed_at), "no writes acknowledged after the restart"
    finally:
        tally = load.stop()
    assert tally.connection_errors, "the kill was not in the middle of the writes"
    assert tally.refused == [] and tally.client_errors == [], (tally.refused[:3], tally.client_errors[:3])
    assert_no_server_error(tally, server, log_from)
    assert_stored_and_chained(register, tally)


def test_two_messages_at_once_in_one_thread(served):
    """Two clients post a message in one thread at the same moment, ten times; the two
    messages of a round share a word new to the thread. Both are saved, every time."""
    register, server = served
    clients = [logged_in(server.base, COORDINATOR) for _ in range(2)]
    thread = register.request_uuids[0]
    statuses = []
    for round_number in range(10):
        barrier = threading.Barrier(2)
        results = [None, None]

        def post(i, round_number=round_number, barrier=barrier, results=results):
            form = {"body": f"Båda skriver om ämnet runda{round_number} samtidigt, del {i}.",
                    "csrf_token": clients[i].token()}
            barrier.wait()
            results[i] = clients[i].post(f"/consultations/{thread}/messages", form)

        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        statuses += [(r.status, r.location) for r in results]
        for client, response in zip(clients, results):
            if response.status == 302:
                client.get(response.location.split("#")[0])  # as a browser: the flash leaves the session
    assert statuses == [(302, f"/consultations/{thread}#meddelanden")] * 20, statuses
