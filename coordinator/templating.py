"""Jinja filters and globals: Swedish dates, the navigation, the role labels."""
import functools
from dataclasses import dataclass
from datetime import datetime

from babel import dates as babel_dates
from flask import url_for
from flask_babel import format_date, format_datetime, format_number
from flask_babel import gettext as _
from flask_login import current_user

from . import i18n
from .auth.two_factor import must_enrol
from .bulletin.charts import bars
from .bulletin.render import blocks
from .codes import in_running_text
from .forms_common import ActionForm
from .listing import COUNT_CAP
from .roles import ROLES, navigation_for
from .text_guard import kind_label, segments


def _date(value, fmt="d MMMM y"):
    if not value:
        return ""
    if isinstance(value, datetime):
        return format_date(value, fmt)  # a moment: in the user's time zone first
    return _formatted_date(value, fmt, i18n.ui_locale())


@functools.lru_cache(maxsize=4096)
def _formatted_date(value, fmt, locale):
    """Dates repeat down a list: each is formatted once per locale and format."""
    return babel_dates.format_date(value, fmt, locale=locale)


def _datetime(value, fmt="d MMMM y 'kl.' HH:mm"):
    return format_datetime(value, fmt) if value else ""


def _count(n, cap=COUNT_CAP):
    """A count for a page: "1 234", or "fler än 10 000" past the cap of bounded_count."""
    if n > cap:
        return _("fler än %(n)s", n=format_number(cap))
    return format_number(n)


def activity_when(activity):
    """An activity's date, or its planned month while the day is not fixed."""
    if activity.day_fixed:
        return _date(activity.starts_on)
    return _("%(month)s (dag ej bestämd)", month=_date(activity.starts_on, "LLLL y"))


def in_a_list(labels):
    """Labels as one list in running text: "Kontroll och begränsningar, tvångs- och
    barnäktenskap" (capitals only at the start, abbreviations such as HRV kept)."""
    items = [str(label) for label in labels]
    return ", ".join([items[0]] + [in_running_text(item) for item in items[1:]]) if items else "–"


@dataclass
class ConsultationRow:
    """One row of a consultation list, as strings: built in one Python call per row, so a
    long list costs no template calls per cell."""

    url: str
    number: int
    received: str
    channel: str
    asker: str
    area: str
    about: str
    status: str
    status_code: str
    urgent: str
    follow_up: str
    unread: bool


def consultation_rows(consultations, for_officer=False):
    more = _("m.fl.")
    rows = []
    for c in consultations:
        about = c.labels("hrv_forms") + c.labels("vbe_concerns")
        asker = c.requested_by.unit if c.requested_by is not None and c.requested_by.unit else c.label("sector")
        rows.append(ConsultationRow(
            url=url_for("consultations.detail", consultation_uuid=c.uuid), number=c.number,
            received=_date(c.received_on), channel=c.label("channel"), asker=asker, area=c.label("area"),
            about=(in_a_list(about[:2]) + (f" {more}" if len(about) > 2 else "")) if about else "–",
            status=c.label("status"), status_code=c.status, urgent=c.label("urgency") if c.is_urgent else "",
            follow_up=_date(c.follow_up_on) if c.follow_up_on else "–",
            unread=c.unread_by_officer if for_officer else c.unread_by_coordinator,
        ))
    return rows


def navigation():
    """Links for the roles the current user holds (see roles.py)."""
    if not current_user.is_authenticated or current_user.must_change_password or must_enrol(current_user):
        return []  # nowhere to go until the password is chosen and the second factor set up
    return navigation_for(current_user.role_set)


def init_app(app):
    i18n.init_app(app)
    app.jinja_env.filters["datum"] = _date
    app.jinja_env.filters["datumtid"] = _datetime
    app.jinja_env.filters["antal"] = _count
    app.jinja_env.filters["lista"] = in_a_list
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["consultation_rows"] = consultation_rows
    app.jinja_env.globals["activity_when"] = activity_when
    app.jinja_env.globals["blocks"] = blocks
    app.jinja_env.globals["bar_chart"] = bars
    app.jinja_env.globals["ROLES"] = ROLES
    # Never read from the request: the error pages (e.g. 413) render this too.
    app.jinja_env.globals["logout_form"] = lambda: ActionForm(formdata=None)
    app.jinja_env.globals["guard_segments"] = segments
    app.jinja_env.globals["guard_label"] = kind_label
