"""What retention erases soon, for the coordinator, and keeping a case open."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..consultations import services as consultations
from ..forms_common import ActionForm
from ..records import DomainError
from ..security import roles_required
from . import services

bp = Blueprint("retention", __name__, url_prefix="/retention")


@bp.route("/")
@roles_required("coordinator")
def due():
    rows, total = services.due_soon()
    return render_template("retention/due.html", rows=rows, total=total, erased_on=services.erased_on,
                           action_form=ActionForm())


@bp.route("/<uuid:consultation_uuid>/keep-open", methods=["POST"])
@roles_required("coordinator")
def keep_open(consultation_uuid):
    consultation = consultations.get_visible(current_user, consultation_uuid)
    if not ActionForm().validate_on_submit():
        flash(_("Formuläret hade gått ut. Försök igen."), "error")
        return redirect(url_for("retention.due"))
    try:
        services.keep_open(current_user, consultation)
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Rådfrågning nr %(n)s är öppnad igen och gallras inte nu.", n=consultation.number), "success")
    return redirect(url_for("retention.due"))
