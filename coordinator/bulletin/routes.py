"""The bulletin (coordinator and editor; never a case on any of these pages)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms_common import ActionForm, save
from ..listing import page_number
from ..records import DomainError
from ..request_cycle import refuse_changes
from ..security import roles_required
from . import services
from .choices import FORMATS
from .forms import BodyForm, PeriodForm

bp = Blueprint("bulletin", __name__, url_prefix="/bulletin")


def _detail_url(bulletin):
    return url_for("bulletin.detail", bulletin_uuid=bulletin.uuid)


@bp.route("/")
@roles_required("coordinator", "editor")
def index():
    page = services.list_page(page_number(request.args), current_app.config["CONSULTATIONS_PER_PAGE"])
    return render_template("bulletin/index.html", page=page, period_form=PeriodForm(formdata=None),
                           periods=services.suggested_periods())


@bp.route("/new", methods=["POST"])
@roles_required("coordinator")
def new():
    form = PeriodForm()
    periods = services.suggested_periods()

    def create():
        if form.choice.data == "custom":
            period = services.check_period(form.start.data, form.end.data)
        elif form.choice.data in periods:
            period = periods[form.choice.data]
        else:
            raise services.BulletinError(_("Det finns inget fastställt nyhetsbrev än. Välj en annan period."),
                                         field="choice")
        return services.create_draft(current_user, period)

    done = save(form, create, _("Utkastet är skapat ur registret."), _detail_url)
    if done:
        return done
    page = services.list_page(1, current_app.config["CONSULTATIONS_PER_PAGE"])
    return render_template("bulletin/index.html", page=page, period_form=form, periods=periods)


@bp.route("/<uuid:bulletin_uuid>")
@roles_required("coordinator", "editor")
def detail(bulletin_uuid):
    return _detail_page(services.get_bulletin(bulletin_uuid))


def _detail_page(bulletin, body_form=None):
    built = None if bulletin.is_fixed else services.build_section(services.period_of(bulletin), bulletin.id)
    if body_form is None:
        body_form = BodyForm(formdata=None, body=bulletin.body, edit_version=bulletin.edit_version)
    return render_template("bulletin/detail.html", bulletin=bulletin, section=built, body_form=body_form,
                           action_form=ActionForm(), formats=FORMATS, history=services.history(bulletin),
                           period_text=services.period_text(services.period_of(bulletin)))


@bp.route("/<uuid:bulletin_uuid>/text", methods=["POST"])
@roles_required("coordinator")
def save_text(bulletin_uuid):
    bulletin = services.get_bulletin(bulletin_uuid)
    form = BodyForm()
    done = save(form, lambda: services.save_body(current_user, bulletin, form.body.data, form.edit_version.data),
                _("Texten är sparad."), lambda _changed: _detail_url(bulletin))
    return done or _detail_page(bulletin, body_form=form)


def _step(bulletin_uuid, step, message):
    bulletin = services.get_bulletin(bulletin_uuid)
    if not ActionForm().validate_on_submit():
        flash(_("Formuläret hade gått ut. Försök igen."), "error")
        return redirect(_detail_url(bulletin))
    try:
        result = step(current_user, bulletin)
    except DomainError as exc:
        refuse_changes()  # nothing the refused step changed is saved
        flash(str(exc), "error")
        return redirect(_detail_url(bulletin))
    flash(message, "success")
    return redirect(_detail_url(result if result is not None else bulletin))


@bp.route("/<uuid:bulletin_uuid>/regenerate", methods=["POST"])
@roles_required("coordinator")
def regenerate(bulletin_uuid):
    return _step(bulletin_uuid, services.regenerate, _("Texten och siffrorna är hämtade på nytt ur registret."))


@bp.route("/<uuid:bulletin_uuid>/propose", methods=["POST"])
@roles_required("coordinator")
def propose(bulletin_uuid):
    return _step(bulletin_uuid, services.propose, _("Utkastet är skickat till redaktören för fastställande."))


@bp.route("/<uuid:bulletin_uuid>/return", methods=["POST"])
@roles_required("editor")
def return_to_draft(bulletin_uuid):
    return _step(bulletin_uuid, services.return_to_draft, _("Utkastet är skickat tillbaka till samordnaren."))


@bp.route("/<uuid:bulletin_uuid>/fix", methods=["POST"])
@roles_required("editor")
def fix(bulletin_uuid):
    return _step(bulletin_uuid, services.fix, _("Nyhetsbrevet är fastställt."))


@bp.route("/<uuid:bulletin_uuid>/new-version", methods=["POST"])
@roles_required("coordinator")
def new_version(bulletin_uuid):
    return _step(bulletin_uuid, services.new_version, _("En ny version är skapad som utkast."))


@bp.route("/<uuid:bulletin_uuid>/export.<fmt>")
@roles_required("coordinator", "editor")
def export(bulletin_uuid, fmt):
    bulletin = services.get_bulletin(bulletin_uuid)
    body, mimetype, name = services.export(current_user, bulletin, fmt)
    return current_app.response_class(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
