"""Shared pieces of the attack tests: a user of every role, a register with a record in every
domain (made through the services, committed), logging in and POSTing with a session's CSRF
token, counting rows, and the check that a page holds no live markup.

The ``app``/``client`` fixtures of tests/conftest.py run every test here on SQLite and on
PostgreSQL; with ``CI=true`` a missing PostgreSQL fails instead of skipping.
"""
import re
import uuid
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from coordinator.extensions import db

from ..factories import make_activity, make_consultation, make_partner, make_user
from ..helpers import PASSWORD, csrf_token

ROLE_CODES = ("admin", "coordinator", "officer", "editor")

# One user per role (the matrix logs in as each), and a second officer, coordinator and editor
# (whose records the first ones try to reach).
EMAILS = {
    "admin": "admin@gavle.example",
    "coordinator": "samordnare@gavle.example",
    "officer": "a@gavle.example",
    "editor": "redaktor@gavle.example",
    "officer_b": "b@gavle.example",
    "coordinator_b": "samordnare2@gavle.example",
    "editor_b": "redaktor2@gavle.example",
    "candidate": "kandidat@gavle.example",  # waits for the coordinator role (a pending grant)
}

SITUATION_A = "Eleven, 16 år, berättar om hårda regler i hemmet och om en resa till sommaren."
SITUATION_B = "Pojken, 14 år, har slutat komma till fritidsgården efter samtal med släkten."
SITUATION_LOGGED = "Kuratorn ringer om en flicka, 15 år, som inte får delta i simundervisningen."
MESSAGE_A = "Jag undrar också hur vi pratar med mamman om oron."
CONTACT_A = ("Anna Berg", "anna.berg@lansstyrelsen.se")
CONTACT_B = ("Per Ek", "per.ek@rfsl.se")
PERIOD = (date(2018, 10, 1), date(2018, 12, 31))
SHEET = (
    "Namn;Typ;Område;Status;Kontaktperson;Roll;E-post;Telefon\n"
    "Högskolan i Gävle;Akademi;VBE;Aktiv;Eva Lind;Forskare;eva.lind@hig.se;026-64 85 00\n"
).encode()


@dataclass
class Register:
    """The UUIDs (and numbers) of one record of every kind, and who made them."""

    request_a: uuid.UUID  # officer A's request, with a message from A
    request_a_number: int
    request_b: uuid.UUID  # officer B's request
    logged: uuid.UUID  # a consultation the coordinator logged herself
    partner: uuid.UUID
    contact: uuid.UUID  # a contact person of ``partner``
    partner_b: uuid.UUID
    contact_b: uuid.UUID  # a contact person of ``partner_b``
    activity: uuid.UUID  # a planned training, with ``partner``
    initiative: uuid.UUID  # with a progress note and ``partner``
    bulletin: uuid.UUID  # a draft by the coordinator, October–December 2018
    pending_import: uuid.UUID  # uploaded by the coordinator (not coordinator B)
    role_grant: uuid.UUID  # the admin asked for the coordinator role for ``candidate``
    users: dict  # key of EMAILS -> the user's UUID


def make_users():
    users = {}
    for key, email in EMAILS.items():
        role = key.removesuffix("_b") if key != "candidate" else "officer"
        unit = "Elevhälsan, gymnasiet" if role == "officer" else None
        users[key] = make_user(email, roles=(role,), unit=unit, name=f"Användare {key}")
    return users


