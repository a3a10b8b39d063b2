"""Cross-site scripting: payloads typed into every free-text field the application stores,
then every page that shows them and every export, as each role that sees them.

Each field gets its own payloads, tagged with the field's name (``alert('situation')``), so
a test can say which field reached which page. A page passes when it holds no live markup
(conftest.live_markup: no foreign script, no event handler, no javascript: URL, no loading
element) and shows the field's payloads as escaped text. The exports: the HTML page the
same way; the .docx read back with python-docx (the payload is a paragraph's text, the XML
escaped); Markdown and text as downloads that are never HTML; the partner CSV read back
with the csv module (the payload a cell's plain text, a formula neutralised).

The payloads hold no names, numbers or addresses, so the anonymity guard lets them through
(the seeding asserts each form was saved).
"""
import csv
import io
import re
import urllib.parse
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import pytest
from docx import Document
from flask import url_for
from markupsafe import escape

from coordinator.database import local_today
from coordinator.extensions import db

from ..helpers import PASSWORD, csrf_token
from .conftest import EMAILS, Poster, assert_inert, live_markup, logged_in_client, make_users
from .test_access_matrix import role_for


def payloads(tag):
    return [
        f"<script>alert('{tag}')</script>",
        f'"><img src=x onerror=alert("{tag}")>',
        f"</textarea><svg onload=alert('{tag}')>",
        f"<a href=\"javascript:alert('{tag}')\">{tag}</a>",
        f"javascript:alert('{tag}')",
    ]


def typed(tag, limit=10_000, multiline=True):
    """As many of the tag's payloads as fit in ``limit`` characters, one a line (or a space
    apart where the field is a single line)."""
    separator, text = ("\n" if multiline else " "), ""
    for payload in payloads(tag):
        candidate = f"{text}{separator}{payload}" if text else payload
        if len(candidate) > limit:
            break
        text = candidate
    return text


def shown(tag, limit=10_000):
    """The payloads of ``tag`` that ``typed(tag, limit)`` holds."""
    return [p for p in payloads(tag) if p in typed(tag, limit)]


CONTACT_EMAIL = "\"><img/src=x/onerror=alert('email')>@x.se"
FORMULA = '=HYPERLINK("http://evil.example","formula")'


@dataclass
class World:
    officer: str  # UUIDs, as text
    editor_account: str
    request: str  # the officer's request (answered, with messages both ways)
    logged: str  # a consultation the coordinator logged
    partner: str
    contact: str
    initiative: str
    done: str  # a training held (with a bulletin line)
    planned: str  # a training to come (on the start page)
    bulletin: str


