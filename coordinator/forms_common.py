"""Small pieces shared by every form."""
from flask import g
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets


class ActionForm(FlaskForm):
    """A form with no fields: a button that POSTs with a CSRF token."""


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def show_error(form, exc):
    """Put a refused operation's message on its field, or on the form as a whole,
    and make sure nothing the operation changed before it refused is saved."""
    g.rollback_only = True
    field = getattr(form, getattr(exc, "field", None) or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(exc)]
    else:
        form.form_errors.append(str(exc))
