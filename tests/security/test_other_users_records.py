"""Another user's record by its UUID, on every domain: read, edit, message, export.

* An officer who opens, messages or follows up another officer's consultation gets the
  same 404 as for a UUID that does not exist (never a 403 that says "it exists", never its
  content); the coordinator-only routes answer the officer 403 whether the record exists
  or not.
* The editor and the admin never reach a consultation.
* Activities, initiatives and partners are the coordinators' shared register: any
  coordinator reads and edits them, nobody else; a contact person is reached only through
  its own partner; a pending import only by whoever uploaded it.
* The bulletin is read and exported by the coordinators and the editors.
* A UUID that does not exist is a 404 on every route that takes one.

Every route with a UUID comes from ``app.url_map``; the real UUIDs from the ``register``
fixture (tests/security/conftest.py).
"""
import re
import uuid

import pytest
from flask import url_for
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.consultations.models import Consultation
from coordinator.extensions import db

from .conftest import (
    CONTACT_A,
    CONTACT_B,
    MESSAGE_A,
    SITUATION_A,
    SITUATION_B,
    SITUATION_LOGGED,
    Poster,
    logged_in_client,
    record_values,
    row_counts,
)
from .test_access_matrix import ACCESS, ANY, role_for

# What no one but the coordinator (and the asking officer, for their own request) may see.
CASE_TEXTS = (SITUATION_A, MESSAGE_A, SITUATION_LOGGED, "Gör en orosanmälan.")
REGISTER_TEXTS = (*CONTACT_A, *CONTACT_B, "Kommunens handlingsplan tas fram", "Arbetsgruppen har träffats.")

FORMATS = ("md", "txt", "html", "docx")


def _uuid_arguments(rule):
    return [name for name in rule.arguments if type(rule._converters[name]).__name__.endswith("UUIDConverter")]


def rules_with_a_uuid(app):
    return sorted((rule for rule in app.url_map.iter_rules() if _uuid_arguments(rule)), key=lambda r: r.rule)


def real_values(register, rule):
    """The rule's variables filled with the register's records (officer A's request, the
    first partner and its contact, ...)."""
    records = record_values(register)
    missing = set(rule.arguments) - set(records)
    assert not missing, f"{rule.endpoint}: no record for {missing}; add one to the register"
    return {name: str(records[name]) for name in rule.arguments}


def build_url(app, endpoint, **values):
    with app.test_request_context():
        return url_for(endpoint, **values)


def methods(rule):
    return sorted(rule.methods & {"GET", "POST"})


def send(client, poster, method, url, data=None):
    response = client.get(url) if method == "GET" else poster(url, data)
    response.get_data()
    response.close()
    return response


def without_tokens(html):
    """A page with its CSRF tokens taken out (they carry a timestamp)."""
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", html)


def readable(response):
    """The text of a page or an export (a .docx read back with python-docx)."""
    if response.mimetype.endswith("wordprocessingml.document"):
        import io

        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(response.get_data())).paragraphs)
    return response.get_data(as_text=True)


def assert_nothing_of(html, texts, where):
    for text in texts:
        assert text not in html, f"{where} shows {text!r}"


# Officers ------------------------------------------------------------------------------

