"""Small pieces shared by every form."""
import re

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectMultipleField, widgets

from .records import NotFound
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
