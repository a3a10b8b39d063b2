"""Drafting, proposing and fastställa through the pages: two people, a fastställd bulletin
never changes, the editor never sees a case, the across-bulletin rule, exports, the CLI."""
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.bulletin.models import Bulletin
from coordinator.extensions import db

from ..factories import make_consultation, make_user
from ..helpers import post_form
from .conftest import PERIOD

CUSTOM = {"choice": "custom", "start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()}


@pytest.fixture
def people(app, register):
    with app.app_context():
        make_user("redaktor@gavle.example", roles=("editor",))
        make_user("admin@gavle.example", roles=("admin",))
        make_user("handlaggare@gavle.example", roles=("officer",))
        make_user("bada@gavle.example", roles=("coordinator", "editor"))


def _draft(client, auth, who="samordnare@gavle.example"):
    auth.login(who)
    response = post_form(client, "/bulletin/new", CUSTOM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def _status(app, url):
    with app.app_context():
        uuid = url.rstrip("/").split("/")[-1]
        return db.session.execute(select(Bulletin.status).where(Bulletin.uuid == __import__("uuid").UUID(uuid))).scalar_one()


def test_the_coordinator_drafts_and_the_editor_fastställer(app, client, auth, people):
    url = _draft(client, auth)
    page = client.get(url).get_data(as_text=True)
    assert "Under perioden har 9 rådfrågningar inkommit" in page
    assert "Därför är uppgifter dolda" in page and "färre än 5" in page
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert post_form(client, url + "/text", {"body": body.replace("&#34;", '"').strip() + "\n- En egen rad.",
                                            "edit_version": "1"}).status_code == 302
    assert post_form(client, url + "/propose").status_code == 302
    assert _status(app, url) == "proposed"
    auth.logout()
    auth.login("redaktor@gavle.example")
    editor_home = client.get("/home/editor").get_data(as_text=True)
    assert "Att fastställa (1)" in editor_home
    assert post_form(client, url + "/fix").status_code == 302
    assert _status(app, url) == "fixed"
    page = client.get(url).get_data(as_text=True)
    assert "En egen rad." in page and "Fastställd" in page and 'name="body"' not in page
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action)).scalars().all()
        assert {"bulletin.create", "bulletin.edit", "bulletin.propose", "bulletin.fix"} <= set(actions)
        bulletin = db.session.execute(select(Bulletin)).scalar_one()
        assert [r.action for r in reversed(bulletin.revisions)] == ["generated", "edited", "proposed", "fixed"]
        assert bulletin.figures["consultations"]["total"] == "9"


def test_nobody_fastställer_their_own_proposal(app, client, auth, people):
    url = _draft(client, auth, "bada@gavle.example")
    post_form(client, url + "/propose")
    response = post_form(client, url + "/fix", follow_redirects=True)
    assert "Den som föreslog texten kan inte också fastställa den." in response.get_data(as_text=True)
    assert _status(app, url) == "proposed"


def test_a_fastställd_bulletin_never_changes(app, client, auth, people):
    url = _draft(client, auth)
    post_form(client, url + "/propose")
    auth.logout()
    auth.login("redaktor@gavle.example")
    post_form(client, url + "/fix")
    auth.logout()
    auth.login("samordnare@gavle.example")
    refused = post_form(client, url + "/text", {"body": "- Ändrad i efterhand.", "edit_version": "99"})
    assert "Bara ett utkast kan ändras." in refused.get_data(as_text=True)
    post_form(client, url + "/regenerate")
    assert _status(app, url) == "fixed"
    new = post_form(client, url + "/new-version")
    assert new.status_code == 302 and new.headers["Location"] != url
    with app.app_context():
        rows = db.session.execute(select(Bulletin).order_by(Bulletin.id)).scalars().all()
        assert [b.status for b in rows] == ["fixed", "draft"] and rows[1].follows_id == rows[0].id
        assert "Ändrad i efterhand" not in rows[0].body


def test_a_later_overlapping_period_cannot_reveal_a_small_difference(app, client, auth, people):
    """October is fastställd with 9 consultations; 2 more arrive in the first days of
    November. A bulletin for 1 October–5 November would show 11: 11 − 9 = 2."""
    url = _draft(client, auth)
    post_form(client, url + "/propose")
    auth.logout()
    auth.login("redaktor@gavle.example")
    post_form(client, url + "/fix")
    auth.logout()
    with app.app_context():
        user = make_user(roles=("coordinator",))
        make_consultation(user, received_on=date(2018, 11, 2))
        make_consultation(user, received_on=date(2018, 11, 3))
    auth.login("samordnare@gavle.example")
    longer = post_form(client, "/bulletin/new", {"choice": "custom", "start": "2018-10-01", "end": "2018-11-05"})
    page = client.get(longer.headers["Location"]).get_data(as_text=True)
    assert "11 rådfrågningar" not in page
    assert "skillnaden mot ett redan fastställt nyhetsbrev" in page