def test_another_officers_request_is_a_404_like_one_that_does_not_exist(app, register):
    """Officer B opens and messages officer A's request: 404, the same page as for an
    unknown UUID, nothing of the request in it, no read audited, no message stored. The
    coordinator-only routes answer 403 to B for A's request and for an unknown one alike."""
    client = logged_in_client(app, "officer_b")
    post = Poster(client)
    foreign, unknown = f"/consultations/{register.request_a}", f"/consultations/{uuid.uuid4()}"
    before = row_counts(app)

    for path, method, data in (("", "GET", None), ("/messages", "POST", {"body": "Kan du berätta mer om resan?"})):
        theirs = send(client, post, method, foreign + path, data)
        nobodys = send(client, post, method, unknown + path, data)
        assert theirs.status_code == nobodys.status_code == 404, path
        assert without_tokens(theirs.get_data(as_text=True)) == without_tokens(nobodys.get_data(as_text=True)), path
        assert_nothing_of(theirs.get_data(as_text=True), CASE_TEXTS, f"{method} {foreign + path}")
    for path, method, data in (("/edit", "GET", None), ("/edit", "POST", {"situation": "Ändrad."}),
                               ("/answer", "POST", {"advice": "Ett råd."}), ("/status", "POST", {"status": "closed"})):
        theirs = send(client, post, method, foreign + path, data)
        nobodys = send(client, post, method, unknown + path, data)
        assert theirs.status_code == nobodys.status_code == 403, path
        assert_nothing_of(theirs.get_data(as_text=True), CASE_TEXTS, f"{method} {foreign + path}")

    assert row_counts(app) == before
    with app.app_context():
        consultation = db.session.execute(select(Consultation).where(Consultation.uuid == register.request_a)).scalar_one()
        assert consultation.status == "new" and [m.body for m in consultation.messages] == [MESSAGE_A]
        views = db.session.execute(select(AuditEvent).where(
            AuditEvent.action == "consultation.view", AuditEvent.object_uuid == register.request_a)).scalars().all()
        assert views == []
    # The control: B's own request opens, with its text.
    own = client.get(f"/consultations/{register.request_b}")
    assert own.status_code == 200 and SITUATION_B in own.get_data(as_text=True)


def test_the_owner_reads_her_own_request(app, register):
    """Officer A opens her request and sees its text and her message (the 404 above is
    about whose request it is, not the route)."""
    client = logged_in_client(app, "officer")
    html = client.get(f"/consultations/{register.request_a}").get_data(as_text=True)
    assert SITUATION_A in html and MESSAGE_A in html


def test_a_follow_up_cannot_point_at_another_officers_request(app, register):
    """Officer B gives A's request number as "follows up": refused with the same words as a
    number that does not exist, and nothing is stored."""
    client = logged_in_client(app, "officer_b")
    post = Poster(client)
    form = {"sector": "upper_secondary", "area": "hrv", "person_count": "1", "urgency": "not_acute",
            "situation": "Samma elev som förra veckan, oron har ökat."}
    before = row_counts(app)
    theirs = post("/consultations/request", dict(form, follows_up_number=str(register.request_a_number)))
    nobodys = post("/consultations/request", dict(form, follows_up_number="999999"))
    assert theirs.status_code == nobodys.status_code == 200
    message = "Det finns ingen rådfrågning nr {} som du kan se."
    assert message.format(register.request_a_number) in theirs.get_data(as_text=True)
    assert message.format(999999) in nobodys.get_data(as_text=True)
    assert_nothing_of(theirs.get_data(as_text=True), CASE_TEXTS, "the refused follow-up")
    assert row_counts(app) == before


def test_an_officers_pages_list_only_her_own_requests(app, register):
    """B's start page and "Mina rådfrågningar" link to B's request, never to A's."""
    client = logged_in_client(app, "officer_b")
    for path in ("/home/officer", "/consultations/mine"):
        html = client.get(path).get_data(as_text=True)
        assert str(register.request_b) in html, path
        assert str(register.request_a) not in html and str(register.logged) not in html, path
        assert_nothing_of(html, CASE_TEXTS, path)


# Everyone but the coordinator, on every route with a UUID --------------------------------

