"""The login limits hold exactly with several worker processes: the default counters
live in the database, not in one worker's memory (two gunicorn workers, as make run
starts them, on SQLite and on PostgreSQL)."""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CHEAP_HASHING
from tests.factories import make_user
from tests.helpers import LiveClient, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_workers(app, tmp_path):
    """gunicorn with two workers on this test's database and keys."""
    with app.app_context():
        make_user("anna@gavle.example")
    port = free_port()
    env = dict(os.environ)
    env.update({
        "COORDINATOR_INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "COORDINATOR_SECRET_KEY": app.config["SECRET_KEY"],
        "COORDINATOR_KEYS_DIR": app.config["KEYS_DIR"],
        "COORDINATOR_ENVIRONMENT": '"development"',
        "COORDINATOR_PASSWORD_HASH_PARAMETERS": json.dumps(CHEAP_HASHING),
        "COORDINATOR_RATELIMIT_KEY_PREFIX": app.config["RATELIMIT_KEY_PREFIX"],
    })
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", "2", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=20)


def test_account_limit_is_exact_across_two_workers(two_workers):
    """5 failures per account and address, whichever worker answers; every later try is
    refused. The tries go in simultaneous groups, so both workers answer some (with
    memory counters each worker would allow 5, and up to 10 would get through)."""
    codes = []
    for _ in range(4):
        barrier = threading.Barrier(4)
        results = []

        def attempt(barrier=barrier, results=results):
            client = LiveClient(two_workers)  # a new connection and session each time
            barrier.wait()
            results.append(client.login("anna@gavle.example", "fel-lösenord-igen-42")[0])

        threads = [threading.Thread(target=attempt) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        codes += results
    assert sorted(codes) == [200] * 5 + [429] * 11, codes
    assert LiveClient(two_workers).login("anna@gavle.example")[0] == 429
