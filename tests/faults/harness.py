"""The machinery of the fault tests, shared by tests/faults/ and bench/faults.py (so the test
suite and the benchmark drive the same thing; the tests assert behaviour, the benchmark
prints figures).

- ``Register``: one database (SQLite in a folder of its own, or a PostgreSQL schema of its
  own), its keys and instance folder, migrated by the migrations and seeded with a
  coordinator, an admin, an officer and the officer's requests (threads to write in);
  ``app()`` opens it in this process for checks, ``flask(...)`` runs the command line on it.
- ``Server``: gunicorn started as ``make run`` and the README's Deployment start it
  (``--preload``, here 4 workers), in a process group of its own so that ``kill()`` can
  SIGKILL the master and every worker at once; ``start()`` again on the same port restarts it.
- ``Client``: a browser-like HTTP client (cookies, CSRF token, no redirects followed, extra
  headers such as X-Forwarded-For).
- ``WriteLoad``: N clients logged in as the coordinator, each writing consultations
  (/consultations/new), messages (in a request's thread) and activities (/activities/new)
  and following each redirect as a browser does; every write acknowledged by a 302 to the
  new record is remembered, so ``check_writes`` can show that each of them is in the
  database afterwards.

bench/pages.py's server environment, free port, CSRF reader and log scanner are reused
(imported with sys.path left as it was).
"""
import html
import json
import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get("COORDINATOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

PASSWORD = "korrekt häst batteri häftstift"
COORDINATOR = "samordnare@faults.example"
ADMIN = "admin@faults.example"
OFFICER = "handlaggare@faults.example"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def bench_pages():
    """bench/pages.py as a module, without the entries it puts on sys.path (its bench/
    folder holds modules such as crypto.py that must not shadow anything here)."""
    saved = list(sys.path)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from bench import pages
    finally:
        sys.path[:] = saved
    return pages


pages = bench_pages()
CHEAP_HASHING = pages.CHEAP_HASHING
free_port = pages.free_port
csrf_token = pages.csrf_token
server_errors = pages.server_errors


# Where the data lives -------------------------------------------------------------------

def plain_postgres_url():
    return POSTGRES_URL.replace("+psycopg", "")


def run_postgres(sql, params=None, schema=None):
    import psycopg

    options = {"options": f"-csearch_path={schema}"} if schema else {}
    with psycopg.connect(plain_postgres_url(), autocommit=True, **options) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else None


@contextmanager
def scoped_environment(values):
    """os.environ without COORDINATOR_* and DATABASE_URL, plus ``values``; restored afterwards."""
    saved = dict(os.environ)
    for name in list(os.environ):
        if name.startswith("COORDINATOR_") or name == "DATABASE_URL":
            del os.environ[name]
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class Register:
    """One database with its keys and instance folder (the ``target`` of bench/pages.py's
    ``server_environment``: ``instance_dir``, ``url``, ``keys_dir``)."""

    def __init__(self, backend, workdir, name="faults", settings=None):
        self.backend = backend
        self.workdir = Path(workdir)
        self.schema = f"faults_{name}_{os.getpid()}_{secrets.token_hex(3)}" if backend == "postgresql" else None
        self.secret_key = "faults-" + secrets.token_urlsafe(32)  # one for every server: sessions survive restarts
        self.settings = dict(settings or {})  # COORDINATOR_<NAME> for servers and the command line
        # One prefix for every server on the register, so that they share the login counters.
        self.settings.setdefault("RATELIMIT_KEY_PREFIX", f"faults-{secrets.token_hex(6)}")
        self.database_file = self.workdir / "instance" / "coordinator.sqlite3"
        self.request_uuids = []

    @property
    def instance_dir(self):
        return self.workdir / "instance"

    @property
    def keys_dir(self):
        return self.workdir / "keys"

    @property
    def log_dir(self):
        return self.workdir / "logs"

    @property
    def url(self):
        if self.backend == "sqlite":
            return f"sqlite:///{self.database_file}"
        return f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"

    def environment(self, **settings):
        """The environment of a server or command on this register (bench/pages.py's, with
        this register's secret key and settings)."""
        env = pages.server_environment(self)
        env["COORDINATOR_SECRET_KEY"] = self.secret_key
        for name, value in {**self.settings, **settings}.items():
            env[f"COORDINATOR_{name}"] = json.dumps(value)
        return env

    def prepare(self, clean=True):
        """Empty folders (``clean=False``: kept, e.g. a mount on the instance folder), a first
        key, an empty schema, and the schema by the migrations."""
        from coordinator import crypto

        if clean:
            self.drop()
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        crypto.add_key(self.keys_dir)
        if self.backend == "postgresql":
            run_postgres(f'CREATE SCHEMA "{self.schema}"')
        with self.app():
            import flask_migrate

            flask_migrate.upgrade()

    def create(self, requests=8, clean=True):
        """Prepare, then the accounts and the officer's requests whose threads are written in."""
        self.prepare(clean)
        with self.app():
            self.seed(requests)
        return self

    def seed(self, requests):
        from tests.factories import make_consultation, make_user

        make_user(COORDINATOR, roles=("coordinator",), password=PASSWORD, name="Samordnaren")
        make_user(ADMIN, roles=("admin",), password=PASSWORD, name="Administratören")
        officer = make_user(OFFICER, roles=("officer",), password=PASSWORD, name="Handläggaren",
                            unit="Elevhälsan, gymnasiet")
        self.request_uuids = [str(make_consultation(None, officer=officer).uuid) for _ in range(requests)]

    @contextmanager
    def app(self, **config):
        """The application on this register, in this process, inside an app context."""
        with scoped_environment({"COORDINATOR_INSTANCE_PATH": str(self.instance_dir)}):
            from coordinator import create_app
            from coordinator.extensions import db

            app = create_app({
                "ENVIRONMENT": "development", "SECRET_KEY": self.secret_key,
                "SQLALCHEMY_DATABASE_URI": self.url, "KEYS_DIR": str(self.keys_dir),
                "PASSWORD_HASH_PARAMETERS": CHEAP_HASHING, "TWO_FACTOR_ROLES": [],
                "RATELIMIT_STORAGE_URI": "memory://", **config,
            })
            try:
                with app.app_context():
                    yield app
            finally:
                with app.app_context():
                    db.session.remove()
                    db.engine.dispose()

    def flask(self, *args, timeout=600, **settings):
        """``flask --app wsgi ARGS`` on this register; the CompletedProcess."""
        return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                              env=self.environment(**settings), capture_output=True, text=True, timeout=timeout)

    def start_flask(self, *args, **settings):
        """``flask --app wsgi ARGS`` started, in a process group of its own (to be killed)."""
        log = open(self.log_dir / f"flask-{args[0]}-{secrets.token_hex(3)}.log", "w")  # noqa: SIM115 (closed by the caller)
        process = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                                   env=self.environment(**settings), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        process.log = log
        return process

    def audit_verify(self):
        """(exit code, output) of ``flask audit verify``."""
        done = self.flask("audit", "verify")
        return done.returncode, (done.stdout + done.stderr).strip()

    def chain_report(self):
        """The audit chain verified in this process (what ``audit verify`` runs, without
        starting the command line)."""
        from coordinator.audit.services import verify_chain

        with self.app():
            return verify_chain()

    def integrity_check(self):
        """SQLite's ``PRAGMA integrity_check`` ("ok" when the file is sound); None on PostgreSQL."""
        if self.backend != "sqlite":
            return None
        connection = sqlite3.connect(self.database_file, timeout=30)
        try:
            return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        finally:
            connection.close()

    def query(self, sql):
        """Rows of one SQL statement, straight through the driver (no app)."""
        if self.backend == "sqlite":
            connection = sqlite3.connect(self.database_file, timeout=30)
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
        return run_postgres(sql, schema=self.schema)

    def drop(self):
        if self.backend == "postgresql":
            run_postgres(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
        shutil.rmtree(self.workdir, ignore_errors=True)


# The server --------------------------------------------------------------------------

def alive(pid):
    """Whether ``pid`` runs (a zombie, killed and not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Server:
    """gunicorn --preload with ``workers`` workers on a register, in its own process group.

    ``kill()`` is SIGKILL to the master and every worker at once (a crash, an OOM kill; not
    a power cut: what the processes wrote stays with the OS); ``start()`` again serves on
    the same port. stderr (and the
    access log) go to one log file, appended across restarts."""

    def __init__(self, register, workers=4, name="server", settings=None, gunicorn_config=None, env=None):
        self.register = register
        self.workers = workers
        self.name = name
        self.settings = dict(settings or {})  # COORDINATOR_<NAME> of this server only
        self.gunicorn_config = gunicorn_config
        self.env = dict(env or {})  # further environment variables
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log_file = register.log_dir / f"gunicorn-{name}.log"

    def start(self, seconds=180):
        self.launch()
        try:
            self.wait_until_healthy(seconds)
        except Exception:
            self.stop()
            raise
        return self

    def launch(self):
        """Start gunicorn without waiting for it (``started`` starts several at once)."""
        command = [str(BIN / "gunicorn"), "--preload", "--workers", str(self.workers),
                   "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "10", "--access-logfile", "-"]
        if self.gunicorn_config:
            command += ["--config", str(self.gunicorn_config)]
        self.log = open(self.log_file, "a")  # noqa: SIM115 (open while the server runs; closed by kill())
        env = {**self.register.environment(**self.settings), **self.env}
        self.process = subprocess.Popen(command + ["wsgi:app"], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=self.log, start_new_session=True)

    def wait_until_healthy(self, seconds=180):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ({self.name}) stopped at start:\n" + pages.tail(self.log_file))
            try:
                # A long timeout: at a restart under load /healthz waits behind the clients' requests.
                if Client(self.base, timeout=60).get("/healthz").status == 200:
                    return
            except (OSError, HTTPException):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"/healthz did not answer within {seconds} s:\n" + pages.tail(self.log_file))

    def pids(self):
        if self.process is None:
            return []
        return [self.process.pid, *pages.children_of(self.process.pid)]

    def kill(self):
        """SIGKILL to the whole process group (master and workers), and wait until they are gone."""
        if self.process is None:
            return
        pids = self.pids()
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.01)
        self.process = None
        self.log.close()

    def stop(self):
        """SIGTERM (gunicorn's graceful stop); SIGKILL to the group if that does not end it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        self.kill()

    def log_position(self):
        return self.log_file.stat().st_size if self.log_file.exists() else 0

    def log_since(self, position):
        with open(self.log_file, errors="replace") as log:
            log.seek(position)
            return log.read()

    def errors(self):
        """Lines of the log that tell of an error (tracebacks, worker timeouts, ...)."""
        return server_errors(self.log_file) if self.log_file.exists() else {"count": 0, "samples": []}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


@contextmanager
def started(*servers):
    """Several servers started at once (their start-ups overlap), stopped at the end."""
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait_until_healthy()
        yield servers
    finally:
        for server in servers:
            server.stop()


# HTTP --------------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    location: str
    text: str


class Client:
    """A browser-like HTTP client: its own cookies (kept when ``base`` is changed to another
    server), no redirects followed, ``headers`` added to every request, the CSRF token read
    once off a form (Flask-WTF's token lives as long as the session)."""

    def __init__(self, base, headers=None, timeout=60):
        self.base = base
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.cookies = {}
        self._token = None

    def request(self, method, path, form=None):
        parts = urlsplit(self.base)
        connection = HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
            for header in raw.msg.get_all("Set-Cookie") or ():
                self._keep_cookie(header)
            location = urlsplit(raw.getheader("Location") or "")
        finally:
            connection.close()
        # The path (and fragment) of a redirect: the app redirects within itself.
        return Response(raw.status, location.path + (f"#{location.fragment}" if location.fragment else ""), text)

    def _keep_cookie(self, header):
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)

    def token(self, page="/auth/password"):
        if self._token is None:
            self._token = csrf_token(self.get(page).text)
        return self._token

    def post_form(self, path, form, token_page="/auth/password"):
        return self.post(path, dict(form, csrf_token=self.token(token_page)))

    def login(self, email, password=PASSWORD):
        token = csrf_token(self.get("/auth/login").text)
        self._token = None  # the session starts anew at a login
        return self.post("/auth/login", {"email": email, "password": password, "csrf_token": token})

    def logout(self):
        response = self.post_form("/auth/logout", {})
        self._token = None
        return response


def logged_in(base, email, password=PASSWORD, **kwargs):
    client = Client(base, **kwargs)
    response = client.login(email, password)
    if response.status != 302 or response.location.startswith("/auth/"):
        raise RuntimeError(f"login as {email} failed: {response.status} to {response.location!r}")
    return client


def detail_uuids(page_html):
    """The consultations a list or search page links to, in order."""
    return list(dict.fromkeys(re.findall(rf'href="/consultations/({UUID})"', page_html)))


def visible_text(page_html):
    """The text of a page without its tags (to look for a sentence in it)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page_html))


# What is written -------------------------------------------------------------------------

# As tests/consultations/conftest.py's CONSULTATION_FORM (the coordinator's own log).
CONSULTATION_FORM = {
    "sector": "upper_secondary", "area": "hrv", "person_count": "1", "genders": "girl_woman",
    "age_bands": "13-17", "hrv_forms": "control", "urgency": "not_acute",
    "received_on": "2018-10-03", "channel": "phone", "status": "ongoing",
    "advice": "Gör en orosanmälan och kontakta socialtjänsten.", "advice_given": "report_recommended",
    "referred_to": "Länsstyrelsen Gävleborg", "minutes_spent": "30", "follow_up_on": "2018-10-17",
}
# As tests/activities/test_activities.py's TRAINING_FORM.
ACTIVITY_FORM = {
    "kind": "training", "our_role": "organiser", "status": "planned", "held_on": "2018-11-20", "area": "both",
    "format": "in_person", "audience": "Brynäs fotbolls styrelse", "audience_sector": "leisure", "participants": "",
    "bulletin_line": "Utbildning för Brynäs fotbolls styrelse har genomförts.", "notes": "Bra frågor om stödet.",
}


# Each text names its load, writer and number, so that every write can be found again.
def situation_text(load, writer, n):
    return f"Eleven, 16 år, berättar om hårda regler i hemmet. Samtal {n} från skrivare {writer} i omgång {load}."


def message_text(load, writer, n):
    return f"Meddelande {n} från skrivare {writer} i omgång {load} om läget."


def activity_title(load, writer, n):
    return f"Utbildning för skolledare, nummer {n} från skrivare {writer} i omgång {load}"


@dataclass
class Write:
    kind: str  # "consultation", "message", "activity"
    text: str  # the situation, the message body or the activity's title
    uuid: str = None  # the new record (consultation, activity) or the thread (message)
    at: float = 0.0  # time.monotonic() of the acknowledgement


@dataclass
class Tally:
    """What one load saw: acknowledged writes, statuses, errors."""

    acked: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # (method, status)
    server_errors: list = field(default_factory=list)  # (path, status, a snippet of the page)
    refused: list = field(default_factory=list)  # a form shown again (200 after a POST): (kind, snippet)
    connection_errors: list = field(default_factory=list)  # (time.monotonic(), kind, error type)
    client_errors: list = field(default_factory=list)  # (kind, error): the client's own failures
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, other):
        with self.lock:
            self.acked += other.acked
            self.statuses.update(other.statuses)
            self.server_errors += other.server_errors
            self.refused += other.refused
            self.connection_errors += other.connection_errors
            self.client_errors += other.client_errors

    def count(self, kind=None):
        return sum(1 for w in self.acked if kind is None or w.kind == kind)

    @property
    def five_xx(self):
        return sum(n for (_method, status), n in self.statuses.items() if status >= 500)


KINDS = ("consultation", "message", "activity")
WEIGHTS = (4, 4, 2)


class Writer(threading.Thread):
    """One client writing until ``stop`` is set: a POST, then the page it redirects to."""

    def __init__(self, load, number, base, threads, stop, seed):
        super().__init__(name=f"writer-{number}", daemon=True)
        self.load = load
        self.number = number
        self.client = logged_in(base, COORDINATOR)
        self.client.token("/consultations/new")
        self.threads = threads
        self.stop = stop
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.n = 0

    def run(self):
        while not self.stop.is_set():
            kind = self.rng.choices(KINDS, WEIGHTS)[0]
            self.n += 1
            try:
                self.write(kind)
            except (OSError, HTTPException) as exc:  # the server is down (killed), or the connection broke
                self.tally.connection_errors.append((time.monotonic(), kind, type(exc).__name__))
                self.stop.wait(0.05)
            except Exception as exc:  # anything else is this client's own failure: kept, and go on
                self.tally.client_errors.append((kind, f"{type(exc).__name__}: {exc}"))
                self.stop.wait(0.05)

    def write(self, kind):
        n, me, load = self.n, self.number, self.load
        if kind == "consultation":
            path, form = "/consultations/new", dict(CONSULTATION_FORM, situation=situation_text(load, me, n))
            write, expected = Write(kind, form["situation"]), rf"/consultations/({UUID})"
        elif kind == "message":
            thread = self.rng.choice(self.threads)
            path, form = f"/consultations/{thread}/messages", {"body": message_text(load, me, n)}
            write, expected = Write(kind, form["body"], thread), rf"/consultations/{thread}#meddelanden"
        else:
            path, form = "/activities/new", dict(ACTIVITY_FORM, title=activity_title(load, me, n))
            write, expected = Write(kind, form["title"]), rf"/activities/({UUID})"
        response = self.client.post_form(path, form)
        self.seen("POST", path, response)
        match = re.fullmatch(expected, response.location) if response.status == 302 else None
        if match:
            write.at = time.monotonic()
            if kind != "message":
                write.uuid = match.group(1)
            self.tally.acked.append(write)
            # A browser follows the redirect (the flash message is shown and leaves the session).
            self.seen("GET", response.location, self.client.get(response.location.split("#")[0]))
        elif response.status < 500:
            self.tally.refused.append((kind, response.status, response.location or snippet(response.text)))

    def seen(self, method, path, response):
        self.tally.statuses[(method, response.status)] += 1
        if response.status >= 500:
            self.tally.server_errors.append((path, response.status, snippet(response.text)))


def snippet(page_html, length=300):
    return re.sub(r"\s+", " ", visible_text(page_html)).strip()[:length]


class WriteLoad:
    """``clients`` writers against ``base`` (logged in one after the other, then released
    together); ``stop()`` ends them and gathers their tally. ``label`` (a number) goes into
    every text written, so loads on one register never write the same text."""

    def __init__(self, base, threads, clients=20, label=1):
        self.stop_event = threading.Event()
        self.writers = [Writer(label, i + 1, base, threads, self.stop_event, label * 1000 + i)
                        for i in range(clients)]
        self.started = None

    def start(self):
        self.started = time.monotonic()
        for writer in self.writers:
            writer.start()
        return self

    def stop(self):
        self.stop_event.set()
        for writer in self.writers:
            writer.join(timeout=120)
        self.seconds = time.monotonic() - self.started
        tally = Tally()
        for writer in self.writers:
            tally.add(writer.tally)
        return tally

    def acked(self):
        """Acknowledgement times so far (safe to call while the writers run)."""
        return [write.at for writer in self.writers for write in list(writer.tally.acked)]

    def wait_for_acks(self, count, since=0.0, seconds=120):
        """Wait until ``count`` writes were acknowledged after ``since`` (monotonic time);
        False if that did not happen within ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if sum(1 for at in self.acked() if at > since) >= count:
                return True
            time.sleep(0.02)
        return False

    def run_for(self, seconds):
        self.start()
        time.sleep(seconds)
        return self.stop()


# Checks ------------------------------------------------------------------------------------

def stored_writes(register):
    """What the database holds of the kinds written, ``{kind: {text: {uuid}}}``, and what of
    it is half-written: consultations and activities without the audit event of their
    creation, threads whose messages and "consultation.message" events differ in number."""
    from sqlalchemy import func, select

    from coordinator.activities.models import Activity
    from coordinator.audit.models import AuditEvent
    from coordinator.consultations.models import Consultation, ConsultationMessage
    from coordinator.extensions import db

    created = {"consultation": ("consultation.create", "consultation.request"), "activity": ("activity.create",)}
    with register.app():
        def audited(actions):
            return {str(u) for u in db.session.execute(
                select(AuditEvent.object_uuid).where(AuditEvent.action.in_(actions))).scalars()}

        consultations = [(c.situation, str(c.uuid)) for c in db.session.execute(select(Consultation)).scalars()]
        activities = [(a.title, str(a.uuid)) for a in db.session.execute(select(Activity)).scalars()]
        messages = [(m.body, str(m.consultation.uuid))
                    for m in db.session.execute(select(ConsultationMessage)).scalars()]
        message_events = Counter({str(u): n for u, n in db.session.execute(
            select(AuditEvent.object_uuid, func.count()).where(AuditEvent.action == "consultation.message")
            .group_by(AuditEvent.object_uuid)).all()})
        half_written = {
            "consultation": sorted(u for _t, u in consultations if u not in audited(created["consultation"])),
            "activity": sorted(u for _t, u in activities if u not in audited(created["activity"])),
            "message": sorted(u for u, n in Counter(u for _t, u in messages).items() if message_events[u] != n),
        }
    stored = {kind: {} for kind in KINDS}
    for kind, records in (("consultation", consultations), ("message", messages), ("activity", activities)):
        for text, uuid in records:
            stored[kind].setdefault(text, set()).add(uuid)
    return stored, half_written


def check_writes(register, tally):
    """Every acknowledged write, as it was acknowledged, in the database: ``(missing,
    half_written)``; ``missing`` are the acknowledged writes not found (or found with other
    content), ``half_written`` as ``stored_writes`` says."""
    stored, half_written = stored_writes(register)
    missing = [write for write in tally.acked if write.uuid not in stored[write.kind].get(write.text, ())]
    return missing, half_written



# Key rotation ---------------------------------------------------------------------------

SEARCHES = ("familjen", "simundervisningen", "polisen hot", "frånvarande", "skyddat boende")
UNREADABLE = "Innehållet kan inte visas"


def active_key(register):
    return (register.keys_dir / "ACTIVE").read_text().strip()


def generate(register, size):
    """bench/pages_data.py's register of ``size`` consultations (200 at least) on ``register``,
    without its closing VACUUM ANALYZE (on PostgreSQL it covers the whole database, every
    other schema in it too; a register this small needs no statistics)."""
    from unittest import mock

    from bench import pages_data

    with register.app(), mock.patch.object(pages_data, "analyze", lambda: None):
        return pages_data.generate(size, progress=lambda *args: None)


ROTATED_COLUMNS = (("consultations", "situation"), ("consultations", "advice"),
                   ("consultations", "referred_to"), ("consultation_messages", "body"))


def rotation_state(register, key_id):
    """Read straight from the database while a rotation runs: (the consultations' encrypted
    values, of them under ``key_id``, consultations with search index rows, of them indexed
    under ``key_id``)."""
    values = " + ".join(f"(SELECT count({column}) FROM {table})" for table, column in ROTATED_COLUMNS)
    under_key = " + ".join(f"(SELECT count(*) FROM {table} WHERE {column} LIKE 'enc1:{key_id}:%')"
                           for table, column in ROTATED_COLUMNS)
    return tuple(register.query(
        f"SELECT {values}, {under_key},"
        " (SELECT count(DISTINCT consultation_id) FROM consultation_search_terms),"
        f" (SELECT count(DISTINCT consultation_id) FROM consultation_search_terms WHERE key_id = '{key_id}')")[0])


def rotate_and_kill(register, when, batch_size=5, seconds=300):
    """Start ``keys rotate`` and SIGKILL it (its whole process group) as soon as
    ``when(new_key_id, rotation_state)`` is true. Returns ``(killed, state, log text)``;
    ``killed`` is False when the rotation ended before the moment came."""
    process = register.start_flask("keys", "rotate", "--batch-size", str(batch_size))
    deadline = time.monotonic() + seconds
    state, killed = None, False
    try:
        while process.poll() is None and time.monotonic() < deadline:
            key_id = active_key(register)
            state = rotation_state(register, key_id)
            if when(key_id, state):
                os.killpg(process.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None and not killed:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.log.close()
    return killed, state, Path(process.log.name).read_text(errors="replace")


def keys_status(register):
    """``keys status`` parsed: ({key id: values}, active key id, lines naming keys not in the keyring)."""
    done = register.flask("keys", "status")
    if done.returncode != 0:
        raise RuntimeError(f"keys status failed: {done.stdout}{done.stderr}")
    counts, active, missing = {}, None, []
    for line in done.stdout.splitlines():
        match = re.match(r"key (\S+)( \(active\))?( \(NOT IN KEYRING\))?: (\d+) values", line)
        if match:
            counts[match.group(1)] = int(match.group(4))
            active = match.group(1) if match.group(2) else active
            if match.group(3):
                missing.append(line)
    return counts, active, missing


def expected_hits(register, queries):
    """What each search must show: every consultation whose decrypted texts hold each word
    of the query (the app's own word rules), newest first, at most the page's limit."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from coordinator.consultations import search_index, services
    from coordinator.consultations.models import Consultation
    from coordinator.extensions import db

    with register.app():
        texts = [(str(c.uuid), search_index.texts_of(c)) for c in db.session.execute(
            select(Consultation).order_by(Consultation.received_on.desc(), Consultation.id.desc())
            .options(selectinload(Consultation.messages), selectinload(Consultation.referred_to_partner))
        ).scalars()]
        return {query: [uuid for uuid, held in texts
                        if search_index.contains_all(held, search_index.query_words(query))][:services.SEARCH_HITS]
                for query in queries}


def search(client, query):
    """The consultations a search through the page shows, in order."""
    response = client.post_form("/consultations/search", {"query": query}, token_page="/consultations/")
    if response.status != 200:
        raise RuntimeError(f"search for {query!r}: status {response.status}")
    return detail_uuids(response.text)


def unreadable_values(register):
    """(encrypted values, of which unreadable): every encrypted field of every row decrypted."""
    from sqlalchemy import select

    from coordinator import crypto
    from coordinator.encryption import REGISTRY, decrypt
    from coordinator.extensions import db

    values, unreadable = 0, []
    with register.app():
        for f in REGISTRY:
            column = getattr(f.owner, f.storage)
            rows = db.session.execute(select(f.owner.uuid, column).where(column.is_not(None))).all()
            for record_uuid, token in rows:
                values += 1
                try:
                    decrypt(token, table=f.table, column=f.column, record_id=record_uuid)
                except crypto.DecryptionError:
                    unreadable.append((f.table, f.column, str(record_uuid)))
    return values, unreadable


# A full disk ----------------------------------------------------------------------------

def mount_tmpfs(path, size="24m"):
    """Mount a tmpfs of ``size`` on ``path``: None when done, else why it cannot be
    (FAULTS_NO_MOUNT=1 in the environment asks for the fallback even where mounting works)."""
    if os.environ.get("FAULTS_NO_MOUNT"):
        return "FAULTS_NO_MOUNT is set"
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not root"
    if shutil.which("mount") is None:
        return "no mount command"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                          capture_output=True, text=True)
    return None if done.returncode == 0 else (done.stderr.strip() or f"mount exit {done.returncode}")


def unmount(path):
    if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def fill_disk(folder):
    """Write ``folder/filler`` until the file system has no byte left; the bytes written."""
    written = 0
    with open(Path(folder) / "filler", "wb", buffering=0) as filler:
        for chunk in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    written += filler.write(b"\0" * chunk)
            except OSError:
                continue
    return written


# Where the disk cannot be mounted: gunicorn's --config registers a pool listener that sets
# SQLite's max_page_count at every checkout from the number in FAULTS_PAGE_LIMIT_FILE (1: no
# page may be added, the database is full; a large number: no limit), so the database is
# made full at a moment of the test's choosing, in every worker.
PAGE_LIMIT_CONFIG = """
import os

from sqlalchemy import event
from sqlalchemy.pool import Pool

_LIMIT_FILE = os.environ["FAULTS_PAGE_LIMIT_FILE"]


@event.listens_for(Pool, "checkout")
def _page_limit(dbapi_connection, record, proxy):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        with open(_LIMIT_FILE) as limit:
            dbapi_connection.execute(f"PRAGMA max_page_count = {int(limit.read())}")
"""
NO_PAGE_LIMIT = 2_147_483_646


class FullDisk:
    """The register's instance folder (its SQLite database) on a small tmpfs that is then
    filled, or, where nothing can be mounted, its database held at its size by
    ``max_page_count``. ``method`` says which ("tmpfs" or "max_page_count", and why)."""

    def __init__(self, workdir):
        self.register = Register("sqlite", workdir, name="full")
        self.register.instance_dir.mkdir(parents=True)
        problem = mount_tmpfs(self.register.instance_dir)
        self.method = "tmpfs" if problem is None else "max_page_count"
        self.why_not_mounted = problem
        self.limit_file = self.register.workdir / "page-limit"
        self.config_file = self.register.workdir / "page_limit_gunicorn.py"
        self.limit_file.write_text(str(NO_PAGE_LIMIT))
        self.config_file.write_text(PAGE_LIMIT_CONFIG)

    def server(self, **kwargs):
        if self.method == "tmpfs":
            return Server(self.register, **kwargs)
        return Server(self.register, gunicorn_config=self.config_file,
                      env={"FAULTS_PAGE_LIMIT_FILE": str(self.limit_file)}, **kwargs)

    def fill(self):
        if self.method == "tmpfs":
            return fill_disk(self.register.instance_dir)
        self.limit_file.write_text("1")
        return 0

    def free(self):
        if self.method == "tmpfs":
            (self.register.instance_dir / "filler").unlink(missing_ok=True)
        else:
            self.limit_file.write_text(str(NO_PAGE_LIMIT))

    def unmount(self):
        if self.method == "tmpfs":
            unmount(self.register.instance_dir)

    def close(self):
        self.unmount()
        self.register.drop()


def error_page_problems(response):
    """What keeps ``response`` from being a clear error page for a failed write: a 5xx
    (507 included), in Swedish, saying what was saved, without a stack trace or the
    database's own (English) message."""
    problems = []
    text = visible_text(response.text)
    if not 500 <= response.status <= 599:
        problems.append(f"status {response.status}")
    if 'lang="sv"' not in response.text:
        problems.append("not a Swedish page")
    if not re.search(r"spara(des|ts?)\b|sparad", text):
        problems.append("does not say whether anything was saved")
    for leak in ("Traceback", "sqlite3", "OperationalError", "disk is full", "sqlalchemy", 'File "'):
        if leak in response.text:
            problems.append(f"shows {leak!r}")
    return problems
