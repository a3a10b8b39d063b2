"""The request cycle: one commit at the end of a successful request, then mail.

A change and its audit events are therefore saved together or not at all (the
pending audit events are chained on just before the commit, see
``audit.services``), a response is only sent once its changes are on disk, and
nobody is mailed about a change that was not saved.

A view or a helper marks the request with:
* ``refuse_changes()``: roll back whatever happened (a refused form whose service
  already changed something);
* ``keep_changes_despite_status()``: commit although the response is an error (a
  throttled login whose audit event is worth keeping).
"""
import logging

from flask import g, make_response, request

from . import notifications
from .extensions import db

log = logging.getLogger(__name__)


def refuse_changes():
    g.rollback_only = True


def keep_changes_despite_status():
    g.commit_despite_status = True


def _commit_or_roll_back(response):
    refused = response.status_code >= 400 and not g.get("commit_despite_status")
    if refused or g.get("rollback_only"):
        db.session.rollback()
        notifications.discard_queued()
        return response
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        notifications.discard_queued()
        log.exception("commit failed at the end of %s", request.endpoint or "unknown endpoint")
        from .errors import render_error

        return make_response(render_error(500))
    notifications.send_queued()
    return response


def init_app(app):
    app.after_request(_commit_or_roll_back)
