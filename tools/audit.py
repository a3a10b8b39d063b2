"""Security audit: ``make audit`` (``python tools/audit.py [--only NAMES] [--quick] [--strict]``).

Runs four scanners and prints one summary; exit 1 when a scanner that ran found something
that tools/audit.toml does not explain (or could not do its job: an error), 0 otherwise.

* bandit over coordinator/ and wsgi.py: every medium or high finding must be explained in
  tools/audit.toml (low ones are counted, not gating).
* pip-audit on requirements.txt and requirements-dev.txt (dependencies resolved): a package
  that no vulnerability service could answer for is named as NOT audited, and when no
  service could be reached or none knew any package, the summary says nothing was audited.
* sqlmap against the login form, the consultation search, the list filter and the message
  form of a throwaway instance, logged in, with a fresh CSRF token for every request.
* wapiti against the same instance, logged in as the coordinator, scope the instance's own
  origin on 127.0.0.1, /auth/logout and /auth/logout-everywhere excluded.

The scanners live in build/audit-venv (requirements-audit.txt); one that cannot be installed
is skipped with pip's reason. The instance is gunicorn on a free port of 127.0.0.1 over a new
SQLite database and keyring in build/audit/instance, with anonymised demo data; it is stopped
at the end. Raw reports and logs are in build/audit/.

``--seed`` is the part that runs inside the instance's environment (accounts' passwords, the
consultation whose message form is scanned); the audit calls it itself.
"""
import argparse
import hashlib
import html
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "audit"
VENV = ROOT / "build" / "audit-venv"
CONFIG = ROOT / "tools" / "audit.toml"
REQUIREMENTS = ROOT / "requirements-audit.txt"
AUDITED_REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
BANDIT_TARGETS = ("coordinator", "wsgi.py")
GATING_SEVERITIES = {"MEDIUM", "HIGH"}

# scanner -> (its requirement in requirements-audit.txt, its command in the audit venv)
TOOLS = {
    "bandit": ("bandit", "bandit"),
    "pip-audit": ("pip-audit", "pip-audit"),
    "sqlmap": ("sqlmap", "sqlmap"),
    "wapiti": ("wapiti3", "wapiti"),
}
SCANNERS = tuple(TOOLS)

COORDINATOR_EMAIL = "samordnare@audit.example"
OFFICER_EMAIL = "handlaggare@audit.example"
PIP_AUDIT_SERVICES = ("pypi", "osv")

# wapiti modules that run, and those that do not, with the reason (printed in the summary).
WAPITI_MODULES = ("cookieflags", "csp", "csrf", "http_headers", "crlf", "exec", "file", "methods",
                  "permanentxss", "redirect", "sql", "upload", "xss")
WAPITI_NOT_RUN = {
    "ssl, https_redirect": "the throwaway instance serves plain HTTP on 127.0.0.1 (TLS is the proxy's, see Deployment)",
    "ssrf, xxe, log4shell, spring4shell": "need an external callback endpoint (this machine reaches none)",
    "wapp, htp, nikto, cms, drupal_enum, wp_enum, network_device, takeover": "fingerprint databases or DNS from outside",
    "brute_login_form, buster, backup": "guessing credentials or paths: long, and the login throttle is a documented control",
    "timesql": "time-based SQL injection is sqlmap's part (the four targets above)",
    "ldap, shellshock, htaccess": "no LDAP, no CGI, no .htaccess here",
}


# The summary -----------------------------------------------------------------------------

@dataclass
class Finding:
    where: str      # file:line, or METHOD URL [parameter]
    severity: str
    what: str
    explained_by: str = ""  # the reason from tools/audit.toml, when it is explained


@dataclass
class Result:
    name: str
    status: str = "ran"       # ran | skipped | error
    reason: str = ""          # why skipped, or what went wrong
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def unexplained(self):
        return [f for f in self.findings if not f.explained_by]

    @property
    def explained(self):
        return [f for f in self.findings if f.explained_by]


