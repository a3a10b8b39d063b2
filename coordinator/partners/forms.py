"""Forms of the partner register, and the partner picker other domains' forms use."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FileField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from ..database import local_today
from ..forms_common import BaseForm, RecordField, RecordsField, sane_year
from ..text_guard import PROFESSIONAL_CONTACT, guarded_text
from . import choices
from .models import NAME_MAX


class PartnersField(RecordsField):
    """Partners from the register (values are their UUIDs); the view fills the choices
    with ``services.choices()``, the service resolves them with ``services.by_uuids()``."""


class PartnerField(RecordField):
    """One partner from the register, or none."""


def _plain_name(form, field):
    """The organisation's name: no line breaks, and not starting like a spreadsheet formula
    (the register is exported to spreadsheets, and imported from them)."""
    if field.data and ("\n" in field.data or "\r" in field.data):
        raise ValidationError(_l("Namnet får inte innehålla radbrytningar."))
    if field.data and field.data.strip()[:1] in ("=", "+", "-", "@"):
        raise ValidationError(_l("Namnet får inte börja med =, +, - eller @ (det ser ut som en formel i ett kalkylblad)."))


class PartnerForm(BaseForm):
    name = guarded_text(_l("Organisationens namn"), _l("Skriv organisationens namn."),
                        policy=PROFESSIONAL_CONTACT, max_length=NAME_MAX, multiline=False)
    kind = SelectField(_l("Typ av organisation"), choices=choices.PARTNER_KINDS.options(blank=_l("Välj typ")),
                       validators=[InputRequired(_l("Välj typ av organisation."))])
    area = SelectField(_l("Område"), choices=choices.WORK_AREAS.options(), default="both",
                       validators=[InputRequired(_l("Välj område."))])
    status = SelectField(_l("Status"), choices=choices.PARTNER_STATUSES.options(), default="active",
                         validators=[InputRequired(_l("Välj status."))])
    description = guarded_text(_l("Beskrivning"), policy=PROFESSIONAL_CONTACT, max_length=2000,
                               description=_l("Vad samarbetet gäller. Skriv ingenting om enskilda ärenden."))
    next_step = guarded_text(_l("Nästa steg"), policy=PROFESSIONAL_CONTACT, max_length=500, multiline=False,
                             description=_l("T.ex. ”Dialog inleds i januari”."))
    next_step_on = DateField(_l("Datum för nästa steg"), validators=[Optional(), sane_year])

    validate_name = staticmethod(_plain_name)


class PartnerContactForm(BaseForm):
    name = guarded_text(_l("Namn"), _l("Skriv kontaktpersonens namn."), policy=PROFESSIONAL_CONTACT,
                        max_length=200, multiline=False)
    role = guarded_text(_l("Roll eller titel"), policy=PROFESSIONAL_CONTACT, max_length=200, multiline=False)
    email = guarded_text(_l("E-post (arbete)"), policy=PROFESSIONAL_CONTACT, max_length=200, multiline=False)
    phone = guarded_text(_l("Telefon (arbete)"), policy=PROFESSIONAL_CONTACT, max_length=40, multiline=False)

    def validate_email(self, field):
        value = (field.data or "").strip()
        if value and (value.count("@") != 1 or " " in value or "." not in value.split("@")[1]):
            raise ValidationError(_l("Skriv en e-postadress, t.ex. namn@lansstyrelsen.se."))

    def validate_phone(self, field):
        value = (field.data or "").strip()
        digits = sum(ch.isdigit() for ch in value)
        if value and (any(not (ch.isdigit() or ch in " +-()") for ch in value) or not 6 <= digits <= 20):
            raise ValidationError(_l("Skriv ett telefonnummer med siffror, t.ex. 026-17 80 00."))


def _not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("Datumet kan inte ligga i framtiden."))


class StepForm(BaseForm):
    taken_on = DateField(_l("Datum"), validators=[InputRequired(_l("Fyll i datumet.")), sane_year, _not_in_future])
    summary = guarded_text(_l("Vad gjordes?"), _l("Skriv vad som gjordes."), policy=PROFESSIONAL_CONTACT,
                           max_length=1000, description=_l("T.ex. ”Första kontakt per telefon, möte bokat.”"))


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Typ"), choices=choices.PARTNER_KINDS.options(blank=_l("Alla")), validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices.PARTNER_STATUSES.options(blank=_l("Alla")), validators=[Optional()])
    area = SelectField(_l("Område"), choices=choices.WORK_AREAS.options(blank=_l("Alla")), validators=[Optional()])


class ImportForm(BaseForm):
    file = FileField(_l("Fil (CSV)"), description=_l(
        "Spara kalkylbladet som CSV (semikolon- eller kommaavgränsad). Första raden ska ha kolumnnamn, "
        "t.ex. Namn; Typ; Område; Status; Kontaktperson; Roll; E-post; Telefon."))


class ExportForm(BaseForm):
    with_contacts = BooleanField(_l("Ta med kontaktpersoner (namn, roll, e-post, telefon)"))