def _saved(response, what):
    assert response.status_code == 302, f"{what} was not saved ({response.status_code}): " + \
        "; ".join(re.findall(r'class="error-message"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S))[:1500]
    return response.headers["Location"]


def _uuid_in(location):
    return re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", location).group(0)


def fill_with_payloads(app):
    """Every free-text field of every domain, typed through its form."""
    with app.app_context():
        users = make_users()
        officer_uuid = str(users["officer"].uuid)
    admin = Poster(logged_in_client(app, "admin"))
    # The officer's name and unit (shown to the coordinator), and a request for the coordinator
    # role for her (a grant on the coordinator's start page, with her name); a new account.
    _saved(admin(f"/admin/users/{officer_uuid}/edit", {
        "display_name": typed("displayname", 120, multiline=False), "unit": typed("unit", 120, multiline=False),
        "roles": ["officer", "coordinator"]}), "the officer's account")
    created = admin("/admin/users/new", {"email": "ny.redaktor@gavle.example", "roles": "editor",
                                         "display_name": typed("newname", 120, multiline=False)})
    assert created.status_code == 200, "the new account was not created"
    with app.app_context():
        from coordinator.auth.services import find_user_by_email

        editor_account = str(find_user_by_email("ny.redaktor@gavle.example").uuid)

    coordinator = Poster(logged_in_client(app, "coordinator"))
    partner = _uuid_in(_saved(coordinator("/partners/new", {
        "name": "Partner " + typed("partnername", 190, multiline=False), "kind": "authority", "area": "both",
        "status": "potential", "description": typed("partnerdesc", 2000) + "\n" + FORMULA,
        "next_step": typed("nextstep", 500, multiline=False), "next_step_on": "2018-12-01"}), "the partner"))
    _saved(coordinator(f"/partners/{partner}/contacts", {
        "name": typed("contactname", 200, multiline=False), "role": typed("contactrole", 200, multiline=False),
        "email": CONTACT_EMAIL, "phone": "026-17 80 00"}), "the contact person")
    _saved(coordinator(f"/partners/{partner}/steps", {"taken_on": "2018-11-15", "summary": typed("step", 1000)}),
           "the step")
    initiative = _uuid_in(_saved(coordinator("/initiatives/new", {
        "title": typed("inititle", 200, multiline=False), "kind": "project", "area": "hrv", "status": "ongoing",
        "starts_on": "2018-09-01", "partners": partner, "description": typed("description")}), "the initiative"))
    _saved(coordinator(f"/initiatives/{initiative}/notes", {
        "noted_on": "2018-11-10", "note": typed("note"), "bulletin_line": typed("noteline", 500, multiline=False)}),
        "the progress note")
    with app.app_context():
        coming = (local_today() + timedelta(days=30)).isoformat()
    activity = {"kind": "training", "our_role": "organiser", "area": "hrv", "format": "in_person",
                "partners": partner, "initiative": initiative}
    done = _uuid_in(_saved(coordinator("/activities/new", dict(
        activity, title=typed("title", 300, multiline=False), status="done", held_on="2018-11-20",
        audience=typed("audience", 300, multiline=False), participants="12", bulletin_line=typed("bulletinline", 1000),
        notes=typed("notes"))), "the training held"))
    planned = _uuid_in(_saved(coordinator("/activities/new", dict(
        activity, title=typed("planned", 300, multiline=False), status="planned",
        held_on=coming)), "the planned training"))
    logged = _uuid_in(_saved(coordinator("/consultations/new", {
        "sector": "upper_secondary", "area": "hrv", "person_count": "1", "urgency": "not_acute",
        "received_on": "2018-11-05", "channel": "phone", "status": "ongoing", "advice_given": "report_recommended",
        "situation": typed("logged"), "advice": typed("loggedadvice"), "referred_to_partner": partner,
        "referred_to": typed("referred", 200, multiline=False), "minutes_spent": "30",
        "follow_up_on": "2018-11-06"}), "the logged consultation"))

    officer_client = logged_in_client(app, "officer")
    officer = Poster(officer_client)
    request = _uuid_in(_saved(officer("/consultations/request", {
        "sector": "upper_secondary", "area": "hrv", "person_count": "1", "urgency": "not_acute",
        "situation": typed("situation")}), "the officer's request"))
    _saved(coordinator(f"/consultations/{request}/answer", {"advice": typed("advice"), "message": typed("message")}),
           "the answer")
    _saved(officer(f"/consultations/{request}/messages", {"body": typed("reply")}), "the officer's reply")

    bulletin = _uuid_in(_saved(coordinator("/bulletin/new", {"choice": "custom", "start": "2018-10-01",
                                                             "end": "2018-12-31"}), "the bulletin draft"))
    body = "\n".join(f"- {p}" for p in payloads("body")) + "\n\n" + typed("body")
    _saved(coordinator(f"/bulletin/{bulletin}/text", {"body": body, "edit_version": "1"}), "the bulletin text")
    return World(officer=officer_uuid, editor_account=editor_account, request=request, logged=logged,
                 partner=partner, contact=_contact_of(app, partner), initiative=initiative, done=done,
                 planned=planned, bulletin=bulletin)


def _contact_of(app, partner):
    from sqlalchemy import select

    from coordinator.partners.models import Partner, PartnerContact

    with app.app_context():
        return str(db.session.execute(
            select(PartnerContact.uuid).join(Partner).where(Partner.uuid == uuid.UUID(partner))).scalar_one())


@pytest.fixture
def world(app):
    return fill_with_payloads(app)


def check_pages(client, pages):
    """Every page: answered, no live markup, and the listed payloads shown escaped."""
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        assert_inert(response.get_data(as_text=True), path, expected)


# Pages ---------------------------------------------------------------------------------------

def test_the_coordinators_pages(app, world):
    w = world
    partner_name = shown("partnername", 190)
    pages = {
        "/home/coordinator": shown("planned", 300) + shown("displayname", 120) + shown("unit", 120),
        "/consultations/": shown("unit", 120),
        f"/consultations/{w.request}": (shown("situation") + shown("message") + shown("reply")
                                        + shown("displayname", 120) + shown("unit", 120)),
        f"/consultations/{w.logged}": (shown("logged") + shown("loggedadvice") + shown("referred", 200)
                                       + partner_name),
        f"/consultations/{w.logged}/edit": shown("logged") + shown("loggedadvice") + shown("referred", 200),
        "/consultations/new": partner_name,
        "/activities/": shown("title", 300) + shown("planned", 300),
        f"/activities/{w.done}": (shown("title", 300) + shown("audience", 300) + shown("bulletinline")
                                  + shown("notes") + partner_name + shown("inititle", 200)),
        f"/activities/{w.done}/edit": shown("title", 300) + shown("notes") + partner_name + shown("inititle", 200),
        f"/activities/{w.planned}/done": shown("planned", 300),
        "/activities/month?m=2018-11": shown("title", 300),
        f"/activities/?partner={w.partner}": shown("title", 300),
        "/activities/new": partner_name + shown("inititle", 200),
        "/initiatives/": shown("inititle", 200) + partner_name,
        f"/initiatives/{w.initiative}": (shown("inititle", 200) + shown("description") + shown("note")
                                         + shown("noteline", 500) + shown("title", 300) + partner_name),
        f"/initiatives/{w.initiative}/edit": shown("inititle", 200) + shown("description") + partner_name,
        "/initiatives/new": partner_name,
        "/partners/": partner_name,
        "/partners/potential": partner_name + shown("nextstep", 500) + shown("step", 1000),
        f"/partners/{w.partner}": (partner_name + shown("partnerdesc", 2000) + shown("nextstep", 500)
                                   + shown("contactname", 200) + shown("contactrole", 200) + [CONTACT_EMAIL]
                                   + shown("step", 1000) + shown("title", 300)),
        f"/partners/{w.partner}/edit": partner_name + shown("partnerdesc", 2000) + shown("nextstep", 500),
        f"/partners/{w.partner}/contacts/{w.contact}": shown("contactname", 200) + shown("contactrole", 200),
        "/bulletin/": [],
        f"/bulletin/{w.bulletin}": payloads("body"),
        "/retention/": [],
    }
    check_pages(logged_in_client(app, "coordinator"), pages)


def test_the_officers_pages(app, world):
    """The officer sees her request, the answer and the thread, her own name and unit."""
    pages = {
        "/home/officer": [],
        "/consultations/mine": [],
        f"/consultations/{world.request}": (shown("situation") + shown("advice") + shown("message")
                                            + shown("reply") + shown("displayname", 120)),
        "/auth/account": shown("displayname", 120),
        "/consultations/request": [],
    }
    check_pages(logged_in_client(app, "officer"), pages)


def test_the_admins_pages(app, world):
    pages = {
        "/admin/users": shown("displayname", 120) + shown("unit", 120) + shown("newname", 120),
        f"/admin/users/{world.officer}/edit": shown("displayname", 120) + shown("unit", 120),
        f"/admin/users/{world.editor_account}/edit": shown("newname", 120),
        f"/admin/users/{world.officer}/deactivate/confirm": shown("displayname", 120),
        "/admin/audit/": [],
    }
    check_pages(logged_in_client(app, "admin"), pages)


def test_the_editors_pages_once_the_text_is_proposed(app, world):
    """The editor reads the proposed text rendered as paragraphs and bullets (not in a
    textarea), with the coordinator's bullet lines as written."""
    coordinator = Poster(logged_in_client(app, "coordinator"))
    assert coordinator(f"/bulletin/{world.bulletin}/propose").status_code == 302
    pages = {
        "/home/editor": [],
        "/bulletin/": [],
        f"/bulletin/{world.bulletin}": payloads("body"),
    }
    check_pages(logged_in_client(app, "editor"), pages)


def test_a_drafted_section_carries_the_registers_bulletin_lines_inertly(app, world):
    """A draft drawn from the register takes the activities' and initiatives' bulletin lines
    as written: on the page they stay text."""
    coordinator = Poster(logged_in_client(app, "coordinator"))
    drafted = _saved(coordinator("/bulletin/new", {"choice": "custom", "start": "2018-11-01", "end": "2018-11-30"}),
                     "the second draft")
    response = coordinator.client.get(drafted)
    assert_inert(response.get_data(as_text=True), drafted, shown("noteline", 500))


def test_the_search_page_echoes_the_query_as_text(app, world):
    """The query is shown again in the search field, escaped; the hits table shows the
    asker's unit escaped."""
    coordinator = Poster(logged_in_client(app, "coordinator"))
    query = "<script>alert('search')</script>"
    response = coordinator("/consultations/search", {"query": query})
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True), "the search for a payload", [query])
    hits = coordinator("/consultations/search", {"query": "alert"})
    assert_inert(hits.get_data(as_text=True), "the search hits", shown("unit", 120))
    assert str(world.request) in hits.get_data(as_text=True)


