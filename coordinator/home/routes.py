from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from ..consultations.choices import STATUSES
from ..consultations.services import coordinator_queue, officer_requests
from ..extensions import db
from ..security import login_required_any, public, roles_required

bp = Blueprint("home", __name__, url_prefix="/home")

# The start page of the first role a user holds, in this order.
START_PAGES = (
    ("coordinator", "home.coordinator"),
    ("officer", "home.officer"),
    ("editor", "home.editor"),
    ("admin", "admin.users"),
)


@bp.route("/", strict_slashes=False)
@login_required_any
def index():
    for role, endpoint in START_PAGES:
        if current_user.has_role(role):
            return redirect(url_for(endpoint))
    return render_template("home/no_role.html")


@bp.route("/coordinator")
@roles_required("coordinator")
def coordinator():
    return render_template("home/coordinator.html", queue=coordinator_queue(), statuses=STATUSES)


@bp.route("/officer")
@roles_required("officer")
def officer():
    return render_template("home/officer.html", consultations=officer_requests(current_user))


@bp.route("/editor")
@roles_required("editor")
def editor():
    return render_template("home/editor.html")


def register_root(app):
    @app.route("/")
    @login_required_any
    def root():
        return redirect(url_for("home.index"))

    @app.route("/healthz")
    @public
    def healthz():
        db.session.execute(text("SELECT 1"))
        return {"status": "ok"}
