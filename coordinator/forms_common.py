"""Small pieces shared by every form."""
import re

from flask import flash, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, SelectMultipleField, ValidationError, widgets

from .records import DomainError, NotFound, blank_unreadable
from .request_cycle import refuse_changes

# C0 control characters other than tab, newline and carriage return, and DEL:
# never meaningful in a form, and PostgreSQL refuses NUL in text.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BaseForm(FlaskForm):
    """Every form of the application: CSRF (Flask-WTF), and control characters removed
    from what was submitted."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            return MultiDict(
                (key, _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value)
                for key, value in data.items(multi=True)
            )


class ActionForm(BaseForm):
    """A form with no fields: a button that POSTs with a CSRF token."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class _Offered:
    def offer(self, pairs, blank=None):
        """Set the choices from (value, label) pairs, with a leading blank option if given."""
        self.choices = ([SelectChoice("", blank)] if blank else []) + [SelectChoice(v, label) for v, label in pairs]
        return self


class RecordField(_Offered, SelectField):
    """One record chosen from choices the view fills (values are UUIDs); empty is none.
    The service resolves the UUID again, so a record removed meanwhile is refused there."""

    def pre_validate(self, form):
        if self.data and self.data not in {str(choice[0]) for choice in self.iter_choices()}:
            raise ValidationError(_l("Välj ett alternativ ur listan."))


class RecordsField(_Offered, SelectMultipleField):
    """Several records chosen from choices the view fills (values are UUIDs)."""

    def pre_validate(self, form):
        known = {str(choice[0]) for choice in self.iter_choices()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(_l("Välj alternativ ur listan."))


class WholeNumberField(IntegerField):
    """A count or number typed by hand: more than ``MAX_DIGITS`` digits is refused with a
    message before it is converted, so no validator ever meets a number too large for a
    float (WTForms' NumberRange would fail on one)."""

    MAX_DIGITS = 9

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(str(_l("Talet är för stort.")))
        super().process_formdata(valuelist)


class EditVersionField(HiddenField):
    """The version a form was opened on (see consultations.services.claim_edit): a small
    positive integer, or a Swedish message that the form is damaged."""

    def process_formdata(self, valuelist):
        raw = str(valuelist[0]).strip() if valuelist else ""
        if raw == "":
            self.data = None
            return
        if not (raw.isdigit() and len(raw) <= 9):
            self.data = None
            raise ValueError(str(_l("Formuläret är skadat. Ladda om sidan och försök igen.")))
        self.data = int(raw)


def sane_year(form, field):
    """A date of the register's own time: from 2000 to five years ahead (a typing slip such as
    0001-01-01 or 9999-12-31 is refused, not stored)."""
    from .database import local_today

    if field.data and not 2000 <= field.data.year <= local_today().year + 5:
        raise ValidationError(_l("Kontrollera året."))


def show_error(form, exc):
    """Put a refused operation's message (a ``DomainError``) on its field, or on the
    form as a whole, and make sure nothing the operation changed before it refused
    is saved. A ``NotFound`` is no message for a form: it stays the 404 page."""
    if isinstance(exc, NotFound):
        raise exc
    refuse_changes()
    field = getattr(form, getattr(exc, "field", None) or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(exc)]
    else:
        form.form_errors.append(str(exc))


def save(form, action, message, next_url):
    """The POST half of a form view, once for every domain: when ``form`` validates, run
    ``action()`` (one service call); a refused operation is shown on the form; success
    flashes ``message`` and redirects to ``next_url(result)``. ``None``: show the form again
    (with what was typed and the errors)::

        done = save(form, lambda: services.create_partner(current_user, form_input(PartnerInput, form)),
                    _("Sparat."), lambda partner: url_for("partners.detail", partner_uuid=partner.uuid))
        if done:
            return done
    """
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except DomainError as exc:
        show_error(form, exc)
        return None
    flash(message, "success")
    return redirect(next_url(result))


UNREADABLE_BLANKED = _l("En text kan inte visas och har lämnats tom. Skriv den på nytt eller lämna den tom.")


def blank_unreadable_and_say_so(form, obj):
    """On an edit form: empty the texts of ``obj`` that cannot be decrypted, and tell the user."""
    emptied = blank_unreadable(form, obj)
    if emptied:
        flash(UNREADABLE_BLANKED, "error")
    return emptied
