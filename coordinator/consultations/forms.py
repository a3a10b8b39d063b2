"""Forms for advice requests (officers) and the coordinator's log."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..database import local_today
from ..forms_common import BaseForm, EditVersionField, MultiCheckboxField, RecordField, WholeNumberField
from ..text_guard import guarded_text
from . import choices


class CaseFieldsForm(BaseForm):
    """The structured fields both an officer and the coordinator fill in."""

    sector = SelectField(_l("Frågande verksamhet"), choices=choices.SECTORS.options(blank=_l("Välj verksamhet")),
                         validators=[InputRequired(_l("Välj vilken verksamhet som frågar."))])
    area = RadioField(_l("Område"), choices=choices.AREAS.options(),
                      validators=[InputRequired(_l("Välj område."))])
    person_count = RadioField(_l("Antal berörda personer"), choices=choices.PERSON_COUNTS.options(),
                              default="1", validators=[InputRequired(_l("Välj antal berörda personer."))])
    genders = MultiCheckboxField(_l("De berördas kön"), choices=choices.GENDERS.options())
    age_bands = MultiCheckboxField(_l("De berördas ålder"), choices=choices.AGE_BANDS.options())
    hrv_forms = MultiCheckboxField(_l("Former av hedersrelaterat våld"), choices=choices.HRV_FORMS.options())
    perpetrators = MultiCheckboxField(_l("Utövare"), choices=choices.PERPETRATORS.options())
    vbe_milieu = SelectField(_l("Våldsbejakande miljö"), choices=choices.VBE_MILIEUS.options(blank=_l("Ej aktuellt")),
                             validators=[Optional()])
    vbe_concerns = MultiCheckboxField(_l("Oro gällande våldsbejakande extremism"),
                                      choices=choices.VBE_CONCERNS.options())
    urgency = RadioField(_l("Brådska"), choices=choices.URGENCIES.options(), default="not_acute",
                         validators=[InputRequired(_l("Välj om ärendet är akut."))])
    follows_up_number = WholeNumberField(
        _l("Uppföljning av rådfrågning nr"),
        description=_l("Om frågan gäller samma ärende som en tidigare rådfrågning: dess nummer."),
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1, message=_l("Ange numret på en tidigare rådfrågning."))],
    )
    situation = guarded_text(
        _l("Beskriv situationen"), _l("Beskriv situationen."),
        description=_l("Skriv inga namn, personnummer, adresser, telefonnummer eller diarienummer. "
                       "Beskriv med roller och åldersgrupper, t.ex. ”flickan, 15 år” eller ”pappan”."),
    )


class RequestForm(CaseFieldsForm):
    """An officer's advice request."""


def _not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("Datumet kan inte ligga i framtiden."))
    if field.data and field.data.year < 2000:
        raise ValidationError(_l("Datumet är för gammalt."))


class ConsultationForm(CaseFieldsForm):
    """The coordinator's full record of a consultation."""

    received_on = DateField(_l("Inkom"), validators=[InputRequired(_l("Fyll i datumet då frågan kom in.")), _not_in_future])
    channel = RadioField(_l("Kanal"), choices=choices.CHANNELS.options(), default="phone",
                         validators=[InputRequired(_l("Välj kanal."))])
    status = RadioField(_l("Status"), choices=choices.STATUSES.options(), default="ongoing",
                        validators=[InputRequired(_l("Välj status."))])
    advice = guarded_text(_l("Råd som getts"))
    advice_given = MultiCheckboxField(_l("Åtgärder"), choices=choices.ADVICE_GIVEN.options())
    referred_to_partner = RecordField(_l("Hänvisad till samverkanspartner"), validators=[Optional()],
                                      description=_l("Ur registret över samverkanspartner."))
    referred_to = guarded_text(_l("Hänvisad till annan organisation"), max_length=200, multiline=False,
                               description=_l("Om organisationen inte finns i registret."))
    minutes_spent = WholeNumberField(
        _l("Tidsåtgång (minuter)"),
        validators=[Optional(), NumberRange(min=0, max=10_000, message=_l("Ange minuter mellan 0 och 10 000."))],
    )
    follow_up_on = DateField(_l("Uppföljning planerad"), validators=[Optional()])
    edit_version = EditVersionField()


def _writers_own_contact_details():
    """The writer's own work e-mail and phone may stand in what they write to the other side."""
    return current_user.own_contact_details() if current_user.is_authenticated else []


class AnswerForm(BaseForm):
    """The coordinator's answer to an officer's request: the advice, and if she likes a
    message in the thread beside it."""

    advice = guarded_text(_l("Ditt svar (rådet)"), _l("Skriv svaret."),
                          description=_l("Handläggaren ser svaret överst i rådfrågningen."),
                          allowed=_writers_own_contact_details)
    message = guarded_text(_l("Meddelande i tråden (valfritt)"),
                           description=_l("T.ex. en fråga tillbaka eller när ni ska höras igen."),
                           allowed=_writers_own_contact_details)
    edit_version = EditVersionField()


class LogForm(ConsultationForm):
    """A consultation the coordinator has handled herself: it starts as ongoing, or closed
    if she says so, never among the new requests ("new" is for officers' requests)."""

    status = RadioField(_l("Status"), choices=[o for o in choices.STATUSES.options() if o.value != "new"],
                        default="ongoing", validators=[InputRequired(_l("Välj status."))])


class MessageForm(BaseForm):
    body = guarded_text(_l("Meddelande"), _l("Skriv ett meddelande."), allowed=_writers_own_contact_details)


class StatusForm(BaseForm):
    status = SelectField(_l("Status"), choices=choices.STATUSES.options(),
                         validators=[InputRequired(_l("Välj status."))])


class SearchForm(BaseForm):
    query = StringField(_l("Sök i fritexten"), validators=[
        InputRequired(_l("Skriv vad du söker.")), Length(min=2, max=200, message=_l("Skriv 2–200 tecken."))
    ])


class FilterForm(BaseForm):
    """Filters in the list's query string (no case text)."""

    class Meta:
        csrf = False

    date_from = DateField(_l("Från"), validators=[Optional()])
    date_to = DateField(_l("Till"), validators=[Optional()])
    area = SelectField(_l("Område"), choices=choices.AREAS.options(blank=_l("Alla")), validators=[Optional()])
    sector = SelectField(_l("Verksamhet"), choices=choices.SECTORS.options(blank=_l("Alla")), validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices.STATUSES.options(blank=_l("Alla")), validators=[Optional()])
    urgency = SelectField(_l("Brådska"), choices=choices.URGENCIES.options(blank=_l("Alla")), validators=[Optional()])
    due = BooleanField(_l("Bara uppföljningar vars datum har passerat"))
    unread = BooleanField(_l("Bara olästa meddelanden"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Slutdatumet ligger före startdatumet."))
