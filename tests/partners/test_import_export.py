"""Importing the partner spreadsheet through the pages (preview, nothing written until
confirmed, all or nothing) and exporting the register (formulas neutralised, contacts only
when asked, audited)."""
import io

from sqlalchemy import func, select

from coordinator.audit.models import AuditEvent
from coordinator.extensions import db
from coordinator.partners import services as partners
from coordinator.partners.models import Partner, PartnerContact, PartnerImport

from ..factories import make_consultation, make_partner, make_user
from ..helpers import csrf_token

SHEET = (
    "Namn;Typ;Område;Status;Kontaktperson;Roll;E-post;Telefon;Anteckning från 2017\n"
    "Länsstyrelsen Gävleborg;Myndighet;Båda;Aktiv;Anna Berg;Regional samordnare;anna.berg@lansstyrelsen.se;010-225 10 00;x\n"
    "Länsstyrelsen Gävleborg;Myndighet;Båda;Aktiv;Per Ek;Handläggare;per.ek@lansstyrelsen.se;;\n"
    "RFSL Gävle;Ideell organisation;HRV;Potentiell;;;;;\n"
    "Högskolan i Gävle;Akademi;VBE;;;;;;\n"
)


def _upload(client, content, filename="partner.csv"):
    return client.post("/partners/import", data={
        "csrf_token": csrf_token(client), "file": (io.BytesIO(content), filename),
    }, content_type="multipart/form-data")


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _login(app, auth):
    with app.app_context():
        user = make_user("s@gavle.example", roles=("coordinator",))
        make_partner(user, name="Högskolan i Gävle", kind="academia", area="vbe")
    auth.login("s@gavle.example")


def test_preview_then_confirm_writes_everything(app, client, auth):
    _login(app, auth)
    with app.app_context():
        make_consultation(make_user(roles=("coordinator",)), referred_to="RFSL Gävle")
    response = _upload(client, SHEET.encode("cp1252"))
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 nya samverkanspartner, 1 finns redan i registret, 2 nya kontaktpersoner" in preview
    assert "Anteckning från 2017" in preview  # an unknown column, not imported
    assert "Rad 5:" in preview  # Högskolan: blank status, noted as set to active
    with app.app_context():
        assert _count(Partner) == 1 and _count(PartnerContact) == 0  # nothing written yet
    confirmed = client.post(response.headers["Location"], data={"csrf_token": csrf_token(client)})
    assert confirmed.status_code == 302
    with app.app_context():
        names = db.session.execute(select(Partner.name).order_by(Partner.name_key)).scalars().all()
        assert names == ["Högskolan i Gävle", "Länsstyrelsen Gävleborg", "RFSL Gävle"]
        assert _count(PartnerContact) == 2 and _count(PartnerImport) == 0
        rfsl = db.session.execute(select(Partner).where(Partner.name == "RFSL Gävle")).scalar_one()
        assert rfsl.status == "potential"
        from coordinator.consultations.models import Consultation

        assert db.session.execute(select(Consultation.referred_to_partner_id)).scalar_one() == rfsl.id
        assert "partner.import" in db.session.execute(select(AuditEvent.action)).scalars().all()
    again = client.post(response.headers["Location"], data={"csrf_token": csrf_token(client)})
    assert again.status_code == 404  # a confirmed import cannot be confirmed twice


