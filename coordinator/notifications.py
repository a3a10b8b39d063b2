"""E-mail notifications: "there is something to read", with a link; never content.

Callers give the recipients and the link (an absolute URL, see ``links``).
Mails are queued during the request and sent only after its commit succeeded
(``request_cycle``), so nobody is told about a change that was not saved.
Without MAIL_SERVER in the config nothing is sent (the start pages still show
what is new). A mail that cannot be sent is logged (without addresses or
content) and never fails the request.
"""
import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import select

from .extensions import db

log = logging.getLogger(__name__)


def enabled():
    return bool(current_app.config.get("MAIL_SERVER"))


def _queue(recipients, subject, body):
    recipients = sorted({r for r in recipients if r})
    if recipients:
        g.setdefault("outgoing_mail", []).append((recipients, str(subject), str(body)))


def notify_coordinators(url):
    """Every active coordinator: something new at ``url``."""
    if not enabled():
        return
    from .auth.models import User, UserRole

    addresses = db.session.execute(
        select(User.email).join(UserRole).where(UserRole.role == "coordinator", User.active.is_(True))
    ).scalars().all()
    _queue(addresses, _("Ny händelse i samordnarregistret"), _news_body(url))


def notify_user(user, subject, url):
    """One account, if it is active: something new at ``url``."""
    if enabled() and user is not None and user.active:
        _queue([user.email], subject, _news_body(url))


def tell_account_holder(user, change):
    """The holder of an account is told of every change to it that someone else made
    (roles, a new activation link, sessions ended, deactivation), at the account's own address."""
    if user is not None:
        tell_address(user.email, change)


def tell_address(address, change):
    if enabled():
        _queue([address], _("Ditt konto i samordnarregistret har ändrats"), _(
            "Hej!\n\nDitt konto i samordnarregistret för hedersrelaterat våld och våldsbejakande "
            "extremism har ändrats: %(change)s\n\nOm du inte känner till ändringen, kontakta "
            "samordnaren eller systemägaren genast.\n", change=change))


def send_activation_link(user, url, hours):
    """The single-use link with which ``user`` sets a password, to the account's own address."""
    if not enabled():
        return
    _queue([user.email], _("Aktivera ditt konto i samordnarregistret"), _(
        "Hej!\n\nDu har fått ett konto i samordnarregistret för hedersrelaterat våld och "
        "våldsbejakande extremism. Välj ditt lösenord via länken nedan. Den kan användas en "
        "gång och gäller i %(hours)s timmar.\n\n%(link)s\n\nOm du inte väntade dig det här "
        "meddelandet, kontakta samordnaren.\n", hours=hours, link=url))


def _news_body(link):
    return _(
        "Hej!\n\nDet finns något nytt att läsa i samordnarregistret för hedersrelaterat våld "
        "och våldsbejakande extremism. Logga in och öppna länken:\n\n%(link)s\n\n"
        "Det här meddelandet innehåller inga uppgifter om ärendet.\n",
        link=link,
    )


def discard_queued():
    """Forget what this request queued (its changes were not saved)."""
    g.pop("outgoing_mail", None)


def send_queued():
    """Send what this request queued; called after a successful commit."""
    for recipients, subject, body in g.pop("outgoing_mail", []):
        message = EmailMessage()
        message["From"] = current_app.config["MAIL_FROM"]
        message["To"] = ", ".join(recipients)
        message["Subject"] = subject
        message.set_content(body)
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("notification not sent: %s", type(exc).__name__)


def _send(message):
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    timeout = config["MAIL_TIMEOUT_SECONDS"]
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
