"""Deny by default: every view declares who may reach it, or nobody can.

Each view is marked with exactly one of ``@public``, ``@login_required_any``
or ``@roles_required(...)``. One ``before_request`` guard enforces the mark;
a view without one answers 403, and a test walks ``app.url_map`` so such a
view also fails the suite.
"""
import logging
from dataclasses import dataclass

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from .auth import two_factor
from .roles import ROLES  # the one role table; re-exported for the decorators' callers

log = logging.getLogger(__name__)


# Endpoints a user who must change the password can still reach.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "static"}
# Endpoints a user whose role needs a second factor can reach before setting one up.
TWO_FACTOR_SETUP_ENDPOINTS = {"auth.two_factor_setup", "auth.logout", "auth.keepalive", "static"}


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset = frozenset()  # empty and not public: any logged-in user


def _mark(rule):
    def decorate(view):
        view.access_rule = rule
        return view

    return decorate


def public(view):
    """Reachable without logging in (login, activation, health check)."""
    return _mark(AccessRule(public=True))(view)


def login_required_any(view):
    """Any logged-in user, whatever the role (own account pages)."""
    return _mark(AccessRule())(view)


def roles_required(*roles):
    """A logged-in user holding at least one of ``roles``."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"unknown roles: {unknown or 'none given'}")
    return _mark(AccessRule(roles=frozenset(roles)))


def rule_for_endpoint(app, endpoint):
    if endpoint == "static":
        return AccessRule(public=True)
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def guard():
    """The single access check in front of every request."""
    if request.endpoint is None:
        return None  # no route matched: the 404/405 handlers answer
    rule = rule_for_endpoint(current_app, request.endpoint)
    if rule is None:
        log.error("endpoint %s has no access rule; denied", request.endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        from .extensions import login_manager

        return login_manager.unauthorized()
    if current_user.must_change_password:  # first the password, then the second factor
        if request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
    elif request.endpoint not in TWO_FACTOR_SETUP_ENDPOINTS and two_factor.must_enrol(current_user):
        return redirect(url_for("auth.two_factor_setup"))
    if rule.roles and not (rule.roles & current_user.role_set):
        abort(403)
    return None


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def refuse_cross_site_writes():
    """Besides the CSRF token: a write must come from this site (Fetch Metadata, Origin)."""
    if request.method in SAFE_METHODS:
        return None
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        abort(400)
    origin = request.headers.get("Origin")
    if origin and origin != "null" and origin != request.host_url.rstrip("/"):
        abort(400)
    return None


CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def set_security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def init_app(app):
    app.before_request(refuse_cross_site_writes)
    app.before_request(guard)
    app.after_request(set_security_headers)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
