"""The whole flow in the browser's terms: an officer asks, the coordinator
answers, they write to each other; e-mail notifications go through a real SMTP
server (aiosmtpd on 127.0.0.1) and never carry case content."""
import re

from sqlalchemy import select

from coordinator.audit.models import AuditEvent
from coordinator.consultations.models import Consultation
from coordinator.extensions import db

from ..factories import make_user
from ..helpers import free_port, post_form
from .conftest import CONSULTATION_FORM, REQUEST_FORM


def _uuid_from(location):
    return re.search(r"/consultations/([0-9a-f-]{36})", location).group(1)


def test_request_advice_reply_flow_with_notifications(mail_app, smtp):
    """Officer submits → coordinator mailed → coordinator answers → officer mailed
    → officer replies; each side sees the other's text; mails hold only a link."""
    _controller, inbox = smtp
    with mail_app.app_context():
        make_user("kurator@gavle.example", roles=("officer",), unit="Elevhälsan, gymnasiet")
        make_user("samordnare@gavle.example", roles=("coordinator",))
    officer = mail_app.test_client()
    coordinator = mail_app.test_client()
    from ..helpers import AuthActions

    AuthActions(officer).login("kurator@gavle.example")
    AuthActions(coordinator).login("samordnare@gavle.example")

    # The form is prefilled with the officer's sector.
    form_page = officer.get("/consultations/request").get_data(as_text=True)
    assert 'value="student_health" selected' in form_page or '<option selected value="student_health">' in form_page

    response = post_form(officer, "/consultations/request", REQUEST_FORM)
    assert response.status_code == 302
    uuid = _uuid_from(response.headers["Location"])
    assert len(inbox.messages) == 1
    recipients, content = inbox.messages[0]
    assert recipients == ["samordnare@gavle.example"]
    assert f"/consultations/{uuid}" in content
    assert "aktiviteter efter skolan" not in content

    # The coordinator's queue shows it; the detail shows the text.
    queue = coordinator.get("/home/coordinator").get_data(as_text=True)
    assert "Nya frågor (1)" in queue
    detail = coordinator.get(f"/consultations/{uuid}").get_data(as_text=True)
    assert "aktiviteter efter skolan" in detail

    # The coordinator writes advice in the full form.
    answer = dict(CONSULTATION_FORM, received_on="2018-10-03", advice="Gör en orosanmälan i dag.")
    response = post_form(coordinator, f"/consultations/{uuid}/edit", answer)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert len(inbox.messages) == 2
    assert inbox.messages[1][0] == ["kurator@gavle.example"]
    assert "orosanmälan" not in inbox.messages[1][1]

    # The officer sees the advice flagged as new, and replies in the thread.
    assert "Nya svar (1)" in officer.get("/home/officer").get_data(as_text=True)
    page = officer.get(f"/consultations/{uuid}").get_data(as_text=True)
    assert "Gör en orosanmälan i dag." in page
    assert "Nya svar" not in officer.get("/home/officer").get_data(as_text=True)
    response = post_form(officer, f"/consultations/{uuid}/messages", {"body": "Anmälan är gjord, tack."})
    assert response.status_code == 302
    assert len(inbox.messages) == 3
    thread = coordinator.get(f"/consultations/{uuid}").get_data(as_text=True)
    assert "Anmälan är gjord, tack." in thread

    # The coordinator writes in the thread: the officer is mailed, without the text.
    response = post_form(coordinator, f"/consultations/{uuid}/messages", {"body": "Bra, hör av dig vid behov."})
    assert response.status_code == 302
    assert len(inbox.messages) == 4
    assert inbox.messages[3][0] == ["kurator@gavle.example"]
    assert "hör av dig" not in inbox.messages[3][1]

    with mail_app.app_context():
        c = db.session.execute(select(Consultation)).scalar_one()
        assert c.status == "ongoing" and c.advice == "Gör en orosanmälan i dag."
        actions = db.session.execute(select(AuditEvent.action).where(AuditEvent.object_uuid == c.uuid)).scalars().all()
        assert {"consultation.request", "consultation.view", "consultation.update", "consultation.message"} <= set(actions)


def test_without_smtp_nothing_is_sent_and_start_pages_show_news(app, client, auth, cast):
    """With no MAIL_SERVER the request still succeeds and the coordinator's start page lists it."""
    auth.login(cast.officer_b)
    response = post_form(client, "/consultations/request", REQUEST_FORM)
    assert response.status_code == 302
    auth.logout()
    auth.login(cast.coordinator)
    assert "Nya frågor (2)" in client.get("/home/coordinator").get_data(as_text=True)


def test_smtp_failure_does_not_lose_the_request(app_factory, cast_free_port=None):
    """An unreachable SMTP server is logged, and the request is saved all the same."""
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2)
    with app.app_context():
        make_user("k@gavle.example", roles=("officer",))
        make_user("s@gavle.example", roles=("coordinator",))
    client = app.test_client()
    from ..helpers import AuthActions

    AuthActions(client).login("k@gavle.example")
    response = post_form(client, "/consultations/request", REQUEST_FORM)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Consultation)).scalar_one().situation == REQUEST_FORM["situation"]


def test_status_ny_pagaende_avslutad_and_reopen(app, client, auth, cast):
    """The coordinator moves a request through new → ongoing → closed and reopens it; each step audited."""
    auth.login(cast.coordinator)
    for status in ("ongoing", "closed", "ongoing"):
        response = post_form(client, f"/consultations/{cast.request_a}/status", {"status": status})
        assert response.status_code == 302
        with app.app_context():
            c = db.session.execute(select(Consultation)).scalar_one()
            assert c.status == status
            assert (c.closed_at is not None) == (status == "closed")
    with app.app_context():
        details = db.session.execute(
            select(AuditEvent.detail).where(AuditEvent.action == "consultation.status")
        ).scalars().all()
        assert details == ["ongoing", "closed", "ongoing"]


def test_coordinator_logs_and_links_a_follow_up(app, client, auth, cast):
    """A consultation logged by the coordinator can be linked as a follow-up of an earlier one."""
    auth.login(cast.coordinator)
    with app.app_context():
        first = db.session.execute(select(Consultation)).scalar_one()
        number = first.id
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()  # the app's "today"
    response = post_form(client, "/consultations/new", dict(
        CONSULTATION_FORM, follows_up_number=str(number), received_on=today.isoformat()))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Rådfrågning nr {number}" in page
    with app.app_context():
        newest = db.session.execute(select(Consultation).order_by(Consultation.id.desc())).scalars().first()
        assert newest.follows_up_id == number
        assert newest.minutes_spent == 30 and newest.referred_to == "Länsstyrelsen Gävleborg"