def print_summary(results, started, strict, out):
    lines = ["", "=" * 78, "make audit: summary", "=" * 78]
    for r in results:
        if r.status == "ran":
            state = f"ran      {len(r.unexplained)} finding(s)"
            if r.explained:
                state += f", {len(r.explained)} explained"
        elif r.status == "skipped":
            state = f"SKIPPED  {r.reason}"
        else:
            state = f"ERROR    {r.reason}"
        lines.append(f"{r.name:<10} {state}  [{_duration(r.seconds)}]")
        if r.status == "error" and (r.findings or r.explained):
            lines.append(f"{'':<10} (and {len(r.unexplained)} finding(s) before it stopped)")
    for title, pick in (("Findings", lambda r: r.unexplained), ("Explained (tools/audit.toml)", lambda r: r.explained)):
        rows = [(r.name, f) for r in results for f in pick(r)]
        if not rows:
            continue
        lines += ["", f"-- {title} --"]
        for name, f in rows:
            lines.append(f"[{name}] {f.where}  {f.severity}  {f.what}")
            if f.explained_by:
                lines.append(f"          because: {f.explained_by}")
    noted = [(r.name, n) for r in results for n in r.notes]
    if noted:
        lines += ["", "-- Notes --"]
        lines += [f"[{name}] {note}" for name, note in noted]
    failed = [r for r in results if r.status == "error" or (r.status == "ran" and r.unexplained)]
    skipped = [r for r in results if r.status == "skipped"]
    lines.append("")
    if failed:
        verdict = "FAIL: " + ", ".join(
            f"{r.name} ({'error' if r.status == 'error' else f'{len(r.unexplained)} finding(s)'})" for r in failed)
    elif skipped and strict:
        verdict = "FAIL (--strict): skipped: " + ", ".join(r.name for r in skipped)
    elif skipped:
        verdict = "PASS for the scanners that ran; NOT checked: " + ", ".join(r.name for r in skipped)
    else:
        verdict = "PASS: every scanner ran and found nothing unexplained"
    lines.append(f"Result: {verdict}  (total {_duration(time.monotonic() - started)}; reports in "
                 f"{BUILD.relative_to(ROOT)}/)")
    text = "\n".join(lines) + "\n"
    out.write(text)
    (BUILD / "summary.txt").write_text(text)
    return 1 if failed or (skipped and strict) else 0


