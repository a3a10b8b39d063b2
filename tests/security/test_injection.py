"""SQL injection: payloads in every list filter and query parameter, in the free-text
search, the login, every field of every form and a partner spreadsheet. Never a 500; the
data intact afterwards (no table lost, no row lost but those the test removed on purpose,
the accounts and case texts unchanged, a stored payload stored as the literal text); and
a filter returns nothing it should not (never more than the unfiltered list, an injected
filter value refused rather than run).

The list pages and their filters are found, not listed: every GET route without variables,
as a role that may open it, and the fields of the GET forms on it.
"""
import io
import re
from html.parser import HTMLParser

import pytest
from flask import url_for
from sqlalchemy import inspect, select

from coordinator.auth.models import AuthSession, User
from coordinator.consultations.models import Consultation
from coordinator.extensions import db
from coordinator.partners.models import Partner, PartnerContact

from ..helpers import PASSWORD, csrf_token
from .conftest import (
    EMAILS,
    Poster,
    fill_register,
    form_fields,
    logged_in_client,
    post_forms,
    record_values,
    row_counts,
)
from .test_access_matrix import role_for

SQLI = (
    "' OR 1=1 --",
    "1; DROP TABLE users",
    "%' --",
    "' OR ''='",
    "1' UNION SELECT password_hash FROM users --",
    "'; DROP TABLE consultations; --",
    '" OR "1"="1',
    "\\'; DELETE FROM partners; --",
    "1 OR 1=1",
    "admin@gavle.example'--",
    "') OR ('1'='1",
    "%",
    "_",
)
# The core of them, for the many requests of the list and form walks.
SQLI_CORE = ("' OR 1=1 --", "1; DROP TABLE users", "%' --", "1' UNION SELECT password_hash FROM users --",
             "'; DROP TABLE consultations; --", "') OR ('1'='1", "%")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFUSED = "Filtret kunde inte användas"
CURSOR_PARAMETERS = ("after", "before", "page", "m")


