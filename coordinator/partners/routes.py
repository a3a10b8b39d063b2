"""The partner register (coordinator only): list, potential partners, a partner's page with
contacts and steps, import from a spreadsheet and export."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import render_error
from ..forms_common import ActionForm, blank_unreadable_and_say_so, save, show_error
from ..listing import page_number
from ..records import DomainError, blank_unreadable, form_input
from ..security import roles_required
from ..text_guard import confirmed_fields
from . import imports, services
from .choices import PARTNER_STATUSES
from .forms import ExportForm, FilterForm, ImportForm, PartnerContactForm, PartnerForm, StepForm
from .services import ContactInput, PartnerInput

bp = Blueprint("partners", __name__, url_prefix="/partners")


def _per_page():
    return current_app.config["CONSULTATIONS_PER_PAGE"]


@bp.route("/")
@roles_required("coordinator")
def index():
    filters = FilterForm(request.args)
    page = services.list_page(services.FILTERS.values(filters), page_number(request.args), _per_page())
    return render_template("partners/index.html", page=page, filters=filters,
                           filter_args=services.FILTERS.query_args(request.args), export_form=ExportForm())


@bp.route("/potential")
@roles_required("coordinator")
def potential():
    page, prospects = services.prospects_page(current_user, page_number(request.args), _per_page())
    return render_template("partners/potential.html", page=page, prospects=prospects)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("coordinator")
def new():
    form = PartnerForm()
    if not form.is_submitted() and request.args.get("status") in PARTNER_STATUSES:
        form.status.data = request.args["status"]
    done = save(form, lambda: services.create_partner(current_user, _input(form)),
                _("Samverkanspartnern är sparad."), _detail_url)
    return done or render_template("partners/form.html", form=form, partner=None)


def _input(form):
    return form_input(PartnerInput, form, confirmed_fields=confirmed_fields(form))


def _detail_url(partner, anchor=""):
    return url_for("partners.detail", partner_uuid=partner.uuid) + anchor


@bp.route("/<uuid:partner_uuid>")
@roles_required("coordinator")
def detail(partner_uuid):
    partner = services.get_partner(partner_uuid)
    return _detail_page(partner)


def _detail_page(partner, contact_form=None, step_form=None):
    """The partner's page (shown again with what was typed when a form on it is refused)."""
    if step_form is None:
        step_form = StepForm(formdata=None)
    view = services.partner_page(current_user, partner)
    return render_template(
        "partners/detail.html", view=view, timeline=services.timeline(view),
        contact_form=contact_form or PartnerContactForm(formdata=None), step_form=step_form, action_form=ActionForm(),
    )


@bp.route("/<uuid:partner_uuid>/edit", methods=["GET", "POST"])
@roles_required("coordinator")
def edit(partner_uuid):
    partner = services.get_partner(partner_uuid)
    form = PartnerForm(obj=partner)
    if not form.is_submitted():
        blank_unreadable_and_say_so(form, partner)
    done = save(form, lambda: services.update_partner(current_user, partner, _input(form)),
                _("Ändringarna är sparade."), lambda _changed: _detail_url(partner))
    return done or render_template("partners/form.html", form=form, partner=partner)


@bp.route("/<uuid:partner_uuid>/contacts", methods=["POST"])
@roles_required("coordinator")
def add_contact(partner_uuid):
    partner = services.get_partner(partner_uuid)
    form = PartnerContactForm()
    done = save(form, lambda: services.add_contact(current_user, partner, form_input(ContactInput, form)),
                _("Kontaktpersonen är sparad."), lambda _contact: _detail_url(partner, "#kontaktpersoner"))
    return done or _detail_page(partner, contact_form=form)


