"""The audit trail for the admin: the list of events with filters, its CSV export, and the
monthly log review (loggkontroll). Codes and identifiers only, never case content; looking at
it is itself audited."""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..csv_files import stream_csv
from ..database import local_today
from ..forms_common import ActionForm
from ..security import roles_required
from . import review
from .forms import EventFilterForm, ReviewForm
from .services import record

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

EVENTS_PER_PAGE = 50


@bp.route("/")
@roles_required("admin")
def events():
    filters = EventFilterForm(request.args)
    values = review.FILTERS.values(filters)
    page, actors, total = review.events_page(values, EVENTS_PER_PAGE, after=request.args.get("after", type=str),
                                             before=request.args.get("before", type=str))
    record("audit.list", actor=current_user, object_type="audit_events")
    return render_template("audit/events.html", filters=filters, page=page, actors=actors, total=total,
                           filter_args=review.FILTERS.query_args(request.args), action_form=ActionForm())


@bp.route("/export", methods=["POST"])
@roles_required("admin")
def export():
    """The events the filters choose, as CSV (a POST: an export is an audited act)."""
    if not ActionForm().validate_on_submit():
        flash(_("Formuläret hade gått ut. Försök igen."), "error")
        return redirect(url_for("audit.events"))
    filters = EventFilterForm(request.args)
    if not filters.validate():
        flash(_("Filtret kunde inte användas; rätta det och exportera igen."), "error")
        return redirect(url_for("audit.events", **review.FILTERS.query_args(request.args)))
    values = review.FILTERS.values(filters)
    # Recorded with the request's commit, which comes before the body streams.
    record("audit.export", actor=current_user, object_type="audit_events")
    body = stream_with_context(stream_csv(review.EXPORT_HEADER, review.export_rows(values)))
    return current_app.response_class(body, mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="granskningslogg.csv"', "Cache-Control": "no-store"})


@bp.route("/review")
@roles_required("admin")
def log_review():
    """Per user and period: opens of case content, outside office hours, bursts, searches,
    cases opened without a connection. Printable."""
    form = ReviewForm(request.args)
    result = None
    if not request.args:
        last_month_end = local_today().replace(day=1) - timedelta(days=1)
        form.date_from.data, form.date_to.data = last_month_end.replace(day=1), last_month_end
    elif form.validate():
        result = review.review(form.date_from.data, form.date_to.data)
        record("audit.review", actor=current_user, object_type="audit_events")
    return render_template("audit/review.html", form=form, result=result)
