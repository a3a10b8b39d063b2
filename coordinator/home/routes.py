from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from ..activities.services import agenda
from ..auth import grants
from ..bulletin import charts, section
from ..bulletin import services as bulletin_services
from ..consultations.choices import STATUSES
from ..consultations.services import coordinator_queue, officer_start
from ..database import local_today
from ..extensions import db
from ..forms_common import ActionForm
from ..retention import services as retention
from ..roles import start_page
from ..security import login_required_any, public, roles_required

bp = Blueprint("home", __name__, url_prefix="/home")



@bp.route("/", strict_slashes=False)
@login_required_any
def index():
    endpoint = start_page(current_user.role_set)
    if endpoint is None:
        return render_template("home/no_role.html")
    return redirect(url_for(endpoint))


@bp.route("/coordinator")
@roles_required("coordinator")
def coordinator():
    role_grants, role_grants_total = grants.pending()
    chart = charts.monthly_by_area(local_today(), section.threshold())
    return render_template("home/coordinator.html", queue=coordinator_queue(), agenda=agenda(), statuses=STATUSES,
                           chart=chart, sector_chart=charts.by_sector(local_today(), section.threshold()),
                           role_grants=role_grants, role_grants_total=role_grants_total,
                           retention_due=retention.due_count(), action_form=ActionForm())


@bp.route("/officer")
@roles_required("officer")
def officer():
    unread, latest = officer_start(current_user)
    return render_template("home/officer.html", unread=unread, latest=latest)


@bp.route("/editor")
@roles_required("editor")
def editor():
    return render_template("home/editor.html", waiting=bulletin_services.waiting_for_editor())


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
