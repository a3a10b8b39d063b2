import time
import uuid
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from .. import form_rescue
from ..audit.services import record
from ..extensions import login_manager
from ..forms_common import ActionForm, show_error
from ..records import DomainError, NotFound
from ..request_cycle import keep_changes_despite_status
from ..roles import ROLES
from ..security import login_required_any, public, roles_required
from . import grants, services, throttling, two_factor
from .forms import (
    ActivationForm,
    ChangePasswordForm,
    ContactForm,
    LoginForm,
    PasswordAgainForm,
    SecondFactorForm,
    TwoFactorSetupForm,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")

SESSION_KEY = "sid"


@login_manager.user_loader
def load_user(user_id):
    row = services.resolve_session(session.get(SESSION_KEY))
    if row is None or str(row.user.uuid) != user_id:
        g.session_ended = SESSION_KEY in session
        return None
    g.auth_session = row
    return row.user


@login_manager.unauthorized_handler
def unauthorized():
    if g.get("session_ended") and form_rescue.keeps_text(request.endpoint):
        session.clear()
        return form_rescue.typed_texts_page()
    if g.get("session_ended"):
        session.clear()
        flash(_("Din session har avslutats. Logga in igen."), "info")
    else:
        flash(_("Logga in för att fortsätta."), "info")
    # Come back only to a page that can be shown: not to a POST-only action
    # (e.g. logging out after the session ended), which would answer 405.
    rule = request.url_rule
    target = request.full_path if rule is not None and "GET" in (rule.methods or ()) else None
    return redirect(url_for("auth.login", next=_safe_next(target)))


def _safe_next(target):
    """Only a local path; anything else (another host, a scheme) becomes None.

    Control characters and whitespace are refused too: browsers drop tabs and
    newlines from a URL, so "/<tab>/evil.example" would become "//evil.example".
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.rstrip("?") or None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        try:
            throttling.before_login(email, request.remote_addr)
        except throttling.Throttled:
            services.record_throttled_login(email)
            keep_changes_despite_status()  # the refusal itself is evidence worth keeping
            return login_throttled(form)
        try:
            user = services.authenticate(email, form.password.data)
        except services.LoginFailed as exc:
            throttling.after_failed_login(email, request.remote_addr)
            error = str(exc)
        else:
            throttling.after_successful_login(email, request.remote_addr)
            target = _safe_next(request.args.get("next"))
            session.clear()  # a new session id at every login
            if two_factor.enrolled(user):
                # The password was right; the login waits for the code (not yet a session).
                session[PENDING_KEY] = {"user": str(user.uuid), "at": time.time(), "next": target}
                return redirect(url_for("auth.two_factor_login"))
            return _logged_in(user, target)
    form.password.data = None
    return render_template("auth/login.html", form=form, error=error)


def _logged_in(user, target):
    session[SESSION_KEY] = services.start_session(user, request.remote_addr)
    login_user(user)
    return redirect(target or url_for("home.index"))


PENDING_KEY = "second_factor_pending"


def _pending_user():
    """The user whose password was right a moment ago, waiting for the code; or None."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        return None
    user = services.find_user_by_uuid(_uuid_or_none(pending.get("user")))
    if user is None or not user.active or not two_factor.enrolled(user):
        return None
    return user


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@bp.route("/two-factor", methods=["GET", "POST"])
@public
def two_factor_login():
    """The second step of a login: the code from the app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Logga in igen: koden måste fyllas i inom fem minuter efter lösenordet."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            throttling.before_second_factor(user.id)
        except throttling.Throttled:
            record("auth.two_factor_failed", actor=user, obj=user, detail="throttled")
            keep_changes_despite_status()
            form.code.errors = [_("För många felaktiga koder. Vänta 15 minuter och logga in igen.")]
            form.code.data = None
            return render_template("auth/two_factor_login.html", form=form), 429
        proof = two_factor.check(user, form.code.data)
        if proof is not None:
            throttling.after_second_factor(user.id)  # before this request writes (SQLite: one writer)
        if proof is not None and two_factor.claim(user, proof):
            target = session.get(PENDING_KEY, {}).get("next")
            session.clear()
            return _logged_in(user, _safe_next(target))
        record("auth.two_factor_failed", actor=user, obj=user, detail="wrong_code")
        form.code.errors = [_("Koden stämmer inte eller är redan använd. Vänta på nästa kod i appen och försök igen.")]
    form.code.data = None
    return render_template("auth/two_factor_login.html", form=form)


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@login_required_any
def two_factor_setup():
    """Set up (or replace) the second factor: scan the QR code, confirm with a code and the
    password; the recovery codes are shown once."""
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(current_user, form.password.data, form.code.data)
        except two_factor.TwoFactorError as exc:
            show_error(form, exc)
        else:
            return render_template("auth/recovery_codes.html", codes=codes, first=True)
    form.password.data = None
    secret = two_factor.begin_enrolment(current_user)
    return render_template("auth/two_factor_setup.html", form=form, secret=secret,
                           qr=Markup(two_factor.qr_svg(current_user, secret)),
                           required=two_factor.required_for(current_user))


def _with_password_again(prefix, missing, operation):
    """The account page's small forms that ask for the password again: run ``operation``
    (the refusal flashed), or say the password is missing; back to the account page unless
    the operation gives a page of its own."""
    form = PasswordAgainForm(prefix=prefix)
    if not form.validate_on_submit():
        flash(missing, "error")
        return redirect(url_for("auth.account"))
    try:
        page = operation(form.password.data)
    except two_factor.TwoFactorError as exc:
        flash(str(exc), "error")
        return redirect(url_for("auth.account"))
    return page or redirect(url_for("auth.account"))


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required_any
def two_factor_recovery_codes():
    def renew(password):
        codes = two_factor.new_recovery_codes(current_user, password)
        return render_template("auth/recovery_codes.html", codes=codes, first=False)

    return _with_password_again("recovery", _("Fyll i ditt lösenord för att få nya reservkoder."), renew)


@bp.route("/two-factor/remove", methods=["POST"])
@login_required_any
def two_factor_remove():
    def remove(password):
        two_factor.remove(current_user, password)
        flash(_("Tvåstegsverifieringen är avstängd."), "success")

    return _with_password_again("remove", _("Fyll i ditt lösenord för att stänga av tvåstegsverifieringen."), remove)


@bp.route("/logout", methods=["POST"])
@login_required_any
def logout():
    form = ActionForm()
    if form.validate_on_submit():
        services.end_session(session.get(SESSION_KEY))
        logout_user()
        session.clear()
        flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout-everywhere", methods=["POST"])
@login_required_any
def logout_everywhere():
    form = ActionForm()
    if form.validate_on_submit():
        services.end_sessions(current_user, reason="logout_everywhere", actor=current_user)
        logout_user()
        session.clear()
        flash(_("Du är utloggad på alla enheter."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required_any
def account():
    return _account_page()


def _account_page(contact_form=None):
    return render_template(
        "auth/account.html",
        sessions=services.live_sessions(current_user),
        current_session=g.get("auth_session"),
        account_events=services.account_events(current_user),
        action_form=ActionForm(),
        recovery_form=PasswordAgainForm(formdata=None, prefix="recovery"),
        remove_form=PasswordAgainForm(formdata=None, prefix="remove"),
        two_factor_on=two_factor.enrolled(current_user),
        two_factor_required=two_factor.required_for(current_user),
        recovery_codes_left=two_factor.recovery_codes_left(current_user) if two_factor.enrolled(current_user) else 0,
        contact_form=contact_form or ContactForm(formdata=None, work_phone=current_user.work_phone),
    )


@bp.route("/keepalive")
@login_required_any
def keepalive():
    """Touches the session (the warning before an idle logout calls it); says nothing."""
    return "", 204


@bp.route("/account/contact", methods=["POST"])
@login_required_any
def contact():
    form = ContactForm()
    if form.validate_on_submit():
        services.set_work_phone(current_user, form.work_phone.data)
        flash(_("Ditt arbetstelefonnummer är sparat."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(contact_form=form)


@bp.route("/role-grants/<uuid:grant_uuid>/approve", methods=["POST"])
@roles_required("coordinator")
def approve_role(grant_uuid):
    return _decide_role(grant_uuid, approve=True)


@bp.route("/role-grants/<uuid:grant_uuid>/decline", methods=["POST"])
@roles_required("coordinator")
def decline_role(grant_uuid):
    return _decide_role(grant_uuid, approve=False)


def _decide_role(grant_uuid, approve):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        grant = grants.decide(current_user, grant_uuid, approve)
    except NotFound:
        raise
    except DomainError as exc:
        flash(str(exc), "error")
    else:
        name = grant.user.display_name
        flash(_("%(name)s har fått rollen %(role)s.", name=name, role=ROLES.label(grant.role)) if approve
              else _("Rollen %(role)s till %(name)s är avslagen.", name=name, role=ROLES.label(grant.role)), "success")
    return redirect(url_for("home.coordinator"))


@bp.route("/password", methods=["GET", "POST"])
@login_required_any
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            throttling.before_password_check(current_user.id)
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except throttling.Throttled:
            form.current_password.errors = [_("För många försök. Vänta en stund och försök igen.")]
            return render_template("auth/change_password.html", form=form), 429
        except services.PolicyError as exc:
            show_error(form, exc)
        else:
            # Every session ends, this one too; a new one starts with a new id.
            session.clear()
            session[SESSION_KEY] = services.start_session(current_user, request.remote_addr)
            login_user(current_user._get_current_object())
            flash(_("Lösenordet är bytt. Du har loggats ut på dina andra enheter."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


ACTIVATION_KEY = "activation_token"


@bp.route("/activate/<token>")
@public
def activation_link(token):
    """The link from the e-mail or the command line. As Django's password reset does it,
    the token moves into the session and the browser goes on to an address without it,
    so the token stays out of the history, any Referer and later log lines."""
    try:
        services.activation_for(token)
    except services.InvalidToken as exc:
        return render_template("auth/activation_invalid.html", message=str(exc)), 404
    session[ACTIVATION_KEY] = token
    return redirect(url_for("auth.activate"))


@bp.route("/activate", methods=["GET", "POST"])
@public
def activate():
    token = session.get(ACTIVATION_KEY)
    try:
        activation = services.activation_for(token)
    except services.InvalidToken as exc:
        session.pop(ACTIVATION_KEY, None)
        return render_template("auth/activation_invalid.html", message=str(exc)), 404
    form = ActivationForm()
    if form.validate_on_submit():
        try:
            services.activate(token, form.new_password.data)
        except services.PolicyError as exc:
            show_error(form, exc)
        else:
            if current_user.is_authenticated:
                services.end_session(session.get(SESSION_KEY))
                logout_user()
            session.clear()
            flash(_("Ditt lösenord är sparat. Logga in med det."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/activate.html", form=form, user=activation.user)


def login_throttled(form):
    """The login page again, with the e-mail kept and the reason, as a 429."""
    form.password.data = None
    message = _(
        "För många misslyckade inloggningsförsök. Av säkerhetsskäl är inloggningen spärrad "
        "en stund. Vänta 15 minuter och försök igen."
    )
    return render_template("auth/login.html", form=form, error=message), 429
