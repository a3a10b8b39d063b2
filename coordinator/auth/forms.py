from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from ..forms_common import BaseForm, MultiCheckboxField
from ..roles import ROLES


class LoginForm(BaseForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Fyll i din e-postadress.")), Length(max=254)])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Fyll i ditt lösenord.")), Length(max=1024)])


class _NewPasswordMixin:
    new_password = PasswordField(
        _l("Nytt lösenord"),
        description=_l("Minst 12 tecken. Gärna en mening eller flera ord; inga krav på siffror eller specialtecken."),
        validators=[DataRequired(_l("Fyll i ett nytt lösenord.")), Length(max=1024)],
    )
    confirm = PasswordField(
        _l("Upprepa det nya lösenordet"),
        validators=[
            DataRequired(_l("Upprepa det nya lösenordet.")),
            EqualTo("new_password", _l("Lösenorden stämmer inte överens.")),
        ],
    )


class ChangePasswordForm(_NewPasswordMixin, BaseForm):
    current_password = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(_l("Fyll i ditt nuvarande lösenord.")), Length(max=1024)]
    )

    field_order = ("current_password", "new_password", "confirm")


class ActivationForm(_NewPasswordMixin, BaseForm):
    pass


class ContactForm(BaseForm):
    work_phone = StringField(
        _l("Ditt arbetstelefonnummer"),
        description=_l("Får stå i meddelanden du skriver, t.ex. ”Ring mig på 026-17 80 00”. Lämna tomt om du inte vill."),
        validators=[Optional(), Length(max=40, message=_l("Högst 40 tecken.")),
                    Regexp(r"^\+?[0-9][0-9 ()\-]{4,38}$", message=_l("Skriv bara siffror, mellanslag, bindestreck och ev. + först, t.ex. 026-17 80 00."))],
    )


class UserForm(BaseForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Fyll i en e-postadress.")),
            Email(_l("Skriv en giltig e-postadress, t.ex. namn@gavle.se.")),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Fyll i ett namn.")), Length(max=120, message=_l("Högst 120 tecken."))]
    )
    unit = StringField(
        _l("Enhet"),
        description=_l("För handläggare, t.ex. ”Socialtjänst, barn och unga”."),
        validators=[Length(max=120, message=_l("Högst 120 tecken."))],
    )
    roles = MultiCheckboxField(
        _l("Roller"),
        choices=ROLES.options(),
        validators=[DataRequired(_l("Välj minst en roll."))],
    )


class SecondFactorForm(BaseForm):
    code = StringField(
        _l("Kod"),
        description=_l("Sex siffror från din autentiseringsapp, eller en av dina reservkoder."),
        validators=[DataRequired(_l("Fyll i koden.")), Length(max=40, message=_l("Högst 40 tecken."))],
    )


class PasswordAgainForm(BaseForm):
    password = PasswordField(
        _l("Ditt lösenord"), validators=[DataRequired(_l("Fyll i ditt lösenord.")), Length(max=1024)]
    )


class TwoFactorSetupForm(PasswordAgainForm):
    code = StringField(
        _l("Kod från appen"),
        description=_l("De sex siffror som appen visar efter att du har lagt till kontot."),
        validators=[DataRequired(_l("Fyll i koden från appen.")), Length(max=40, message=_l("Högst 40 tecken."))],
    )

