"""Forms of the bulletin: the period, the text."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from ..forms_common import BaseForm, EditVersionField
from ..text_guard import PUBLICATION_TEXT, guarded_text
from .services import BODY_MAX

PERIOD_CHOICES = [
    SelectChoice("since_last", _l("Sedan det senast fastställda nyhetsbrevet")),
    SelectChoice("last_month", _l("Förra månaden")),
    SelectChoice("last_quarter", _l("Förra kvartalet")),
    SelectChoice("custom", _l("Egen period")),
]


class PeriodForm(BaseForm):
    choice = RadioField(_l("Period"), choices=PERIOD_CHOICES, default="last_month",
                        validators=[InputRequired(_l("Välj period."))])
    start = DateField(_l("Första dag (egen period)"), validators=[Optional()])
    end = DateField(_l("Sista dag (egen period)"), validators=[Optional()])

    def validate_end(self, field):
        if self.choice.data == "custom" and (not self.start.data or not field.data):
            raise ValidationError(_l("Fyll i periodens första och sista dag."))


class BodyForm(BaseForm):
    body = guarded_text(_l("Texten i nyhetsbrevet"), _l("Texten kan inte vara tom."), policy=PUBLICATION_TEXT,
                        max_length=BODY_MAX,
                        description=_l("En rad som börjar med ”- ” blir en punkt i listan. Skriv inga "
                                       "siffror som inte finns i förhandsgranskningen: små antal döljs där."))
    edit_version = EditVersionField()