def fill_register():
    """Every kind of record, through the services; call inside an app context."""
    from coordinator.auth import grants
    from coordinator.auth.models import RoleGrant
    from coordinator.bulletin import services as bulletins
    from coordinator.bulletin.counting import Period
    from coordinator.consultations import services as consultations
    from coordinator.initiatives import services as initiatives
    from coordinator.partners import imports
    from coordinator.partners import services as partners

    users = make_users()
    coordinator = users["coordinator"]
    request_a = make_consultation(None, officer=users["officer"], situation=SITUATION_A)
    consultations.add_message(users["officer"], request_a, MESSAGE_A)
    db.session.commit()
    request_b = make_consultation(None, officer=users["officer_b"], situation=SITUATION_B)
    logged = make_consultation(coordinator, situation=SITUATION_LOGGED, status="ongoing",
                               advice="Gör en orosanmälan.", received_on=date(2018, 11, 5))
    partner = make_partner(coordinator, name="Länsstyrelsen Gävleborg")
    contact = partners.add_contact(coordinator, partner, partners.ContactInput(name=CONTACT_A[0], email=CONTACT_A[1]))
    partner_b = make_partner(coordinator, name="RFSL Gävle", kind="nonprofit")
    contact_b = partners.add_contact(coordinator, partner_b, partners.ContactInput(name=CONTACT_B[0], email=CONTACT_B[1]))
    db.session.commit()
    initiative = initiatives.create_initiative(coordinator, initiatives.InitiativeInput(
        title="Handlingsplan mot VBE", kind="action_plan", area="vbe", partners=[str(partner.uuid)],
        description="Kommunens handlingsplan tas fram med arbetsgruppen."))
    db.session.flush()
    initiatives.add_note(coordinator, initiative, date(2018, 11, 1), "Arbetsgruppen har träffats.",
                         "Arbetet med handlingsplanen har börjat.")
    db.session.commit()
    activity = make_activity(coordinator, partners=[str(partner.uuid)], initiative=str(initiative.uuid))
    bulletin = bulletins.create_draft(coordinator, Period(*PERIOD))
    pending = imports.preview(coordinator, SHEET)
    grants.request(users["candidate"], "coordinator", users["admin"])
    db.session.commit()
    grant = db.session.execute(select(RoleGrant)).scalar_one()
    return Register(
        request_a=request_a.uuid, request_a_number=request_a.number, request_b=request_b.uuid, logged=logged.uuid,
        partner=partner.uuid, contact=contact.uuid, partner_b=partner_b.uuid, contact_b=contact_b.uuid,
        activity=activity.uuid, initiative=initiative.uuid, bulletin=bulletin.uuid, pending_import=pending.uuid,
        role_grant=grant.uuid, users={key: user.uuid for key, user in users.items()},
    )


@pytest.fixture
def register(app):
    with app.app_context():
        return fill_register()


# Requests ---------------------------------------------------------------------------

def login(client, who):
    """Log in through the real form as ``who`` (a key of EMAILS, or an e-mail address)."""
    email = EMAILS.get(who, who)
    token = csrf_token(client, "/auth/login")
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and "/auth/login" not in response.headers["Location"], \
        f"login as {email} failed ({response.status_code})"
    return response


def logged_in_client(app, who):
    client = app.test_client()
    login(client, who)
    return client


class Poster:
    """POSTs for one client with its session's CSRF token, read once (tokens live as long as
    the session; see WTF_CSRF_TIME_LIMIT)."""

    def __init__(self, client):
        self.client = client
        self.token = csrf_token(client)

    def __call__(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)


# The database -------------------------------------------------------------------------

# Tables that grow on every request by design (the audit trail, sessions, throttles).
LOG_TABLES = {"audit_events", "audit_chain_head", "auth_sessions", "throttle_counters"}


def row_counts(app, skip=LOG_TABLES):
    """{table: rows} for every table of the schema but the log-like ones."""
    with app.app_context():
        return {
            table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables if table.name not in skip
        }


# Live markup -----------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
FOREIGN_TAGS = {"img", "iframe", "object", "embed", "base", "frame", "frameset", "applet", "audio", "video"}
OWN_SCRIPTS = {"/static/session.js"}


