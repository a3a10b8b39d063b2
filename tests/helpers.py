"""Helpers for the tests: the password every test user has, a browser-like POST with
the CSRF token, logging in through the real form, and the cast of users."""
import re
from dataclasses import dataclass

PASSWORD = "korrekt häst batteri häftstift"

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, page=None):
    """A valid CSRF token for the client's session, read off a real form."""
    if page is None:
        with client.session_transaction() as session:
            logged_in = "sid" in session
        page = "/auth/password" if logged_in else "/auth/login"
    response = client.get(page, follow_redirects=True)  # e.g. to the second-factor setup
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {page} ({response.status_code})"
    return match.group(1)


def post_form(client, url, data=None, **kwargs):
    """POST like a browser: with the CSRF token of the client's session."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD, follow=False):
        return post_form(self.client, "/auth/login", {"email": email, "password": password},
                         follow_redirects=follow)

    def logout(self):
        return post_form(self.client, "/auth/logout")


@dataclass
class Cast:
    officer_a: object
    officer_b: object
    coordinator: object
    editor: object
    admin: object
    request_a: object  # officer A's request


def make_cast():
    """The users of a typical test, and officer A's request (call inside an app context)."""
    from .factories import make_consultation, make_user

    officer_a = make_user("a@gavle.example", roles=("officer",), unit="Elevhälsan, gymnasiet")
    officer_b = make_user("b@gavle.example", roles=("officer",), unit="Socialtjänst, barn och unga")
    coordinator = make_user("samordnare@gavle.example", roles=("coordinator",))
    editor = make_user("redaktor@gavle.example", roles=("editor",))
    admin = make_user("admin@gavle.example", roles=("admin",))
    request_a = make_consultation(None, officer=officer_a)
    return Cast(officer_a.email, officer_b.email, coordinator.email, editor.email, admin.email,
                request_a.uuid)


def valid_personnummer(yymmdd="050314", serial="123"):
    """A personnummer with a correct check digit (Luhn), e.g. '050314-1234'."""
    digits = yymmdd + serial
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return f"{yymmdd}-{serial}{(10 - total % 10) % 10}"


class LiveClient:
    """A browser-like HTTP client for a running server: its own cookies, no redirects
    followed, forms posted with the CSRF token read off a page."""

    def __init__(self, base_url):
        import http.cookiejar
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, path, data=None):
        import urllib.error
        import urllib.parse

        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get(self, path):
        return self.request(path)

    def post_form(self, path, data, token_page=None):
        _status, page = self.get(token_page or "/auth/password")
        data = dict(data, csrf_token=CSRF_RE.search(page).group(1))
        return self.request(path, data)

    def login(self, email, password=PASSWORD):
        _status, page = self.get("/auth/login")
        token = CSRF_RE.search(page).group(1)
        return self.request("/auth/login", {"email": email, "password": password, "csrf_token": token})


class Inbox:
    """What the test SMTP server received: [(recipients, message text)]."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        message = email.message_from_bytes(envelope.content, policy=policy.default)
        text = f"Subject: {message['Subject']}\n\n{message.get_content()}"
        self.messages.append((envelope.rcpt_tos, text))
        return "250 OK"

    def to(self, address):
        return [text for recipients, text in self.messages if address in recipients]


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