def test_a_wrong_line_blocks_the_whole_import(app, client, auth):
    _login(app, auth)
    sheet = SHEET + "Polisen;Rymdstation;Båda;Aktiv;;;;;\n" + "=HYPERLINK(\"http://x\");Myndighet;;;;;;;\n"
    response = _upload(client, sheet.encode())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Filen kan inte importeras" in page and "Rad 6" in page and "Rad 7" in page and "formel" in page
    assert "Bekräfta och importera" not in page
    refused = client.post(response.headers["Location"], data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 200 and "Rätta dem i kalkylbladet" in refused.get_data(as_text=True)
    with app.app_context():
        assert _count(Partner) == 1 and _count(PartnerContact) == 0


def test_files_that_cannot_be_read_get_a_message_on_the_form(app, client, auth):
    _login(app, auth)
    cases = [
        (b"", "Filen är tom"),
        (b"Namn;Typ\n", "inga rader"),
        (b"Organisationsnummer;Typ\n123;Myndighet\n", "Namn"),
        (b"PK\x03\x04" + b"\x00" * 100, "Excel-fil"),
        (b"Namn;Typ\n\x81\x8d\x00\x9d;Myndighet\n", "CSV"),
        (("Namn;Typ\n" + "Förening;Förening\n" * 50_000).encode(), "5 000"),
    ]
    for content, message in cases:
        response = _upload(client, content)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page, (content[:20], page[page.find("error"):][:500])
    no_file = client.post("/partners/import", data={"csrf_token": csrf_token(client)},
                          content_type="multipart/form-data")
    assert "Välj en fil att ladda upp." in no_file.get_data(as_text=True)
    with app.app_context():
        assert _count(PartnerImport) == 0 and _count(Partner) == 1


def test_a_20_mb_file_is_refused_with_a_swedish_message(app, client, auth):
    _login(app, auth)
    response = _upload(client, b"Namn;Typ\n" + b"A;Myndighet\n" * (20 * 1024 * 1024 // 12))
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "Filen är för stor" in page and "2 MB" in page
    assert 'type="file"' in page  # the form again, not an error page


def test_a_pending_import_is_only_its_uploaders(app, client, auth):
    _login(app, auth)
    location = _upload(client, SHEET.encode()).headers["Location"]
    auth.logout()
    with app.app_context():
        make_user("s2@gavle.example", roles=("coordinator",))
    auth.login("s2@gavle.example")
    assert client.get(location).status_code == 404


def test_export_neutralises_formulas_and_adds_contacts_only_when_asked(app, client, auth):
    _login(app, auth)
    with app.app_context():
        user = make_user(roles=("coordinator",))
        partner = make_partner(user, name="=cmd|' /C calc'!A0", kind="association",
                               description="+46 26 17 80 00 är växeln")
        partners.add_contact(user, partner, partners.ContactInput(name="Anna Berg", email="anna.berg@example.se"))
        db.session.commit()
    plain = client.post("/partners/export", data={"csrf_token": csrf_token(client)})
    assert plain.status_code == 200 and plain.mimetype == "text/csv"
    assert "attachment" in plain.headers["Content-Disposition"]
    text = plain.get_data().decode("utf-8-sig")
    assert "'=cmd" in text and "'+46 26 17 80 00" in text and "Anna Berg" not in text
    assert "\n=" not in text and ";=" not in text
    with_contacts = client.post("/partners/export", data={"csrf_token": csrf_token(client), "with_contacts": "y"})
    assert "Anna Berg" in with_contacts.get_data().decode("utf-8-sig")
    with app.app_context():
        details = db.session.execute(select(AuditEvent.detail).where(AuditEvent.action == "partner.export")).scalars().all()
        assert details == ["contacts:no", "contacts:yes"]
    assert client.get("/partners/export").status_code == 405  # never a link


def test_a_personnummer_in_the_name_column_is_refused(app, client, auth):
    _login(app, auth)
    response = _upload(client, b"Namn;Typ\nAnna Svensson 19811218-9876;Myndighet\n")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Filen kan inte importeras" in page and "Rad 2" in page
    with app.app_context():
        assert _count(Partner) == 1


def test_a_large_import_is_written_in_one_go(app, client, auth):
    """2 000 partners with a contact each: all written, one audit event for the import."""
    _login(app, auth)
    lines = ["Namn;Typ;Kontaktperson;E-post"] + [f"Förening {n};Förening;Person {n};p{n}@example.se" for n in range(2000)]
    location = _upload(client, "\n".join(lines).encode()).headers["Location"]
    assert client.post(location, data={"csrf_token": csrf_token(client)}).status_code == 302
    with app.app_context():
        assert _count(Partner) == 2001 and _count(PartnerContact) == 2000
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert actions.count("partner.import") == 1 and actions.count("partner.create") == 1  # the fixture's


def test_the_too_large_page_is_the_coordinators_only(app, client, auth, cast):
    """Over the request limit: the import form for the coordinator, the plain 413 page for
    anyone else (never the coordinator's form)."""
    auth.login(cast.officer_a)
    response = _upload(client, b"x" * (4 * 1024 * 1024))
    assert response.status_code in (400, 413) and 'type="file"' not in response.get_data(as_text=True)