class _MarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src") not in OWN_SCRIPTS:
            self.live.append(f"<script {attributes}>")
        if tag in FOREIGN_TAGS:
            self.live.append(f"<{tag} {attributes}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.live.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if squeezed.startswith(DANGEROUS_SCHEMES):
                    self.live.append(f"<{tag} {name}={value!r}>")


def live_markup(html):
    """What in ``html`` would run or load something: a script other than the application's
    own, an event-handler attribute, a javascript:/vbscript:/data: URL, an element that loads
    content (img, iframe, object ...). The application's pages have none of these."""
    finder = _MarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.live


def assert_inert(html, where, shown=()):
    """No live markup in ``html``; each text of ``shown`` is on the page, escaped."""
    live = live_markup(html)
    assert not live, f"{where}: live markup {live}"
    for text in shown:
        assert str(escape(text)) in html, f"{where}: {text!r} is not shown (escaped)"
        if "<" in text:
            assert text not in html, f"{where}: {text!r} stands unescaped"


# Every form the application posts to -------------------------------------------------------

def post_forms():
    """endpoint -> (form class, prefix): what each POST route reads. test_fuzz_forms checks
    that this covers every rule with POST in app.url_map."""
    from coordinator.activities.forms import ActivityForm, DoneForm
    from coordinator.auth.forms import (
        ActivationForm,
        ChangePasswordForm,
        ContactForm,
        LoginForm,
        PasswordAgainForm,
        SecondFactorForm,
        TwoFactorSetupForm,
        UserForm,
    )
    from coordinator.bulletin.forms import BodyForm, PeriodForm
    from coordinator.consultations.forms import (
        AnswerForm,
        ConsultationForm,
        LogForm,
        MessageForm,
        RequestForm,
        SearchForm,
        StatusForm,
    )
    from coordinator.forms_common import ActionForm
    from coordinator.initiatives.forms import InitiativeForm, NoteForm
    from coordinator.partners.forms import ExportForm, ImportForm, PartnerContactForm, PartnerForm, StepForm

    forms = {
        "auth.login": LoginForm, "auth.two_factor_login": SecondFactorForm, "auth.activate": ActivationForm,
        "auth.two_factor_setup": TwoFactorSetupForm, "auth.two_factor_recovery_codes": (PasswordAgainForm, "recovery"),
        "auth.two_factor_remove": (PasswordAgainForm, "remove"), "auth.logout": ActionForm,
        "auth.logout_everywhere": ActionForm, "auth.contact": ContactForm, "auth.change_password": ChangePasswordForm,
        "auth.approve_role": ActionForm, "auth.decline_role": ActionForm,
        "admin.create_user": UserForm, "admin.edit_user": UserForm, "admin.deactivate_user": ActionForm,
        "admin.reactivate_user": ActionForm, "admin.end_sessions": ActionForm, "admin.reset_two_factor": ActionForm,
        "admin.new_activation_link": ActionForm, "audit.export": ActionForm,
        "consultations.request_advice": RequestForm, "consultations.add_message": MessageForm,
        "consultations.answer": AnswerForm, "consultations.search": SearchForm, "consultations.new": LogForm,
        "consultations.edit": ConsultationForm, "consultations.change_status": StatusForm,
        "retention.keep_open": ActionForm,
        "activities.new": ActivityForm, "activities.edit": ActivityForm, "activities.done": DoneForm,
        "activities.cancel": ActionForm,
        "initiatives.new": InitiativeForm, "initiatives.edit": InitiativeForm, "initiatives.add_note": NoteForm,
        "partners.new": PartnerForm, "partners.edit": PartnerForm, "partners.add_contact": PartnerContactForm,
        "partners.edit_contact": PartnerContactForm, "partners.remove_contact": ActionForm,
        "partners.add_step": StepForm, "partners.import_upload": ImportForm, "partners.import_preview": ActionForm,
        "partners.export": ExportForm,
        "bulletin.new": PeriodForm, "bulletin.save_text": BodyForm, "bulletin.regenerate": ActionForm,
        "bulletin.propose": ActionForm, "bulletin.return_to_draft": ActionForm, "bulletin.fix": ActionForm,
        "bulletin.new_version": ActionForm,
    }
    return {endpoint: form if isinstance(form, tuple) else (form, None) for endpoint, form in forms.items()}


# Fields views read from the request besides their form's.
EXTRA_FIELDS = {"activities.cancel": ("next",)}


def form_fields(app, endpoint):
    """The names a POST to ``endpoint`` reads: its form's fields (with the guard's "not a
    person" confirmations of each guarded text), and what the view reads itself."""
    from coordinator.text_guard import confirm_field_name, is_guarded

    form_class, prefix = post_forms()[endpoint]
    with app.test_request_context():
        form = form_class(formdata=None, meta={"csrf": False}, prefix=prefix or "")
        names = [field.name for field in form]
        names += [confirm_field_name(field) for field in form if is_guarded(field)]
    return names + list(EXTRA_FIELDS.get(endpoint, ()))


def record_values(register):
    """Each URL variable filled with a record of the register."""
    return {
        "consultation_uuid": register.request_a, "activity_uuid": register.activity,
        "initiative_uuid": register.initiative, "partner_uuid": register.partner, "contact_uuid": register.contact,
        "bulletin_uuid": register.bulletin, "import_uuid": register.pending_import, "grant_uuid": register.role_grant,
        "user_uuid": register.users["officer_b"], "fmt": "html", "token": "x" * 20, "filename": "app.css",
    }