@bp.route("/<uuid:partner_uuid>/contacts/<uuid:contact_uuid>", methods=["GET", "POST"])
@roles_required("coordinator")
def edit_contact(partner_uuid, contact_uuid):
    partner = services.get_partner(partner_uuid)
    contact = services.get_contact(partner, contact_uuid)
    form = PartnerContactForm(obj=contact)
    if not form.is_submitted():
        services.record_contact_read(current_user, partner)
        blank_unreadable(form, contact)
    done = save(form, lambda: services.update_contact(current_user, contact, form_input(ContactInput, form)),
                _("Kontaktpersonen är ändrad."), lambda _changed: _detail_url(partner, "#kontaktpersoner"))
    return done or render_template("partners/contact_form.html", form=form, partner=partner, contact=contact,
                           action_form=ActionForm())


@bp.route("/<uuid:partner_uuid>/contacts/<uuid:contact_uuid>/remove", methods=["POST"])
@roles_required("coordinator")
def remove_contact(partner_uuid, contact_uuid):
    partner = services.get_partner(partner_uuid)
    contact = services.get_contact(partner, contact_uuid)
    if ActionForm().validate_on_submit():
        services.remove_contact(current_user, contact)
        flash(_("Kontaktpersonen är borttagen."), "success")
    else:
        flash(_("Formuläret hade gått ut. Försök igen."), "error")
    return redirect(url_for("partners.detail", partner_uuid=partner.uuid) + "#kontaktpersoner")


@bp.route("/<uuid:partner_uuid>/steps", methods=["POST"])
@roles_required("coordinator")
def add_step(partner_uuid):
    partner = services.get_partner(partner_uuid)
    form = StepForm()
    done = save(form, lambda: services.add_step(current_user, partner, form.taken_on.data, form.summary.data,
                                                confirmed_fields(form)),
                _("Steget är sparat."), lambda _step: _detail_url(partner, "#steg"))
    return done or _detail_page(partner, step_form=form)


# Import and export ----------------------------------------------------------------------

@bp.route("/import", methods=["GET", "POST"])
@roles_required("coordinator")
def import_upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload = request.files.get(form.file.name)
        try:
            pending = imports.preview(current_user, upload.read(imports.MAX_BYTES + 1) if upload and upload.filename else None)
        except DomainError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("partners.import_preview", import_uuid=pending.uuid))
    return render_template("partners/import.html", form=form)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    """A file over the request limit: the upload form again, with the limit in Swedish."""
    if request.endpoint != "partners.import_upload" or not (
            current_user.is_authenticated and current_user.has_role("coordinator")):
        return render_error(413)
    form = ImportForm(formdata=None)
    form.file.errors = [_("Filen är för stor. Den får vara högst %(mb)s MB.", mb=imports.MAX_BYTES // (1024 * 1024))]
    return render_template("partners/import.html", form=form), 413


@bp.route("/import/<uuid:import_uuid>", methods=["GET", "POST"])
@roles_required("coordinator")
def import_preview(import_uuid):
    pending = imports.get_pending(current_user, import_uuid)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            result = imports.confirm(current_user, pending)
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Importen är klar: %(partners)s, %(contacts)s.",
                    partners=ngettext("%(num)s ny samverkanspartner", "%(num)s nya samverkanspartner",
                                      result.partners_created),
                    contacts=ngettext("%(num)s ny kontaktperson", "%(num)s nya kontaktpersoner",
                                      result.contacts_added)), "success")
            return redirect(url_for("partners.index"))
    return render_template("partners/import_preview.html", pending=pending, report=imports.report(pending),
                           form=form)


@bp.route("/export", methods=["POST"])
@roles_required("coordinator")
def export():
    """POST with CSRF: an export is an audited read, never a link that something could follow."""
    form = ExportForm()
    if not form.validate_on_submit():
        flash(_("Formuläret hade gått ut. Försök igen."), "error")
        return redirect(url_for("partners.index"))
    body = imports.export_register(current_user, with_contacts=form.with_contacts.data)
    filename = "samverkanspartner-med-kontakter.csv" if form.with_contacts.data else "samverkanspartner.csv"
    return current_app.response_class(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
    })
