"""Forms for initiatives (satsningar): the initiative, a progress note, the list's filters.
The partner selects get their choices from the view (``partners.services.choices``)."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from ..database import local_today
from ..forms_common import BaseForm, sane_year
from ..partners.forms import PartnerField, PartnersField
from ..text_guard import PUBLICATION_TEXT, guarded_text
from . import choices
from .services import BULLETIN_LINE_MAX, TITLE_MAX


class InitiativeForm(BaseForm):
    """A new initiative or an edit of one (the service checks the dates against each other)."""

    title = guarded_text(
        _l("Namn på satsningen"), _l("Skriv satsningens namn."), policy=PUBLICATION_TEXT, max_length=TITLE_MAX,
        multiline=False,
        description=_l("Namnet kan stå i nyhetsbrevet, t.ex. ”Handlingsplan mot VBE” eller "
                       "”Lägesbild med Högskolan i Gävle”. Skriv inga personnamn."),
    )
    kind = RadioField(_l("Typ av satsning"), choices=choices.INITIATIVE_KINDS.options(),
                      validators=[InputRequired(_l("Välj typ av satsning."))])
    area = RadioField(_l("Område"), choices=choices.WORK_AREAS.options(),
                      validators=[InputRequired(_l("Välj område."))])
    status = RadioField(_l("Status"), choices=choices.INITIATIVE_STATUSES.options(), default="ongoing",
                        validators=[InputRequired(_l("Välj status."))],
                        description=_l("Avslutad utan slutdatum: slutdatumet blir i dag."))
    starts_on = DateField(_l("Startdatum"), validators=[Optional(), sane_year])
    ends_on = DateField(_l("Slutdatum"), validators=[Optional(), sane_year])
    partners = PartnersField(_l("Samverkanspartner"),
                             description=_l("Håll ned Ctrl (Cmd på Mac) för att välja flera."))
    description = guarded_text(
        _l("Beskrivning"),
        description=_l("Vad satsningen gäller och vem som gör vad. Skriv ingenting om enskilda ärenden."),
    )


def _not_in_future(form, field):
    if field.data and field.data > local_today():
        raise ValidationError(_l("Datumet kan inte ligga i framtiden. Skriv det som har hänt."))


class NoteForm(BaseForm):
    """A progress note: for the coordinator, for the bulletin, or both (the service checks
    that at least one is written)."""

    noted_on = DateField(_l("Datum"), default=local_today,
                         validators=[InputRequired(_l("Fyll i datumet.")), sane_year, _not_in_future])
    note = guarded_text(
        _l("Anteckning"),
        description=_l("Hur arbetet går, för dig själv. Skriv ingenting om enskilda ärenden."),
    )
    bulletin_line = guarded_text(
        _l("Rad till nyhetsbrevet"), policy=PUBLICATION_TEXT, max_length=BULLETIN_LINE_MAX, multiline=False,
        description=_l("Kan publiceras, t.ex. ”Arbetet fortskrider inom arbetsgruppen och finansiering och "
                       "struktur tar sakta form.” Skriv inga personnamn."),
    )


class FilterForm(BaseForm):
    """Filters in the list's query string (no free text)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=choices.INITIATIVE_STATUSES.options(blank=_l("Alla")),
                         validators=[Optional()])
    area = SelectField(_l("Område"), choices=choices.WORK_AREAS.options(blank=_l("Alla")), validators=[Optional()])
    kind = SelectField(_l("Typ"), choices=choices.INITIATIVE_KINDS.options(blank=_l("Alla")), validators=[Optional()])
    partner = PartnerField(_l("Samverkanspartner"), choices=[], validators=[Optional()])
