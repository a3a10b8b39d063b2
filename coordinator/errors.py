"""Error pages in Swedish; never a stack trace. A 500 rolls the session back."""
import logging

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import form_rescue
from .extensions import db
from .records import NotFound

log = logging.getLogger(__name__)

HANDLED = (400, 403, 404, 405, 413, 429, 500)


def _messages():
    return {
        400: (_("Felaktig begäran"), _("Begäran kunde inte behandlas. Gå tillbaka, ladda om sidan och försök igen.")),
        403: (_("Åtkomst nekad"), _("Du har inte behörighet till den här sidan.")),
        404: (_("Sidan finns inte"), _("Sidan du söker finns inte, eller så har du inte tillgång till den.")),
        405: (_("Otillåten metod"), _("Sidan kan inte användas på det sättet.")),
        413: (_("För mycket data"), _("Det du skickade var för stort. Korta texten och försök igen.")),
        429: (_("För många försök"), _("Du har gjort för många försök på kort tid. Vänta en stund och försök igen.")),
        500: (_("Något gick fel"), _("Ett oväntat fel uppstod och ingenting sparades. Försök igen om en stund.")),
    }


def render_error(code, message=None):
    messages = _messages()
    # Any other error code (e.g. 416 from a static file) gets the general page of its class.
    title, text = messages.get(code) or messages[500 if code >= 500 else 400]
    return render_template("errors/error.html", code=code, title=title, text=message or text), code


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        again = form_rescue.form_again() if form_rescue.keeps_text(request.endpoint) else None
        if again is not None:
            return again
        return render_error(
            400, _("Formuläret hade gått ut eller saknade sin säkerhetskod. Ladda om sidan och skicka igen.")
        )

    @app.errorhandler(NotFound)
    def record_not_found(error):
        """A service's "no such record, or not yours": the same 404 as an unknown address."""
        return render_error(404)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code in HANDLED or (error.code or 0) >= 400:
            if error.code >= 500:
                db.session.rollback()
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        # The type and place only: exception messages may quote data.
        log.error("unhandled %s at %s", type(error).__name__, request.endpoint, exc_info=_traceback_ok(app))
        return render_error(500)


def _traceback_ok(app):
    return app.config.get("LOG_TRACEBACKS", True)