# Exports ---------------------------------------------------------------------------------------

def test_the_bulletin_exports_hold_the_text_inertly(app, world):
    client = logged_in_client(app, "editor")
    base = f"/bulletin/{world.bulletin}/export"

    html = client.get(base + ".html")
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert_inert(html.get_data(as_text=True), "the HTML export", payloads("body"))

    docx = client.get(base + ".docx")
    assert docx.status_code == 200
    paragraphs = [p.text for p in Document(io.BytesIO(docx.get_data())).paragraphs]
    for payload in payloads("body"):
        assert payload in paragraphs, f"{payload!r} is not a paragraph of the .docx"
    with zipfile.ZipFile(io.BytesIO(docx.get_data())) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "<script" not in xml and "<img" not in xml
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in xml

    for fmt, mimetype in (("md", "text/markdown"), ("txt", "text/plain")):
        response = client.get(f"{base}.{fmt}")
        assert response.status_code == 200 and response.mimetype == mimetype, fmt
        assert response.headers["Content-Disposition"].startswith("attachment;"), fmt
        assert response.headers["X-Content-Type-Options"] == "nosniff", fmt
        text = response.get_data(as_text=True)
        assert all(p in text for p in payloads("body")), fmt  # plain text, as written, in a download


def csv_cells(response):
    """The cells of a CSV export below its header (as Swedish Excel reads it: ``;``, UTF-8 BOM)."""
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))
    return [cell for row in rows[1:] for cell in row]


