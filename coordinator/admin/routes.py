from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import notifications
from ..auth import grants, two_factor
from ..auth import services as accounts
from ..auth.forms import UserForm
from ..forms_common import ActionForm, show_error
from ..links import absolute_url
from ..listing import page_number, paginate
from ..roles import ROLES
from ..security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user_or_404(user_uuid):
    user = accounts.find_user_by_uuid(user_uuid)
    if user is None:
        abort(404)
    return user


def _deliver_link(user, token, new_account):
    """The activation link: shown here only for an account that cannot read case content;
    otherwise sent to the account's own e-mail, or left to the server's command line."""
    hours = current_app.config["ACTIVATION_VALID_HOURS"]
    url = absolute_url("auth.activation_link", token=token)
    page = partial(render_template, "admin/activation_link.html", user=user, hours=hours,
                   pending=[ROLES.label(r) for r in ROLES if r in grants.pending_roles(user)])
    if accounts.link_shown_in_browser(user):
        if not new_account:
            notifications.tell_account_holder(user, _("en ny aktiveringslänk har skapats; tidigare länkar gäller inte längre."))
        return page(link=url, delivery="shown")
    if notifications.enabled():
        notifications.send_activation_link(user, url, hours)
        return page(delivery="mailed")
    return page(delivery="withheld")


USERS_PER_PAGE = 50


@bp.route("/users")
@roles_required("admin")
def users():
    page = paginate(accounts.users_query(), page_number(request.args), USERS_PER_PAGE)
    return render_template("admin/users.html", users=page.items, page=page, action_form=ActionForm())


@bp.route("/users/<uuid:user_uuid>/deactivate/confirm")
@roles_required("admin")
def confirm_deactivation(user_uuid):
    user = _user_or_404(user_uuid)
    return render_template("admin/confirm_deactivation.html", user=user, action_form=ActionForm())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def create_user():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user, token = accounts.create_user(
                form.email.data, form.display_name.data, form.roles.data, form.unit.data, actor=current_user
            )
        except accounts.PolicyError as exc:
            show_error(form, exc)
        else:
            return _deliver_link(user, token, new_account=True)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<uuid:user_uuid>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_uuid):
    user = _user_or_404(user_uuid)
    form = UserForm(obj=user)
    form.email.data = user.email  # the e-mail is the login name; it is not edited here
    if not form.is_submitted():
        form.roles.data = sorted(user.role_set | grants.pending_roles(user))
    if form.validate_on_submit():
        try:
            accounts.update_user(user, display_name=form.display_name.data, roles=form.roles.data,
                                 unit=form.unit.data, actor=current_user)
        except accounts.PolicyError as exc:
            show_error(form, exc)
        else:
            flash(_("Kontot är uppdaterat."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, action_form=ActionForm(),
                           pending=[ROLES.label(r) for r in ROLES if r in grants.pending_roles(user)])


def _post_action(user_uuid, operation, message):
    user = _user_or_404(user_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        operation(user)
    except accounts.PolicyError as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<uuid:user_uuid>/deactivate", methods=["POST"])
@roles_required("admin")
def deactivate_user(user_uuid):
    return _post_action(user_uuid, lambda u: accounts.deactivate_user(u, actor=current_user),
                        _("Kontot är inaktiverat och alla dess sessioner är avslutade."))


@bp.route("/users/<uuid:user_uuid>/reactivate", methods=["POST"])
@roles_required("admin")
def reactivate_user(user_uuid):
    return _post_action(user_uuid, lambda u: accounts.reactivate_user(u, actor=current_user),
                        _("Kontot är aktiverat igen."))


@bp.route("/users/<uuid:user_uuid>/end-sessions", methods=["POST"])
@roles_required("admin")
def end_sessions(user_uuid):
    return _post_action(
        user_uuid,
        lambda u: accounts.end_sessions(u, reason="admin", actor=current_user),
        _("Användarens alla sessioner är avslutade."),
    )


@bp.route("/users/<uuid:user_uuid>/two-factor/reset", methods=["POST"])
@roles_required("admin")
def reset_two_factor(user_uuid):
    """For a user who lost both the app and the recovery codes: they set it up again at their
    next login (an admin never chooses a user's password or second factor)."""
    def reset(user):
        if user.id == current_user.id:
            raise accounts.PolicyError(_("Du kan inte återställa din egen tvåstegsverifiering. Be en annan administratör."))
        two_factor.reset_by_admin(user, actor=current_user)

    return _post_action(user_uuid, reset, _("Tvåstegsverifieringen är återställd; användaren ställer in den igen vid nästa inloggning."))


@bp.route("/users/<uuid:user_uuid>/activation-link", methods=["POST"])
@roles_required("admin")
def new_activation_link(user_uuid):
    user = _user_or_404(user_uuid)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = accounts.issue_activation(user, actor=current_user)
    return _deliver_link(user, token, new_account=False)