class _GetForms(HTMLParser):
    """The fields of the GET forms of a page: {name: [option values]} (empty for inputs)."""

    def __init__(self):
        super().__init__()
        self.fields, self._in_get_form, self._select = {}, False, None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif self._in_get_form and tag in ("input", "select") and attributes.get("name"):
            self.fields.setdefault(attributes["name"], [])
            self._select = attributes["name"] if tag == "select" else None
        elif self._in_get_form and tag == "option" and self._select and attributes.get("value"):
            self.fields[self._select].append(attributes["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False
        elif tag == "select":
            self._select = None


def filter_fields(html):
    parser = _GetForms()
    parser.feed(html)
    return parser.fields


def linked_records(html):
    """The UUIDs the page links to (the rows of a list)."""
    return set(UUID_RE.findall(" ".join(re.findall(r'href="([^"]+)"', html))))


def list_pages(app):
    """(endpoint, role, url) of every GET route without variables that a role may open."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and not rule.arguments:
            role = role_for(rule.endpoint)
            if role != "anonymous":
                with app.test_request_context():
                    yield rule.endpoint, role, url_for(rule.endpoint)


def clients_for(app):
    cache = {}

    def client(role):
        if role not in cache:
            cache[role] = logged_in_client(app, role)
        return cache[role]

    return client


def snapshot(app):
    """What an injection could destroy or change: the accounts (e-mail, password hash), the
    case texts, the partners and contacts, and which tables exist."""
    with app.app_context():
        return {
            "tables": sorted(inspect(db.engine).get_table_names()),
            "users": sorted(db.session.execute(select(User.uuid, User.email, User.password_hash)).all()),
            "situations": sorted((c.uuid, c.situation) for c in db.session.execute(select(Consultation)).scalars()),
            "partners": sorted(db.session.execute(select(Partner.uuid, Partner.name)).all()),
            "contacts": sorted((c.uuid, c.name, c.email) for c in db.session.execute(select(PartnerContact)).scalars()),
        }


# Lists and their filters ------------------------------------------------------------------------

def test_every_list_filter_and_query_parameter_with_injection(app, register):
    """Every list page, every field of its filter form and the cursor/page parameters: each
    alone with the first payloads, then all at once with each payload. Answered as without
    them (200, or the start page's redirect), no row the unfiltered list does not have,
    nothing changed."""
    client = clients_for(app)
    before, counts = snapshot(app), row_counts(app)
    tried = 0
    for endpoint, role, url in list_pages(app):
        unfiltered = client(role).get(url)
        assert unfiltered.status_code in (200, 204, 302), url
        html = unfiltered.get_data(as_text=True)
        everything = linked_records(html)
        names = [*filter_fields(html), *CURSOR_PARAMETERS]
        queries = [{name: payload} for name in names for payload in SQLI_CORE[:3]]
        queries += [dict.fromkeys(names, payload) for payload in SQLI_CORE]
        for query in queries:
            response = client(role).get(url, query_string=query)
            assert response.status_code == unfiltered.status_code, f"{role} {url}?{query}: {response.status_code}"
            tried += 1
            if endpoint.startswith("audit."):
                continue  # the trail grows with every request; its rows are not the point here
            extra = linked_records(response.get_data(as_text=True)) - everything
            assert not extra, f"{url}?{query} shows rows the unfiltered list does not: {extra}"
    assert tried > 300
    assert snapshot(app) == before and row_counts(app) == counts


def test_an_injected_filter_value_is_refused_not_run(app, register):
    """Each choice filter of each list, given a real value with SQL after it: the list says
    the filter could not be used, or shows no more than the real value chooses."""
    client = clients_for(app)
    checked = 0
    for endpoint, role, url in list_pages(app):
        if endpoint.startswith("audit."):
            continue
        html = client(role).get(url).get_data(as_text=True)
        for name, options in filter_fields(html).items():
            if not options:
                continue
            value = options[0]
            chosen = linked_records(client(role).get(url, query_string={name: value}).get_data(as_text=True))
            for payload in ("' OR '1'='1", "' OR 1=1 --", "') OR ('1'='1"):
                response = client(role).get(url, query_string={name: value + payload})
                assert response.status_code == 200
                page = response.get_data(as_text=True)
                assert REFUSED in page or linked_records(page) <= chosen, f"{url}?{name}={value + payload!r}"
                checked += 1
    assert checked >= 30


def test_the_consultation_filters_narrow_and_refuse(app, register):
    """The control for the two tests above: a real filter narrows the coordinator's list, and
    an injected one is refused with the message (not run as SQL)."""
    client = logged_in_client(app, "coordinator")
    everything = linked_records(client.get("/consultations/").get_data(as_text=True))
    new = linked_records(client.get("/consultations/?status=new").get_data(as_text=True))
    assert {str(register.request_a), str(register.request_b), str(register.logged)} <= everything
    assert str(register.logged) not in new and str(register.request_a) in new
    injected = client.get("/consultations/", query_string={"status": "new' OR '1'='1"}).get_data(as_text=True)
    assert REFUSED in injected


def test_an_officers_list_with_injection_shows_only_her_own(app, register):
    client = logged_in_client(app, "officer_b")
    for name in ("after", "before"):
        for payload in SQLI:
            response = client.get("/consultations/mine", query_string={name: payload})
            assert response.status_code == 200
            rows = linked_records(response.get_data(as_text=True))
            assert str(register.request_a) not in rows and str(register.logged) not in rows


def test_a_cursor_at_the_edge_of_the_calendar_starts_the_list_over(app, register):
    """/consultations/mine (officer) and /initiatives/ (coordinator) sort by a timestamp."""
    client = clients_for(app)
    for role, url in (("officer", "/consultations/mine"), ("coordinator", "/initiatives/")):
        for cursor in ("0001-01-01T00:00:00+01:00_1", "9999-12-31T23:59:59-01:00_1"):
            for name in ("after", "before"):
                response = client(role).get(url, query_string={name: cursor})
                assert response.status_code == 200, f"{url}?{name}={cursor}: {response.status_code}"


def test_malformed_cursors_start_the_list_over(app, register):
    """Cursors that are not one (wrong parts, not a date, a huge number, unicode digits):
    the first page, as without a cursor."""
    client = clients_for(app)
    cursors = ("x", "_", "__", "2018-10-03", "2018-10-03_", "2018-13-45_1", "2018-10-03_-1", "2018-10-03_1e9",
               "2018-10-03_" + "9" * 40, "2018-10-03_١٢", "2018-10-03T00:00:00_1", "\x00_1", "2018-10-03_1_2")
    for endpoint, url in (("coordinator", "/consultations/"), ("officer", "/consultations/mine"),
                          ("coordinator", "/activities/"), ("coordinator", "/initiatives/"),
                          ("admin", "/admin/audit/")):
        first = client(endpoint).get(url)
        for cursor in cursors:
            for name in ("after", "before"):
                response = client(endpoint).get(url, query_string={name: cursor})
                assert response.status_code == 200, f"{url}?{name}={cursor!r}: {response.status_code}"
                if not url.startswith("/admin/audit"):
                    assert linked_records(response.get_data(as_text=True)) <= linked_records(first.get_data(as_text=True))


# The free-text search and the login ------------------------------------------------------------

def test_the_search_with_injection_finds_nothing(app, register):
    """The texts hold none of the payloads' words: every search is answered with no hit; a
    real word finds its consultation (the control)."""
    client = logged_in_client(app, "coordinator")
    post = Poster(client)
    before = snapshot(app)
    for payload in SQLI:
        for filters in ({}, {"status": payload}, {"date_from": payload}):
            response = post("/consultations/search?" + "&".join(f"{k}={v}" for k, v in filters.items()),
                            {"query": payload})
            assert response.status_code == 200, payload
            html = response.get_data(as_text=True)
            assert not linked_records(html) & {str(register.request_a), str(register.request_b), str(register.logged)}, \
                f"the search for {payload!r} found consultations"
    found = post("/consultations/search", {"query": "regler hemmet"}).get_data(as_text=True)
    assert str(register.request_a) in linked_records(found)
    assert snapshot(app) == before


@pytest.mark.parametrize("email", ["' OR 1=1 --", "admin@gavle.example' --", "x' UNION SELECT * FROM users --",
                                   "%", "admin@gavle.example"])
def test_the_login_with_injection_logs_nobody_in(app, client, email):
    with app.app_context():
        fill_register()
    for password in ("' OR '1'='1", "x' --", "%"):
        response = client.post("/auth/login", data={"email": email, "password": password,
                                                    "csrf_token": csrf_token(client, "/auth/login")})
        assert response.status_code in (200, 429), response.status_code
        assert client.get("/home/").status_code == 302
    with app.app_context():
        assert db.session.execute(select(AuthSession)).first() is None
    # The control: the right password still works, so the account was not damaged.
    ok = client.post("/auth/login", data={"email": EMAILS["admin"], "password": PASSWORD,
                                          "csrf_token": csrf_token(client, "/auth/login")})
    assert ok.status_code in (302, 429)


# Every form ---------------------------------------------------------------------------------------

def test_every_form_field_with_injection(app, register):
    """Every POST route (with the register's records in its URL), every field of its form set
    to each payload, as a role that may use it: never a 500; afterwards no table is gone, no
    row is lost but the contact person the test removes on purpose and the import it
    confirms, the accounts and the case texts are as they were, and what a form stored is the
    payload as written."""
    with app.app_context():
        from coordinator.partners import services as partners

        partner = db.session.execute(select(Partner).where(Partner.uuid == register.partner)).scalar_one()
        coordinator = db.session.execute(select(User).where(User.email == EMAILS["coordinator"])).scalar_one()
        throwaway = partners.add_contact(coordinator, partner, partners.ContactInput(name="Tillfällig Kontakt"))
        db.session.commit()
        throwaway_uuid = throwaway.uuid
    before, counts = snapshot(app), row_counts(app)
    values = record_values(register)
    clients, tokens = {}, {}

    def session(role):
        if role not in clients:
            clients[role] = app.test_client() if role == "anonymous" else logged_in_client(app, role)
            tokens[role] = csrf_token(clients[role], "/auth/login" if role == "anonymous" else None)
        return clients[role], tokens[role]

    posted = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in rule.methods:
            continue
        assert rule.endpoint in post_forms(), f"{rule.endpoint}: add its form to conftest.post_forms()"
        role = role_for(rule.endpoint)
        arguments = {name: str(values[name]) for name in rule.arguments}
        if rule.endpoint == "partners.remove_contact":
            arguments["contact_uuid"] = str(throwaway_uuid)
        with app.test_request_context():
            url = url_for(rule.endpoint, **arguments)
        names = form_fields(app, rule.endpoint)
        for payload in SQLI_CORE:
            client, token = session(role)
            response = client.post(url, data={**dict.fromkeys(names, payload), "csrf_token": token})
            response.get_data()
            response.close()
            assert response.status_code < 500, f"{role} POST {url} with {payload!r}: {response.status_code}"
            posted += 1
            if rule.endpoint in ("auth.logout", "auth.logout_everywhere"):
                clients.pop(role)
    assert posted > 300

    after = snapshot(app)
    assert after["tables"] == before["tables"]
    assert after["users"] == before["users"]
    assert after["situations"] == before["situations"]
    lost = {table: (counts[table], n) for table, n in row_counts(app).items() if n < counts[table]}
    assert set(lost) <= {"partner_contacts", "partner_imports"}, lost
    contacts_after = {c[0] for c in after["contacts"]}
    assert {c[0] for c in before["contacts"]} - contacts_after == {throwaway_uuid}
    assert {p[0] for p in before["partners"]} <= {p[0] for p in after["partners"]}
    payloads = {p.strip() for p in SQLI_CORE} | {"Tillfällig Kontakt"}
    for _uuid, name in after["partners"]:
        assert name in {n for _u, n in before["partners"]} | payloads | {"Högskolan i Gävle"}, name
    with app.app_context():
        request_a = db.session.execute(select(Consultation).where(Consultation.uuid == register.request_a)).scalar_one()
        assert request_a.advice is None or request_a.advice in payloads
        assert {m.body for m in request_a.messages} <= payloads | {"Jag undrar också hur vi pratar med mamman om oron."}


def test_a_spreadsheet_of_injection_payloads_is_imported_as_text(app, register):
    """Names and descriptions that look like SQL, through the preview and the confirmation:
    partners with exactly those names, nothing else changed."""
    client = logged_in_client(app, "coordinator")
    names = [f"Organisation {payload}" for payload in SQLI]
    sheet = "Namn;Typ;Beskrivning\n" + "".join(
        f'"{name.replace(chr(34), chr(34) * 2)}";Myndighet;"{SQLI[0]}"\n' for name in names)
    before = snapshot(app)
    upload = client.post("/partners/import", data={"csrf_token": csrf_token(client),
                                                   "file": (io.BytesIO(sheet.encode()), "partner.csv")},
                         content_type="multipart/form-data")
    assert upload.status_code == 302, upload.get_data(as_text=True)[:2000]
    preview = upload.headers["Location"]
    assert client.get(preview).status_code == 200
    assert Poster(client)(preview).status_code == 302
    after = snapshot(app)
    assert after["users"] == before["users"] and after["situations"] == before["situations"]
    assert after["tables"] == before["tables"]
    with app.app_context():
        stored = set(db.session.execute(select(Partner.name)).scalars())
    assert set(names) <= stored
    assert {name for _u, name in before["partners"]} <= stored

