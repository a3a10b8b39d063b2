"""How records are read from forms and written by services, declared once.

* ``DomainError``: every refused operation; ``str()`` is Swedish for the user and
  ``field`` names the form field it concerns (or None for the form as a whole).
* ``form_input(cls, form)``: the plain input a service takes (a dataclass), built
  from the public ``form.data``; the view never hands a form to a service.
* ``populate(obj, data, fields)``: copy the given fields onto a record and return
  the names that changed (for the audit detail and for notifications). A ``None``
  leaves a NOT NULL column that has a default alone, so defaults are declared
  only on the model.
* ``blank_unreadable(form, obj)``: on an edit form, empty every encrypted field
  whose stored value cannot be decrypted (it is never written back).

Model: Indico's ``populate_from_dict`` and ``update_category``.
"""
import dataclasses
import uuid

from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter

from .encryption import Unreadable, fields_of


class DomainError(Exception):
    """A refused operation; ``str()`` is a Swedish message, ``field`` the form field."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.field = field


class NotFound(DomainError):
    """The record does not exist or the user may not see it (answered as 404)."""

    def __init__(self, message=None, field=None):
        super().__init__(message or _l("Uppgiften finns inte."), field)


def form_input(cls, form, **extra):
    """An instance of the dataclass ``cls`` from ``form.data``: the fields ``cls``
    declares, with empty strings as None, plus ``extra``."""
    names = {f.name for f in dataclasses.fields(cls)}
    values = {name: (None if value == "" else value) for name, value in form.data.items() if name in names}
    values.update(extra)
    return cls(**values)


def _column_default_applies(model, name):
    column = model.__table__.columns.get(name)
    return column is not None and not column.nullable and column.default is not None


def populate(obj, data, fields):
    """Set ``fields`` of ``obj`` from ``data`` (an object or a dict); return the changed names."""
    get = data.get if isinstance(data, dict) else (lambda name: getattr(data, name))
    changed = []
    for name in fields:
        value = get(name)
        if value is None and _column_default_applies(type(obj), name):
            continue
        current = getattr(obj, name)
        if isinstance(value, (list, tuple, set, frozenset)):
            value = list(value)
            same = set(current or ()) == set(value)
        else:
            same = current == value
        if not same:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def blank_unreadable(form, obj):
    """Empty the form fields of ``obj``'s encrypted values that cannot be decrypted;
    return the names emptied (the view tells the user)."""
    emptied = []
    for name in fields_of(type(obj)):
        if name in form and isinstance(getattr(obj, name), Unreadable):
            form[name].data = ""
            emptied.append(name)
    return emptied


class CanonicalUUIDConverter(BaseConverter):
    """``<uuid:...>`` in routes: only the canonical lower-case spelling matches, so a
    record has one address; anything else is a 404 before the view runs."""

    regex = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value):
        return uuid.UUID(value)

    def to_url(self, value):
        return str(value)


def init_app(app):
    app.url_map.converters["uuid"] = CanonicalUUIDConverter