@pytest.mark.parametrize("who", ["officer_b", "editor", "admin"])
def test_records_of_every_domain_by_uuid(app, register, who):
    """Every route with a UUID, filled with a real record, as someone who may not have it:
    403 where the role has no business, 404 for another officer's request, nothing of any
    record on the page, nothing changed in the database."""
    client = logged_in_client(app, who)
    post = Poster(client)
    role = who.removesuffix("_b")
    before = row_counts(app)
    checked = 0
    for rule in rules_with_a_uuid(app):
        url = build_url(app, rule.endpoint, **real_values(register, rule))
        access = ACCESS.get(rule.endpoint)
        assert access is not None, f"{rule.endpoint} is not in test_access_matrix.ACCESS"
        if access == ANY or role in access:
            continue  # allowed by role; what the view does with the record is tested on its own
        for method in methods(rule):
            response = send(client, post, method, url)
            checked += 1
            assert response.status_code == 403, f"{who} {method} {url}: {response.status_code}"
            assert_nothing_of(response.get_data(as_text=True), CASE_TEXTS + REGISTER_TEXTS, f"{who} {method} {url}")
    assert checked >= 20
    assert row_counts(app) == before


def test_the_editor_never_reaches_a_consultation(app, register):
    """Nothing on any page the editor opens holds case text: her start page, the bulletin,
    every export of it, and every consultation route (403)."""
    client = logged_in_client(app, "editor")
    pages = ["/home/editor", "/bulletin/", f"/bulletin/{register.bulletin}"]
    pages += [f"/bulletin/{register.bulletin}/export.{fmt}" for fmt in FORMATS]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_nothing_of(readable(response), CASE_TEXTS + REGISTER_TEXTS, path)
    for consultation in (register.request_a, register.request_b, register.logged):
        for path in ("", "/edit"):
            response = client.get(f"/consultations/{consultation}{path}")
            assert response.status_code == 403
            assert_nothing_of(response.get_data(as_text=True), CASE_TEXTS, path)
    for path in ("/consultations/", "/consultations/mine", "/consultations/new", "/consultations/request"):
        assert client.get(path).status_code == 403, path


# Unknown UUIDs -----------------------------------------------------------------------------

def test_an_unknown_uuid_is_a_404_on_every_route_that_takes_one(app, register):
    """Random UUIDs, as a user whose role may use the route: 404 for GET and POST alike.
    Where a route takes two (a partner's contact), a real partner with an unknown contact
    is a 404 too, and so is a real bulletin in an unknown format."""
    clients = {}
    before = row_counts(app)
    checked = []
    for rule in rules_with_a_uuid(app):
        role = role_for(rule.endpoint)
        if role not in clients:
            client = logged_in_client(app, role)
            clients[role] = (client, Poster(client))
        client, post = clients[role]
        real = real_values(register, rule)
        variants = [{name: str(uuid.uuid4()) if name in _uuid_arguments(rule) else value
                     for name, value in real.items()}]
        if len(_uuid_arguments(rule)) > 1:
            variants.append(dict(real, contact_uuid=str(uuid.uuid4())))
        if "fmt" in real:
            variants.append(dict(real, fmt="exe"))
        for values in variants:
            url = build_url(app, rule.endpoint, **values)
            for method in methods(rule):
                response = send(client, post, method, url)
                assert response.status_code == 404, f"{role} {method} {url}: {response.status_code}"
                checked.append(url)
    assert len(checked) >= 40
    assert row_counts(app) == before


def test_the_coordinator_gets_404_for_an_unknown_consultation_but_reads_every_real_one(app, register):
    client = logged_in_client(app, "coordinator")
    for consultation, text in ((register.request_a, SITUATION_A), (register.request_b, SITUATION_B),
                               (register.logged, SITUATION_LOGGED)):
        response = client.get(f"/consultations/{consultation}")
        assert response.status_code == 200 and text in response.get_data(as_text=True)
    assert client.get(f"/consultations/{uuid.uuid4()}").status_code == 404
    # Not the canonical spelling of a real UUID: no second address for a record.
    assert client.get(f"/consultations/{str(register.request_a).upper()}").status_code == 404
    assert client.get(f"/consultations/{register.request_a.hex}").status_code == 404