def test_the_partner_csv_export_holds_the_payloads_as_plain_cells(app, world):
    """Plain and with contacts: a download (text/csv, attachment, nosniff), every payload a
    cell's text exactly, the formula in the description neutralised with an apostrophe."""
    coordinator = Poster(logged_in_client(app, "coordinator"))
    for data in ({}, {"with_contacts": "y"}):
        response = coordinator("/partners/export", data)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        cells = csv_cells(response)
        assert "Partner " + typed("partnername", 190, multiline=False) in cells
        assert typed("partnerdesc", 2000) + "\n" + FORMULA in cells  # a formula only counts first in a cell
        for cell in cells:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), f"a cell starts like a formula: {cell[:40]!r}"
        if data:
            assert typed("contactname", 200, multiline=False) in cells and CONTACT_EMAIL in cells


def test_a_formula_on_a_line_of_its_own_is_exported_as_text(app, world):
    """A description whose first character starts a formula: the cell begins with an apostrophe."""
    coordinator = Poster(logged_in_client(app, "coordinator"))
    _saved(coordinator(f"/partners/{world.partner}/edit", {
        "name": "Partner med formel", "kind": "authority", "area": "both", "status": "active",
        "description": FORMULA}), "the partner with a formula")
    cells = csv_cells(coordinator("/partners/export"))
    assert "'" + FORMULA in cells