@pytest.mark.parametrize("form, message", [
    ({"choice": "custom", "start": "2018-10-31", "end": "2018-10-01"}, "Periodens sista dag ligger före den första."),
    ({"choice": "custom", "start": "", "end": ""}, "Fyll i periodens första och sista dag."),
    ({"choice": "custom", "start": "igår", "end": "2018-10-01"}, "Inte ett giltigt datum"),
    ({"choice": "custom", "start": "2018-10-01", "end": "2999-01-01"}, "Perioden kan inte sluta i framtiden."),
    ({"choice": "since_last"}, "Det finns inget fastställt nyhetsbrev än."),
    ({"choice": "yesterday"}, "Inte ett giltigt val"),
])
def test_bad_periods_get_a_message(app, client, auth, people, form, message):
    auth.login("samordnare@gavle.example")
    response = post_form(client, "/bulletin/new", form)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Bulletin)).first() is None


def test_exports_in_every_format(app, client, auth, people):
    from docx import Document

    url = _draft(client, auth)
    for fmt, kind in (("md", "text/markdown"), ("txt", "text/plain"), ("html", "text/html")):
        response = client.get(f"{url}/export.{fmt}")
        assert response.status_code == 200 and response.mimetype == kind
        assert "attachment" in response.headers["Content-Disposition"]
        assert "9 rådfrågningar" in response.get_data(as_text=True)
    document = Document(io.BytesIO(client.get(f"{url}/export.docx").data))
    assert document.paragraphs[0].text == "Hedersvåld och våldsbejakande extremism"
    assert client.get(f"{url}/export.pdf").status_code == 404


ROUTES = [("GET", "/bulletin/"), ("GET", "{url}"), ("GET", "{url}/export.md"), ("POST", "/bulletin/new"),
          ("POST", "{url}/text"), ("POST", "{url}/regenerate"), ("POST", "{url}/propose"), ("POST", "{url}/return"),
          ("POST", "{url}/fix"), ("POST", "{url}/new-version")]
ALLOWED = {
    "samordnare@gavle.example": {"/bulletin/", "{url}", "{url}/export.md", "/bulletin/new", "{url}/text",
                                 "{url}/regenerate", "{url}/propose", "{url}/new-version"},
    "redaktor@gavle.example": {"/bulletin/", "{url}", "{url}/export.md", "{url}/return", "{url}/fix"},
    "admin@gavle.example": set(),
    "handlaggare@gavle.example": set(),
}


def test_the_access_matrix(app, client, auth, people):
    url = _draft(client, auth)
    auth.logout()
    for who, allowed in ALLOWED.items():
        auth.login(who)
        for method, template in ROUTES:
            path = template.format(url=url)
            response = client.get(path) if method == "GET" else post_form(client, path, CUSTOM)
            assert (response.status_code != 403) == (template in allowed), (who, method, path, response.status_code)
        auth.logout()


def test_the_editor_never_sees_a_case(app, client, auth, people):
    url = _draft(client, auth)
    auth.logout()
    auth.login("redaktor@gavle.example")
    for path in ("/home/editor", "/bulletin/", url):
        page = client.get(path).get_data(as_text=True)
        assert "hårda regler" not in page and "/consultations/" not in page
    assert client.get("/consultations/").status_code == 403


def test_the_command_line(app, runner, register):
    ok = runner.invoke(args=["bulletin", "export", "--from", "2018-10-01", "--to", "2018-10-31"])
    assert ok.exit_code == 0 and "Under perioden har 9 rådfrågningar inkommit" in ok.output
    for args, message in ((["--from", "2018-13-01", "--to", "2018-10-31"], "not a date"),
                          (["--from", "2018-10-31", "--to", "2018-10-01"], "is after --to"),
                          (["--from", "2018-10-01", "--to", "2018-10-31", "--format", "docx"], "--out")):
        result = runner.invoke(args=["bulletin", "export", *args])
        assert result.exit_code == 2 and message in result.output, result.output


def test_the_history_says_who_did_what_and_how_much_changed(app, client, auth, people):
    url = _draft(client, auth)
    post_form(client, url + "/text", {"body": "- En enda rad.", "edit_version": "1"})
    page = client.get(url).get_data(as_text=True)
    history = page.split("Historik", 1)[1]
    assert "Texten ändrad" in history and "1 rad ny" in history and "Skapad ur registret" in history
    assert history.index("Texten ändrad") < history.index("Skapad ur registret")  # newest first
