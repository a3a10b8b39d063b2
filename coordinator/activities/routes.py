"""Activities (coordinator only): the list, the month view, a form for trainings and
meetings alike, marking done or cancelled."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..database import local_today
from ..forms_common import ActionForm, blank_unreadable_and_say_so, save
from ..partners import services as partners
from ..records import DomainError, form_input
from ..security import roles_required
from ..text_guard import confirmed_fields
from . import services
from .forms import ActivityForm, DoneForm, FilterForm
from .services import ActivityInput, DoneInput

bp = Blueprint("activities", __name__, url_prefix="/activities")


def _cursor_args():
    return {name: request.args.get(name, type=str) for name in ("after", "before")}


def _filter_form():
    form = FilterForm(request.args)
    form.partner.offer(partners.choices(), blank=_("Alla"))
    return form


@bp.route("/")
@roles_required("coordinator")
def index():
    filters = _filter_form()
    page, total = services.list_page(services.FILTERS.values(filters), current_app.config["CONSULTATIONS_PER_PAGE"],
                                     **_cursor_args())
    return render_template("activities/index.html", page=page, total=total, filters=filters,
                           filter_args=services.FILTERS.query_args(request.args))


@bp.route("/month")
@roles_required("coordinator")
def month():
    """?m=2018-11 (this month when absent or unreadable)."""
    try:
        day = date.fromisoformat((request.args.get("m") or "") + "-01")
    except ValueError:
        day = local_today()
    if not 2000 <= day.year <= 2100:
        day = local_today()
    return render_template("activities/month.html", month=services.month_view(day))


def _form(activity=None):
    form = ActivityForm(obj=activity)
    chosen = [p.id for p in activity.partners] if activity else []
    form.partners.offer(partners.choices(include_ids=chosen))
    form.initiative.offer(services.initiative_choices(include=activity.initiative if activity else None),
                          blank=_("Ingen"))
    return form


def _prefill(form, activity):
    """The edit form's fields that are not the model's own attributes."""
    form.partners.data = [str(p.uuid) for p in activity.partners]
    form.initiative.data = str(activity.initiative.uuid) if activity.initiative else ""
    form.held_on.data = activity.starts_on if activity.day_fixed else None
    form.month.data = None if activity.day_fixed else activity.starts_on
    form.audience_sector.data = activity.audience_sector or ""


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new():
    form = _form()
    if not form.is_submitted():
        partner = request.args.get("partner")
        if partner in {choice.value for choice in form.partners.choices}:
            form.partners.data = [partner]
        if request.args.get("kind") in services.choices.ACTIVITY_KINDS:
            form.kind.data = request.args["kind"]
    done = save(form, lambda: services.create_activity(current_user, _input(ActivityInput, form)),
                _("Aktiviteten är sparad."), _detail_url)
    return done or render_template("activities/form.html", form=form, activity=None)


def _input(cls, form):
    return form_input(cls, form, confirmed_fields=confirmed_fields(form))


def _detail_url(activity):
    return url_for("activities.detail", activity_uuid=activity.uuid)


@bp.route("/<uuid:activity_uuid>")
@roles_required("coordinator")
def detail(activity_uuid):
    activity = services.get_activity(activity_uuid)
    services.open_detail(current_user, activity)
    return render_template("activities/detail.html", activity=activity, action_form=ActionForm())


@bp.route("/<uuid:activity_uuid>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit(activity_uuid):
    activity = services.get_activity(activity_uuid)
    form = _form(activity)
    if not form.is_submitted():
        services.open_detail(current_user, activity)
        _prefill(form, activity)
        blank_unreadable_and_say_so(form, activity)
    done = save(form, lambda: services.update_activity(current_user, activity, _input(ActivityInput, form)),
                _("Ändringarna är sparade."), lambda _changed: _detail_url(activity))
    return done or render_template("activities/form.html", form=form, activity=activity)


@bp.route("/<uuid:activity_uuid>/done", methods=["GET", "POST"])
@roles_required("coordinator")
def done(activity_uuid):
    activity = services.get_activity(activity_uuid)
    form = DoneForm()
    if not form.is_submitted():
        services.open_detail(current_user, activity)
        form.held_on.data = activity.starts_on if activity.day_fixed and activity.starts_on <= local_today() else None
        form.participants.data = activity.participants
        form.bulletin_line.data = activity.bulletin_line or ""
        form.notes.data = activity.notes or ""
        blank_unreadable_and_say_so(form, activity)
    back = _back_to_start(request.args.get("next"))
    done = save(form, lambda: services.mark_done(current_user, activity, _input(DoneInput, form)),
                _("Aktiviteten är markerad som genomförd."), lambda _changed: back or _detail_url(activity))
    return done or render_template("activities/done.html", form=form, activity=activity)


@bp.route("/<uuid:activity_uuid>/cancel", methods=["POST"])
@roles_required("coordinator")
def cancel(activity_uuid):
    activity = services.get_activity(activity_uuid)
    if not ActionForm().validate_on_submit():
        flash(_("Formuläret hade gått ut. Försök igen."), "error")
    else:
        try:
            services.cancel(current_user, activity)
        except DomainError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Aktiviteten är inställd."), "success")
    return redirect(_back_to_start(request.form.get("next")) or url_for("activities.detail", activity_uuid=activity.uuid))


def _back_to_start(next_url):
    """Back to the start page when the action began there (no other address is followed)."""
    return next_url if next_url == url_for("home.coordinator") else None
