"""Initiatives (satsningar), the coordinator's work streams: the list, a new one, an
initiative's page with its progress log and activities, and the edit form. Coordinator only."""
from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms_common import blank_unreadable_and_say_so, save
from ..partners import services as partner_services
from ..records import form_input
from ..security import roles_required
from ..text_guard import confirmed_fields
from . import services
from .forms import FilterForm, InitiativeForm, NoteForm
from .services import InitiativeInput

bp = Blueprint("initiatives", __name__, url_prefix="/initiatives")

DEFAULT_PER_PAGE = 25


def _per_page():
    return current_app.config.get("INITIATIVES_PER_PAGE", DEFAULT_PER_PAGE)


def _cursor_args():
    """The keyset cursor of a list page, as typed (a malformed one starts the list over)."""
    return {name: request.args.get(name, type=str) for name in ("after", "before")}


def _offer_partners(form, initiative=None):
    """The register's partners as the form's choices (those already chosen always among them)."""
    chosen = [p.id for p in initiative.partners] if initiative is not None else []
    form.partners.offer(partner_services.choices(include_ids=chosen))


@bp.route("/")
@roles_required("coordinator")
def index():
    filters = FilterForm(request.args)
    filters.partner.offer(partner_services.choices(), blank=_("Alla"))
    page, total = services.list_page(current_user, services.FILTERS.values(filters), _per_page(), **_cursor_args())
    return render_template("initiatives/index.html", page=page, total=total, filters=filters,
                           filter_args=services.FILTERS.query_args(request.args))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new():
    form = InitiativeForm()
    _offer_partners(form)
    done = save(form, lambda: services.create_initiative(current_user, _input(form)),
                _("Satsningen är sparad."), _detail_url)
    return done or render_template("initiatives/form.html", form=form, initiative=None)


def _input(form):
    return form_input(InitiativeInput, form, confirmed_fields=confirmed_fields(form))


def _detail_url(initiative, anchor=""):
    return url_for("initiatives.detail", initiative_uuid=initiative.uuid) + anchor


@bp.route("/<uuid:initiative_uuid>")
@roles_required("coordinator")
def detail(initiative_uuid):
    return _detail_page(services.get_initiative(initiative_uuid))


def _detail_page(initiative, note_form=None):
    """The initiative's page (shown again, with what was typed, when a note is refused)."""
    return render_template("initiatives/detail.html", view=services.detail(current_user, initiative),
                           note_form=note_form or NoteForm(formdata=None))


@bp.route("/<uuid:initiative_uuid>/notes", methods=["POST"])
@roles_required("coordinator")
def add_note(initiative_uuid):
    initiative = services.get_initiative(initiative_uuid)
    form = NoteForm()
    done = save(form, lambda: services.add_note(current_user, initiative, form.noted_on.data, form.note.data,
                                                form.bulletin_line.data, confirmed_fields(form)),
                _("Anteckningen är sparad."), lambda _note: _detail_url(initiative, "#lagesrapporter"))
    return done or _detail_page(initiative, note_form=form)


@bp.route("/<uuid:initiative_uuid>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit(initiative_uuid):
    initiative = services.get_initiative(initiative_uuid)
    form = InitiativeForm(obj=initiative)
    _offer_partners(form, initiative)
    if not form.is_submitted():
        services.open_for_edit(current_user, initiative)
        form.partners.data = [str(p.uuid) for p in initiative.partners]
        blank_unreadable_and_say_so(form, initiative)
    done = save(form, lambda: services.update_initiative(current_user, initiative, _input(form)),
                _("Ändringarna är sparade."), lambda _changed: _detail_url(initiative))
    return done or render_template("initiatives/form.html", form=form, initiative=initiative)
