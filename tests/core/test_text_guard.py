"""The guard as one mechanism with a policy per field (coordinator/text_guard.py),
and a walk over every form: a free-text field is guarded or explicitly exempt."""
import importlib
import pkgutil

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.fields import HiddenField, PasswordField

import coordinator
from coordinator.forms_common import BaseForm
from coordinator.records import DomainError
from coordinator.text_guard import (
    CASE_TEXT,
    PROFESSIONAL_CONTACT,
    PUBLICATION_TEXT,
    guarded_text,
    is_guarded,
    refuse_identifiers,
)

from ..helpers import valid_personnummer

# Free-text fields that are not stored as case, contact or publication text, and why.
UNGUARDED = {
    ("LoginForm", "email"): "a login name, never stored from this form",
    ("UserForm", "email"): "a staff member's work address (the account)",
    ("UserForm", "display_name"): "a staff member's name (the account)",
    ("UserForm", "unit"): "a staff member's unit (the account)",
    ("SearchForm", "query"): "a search, never stored (POST, not in any URL or log)",
    ("ContactForm", "work_phone"): "the holder's own work phone (must look like a phone number)",
    ("SecondFactorForm", "code"): "a one-time code or recovery code, never stored",
    ("TwoFactorSetupForm", "code"): "a one-time code from the app, never stored",
    ("EventFilterForm", "who"): "a filter of the audit trail (an e-mail), never stored",
    ("EventFilterForm", "action"): "a filter of the audit trail (an action code), never stored",
    ("EventFilterForm", "object"): "a filter of the audit trail (a UUID), never stored",
}


