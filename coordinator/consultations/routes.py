from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import notifications
from ..database import local_today
from ..forms_common import show_error
from ..partners import services as partners
from ..records import DomainError, blank_unreadable, form_input
from ..retention import services as retention
from ..security import roles_required
from ..text_guard import confirmed_fields
from . import choices, services
from .forms import AnswerForm, ConsultationForm, FilterForm, LogForm, MessageForm, RequestForm, SearchForm, StatusForm
from .services import CaseInput

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

# Officers -------------------------------------------------------------------------

@bp.route("/request", methods=["GET", "POST"])
@roles_required("officer")
def request_advice():
    form = RequestForm()
    if not form.is_submitted():
        form.sector.data = choices.sector_for_unit(current_user.unit)
    if form.validate_on_submit():
        try:
            consultation = services.request_advice(
                current_user, form_input(CaseInput, form, confirmed_fields=confirmed_fields(form)))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Din rådfrågning är skickad till samordnaren."), "success")
            if consultation.is_urgent:
                flash(_("Du har markerat den som akut. Om någon är i fara nu: ring 112, och kontakta "
                        "socialtjänstens jour utanför kontorstid. Samordnaren svarar så snart som möjligt."), "info")
            elif notifications.enabled():
                flash(_("Du får ett e-postmeddelande när svaret finns."), "info")
            return redirect(url_for("consultations.detail", consultation_uuid=consultation.uuid))
    return render_template("consultations/request.html", form=form, mail_enabled=notifications.enabled())


@bp.route("/mine")
@roles_required("officer")
def mine():
    per_page = current_app.config["CONSULTATIONS_PER_PAGE"]
    page, total = services.officer_page(current_user, per_page, **_cursor_args())
    return render_template("consultations/mine.html", page=page, total=total)


def _cursor_args():
    """The keyset cursor of a list page, as typed (a malformed one starts the list over)."""
    return {name: request.args.get(name, type=str) for name in ("after", "before")}


# Both -------------------------------------------------------------------------------

@bp.route("/<uuid:consultation_uuid>")
@roles_required("officer", "coordinator")
def detail(consultation_uuid):
    consultation = services.get_visible(current_user, consultation_uuid)
    return _detail_page(consultation)


def _detail_page(consultation, message_form=None, answer_form=None):
    """The consultation page (also shown again, with what was typed, when a form on it is refused)."""
    services.open_detail(current_user, consultation)
    is_coordinator = services.is_coordinator(current_user)
    if answer_form is None and is_coordinator and consultation.requested_by_id:
        answer_form = AnswerForm(formdata=None, advice=consultation.advice or "",
                                 edit_version=consultation.edit_version)
        blank_unreadable(answer_form, consultation)
    return render_template(
        "consultations/detail.html", consultation=consultation, message_form=message_form or MessageForm(),
        answer_form=answer_form, status_form=StatusForm(status=consultation.status), is_coordinator=is_coordinator,
        erased_on=retention.erased_on(consultation),
    )


@bp.route("/<uuid:consultation_uuid>/messages", methods=["POST"])
@roles_required("officer", "coordinator")
def add_message(consultation_uuid):
    consultation = services.get_visible(current_user, consultation_uuid)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            services.add_message(current_user, consultation, form.body.data, confirmed_fields(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Meddelandet är skickat."), "success")
            return redirect(url_for("consultations.detail", consultation_uuid=consultation.uuid) + "#meddelanden")
    return _detail_page(consultation, message_form=form)


@bp.route("/<uuid:consultation_uuid>/answer", methods=["POST"])
@roles_required("coordinator")
def answer(consultation_uuid):
    consultation = services.get_visible(current_user, consultation_uuid)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.answer(current_user, consultation, form.advice.data, form.message.data or None,
                            form.edit_version.data, confirmed_fields(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Svaret är skickat till handläggaren."), "success")
            return redirect(url_for("consultations.detail", consultation_uuid=consultation.uuid))
    return _detail_page(consultation, answer_form=form)


# The coordinator ----------------------------------------------------------------------

@bp.route("/")
@roles_required("coordinator")
def index():
    filters = FilterForm(request.args)
    per_page = current_app.config["CONSULTATIONS_PER_PAGE"]
    page, total = services.list_page(services.FILTERS.values(filters), per_page, **_cursor_args())
    return render_template("consultations/index.html", page=page, total=total, filters=filters,
                           filter_args=services.FILTERS.query_args(request.args), search_form=SearchForm())


@bp.route("/search", methods=["POST"])
@roles_required("coordinator")
def search():
    """POST, so that what is searched for never appears in a URL or an access log."""
    form = SearchForm()
    filters = FilterForm(request.args)
    result = None
    if form.validate_on_submit():
        result = services.search(current_user, form.query.data, services.FILTERS.values(filters))
    return render_template("consultations/search.html", form=form, result=result, filters=filters,
                           filter_args=services.FILTERS.query_args(request.args))


def _with_partner_choices(form, consultation=None):
    """The coordinator's form offers the register's partners for the referral."""
    include = [consultation.referred_to_partner_id] if consultation and consultation.referred_to_partner_id else []
    form.referred_to_partner.offer(partners.choices(include_ids=include), blank=_("Ingen"))
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new():
    form = _with_partner_choices(LogForm())
    if form.validate_on_submit():
        try:
            consultation = services.log_consultation(current_user, form_input(CaseInput, form, confirmed_fields=confirmed_fields(form)))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Rådfrågningen är sparad."), "success")
            return redirect(url_for("consultations.detail", consultation_uuid=consultation.uuid))
    elif not form.is_submitted():
        form.received_on.data = local_today()
    return render_template("consultations/form.html", form=form, consultation=None)


@bp.route("/<uuid:consultation_uuid>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit(consultation_uuid):
    consultation = services.get_visible(current_user, consultation_uuid)
    form = _with_partner_choices(ConsultationForm(obj=consultation), consultation)
    if not form.is_submitted():
        services.open_detail(current_user, consultation)
        form.follows_up_number.data = consultation.follows_up_id
        form.referred_to_partner.data = str(consultation.referred_to_partner.uuid) if consultation.referred_to_partner else ""
        form.vbe_milieu.data = consultation.vbe_milieu or ""
        if blank_unreadable(form, consultation):
            flash(_("En text i rådfrågningen kan inte visas och har lämnats tom. Skriv den på nytt "
                    "eller lämna den tom."), "error")
    if form.validate_on_submit():
        try:
            services.update_consultation(current_user, consultation, form_input(CaseInput, form, confirmed_fields=confirmed_fields(form)))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Ändringarna är sparade."), "success")
            return redirect(url_for("consultations.detail", consultation_uuid=consultation.uuid))
    return render_template("consultations/form.html", form=form, consultation=consultation)


@bp.route("/<uuid:consultation_uuid>/status", methods=["POST"])
@roles_required("coordinator")
def change_status(consultation_uuid):
    consultation = services.get_visible(current_user, consultation_uuid)
    form = StatusForm()
    if form.validate_on_submit():
        services.change_status(current_user, consultation, form.status.data)
        flash(_("Status är ändrad till %(status)s.", status=choices.STATUSES.label(form.status.data)), "success")
    else:
        flash(_("Välj en giltig status."), "error")
    return redirect(url_for("consultations.detail", consultation_uuid=consultation.uuid))
