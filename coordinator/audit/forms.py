from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..forms_common import BaseForm
from .review import AREAS

UUID_PATTERN = r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"


class _Period:
    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Slutdatumet ligger före startdatumet."))


class EventFilterForm(_Period, BaseForm):
    class Meta:
        csrf = False

    who = EmailField(_l("Användarens e-post"), validators=[Optional(), Length(max=254, message=_l("Högst 254 tecken."))])
    area = SelectField(_l("Del"), choices=AREAS.options(blank=_l("Alla")), validators=[Optional()])
    action = StringField(_l("Händelse (kod)"), description=_l("T.ex. consultation.view"),
                         validators=[Optional(), Length(max=64, message=_l("Högst 64 tecken.")),
                                     Regexp(r"^[a-z_]+\.[a-z_]+$", message=_l("Skriv en kod som consultation.view."))])
    object = StringField(_l("Objekt (uuid)"), validators=[
        Optional(), Regexp(UUID_PATTERN, message=_l("Skriv ett uuid, t.ex. 3f2c8e1a-0b6d-4c59-9a7e-2d1f0c4b8a91."))])
    date_from = DateField(_l("Från"), validators=[Optional()])
    date_to = DateField(_l("Till"), validators=[Optional()])


class ReviewForm(_Period, BaseForm):
    class Meta:
        csrf = False

    date_from = DateField(_l("Från"), validators=[DataRequired(_l("Fyll i ett startdatum (ÅÅÅÅ-MM-DD)."))])
    date_to = DateField(_l("Till"), validators=[DataRequired(_l("Fyll i ett slutdatum (ÅÅÅÅ-MM-DD)."))])

    def validate_date_to(self, field):
        super().validate_date_to(field)
        if field.data and self.date_from.data and (field.data - self.date_from.data).days > 366:
            raise ValidationError(_l("Granska högst ett år i taget."))
