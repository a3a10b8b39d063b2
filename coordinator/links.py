"""Absolute links to pages of the application, for mails and the command line.

Built from ``BASE_URL`` (the address people reach the site at), so they are
right whether or not there is a request, and never point at an internal host.
"""
from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint, **values):
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
