"""Forms for activities: one form for trainings and meetings (the training fields are
shown for every kind and used only for trainings), marking done, and the list's filters."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, MonthField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..database import local_today
from ..forms_common import BaseForm, RecordField, WholeNumberField, sane_year
from ..partners.forms import PartnerField, PartnersField
from ..text_guard import PUBLICATION_TEXT, guarded_text
from . import choices

PARTICIPANTS = NumberRange(min=0, max=choices.PARTICIPANTS_MAX,
                           message=_l("Ange ett antal deltagare mellan 0 och %(n)s.", n="100 000"))


class ActivityForm(BaseForm):
    kind = SelectField(_l("Typ av aktivitet"), choices=choices.ACTIVITY_KINDS.options(blank=_l("Välj typ")),
                       validators=[InputRequired(_l("Välj typ av aktivitet."))])
    title = guarded_text(_l("Rubrik eller ämne"), _l("Skriv en rubrik."), policy=PUBLICATION_TEXT,
                         max_length=300, multiline=False,
                         description=_l("T.ex. ”Utbildning för skolledare om hedersrelaterat våld”."))
    our_role = RadioField(_l("Vår roll"), choices=choices.OUR_ROLES.options(), default="organiser",
                          validators=[InputRequired(_l("Välj vår roll."))])
    status = RadioField(_l("Status"), choices=choices.ACTIVITY_STATUSES.options(), default="planned",
                        validators=[InputRequired(_l("Välj status."))])
    held_on = DateField(_l("Datum"), validators=[Optional(), sane_year])
    month = MonthField(_l("Eller planerad månad, om dagen inte är bestämd"), validators=[Optional(), sane_year],
                       description=_l("Till exempel 2019-02."))
    area = RadioField(_l("Område"), choices=choices.WORK_AREAS.options(),
                      validators=[InputRequired(_l("Välj område."))])
    format = RadioField(_l("Form"), choices=choices.FORMATS.options(), default="in_person",
                        validators=[InputRequired(_l("Välj form."))])
    partners = PartnersField(_l("Samverkanspartner"), description=_l("Håll ned Ctrl (Cmd på Mac) för att välja flera."))
    initiative = RecordField(_l("Del av satsning"), validators=[Optional()])
    audience = guarded_text(_l("Målgrupp (utbildningar)"), policy=PUBLICATION_TEXT, max_length=300, multiline=False,
                            description=_l("T.ex. ”skolledare och skolpersonal” eller ”Brynäs fotbolls styrelse”."))
    audience_sector = SelectField(_l("Målgruppens verksamhet"),
                                  choices=choices.SECTORS.options(blank=_l("Ej angivet")), validators=[Optional()])
    participants = WholeNumberField(_l("Antal deltagare"), validators=[Optional(), PARTICIPANTS])
    bulletin_line = guarded_text(_l("Rad till nyhetsbrevet"), policy=PUBLICATION_TEXT, max_length=1000,
                                 description=_l("Skrivs som den ska stå, t.ex. ”Utbildning för Brynäs fotbolls "
                                                "styrelse har genomförts.”"))
    notes = guarded_text(_l("Anteckningar (syns bara för samordnaren)"))

    def validate_month(self, field):
        if field.data and self.held_on.data:
            raise ValidationError(_l("Fyll i antingen ett datum eller en månad, inte båda."))


class DoneForm(BaseForm):
    """Marking a planned activity done: what is only known afterwards."""

    held_on = DateField(_l("Datum då den genomfördes"),
                        validators=[InputRequired(_l("Fyll i datumet då aktiviteten genomfördes.")), sane_year])
    participants = WholeNumberField(_l("Antal deltagare"), validators=[Optional(), PARTICIPANTS])
    bulletin_line = guarded_text(_l("Rad till nyhetsbrevet"), policy=PUBLICATION_TEXT, max_length=1000)
    notes = guarded_text(_l("Anteckningar (syns bara för samordnaren)"))

    def validate_held_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("En genomförd aktivitet kan inte ha ett datum i framtiden."))


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    date_from = DateField(_l("Från"), validators=[Optional()])
    date_to = DateField(_l("Till"), validators=[Optional()])
    kind = SelectField(_l("Typ"), choices=choices.ACTIVITY_KINDS.options(blank=_l("Alla")), validators=[Optional()])
    status = SelectField(_l("Status"), choices=choices.ACTIVITY_STATUSES.options(blank=_l("Alla")),
                         validators=[Optional()])
    area = SelectField(_l("Område"), choices=choices.WORK_AREAS.options(blank=_l("Alla")), validators=[Optional()])
    our_role = SelectField(_l("Vår roll"), choices=choices.OUR_ROLES.options(blank=_l("Alla")), validators=[Optional()])
    partner = PartnerField(_l("Samverkanspartner"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Slutdatumet ligger före startdatumet."))
