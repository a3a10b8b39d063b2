"""Long texts survive an expired form.

A coordinator on a long phone call, or an officer writing a careful description, may
find the form refused when it is finally sent: the CSRF token has expired, or the
session has ended. Nothing typed may be lost:

* a refused token, for a user still logged in: the same page again, with everything
  typed and the Swedish explanation in the error summary (the view runs once more;
  its form does not validate without a good token, so nothing is saved);
* an ended session: a page (401) showing the typed texts to copy before logging in again.

Only the forms that carry long texts are listed; every other refused form gets the
ordinary error page.
"""
from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

# endpoint -> the free-text fields worth keeping, with their labels
ENDPOINTS = {
    "consultations.request_advice": {"situation": _l("Beskriv situationen")},
    "consultations.new": {"situation": _l("Beskriv situationen"), "advice": _l("Råd som getts")},
    "consultations.edit": {"situation": _l("Beskriv situationen"), "advice": _l("Råd som getts")},
    "consultations.add_message": {"body": _l("Meddelande")},
    "consultations.answer": {"advice": _l("Ditt svar (rådet)"), "message": _l("Meddelande i tråden")},
}


def keeps_text(endpoint):
    return request.method == "POST" and endpoint in ENDPOINTS


def form_again():
    """After a refused CSRF token: the page again with what was typed, if the user is logged
    in and may see it; None otherwise (the ordinary refusal)."""
    from .security import guard

    if not current_user.is_authenticated or guard() is not None:
        return None
    view = current_app.view_functions[request.endpoint]
    return view(**(request.view_args or {}))


def typed_texts_page():
    """What was typed, to copy, when the session ended before the form was sent."""
    fields = ENDPOINTS.get(request.endpoint, {})
    texts = [(label, request.form.get(name, "")) for name, label in fields.items() if request.form.get(name)]
    return render_template("errors/form_expired.html", texts=texts), 401