def _all_forms():
    for module in pkgutil.walk_packages(coordinator.__path__, "coordinator."):
        importlib.import_module(module.name)
    seen, stack = set(), [BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted(seen, key=lambda c: c.__name__)


def _free_text_fields(form_class):
    for name in dir(form_class):
        unbound = getattr(form_class, name)
        field_class = getattr(unbound, "field_class", None)
        if field_class is None or not issubclass(field_class, (StringField, TextAreaField)):
            continue
        if issubclass(field_class, (PasswordField, HiddenField)):
            continue
        yield name, unbound, field_class


def test_every_free_text_field_is_guarded_or_listed(app):
    """Like the url_map walk for routes: a new free-text field without a guard fails here."""
    unguarded = []
    with app.test_request_context():
        for form_class in _all_forms():
            form = form_class(formdata=None, meta={"csrf": False})
            for name, _unbound, _field_class in _free_text_fields(form_class):
                if not is_guarded(form[name]) and (form_class.__name__, name) not in UNGUARDED:
                    unguarded.append(f"{form_class.__name__}.{name}")
    assert unguarded == []


def test_the_exemption_list_names_real_fields_only(app):
    with app.test_request_context():
        names = {(c.__name__, n) for c in _all_forms() for n, _u, _f in _free_text_fields(c)}
    assert set(UNGUARDED) <= names


def test_the_walk_sees_the_guarded_fields(app):
    with app.test_request_context():
        forms = {c.__name__: c for c in _all_forms()}
        guarded = {n for n, _u, _f in _free_text_fields(forms["ConsultationForm"])
                   if is_guarded(forms["ConsultationForm"](formdata=None, meta={"csrf": False})[n])}
    assert {"situation", "advice", "referred_to"} <= guarded


def test_case_text_blocks_identifiers_and_flags_names():
    text = f"Flickan Amira har personnummer {valid_personnummer()} och mobil 070-123 45 67."
    kinds = {f.kind for f in CASE_TEXT.findings(text)}
    assert {"name", "personnummer", "phone"} <= kinds
    with pytest.raises(DomainError):
        refuse_identifiers(CASE_TEXT, text)
    refuse_identifiers(CASE_TEXT, "Flickan Amira, 15 år, är orolig.")  # a name alone is confirmed on the form


def test_professional_contact_keeps_name_work_phone_and_email_but_not_a_personnummer():
    contact = "Karin Lindqvist, samordnare, 026-17 80 00, karin.lindqvist@lansstyrelsen.se"
    assert PROFESSIONAL_CONTACT.findings(contact) == []
    refuse_identifiers(PROFESSIONAL_CONTACT, contact)
    with pytest.raises(DomainError):
        refuse_identifiers(PROFESSIONAL_CONTACT, f"Karin Lindqvist {valid_personnummer('720304')}")


def test_publication_text_allows_public_numbers_and_blocks_case_identifiers():
    line = "Vid akut fara ring 112. Polisen nås på 114 14 och Kvinnofridslinjen på 020-50 50 50."
    assert [f for f in PUBLICATION_TEXT.findings(line) if f.blocking] == []
    with pytest.raises(DomainError):
        refuse_identifiers(PUBLICATION_TEXT, "Ärendet Dnr 2018/1234 har avslutats.")


def test_allowed_values_are_not_findings():
    """A writer's own work phone may be allowed in what they write (compared without spaces)."""
    text = "Ring mig på 026-17 80 00 om något är oklart."
    assert [f.kind for f in CASE_TEXT.findings(text)] == ["phone"]
    assert CASE_TEXT.findings(text, allowed=["026-178000"]) == []


def test_guarded_text_factory_gives_its_own_required_message(app):
    class Form(BaseForm):
        class Meta:
            csrf = False

        body = guarded_text("Meddelande", "Skriv ett meddelande.")
        note = guarded_text("Anteckning", max_length=20, multiline=False)

    with app.test_request_context(method="POST"):
        form = Form(MultiDict({"body": "   ", "note": "x" * 21}))
        assert not form.validate()
        assert form.body.errors == ["Skriv ett meddelande."]
        assert form.note.errors == ["Texten får vara högst 20 tecken lång."]
        assert form.body.flags.required and not form.note.flags.required


def _policy_of(form_class, name):
    from coordinator.text_guard import GuardedText

    field = getattr(form_class, name)
    return next(v.policy for v in field.kwargs["validators"] if isinstance(v, GuardedText))


def test_each_register_field_has_the_policy_its_text_needs():
    """Case-like notes are case text; what goes into the bulletin is publication text; what
    describes a partner or its contact persons is professional contact text."""
    from coordinator.activities.forms import ActivityForm, DoneForm
    from coordinator.initiatives.forms import InitiativeForm, NoteForm
    from coordinator.partners.forms import PartnerContactForm, PartnerForm, StepForm

    expected = {
        (ActivityForm, "notes"): CASE_TEXT, (DoneForm, "notes"): CASE_TEXT,
        (ActivityForm, "title"): PUBLICATION_TEXT, (ActivityForm, "audience"): PUBLICATION_TEXT,
        (ActivityForm, "bulletin_line"): PUBLICATION_TEXT, (DoneForm, "bulletin_line"): PUBLICATION_TEXT,
        (InitiativeForm, "title"): PUBLICATION_TEXT, (InitiativeForm, "description"): CASE_TEXT,
        (NoteForm, "note"): CASE_TEXT, (NoteForm, "bulletin_line"): PUBLICATION_TEXT,
        (PartnerForm, "name"): PROFESSIONAL_CONTACT, (PartnerForm, "description"): PROFESSIONAL_CONTACT,
        (PartnerForm, "next_step"): PROFESSIONAL_CONTACT, (StepForm, "summary"): PROFESSIONAL_CONTACT,
        **{(PartnerContactForm, name): PROFESSIONAL_CONTACT for name in ("name", "role", "email", "phone")},
    }
    for (form_class, name), policy in expected.items():
        assert _policy_of(form_class, name) is policy, f"{form_class.__name__}.{name}"
    # What the policies mean for these fields: a contact's work phone is kept, the same
    # number in an activity's notes is refused, a personnummer is refused everywhere.
    phone = "026-17 80 00"
    assert not any(PROFESSIONAL_CONTACT.blocks(f) for f in PROFESSIONAL_CONTACT.findings(phone))
    assert any(CASE_TEXT.blocks(f) for f in CASE_TEXT.findings(f"Ring mamman på {phone}"))
    for policy in (CASE_TEXT, PUBLICATION_TEXT, PROFESSIONAL_CONTACT):
        assert any(policy.blocks(f) for f in policy.findings(f"Kontakt: {valid_personnummer()}"))
