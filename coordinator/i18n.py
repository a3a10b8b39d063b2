"""Translation lookups that cost nothing per cell.

Flask-Babel finds the request's translations on every call (a handful of context
lookups); a list page calls gettext hundreds of times for the same few strings. The
locale is read once per request and each translated string is kept per locale
(the catalogues do not change while the process runs).
"""
from flask import g, has_request_context
from flask_babel import get_locale, get_translations

_TEXTS = {}


def ui_locale():
    """The locale of the current request, as a string, looked up once per request."""
    if not has_request_context():
        return str(get_locale())
    locale = g.get("_ui_locale")
    if locale is None:
        locale = g._ui_locale = str(get_locale())
    return locale


def cached_gettext(string):
    key = (ui_locale(), string)
    text = _TEXTS.get(key)
    if text is None:
        text = _TEXTS[key] = get_translations().ugettext(string)
    return text


def init_app(app):
    """Templates translate through the cache (Jinja's newstyle gettext formats afterwards)."""
    app.jinja_env.install_gettext_callables(
        gettext=cached_gettext,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