def _duration(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def say(message):
    print(f"[audit] {message}", flush=True)


def tail(path, lines=15):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def last_line(text):
    rows = [row.strip() for row in (text or "").splitlines() if row.strip()]
    return rows[-1] if rows else "(no output)"


# The scanners' virtualenv ---------------------------------------------------------------------

def install_tools(wanted):
    """{scanner: path of its command, or None} and {scanner: why it is missing}."""
    log = BUILD / "install.log"
    stamp = VENV / ".installed"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    missing = {}
    python = VENV / "bin" / "python"
    with open(log, "a") as handle:
        if not python.exists():
            say(f"creating {VENV.relative_to(ROOT)} for the scanners")
            done = subprocess.run([sys.executable, "-m", "venv", str(VENV)], stdout=handle, stderr=subprocess.STDOUT)
            if done.returncode != 0:
                return {}, {name: f"could not create {VENV.relative_to(ROOT)} (see {log.relative_to(ROOT)})"
                            for name in wanted}
        if not stamp.exists() or stamp.read_text().strip() != digest:
            say(f"installing {REQUIREMENTS.name} into {VENV.relative_to(ROOT)} (log: {log.relative_to(ROOT)})")
            pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            done = subprocess.run(pip + ["-r", str(REQUIREMENTS)], stdout=handle, stderr=subprocess.STDOUT)
            if done.returncode == 0:
                stamp.write_text(digest + "\n")
            else:  # find out which of them cannot be installed, and why
                pins = _pins()
                for name in wanted:
                    requirement = pins.get(TOOLS[name][0])
                    if requirement is None:
                        missing[name] = f"{TOOLS[name][0]} is not in {REQUIREMENTS.name}"
                        continue
                    one = subprocess.run(pip + [requirement], capture_output=True, text=True)
                    handle.write(one.stdout + one.stderr)
                    if one.returncode != 0:
                        missing[name] = f"cannot be installed here: pip install {requirement}: " + last_line(
                            "\n".join(row for row in one.stderr.splitlines() if row.startswith("ERROR")) or one.stderr)
    paths = {}
    for name in wanted:
        command = VENV / "bin" / TOOLS[name][1]
        if name in missing:
            paths[name] = None
        elif not command.exists():
            paths[name] = None
            missing[name] = f"{command.relative_to(ROOT)} missing after the install (see {log.relative_to(ROOT)})"
        else:
            paths[name] = command
    return paths, missing


def _pins():
    pins = {}
    for row in REQUIREMENTS.read_text().splitlines():
        row = row.split("#", 1)[0].strip()
        if row:
            pins[re.split(r"[=<>!~\[ ]", row, maxsplit=1)[0].lower()] = row
    return pins


def run_logged(args, log, timeout):
    """Run a scanner with its output going to ``log`` as it comes (follow it with tail -f);
    returns (the output, whether the timeout ended it)."""
    timed_out = False
    with open(log, "wb") as handle:
        try:
            subprocess.run(args, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                           env=tool_env(), timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
    return Path(log).read_text(errors="replace"), timed_out


def tool_env():
    env = dict(os.environ)
    env["TERM"] = "dumb"  # sqlmap and wapiti print no terminal control sequences then
    env["PYTHONWARNINGS"] = "ignore"
    env.pop("PYTHONPATH", None)
    return env


def load_config():
    with open(CONFIG, "rb") as handle:
        return tomllib.load(handle)


def explain(findings, entries, matches, label):
    """Mark each finding an entry explains; entries that explain nothing come back as notes."""
    used = set()
    for finding, raw in findings:
        for index, entry in enumerate(entries):
            if matches(entry, raw):
                finding.explained_by = " ".join(entry["reason"].split())
                used.add(index)
                break
    return [f"stale explanation in {CONFIG.relative_to(ROOT)} ({label}): "
            + ", ".join(f"{k}={entry[k]!r}" for k in entry if k != "reason") + " matches nothing"
            for index, entry in enumerate(entries) if index not in used]


# bandit --------------------------------------------------------------------------------------

def run_bandit(command, config):
    result = Result("bandit")
    report = BUILD / "bandit.json"
    done = subprocess.run(
        [str(command), "-c", str(CONFIG), "-r", *BANDIT_TARGETS, "-f", "json", "-o", str(report), "-q"],
        cwd=ROOT, capture_output=True, text=True, env=tool_env(),
    )
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        result.status, result.reason = "error", f"bandit wrote no report (exit {done.returncode}): {last_line(done.stderr)}"
        return result
    for error in data.get("errors", []):
        result.status = "error"
        result.reason = "bandit could not read every file"
        result.notes.append(f"bandit could not scan {error.get('filename')}: {error.get('reason')}")
    gating, low = [], 0
    for issue in data.get("results", []):
        if issue["issue_severity"] not in GATING_SEVERITIES:
            low += 1
            continue
        path = os.path.relpath(issue["filename"], ROOT)
        finding = Finding(f"{path}:{issue['line_number']}", issue["issue_severity"],
                          f"{issue['test_id']} {issue['test_name']}: {issue['issue_text']} "
                          f"(confidence {issue['issue_confidence'].lower()})")
        issue["_path"] = path
        issue["_source"] = _source_lines(path, issue.get("line_range") or [issue["line_number"]])
        gating.append((finding, issue))

    def matches(entry, issue):
        return (entry["file"] == issue["_path"] and entry["test"] == issue["test_id"]
                and " ".join(entry["code"].split()) in issue["_source"])

    result.notes += explain(gating, config.get("bandit", {}).get("explained", []), matches, "bandit")
    # bandit reports some findings twice (e.g. B608 on one statement); count each place once
    seen = set()
    for finding, _issue in gating:
        key = (finding.where, finding.what)
        if key not in seen:
            seen.add(key)
            result.findings.append(finding)
    totals = data.get("metrics", {}).get("_totals", {})
    result.notes.append(f"{int(totals.get('loc', 0))} lines scanned; {low} low-severity finding(s), not gating "
                        f"(listed in {report.relative_to(ROOT)})")
    return result


def _source_lines(path, line_range):
    try:
        rows = (ROOT / path).read_text().splitlines()
    except OSError:
        return ""
    first, last = min(line_range), max(line_range)
    return " ".join(" ".join(rows[first - 1:last]).split())


# pip-audit -----------------------------------------------------------------------------------

def run_pip_audit(command):
    result = Result("pip-audit")
    requirements = []
    for name in AUDITED_REQUIREMENTS:
        requirements += ["-r", str(ROOT / name)]
    audited, vulnerable, skipped = {}, {}, {}   # name -> version / [vulns] / reason
    service_notes = []
    for service in PIP_AUDIT_SERVICES:
        report = BUILD / f"pip-audit-{service}.json"
        report.unlink(missing_ok=True)
        say(f"pip-audit: {' '.join(AUDITED_REQUIREMENTS)} against the {service} vulnerability service")
        done = subprocess.run(
            [str(command), *requirements, "--vulnerability-service", service, "--format", "json",
             "--output", str(report), "--progress-spinner", "off", "--timeout", "20",
             "--cache-dir", str(BUILD / "pip-audit-cache")],
            cwd=ROOT, capture_output=True, text=True, env=tool_env(),
        )
        (BUILD / f"pip-audit-{service}.log").write_text(done.stdout + done.stderr)
        try:
            data = json.loads(report.read_text())
        except (OSError, ValueError):
            reason = _pip_audit_failure(done.stderr)
            service_notes.append(f"{service}: not reached ({reason})")
            continue
        found_here = 0
        for dep in data.get("dependencies", []):
            name = dep["name"]
            if "skip_reason" in dep:
                skipped.setdefault(name, dep["skip_reason"])
                continue
            found_here += 1
            audited[name] = dep.get("version", "?")
            skipped.pop(name, None)
            for vuln in dep.get("vulns", []):
                vulnerable.setdefault(name, {})[vuln["id"]] = (dep.get("version", "?"), vuln)
        total = len(data.get("dependencies", []))
        if found_here == 0:
            service_notes.append(f"{service}: reached, but 'not found' for every one of the {total} packages "
                                 f"(nothing audited by it)")
        else:
            service_notes.append(f"{service}: answered for {found_here} of {total} packages")
        if not skipped:
            break  # every package audited: the other service is not needed
    for name in audited:
        skipped.pop(name, None)
    for name, vulns in sorted(vulnerable.items()):
        for vuln_id, (version, vuln) in sorted(vulns.items()):
            aliases = ", ".join(vuln.get("aliases") or [])
            fix = ", ".join(vuln.get("fix_versions") or []) or "none yet"
            description = " ".join((vuln.get("description") or "").split())[:160]
            result.findings.append(Finding(
                f"{name}=={version} (requirements)", "vulnerable",
                f"{vuln_id}{f' ({aliases})' if aliases else ''}; fixed in: {fix}. {description}"))
    result.notes += ["vulnerability services: " + "; ".join(service_notes)]
    if not audited:
        result.status = "skipped"
        result.reason = ("NOTHING AUDITED: no vulnerability service answered for any package ("
                         + "; ".join(service_notes) + ")")
        if skipped:
            result.notes.append(f"not audited ({len(skipped)}): " + ", ".join(sorted(skipped)))
        return result
    if skipped:
        result.notes.append(f"NOT audited ({len(skipped)} of {len(skipped) + len(audited)} packages; "
                            f"no known vulnerabilities is NOT claimed for them): "
                            + ", ".join(f"{name} ({reason})" for name, reason in sorted(skipped.items())))
        result.reason = f"{len(skipped)} package(s) not audited"
    result.notes.append(f"{len(audited)} package(s) audited"
                        + ("" if vulnerable else ", no known vulnerability in them"))
    return result


def _pip_audit_failure(stderr):
    for pattern in (r"(NameResolutionError|Failed to resolve|Name or service not known)",
                    r"(ConnectTimeout|ReadTimeout|timed out)", r"(ConnectionError|Connection refused)"):
        if re.search(pattern, stderr or ""):
            host = re.search(r"host='([^']+)'", stderr)
            return f"{re.search(pattern, stderr).group(1)}{' for ' + host.group(1) if host else ''}"
    return last_line(stderr)


# The throwaway instance ------------------------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    """gunicorn over a new SQLite database, keyring and SECRET_KEY in build/audit/instance."""

    def __init__(self):
        self.dir = BUILD / "instance"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = BUILD / "server-access.log"
        self.server_log = BUILD / "server.log"
        self.password = secrets.token_urlsafe(24)
        self.process = None
        self.consultation = None
        env = {k: v for k, v in os.environ.items() if not k.startswith("COORDINATOR_") and k != "DATABASE_URL"}
        env.update({
            "COORDINATOR_INSTANCE_PATH": str(self.dir),
            "DATABASE_URL": f"sqlite:///{self.dir / 'coordinator.sqlite3'}",
            "COORDINATOR_ENVIRONMENT": '"development"',  # plain HTTP on 127.0.0.1
            "COORDINATOR_BASE_URL": json.dumps(self.base),
            "COORDINATOR_SESSION_IDLE_MINUTES": "600",
            "COORDINATOR_PASSWORD_HASH_PARAMETERS": json.dumps({"time_cost": 1, "memory_cost": 1024, "parallelism": 1}),
            # The coordinator logs in with the password alone (as bench/pages.py does).
            "COORDINATOR_TWO_FACTOR_ROLES": "[]",
            # sqlmap sends thousands of logins: the throttle would answer them all with the same
            # refusal and hide the code behind it. The throttle itself is tested in tests/.
            "COORDINATOR_LOGIN_LIMIT_PER_ACCOUNT": "1000000 per minute",
            "COORDINATOR_LOGIN_LIMIT_PER_ACCOUNT_ALL": "1000000 per minute",
            "COORDINATOR_LOGIN_LIMIT_PER_ADDRESS": "1000000 per minute",
            "AUDIT_PASSWORD": self.password,
        })
        self.env = env

    def prepare(self, demo_count):
        shutil.rmtree(self.dir, ignore_errors=True)
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        steps = [
            [sys.executable, "-m", "coordinator.instance_setup"],
            flask + ["db", "upgrade"],
            flask + ["demo", "load", "--count", str(demo_count)],
            flask + ["users", "create", COORDINATOR_EMAIL, "--role", "coordinator", "--name", "Granskande samordnare"],
            flask + ["users", "create", OFFICER_EMAIL, "--role", "officer", "--name", "Granskande handläggare",
                     "--unit", "Socialtjänst, barn och unga"],
            [sys.executable, str(Path(__file__).resolve()), "--seed"],
        ]
        with open(BUILD / "instance-setup.log", "w") as log:
            for step in steps:
                done = subprocess.run(step, cwd=ROOT, env=self.env, capture_output=True, text=True)
                log.write(f"$ {' '.join(step)}\n{done.stdout}{done.stderr}\n")
                if done.returncode != 0:
                    raise RuntimeError(f"`{' '.join(step[1:])}` failed: {last_line(done.stderr or done.stdout)}")
        self.consultation = json.loads(done.stdout.strip().splitlines()[-1])["consultation"]

    def start(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.access_log.write_text("")
        with open(self.server_log, "w") as log:  # the server keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [str(gunicorn), "--preload", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
                 "--no-control-socket", "--timeout", "120", "--access-logfile", str(self.access_log),
                 "--access-logformat", "%(s)s\t%(m)s\t%(U)s\t%({location}o)s", "wsgi:app"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped at start: " + last_line(tail(self.server_log)))
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("/healthz did not answer within 60 s")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_offset(self):
        return self.access_log.stat().st_size

    def requests_since(self, offset):
        """(status, method, path, location) of each request answered since ``offset``."""
        with open(self.access_log, "rb") as handle:
            handle.seek(offset)
            rows = handle.read().decode(errors="replace").splitlines()
        return [tuple((row.split("\t") + ["", "", "", ""])[:4]) for row in rows if row]

    def server_errors_since(self, offset):
        """Distinct exception lines the application logged since ``offset`` of server.log."""
        with open(self.server_log, "rb") as handle:
            handle.seek(offset)
            text = handle.read().decode(errors="replace")
        found = []
        for row in text.splitlines():
            if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b", row) and row not in found:
                found.append(row.strip())
        return found

    def server_log_offset(self):
        return self.server_log.stat().st_size

    def login(self, email):
        """A logged-in session cookie (coordinator_session=...) after a real login through the form."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(self.base + "/auth/login", timeout=30).read().decode()
        token = csrf_token(page)
        form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": self.password}).encode()
        with opener.open(self.base + "/auth/login", form, timeout=30) as response:
            landed = urllib.parse.urlsplit(response.url).path
        if landed.startswith("/auth/"):
            raise RuntimeError(f"logging in as {email} did not succeed (ended on {landed})")
        opener.open(self.base + "/auth/account", timeout=30).read()  # the session holds its CSRF secret now
        cookie = next((c for c in jar if c.name == "coordinator_session"), None)
        if cookie is None:
            raise RuntimeError("no session cookie after the login")
        return f"{cookie.name}={cookie.value}"

    def logged_in(self, cookie):
        """True when the session is still logged in (the account page answers, not the login)."""
        request = urllib.request.Request(self.base + "/auth/account", headers={"Cookie": cookie})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status == 200
        except urllib.error.HTTPError:
            return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_token(page):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no csrf_token on the page")
    return html.unescape(match.group(1))


def seed():
    """Inside the instance's environment: passwords for the two accounts, and one officer's
    request with a thread (the message form needs one). Prints {"consultation": uuid}."""
    from datetime import datetime, timezone

    from sqlalchemy import select

    sys.path.insert(0, str(ROOT))
    from coordinator.auth.models import User
    from coordinator.auth.passwords import hash_password
    from coordinator.consultations import services
    from coordinator.extensions import db
    from wsgi import app

    with app.app_context():
        users = {}
        for email in (COORDINATOR_EMAIL, OFFICER_EMAIL):
            user = db.session.scalar(select(User).where(User.email == email))
            user.password_hash = hash_password(os.environ["AUDIT_PASSWORD"])
            user.must_change_password = False
            user.password_changed_at = datetime.now(timezone.utc)
            users[email] = user
        consultation = services.request_advice(users[OFFICER_EMAIL], services.CaseInput(
            sector="social_children", area="hrv",
            situation="En elev berättar om oro inför sommarlovet och en planerad resa till släkten."))
        db.session.commit()
        print(json.dumps({"consultation": str(consultation.uuid)}))


# sqlmap --------------------------------------------------------------------------------------

@dataclass
class SqlmapTarget:
    name: str
    url: str
    params: tuple
    data: str = None         # a POST body; None: GET
    csrf_url: str = None     # where a fresh CSRF token is read before each request
    logged_in: bool = True
    extra: tuple = ()


def sqlmap_targets(instance):
    base, uuid = instance.base, instance.consultation
    return [
        SqlmapTarget("login form", f"{base}/auth/login", ("email", "password"),
                     data="csrf_token=x&email=granskare%40audit.example&password=ett-helt-vanligt-losenord",
                     csrf_url=f"{base}/auth/login", logged_in=False),
        SqlmapTarget("consultation search", f"{base}/consultations/search", ("query",),
                     data="csrf_token=x&query=familjen", csrf_url=f"{base}/consultations/"),
        SqlmapTarget("list filter", f"{base}/consultations/?sector=social_children&area=hrv", ("sector", "area")),
        # A stored message redirects to the consultation (which grows with every message):
        # the 302 itself is the answer compared, and the token comes from the cheap account page
        # (a CSRF token is the session's, whichever form it was printed in).
        SqlmapTarget("message form", f"{base}/consultations/{uuid}/messages", ("body",),
                     data="csrf_token=x&body=Tack+f%C3%B6r+fr%C3%A5gan%2C+vi+h%C3%B6rs+i+morgon.",
                     csrf_url=f"{base}/auth/account", extra=("--ignore-redirects",)),
    ]


def run_sqlmap(command, instance, level, risk):
    result = Result("sqlmap")
    (BUILD / "sqlmap").mkdir(exist_ok=True)
    for target in sqlmap_targets(instance):
        cookie = instance.login(COORDINATOR_EMAIL) if target.logged_in else None
        slug = re.sub(r"\W+", "-", target.name)
        out_dir = BUILD / "sqlmap" / slug
        shutil.rmtree(out_dir, ignore_errors=True)
        args = [str(command), "-u", target.url, "-p", ",".join(target.params), "--batch", "--flush-session",
                "--disable-coloring", "--level", str(level), "--risk", str(risk), "--timeout", "30",
                "--output-dir", str(out_dir), *target.extra,
                # A first guess at the database (often wrong when a page differs for other reasons)
                # must not cut the payloads for the others (SQLite here, PostgreSQL in production).
                "--answers", "skip test payloads specific for other DBMSes=N,extending provided level=N"]
        if target.data is not None:
            args += ["--data", target.data]
        if target.csrf_url:
            args += ["--csrf-token", "csrf_token", "--csrf-url", target.csrf_url]
        if cookie:
            args += ["--cookie", cookie]
        where = f"{'POST' if target.data is not None else 'GET'} {urllib.parse.urlsplit(target.url).path}"
        say(f"sqlmap: {target.name} ({where}, parameters {', '.join(target.params)}; level {level}, risk {risk})")
        offset, log_offset = instance.log_offset(), instance.server_log_offset()
        started = time.monotonic()
        output, timed_out = run_logged(args, BUILD / "sqlmap" / f"{slug}.log", timeout=1800)
        requests = instance.requests_since(offset)
        problems = _sqlmap_outcome(result, target, slug, where, output, requests, cookie, instance, timed_out)
        errors = instance.server_errors_since(log_offset)
        if errors:
            result.notes.append(f"{target.name}: the application logged: " + " | ".join(errors[:5]))
        summary = f"{target.name}: {len(requests)} requests in {_duration(time.monotonic() - started)}"
        if problems:
            result.status = "error"
            result.reason = "; ".join(filter(None, [result.reason, f"{target.name}: {problems}"]))
            result.notes.append(f"{summary}: NOT a clean result ({problems})")
        else:
            result.notes.append(f"{summary}: {', '.join(target.params)} not injectable")
        if "false positive or unexploitable injection point detected" in output:
            result.notes.append(f"{target.name}: sqlmap saw answers differ and its false-positive check "
                                "ruled an injection out (the page changes for another reason)")
    return result


def _sqlmap_outcome(result, target, slug, where, output, requests, cookie, instance, timed_out):
    """Record injection points and server errors as findings; return what made the run unusable."""
    points = re.findall(r"^Parameter: (.+?)\n((?:    .*\n?)+)", output, re.M)
    for parameter, block in points:
        kinds = re.findall(r"^    Type: (.*)$", block, re.M)
        payloads = re.findall(r"^    Payload: (.*)$", block, re.M)
        result.findings.append(Finding(
            f"{where} [{parameter}]", "high",
            f"SQL injection ({'; '.join(kinds)}); payload: {payloads[0] if payloads else '?'}; "
            f"reproduce: sqlmap -u '{target.url}' -p {parameter.split()[0]}"
            + (f" --data '{target.data}' --csrf-token csrf_token --csrf-url '{target.csrf_url}'" if target.data else "")
            + " --cookie '<a logged-in session>'"))
    server_errors = {}
    for status, method, path, _location in requests:
        if status.startswith("5"):
            server_errors[(method, path, status)] = server_errors.get((method, path, status), 0) + 1
    for (method, path, status), count in sorted(server_errors.items()):
        result.findings.append(Finding(
            f"{method} {instance.base}{path} (sqlmap, {target.name})", "medium",
            f"{count} request(s) answered {status}: a payload reached an unhandled error (see build/audit/server.log "
            f"and build/audit/sqlmap/{slug}.log)"))
    problems = []
    if timed_out:
        problems.append("sqlmap did not finish within 30 minutes")
    clean = "all tested parameters do not appear to be injectable" in output
    if not points and not clean and not timed_out:
        critical = re.findall(r"\[CRITICAL\] (.*)", output)
        problems.append("sqlmap stopped: " + (critical[-1] if critical else last_line(output)))
    posts = [r for r in requests if r[1] == "POST"]
    refused = [r for r in posts if r[0] == "400"]
    if posts and len(refused) > 0.02 * len(posts):
        problems.append(f"{len(refused)} of {len(posts)} POSTs refused with 400 (CSRF token or Origin not accepted)")
    throttled = [r for r in requests if r[0] == "429"]
    if throttled:
        problems.append(f"{len(throttled)} requests throttled (429)")
    to_login = [r for r in requests if r[0] == "302" and "/auth/login" in r[3]]
    if target.logged_in and (to_login or not instance.logged_in(cookie)):
        problems.append(f"the session was lost ({len(to_login)} requests redirected to the login)")
    if not requests:
        problems.append("no request reached the instance")
    return "; ".join(problems)


# wapiti --------------------------------------------------------------------------------------

def run_wapiti(command, instance, config, crawl_seconds, attack_seconds):
    result = Result("wapiti")
    cookie = instance.login(COORDINATOR_EMAIL)
    report = BUILD / "wapiti.json"
    report.unlink(missing_ok=True)
    base = instance.base + "/"
    args = [str(command), "-u", base, "--scope", "folder",
            "-x", instance.base + "/auth/logout", "-x", instance.base + "/auth/logout-everywhere",
            "-C", cookie, "-m", ",".join(WAPITI_MODULES),
            # each distinct URL and form is attacked, but not again for each fresh CSRF token
            # (every page prints a new one, so each form would otherwise come back many times)
            "-S", "paranoid",
            "--flush-session", "--store-session", str(BUILD / "wapiti-session"),
            "--store-config", str(BUILD / "wapiti-config"),
            "--max-scan-time", str(crawl_seconds), "--max-attack-time", str(attack_seconds),
            "-t", "30", "-f", "json", "-o", str(report), "--no-bugreport", "-v", "1"]
    say(f"wapiti: {base} as the coordinator, modules {','.join(WAPITI_MODULES)} "
        f"(crawl at most {crawl_seconds} s, each module at most {attack_seconds} s)")
    offset, log_offset = instance.log_offset(), instance.server_log_offset()
    budget = crawl_seconds + attack_seconds * len(WAPITI_MODULES) + 600
    output, timed_out = run_logged(args, BUILD / "wapiti.log", timeout=budget)
    if timed_out:
        result.status, result.reason = "error", f"wapiti did not finish within {budget} s"
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        result.status = "error"
        result.reason = result.reason or f"wapiti wrote no report: {last_line(output)}"
        return result
    found = re.search(r"Wapiti found (\d+) URLs and forms", output)
    result.notes.append(f"{found.group(1) if found else '?'} URLs and forms crawled; "
                        f"{len(instance.requests_since(offset))} requests")
    if "Max scan time was reached" in output:
        result.notes.append(f"the crawl stopped at its time limit ({crawl_seconds} s): pages beyond it were not attacked")
    for module in re.findall(r"Max attack time was reached for module (\w+)", output):
        result.notes.append(f"module {module} stopped at its time limit ({attack_seconds} s): not every URL/form attacked")
    extras = {category: len(items) for category, items in (data.get("additionals") or {}).items() if items}
    if extras:
        result.notes.append("informational (not findings): " + ", ".join(f"{k}: {v}" for k, v in extras.items())
                            + f" (in {report.relative_to(ROOT)})")
    result.notes.append("modules not run: " + "; ".join(f"{k} ({v})" for k, v in WAPITI_NOT_RUN.items()))
    level_names = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}
    raw = []
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (data.get(section) or {}).items():
            for item in items:
                path = item.get("path", "")
                parameter = item.get("parameter") or ""
                finding = Finding(
                    f"{item.get('method', '?')} {path}" + (f" [{parameter}]" if parameter else ""),
                    level_names.get(item.get("level"), str(item.get("level"))),
                    f"{category}: {' '.join(str(item.get('info', '')).split())}"
                    + (f" (reproduce: {item['curl_command']})" if item.get("curl_command") and section == "vulnerabilities"
                       and category not in ("Content Security Policy Configuration", "HTTP Secure Headers") else ""))
                raw.append((finding, {"category": category, "path": urllib.parse.urlsplit(path).path,
                                      "info": str(item.get("info", ""))}))

    def matches(entry, item):
        return (entry["category"] == item["category"]
                and re.fullmatch(entry.get("path", ".*"), item["path"]) is not None
                and re.search(entry.get("info", ""), item["info"]) is not None)

    result.notes += explain(raw, config.get("wapiti", {}).get("explained", []), matches, "wapiti")
    result.findings += [finding for finding, _ in raw]
    errors = {}
    for status, method, path, _location in instance.requests_since(offset):
        if status.startswith("5"):
            errors[(method, path, status)] = errors.get((method, path, status), 0) + 1
    reported = {item["path"] for _, item in raw}  # what wapiti reported itself is not counted twice
    for (method, path, status), count in sorted(errors.items()):
        if path not in reported:
            result.findings.append(Finding(f"{method} {instance.base}{path}", "medium",
                                           f"{count} request(s) answered {status} during the wapiti scan "
                                           f"(see build/audit/server.log)"))
    logged = instance.server_errors_since(log_offset)
    if logged:
        result.notes.append("the application logged: " + " | ".join(logged[:5]))
    if not instance.logged_in(cookie):
        result.status = "error"
        result.reason = "the session ended during the scan: what came after it was scanned logged out"
    return result


# The audit -----------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(SCANNERS),
                        help=f"comma-separated scanners to run (default: all: {','.join(SCANNERS)})")
    parser.add_argument("--quick", action="store_true",
                        help="sqlmap at level 1, risk 1 and shorter wapiti limits (a first look, not the audit)")
    parser.add_argument("--strict", action="store_true", help="a skipped scanner fails the audit too")
    parser.add_argument("--wapiti-module-seconds", type=int, default=300, metavar="S",
                        help="time limit of each wapiti module (default 300; the summary says which hit it)")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed:
        seed()
        return 0
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the instance is stopped on the way out
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(wanted) - set(SCANNERS)
    if unknown:
        parser.error(f"unknown scanner(s): {', '.join(sorted(unknown))}")
    BUILD.mkdir(parents=True, exist_ok=True)
    config = load_config()
    paths, missing = install_tools(wanted)
    results = {name: Result(name, status="skipped", reason=missing[name]) for name in missing}

    def timed(name, run, *run_args):
        say(f"{name} ...")
        began = time.monotonic()
        try:
            result = run(*run_args)
        except Exception as exc:  # a scanner's failure is reported, and the others still run
            result = Result(name, status="error", reason=f"{type(exc).__name__}: {exc}")
        result.seconds = time.monotonic() - began
        results[name] = result

    if paths.get("bandit"):
        timed("bandit", run_bandit, paths["bandit"], config)
    if paths.get("pip-audit"):
        timed("pip-audit", run_pip_audit, paths["pip-audit"])
    dynamic = [name for name in ("sqlmap", "wapiti") if paths.get(name)]
    if dynamic:
        instance = Instance()
        try:
            say(f"starting a throwaway instance on {instance.base} ({instance.dir.relative_to(ROOT)})")
            began = time.monotonic()
            instance.prepare(demo_count=3)
            instance.start()
            say(f"instance ready in {_duration(time.monotonic() - began)}")
        except Exception as exc:
            instance.stop()
            for name in dynamic:
                results[name] = Result(name, status="error", reason=f"the throwaway instance did not start: {exc}")
            dynamic = []
        try:
            if "sqlmap" in dynamic:
                level, risk = (1, 1) if args.quick else (3, 2)
                timed("sqlmap", run_sqlmap, paths["sqlmap"], instance, level, risk)
            if "wapiti" in dynamic:
                crawl, attack = (60, 60) if args.quick else (300, args.wapiti_module_seconds)
                timed("wapiti", run_wapiti, paths["wapiti"], instance, config, crawl, attack)
        finally:
            instance.stop()
    ordered = [results[name] for name in SCANNERS if name in results]
    return print_summary(ordered, started, args.strict, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