# The coordinators' shared register ----------------------------------------------------------

def test_another_coordinator_reads_and_edits_the_shared_register(app, register):
    """Coordinator B did not make the activity, the initiative, the partner or its contact,
    and opens each (detail and edit form) all the same."""
    client = logged_in_client(app, "coordinator_b")
    pages = {
        f"/activities/{register.activity}": "Utbildning för skolledare",
        f"/activities/{register.activity}/edit": "Utbildning för skolledare",
        f"/initiatives/{register.initiative}": "Arbetsgruppen har träffats.",
        f"/initiatives/{register.initiative}/edit": "Kommunens handlingsplan tas fram",
        f"/partners/{register.partner}": CONTACT_A[0],
        f"/partners/{register.partner}/edit": "Länsstyrelsen Gävleborg",
        f"/partners/{register.partner}/contacts/{register.contact}": CONTACT_A[1],
        f"/bulletin/{register.bulletin}": "Hedersvåld och våldsbejakande extremism",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.get_data(as_text=True), path


def test_a_contact_person_is_reached_only_through_its_own_partner(app, register):
    """The contact of partner B under partner A's address: 404 for reading, editing and
    removing, and the contact stays as it was."""
    from coordinator.partners.models import PartnerContact

    client = logged_in_client(app, "coordinator")
    post = Poster(client)
    crossed = f"/partners/{register.partner}/contacts/{register.contact_b}"
    assert client.get(crossed).status_code == 404
    assert post(crossed, {"name": "Ändrad Person", "email": "andrad@example.se"}).status_code == 404
    assert post(crossed + "/remove").status_code == 404
    with app.app_context():
        contact = db.session.execute(select(PartnerContact).where(PartnerContact.uuid == register.contact_b)).scalar_one()
        assert (contact.name, contact.email) == CONTACT_B
    own = client.get(f"/partners/{register.partner_b}/contacts/{register.contact_b}")
    assert own.status_code == 200 and CONTACT_B[1] in own.get_data(as_text=True)


def test_a_pending_import_is_only_its_uploaders(app, register):
    """Coordinator B can neither see nor confirm coordinator A's upload (404); nothing is
    imported. A sees it."""
    other = logged_in_client(app, "coordinator_b")
    url = f"/partners/import/{register.pending_import}"
    before = row_counts(app)
    assert other.get(url).status_code == 404
    assert Poster(other)(url).status_code == 404
    assert row_counts(app) == before
    owner = logged_in_client(app, "coordinator")
    response = owner.get(url)
    assert response.status_code == 200 and "Högskolan i Gävle" in response.get_data(as_text=True)


# The bulletin ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["coordinator_b", "editor", "editor_b"])
def test_coordinators_and_editors_read_and_export_the_bulletin(app, register, who):
    client = logged_in_client(app, who)
    response = client.get(f"/bulletin/{register.bulletin}")
    assert response.status_code == 200
    for fmt in FORMATS:
        export = client.get(f"/bulletin/{register.bulletin}/export.{fmt}")
        assert export.status_code == 200, fmt
        assert export.headers["Content-Disposition"].startswith("attachment;"), fmt


def test_a_role_grant_is_decided_by_a_coordinator_only(app, register):
    """The account waiting for the coordinator role cannot approve its own grant (403); an
    unknown grant is a 404 to a coordinator; the grant stays pending."""
    from coordinator.auth.models import RoleGrant

    candidate = logged_in_client(app, "candidate")
    assert Poster(candidate)(f"/auth/role-grants/{register.role_grant}/approve").status_code == 403
    coordinator = logged_in_client(app, "coordinator")
    assert Poster(coordinator)(f"/auth/role-grants/{uuid.uuid4()}/approve").status_code == 404
    with app.app_context():
        grant = db.session.execute(select(RoleGrant).where(RoleGrant.uuid == register.role_grant)).scalar_one()
        assert grant.decided_at is None
