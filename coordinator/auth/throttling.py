"""Login throttling with Flask-Limiter: per account and per remote address.

Only failed attempts count (a successful login redirects). When a limit is
reached, further tries are refused until the window has passed, so nobody can
lock an account for longer than one window.
"""
from flask import current_app, request

from ..extensions import limiter
from .services import normalise_email


def _account_key():
    return "login-account:" + (normalise_email(request.form.get("email", "")) or "-")


def _failed(response):
    return response.status_code != 302


def login_limits(view):
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
        methods=["POST"], deduct_when=_failed, scope="login-address",
    )
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        key_func=_account_key, methods=["POST"], deduct_when=_failed, scope="login-account",
    )
    return per_account(per_address(view))