# Other ways a text comes back -----------------------------------------------------------------

def test_the_typed_texts_page_after_an_ended_session_is_inert(app):
    """The session ends while the officer writes; what she typed is shown to copy (401),
    escaped."""
    from coordinator.auth import services

    with app.app_context():
        make_users()
    client = logged_in_client(app, "officer")
    post = Poster(client)
    with app.app_context():
        services.end_sessions(services.find_user_by_email(EMAILS["officer"]), reason="test")
        db.session.commit()
    response = post("/consultations/request", {"sector": "upper_secondary", "area": "hrv", "situation": typed("typed")})
    assert response.status_code == 401
    assert_inert(response.get_data(as_text=True), "the typed texts page", payloads("typed"))


# Every GET page with a payload in each query parameter the application reads.
QUERY_PARAMETERS = ("after", "before", "page", "m", "partner", "kind", "status", "area", "sector", "urgency",
                    "our_role", "date_from", "date_to", "due", "unread", "next", "actor", "action", "q")


def test_query_parameters_are_never_reflected_as_markup(app, world):
    """Every GET route (real records for its UUIDs), as a role that may open it, with every
    query parameter set to a payload: answered without an error, no live markup."""
    records = {"consultation_uuid": world.request, "activity_uuid": world.planned, "initiative_uuid": world.initiative,
               "partner_uuid": world.partner, "contact_uuid": world.contact, "bulletin_uuid": world.bulletin,
               "user_uuid": world.officer, "fmt": "html", "import_uuid": str(uuid.uuid4()),
               "grant_uuid": str(uuid.uuid4()), "token": "x" * 20, "filename": "app.css"}
    payload = "\"><script>alert('query')</script><a href=javascript:alert(1)>"
    query = dict.fromkeys(QUERY_PARAMETERS, payload)
    clients = {}
    checked = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        role = role_for(rule.endpoint)
        if role not in clients:
            clients[role] = app.test_client() if role == "anonymous" else logged_in_client(app, role)
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: records[name] for name in rule.arguments}, **query)
        response = clients[role].get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.mimetype == "text/html":
            assert not live_markup(response.get_data(as_text=True)), f"{url}: {live_markup(response.get_data(as_text=True))}"
        checked += 1
    assert checked >= 30


@pytest.mark.parametrize("target", ["javascript:alert(1)", "//evil.example/", "https://evil.example/",
                                    "/\\evil.example", "\t/\tevil.example", "java\tscript:alert(1)"])
def test_login_never_sends_the_browser_to_a_script_or_another_site(app, client, target):
    """After a login with ?next=<target> the redirect stays on this site."""
    with app.app_context():
        make_users()
    login_page = client.get("/auth/login", query_string={"next": target}).get_data(as_text=True)
    assert not live_markup(login_page)
    response = client.post("/auth/login?" + urllib.parse.urlencode({"next": target}), data={
        "email": EMAILS["officer"], "password": PASSWORD, "csrf_token": csrf_token(client, "/auth/login")})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location
    assert "evil.example" not in location and "script" not in location.lower(), location


def test_the_escaping_is_what_the_check_looks_for():
    """The check itself: live markup is found, escaped markup is not."""
    raw = "<p>" + payloads("check")[1] + "</p>"
    assert live_markup(raw)
    assert live_markup('<a href=" javascript:alert(1)">x</a>')
    assert not live_markup("<p>" + str(escape(payloads("check")[1])) + "</p>")
    assert not live_markup('<script src="/static/session.js" defer></script>')

