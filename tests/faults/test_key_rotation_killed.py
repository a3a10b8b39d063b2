"""``flask --app wsgi keys rotate`` killed with SIGKILL mid-way, twice, then run to its end.

A register of 200 consultations (bench/pages_data.py: encrypted situations, advice,
referrals and message threads, the search index, a chained audit trail) served by gunicorn,
which keeps running through it all. The rotation (in batches of 10) is killed once while it
re-encrypts the values and once, after a rerun resumed it, while it rebuilds the search
index; a third run finishes it. In between and afterwards the same searches find the same
consultations (across both keys, then under the new one) and consultations open; at the
end ``keys status`` shows every value under the new key, every value decrypts, and the
audit chain verifies. The server is never restarted: its keyring follows the keys folder.
"""
import pytest

from bench import pages_data
from tests.conftest import require

from .harness import (
    SEARCHES,
    UNREADABLE,
    Register,
    Server,
    active_key,
    expected_hits,
    generate,
    keys_status,
    logged_in,
    rotate_and_kill,
    search,
    unreadable_values,
    visible_text,
)

SIZE = 200
BATCH = 10  # values per committed batch (the search index: BATCH // 5 consultations)


@pytest.fixture(params=["sqlite", "postgresql"])
def served_register(request, tmp_path):
    if request.param == "postgresql":
        require("postgresql")
    register = Register(request.param, tmp_path / "register", name="rotate")
    try:
        register.prepare()
        generate(register, SIZE)
        with Server(register, workers=2) as server:
            yield register, server
    finally:
        register.drop()


def assert_site_works(client, expected):
    """The searches find what they found before, and the consultations found open."""
    for query, hits in expected.items():
        assert search(client, query) == hits, query
    for uuid in sorted({uuid for hits in expected.values() for uuid in hits[:3]}):
        response = client.get(f"/consultations/{uuid}")
        assert response.status == 200 and UNREADABLE not in visible_text(response.text), uuid


def test_rotation_killed_twice_then_rerun(served_register):
    register, server = served_register
    client = logged_in(server.base, pages_data.COORDINATOR_EMAIL, pages_data.PASSWORD)
    expected = expected_hits(register, SEARCHES)
    assert all(expected.values()), expected  # every search finds something
    assert_site_works(client, expected)
    old_key = active_key(register)
    total_values, _unreadable = unreadable_values(register)

    # 1. Killed while it re-encrypts: some values are under the new key, not all.
    killed, state, log = rotate_and_kill(register, lambda key, s: 0 < s[1] < s[0], batch_size=BATCH)
    assert killed, f"the rotation ended before it could be killed (more rows?): {log}"
    new_key = active_key(register)
    assert new_key != old_key
    assert_site_works(client, expected)  # values and index under both keys

    # 2. Rerun: it resumes (no further key); killed while it rebuilds the search index.
    killed, state, log = rotate_and_kill(register, lambda key, s: s[1] == s[0] and 0 < s[3] < s[2],
                                         batch_size=BATCH)
    assert killed, f"the rerun ended before it could be killed: {log}"
    assert "Resuming" in log and active_key(register) == new_key
    assert_site_works(client, expected)

    # 3. Rerun to the end.
    done = register.flask("keys", "rotate", "--batch-size", str(BATCH))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Resuming" in done.stdout and "New active key" not in done.stdout
    assert sorted(p.stem for p in register.keys_dir.glob("*.key")) == sorted([old_key, new_key])

    counts, active, missing = keys_status(register)
    assert active == new_key and missing == []
    assert counts == {new_key: total_values, old_key: 0}
    values, unreadable = unreadable_values(register)
    assert values == total_values and unreadable == []
    with register.app():
        from coordinator.consultations import search_index

        assert search_index.stale_count(new_key) == 0 and search_index.rows_using(old_key) == 0
    assert_site_works(client, expected)
    assert register.chain_report().ok
    if register.backend == "sqlite":
        assert register.integrity_check() == "ok"
