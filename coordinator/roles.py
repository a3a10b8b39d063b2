"""The roles, declared once: code, Swedish label, start page and navigation.

A user may hold several roles. The start page is that of the first role the
user holds in ``PRECEDENCE``; the navigation shows the links of every role held,
in the same order. Access itself is declared per view (``security.roles_required``).
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .codes import CodeList


@dataclass(frozen=True)
class Role:
    code: str
    label: object
    start_page: str  # endpoint
    navigation: tuple  # (endpoint, label) pairs
    reads_cases: bool = False  # sees case content (all of it, or the holder's own requests)
    needs_approval: bool = False  # granted from the browser only with a coordinator's approval


ROLE_TABLE = (
    Role("admin", _l("Systemägare (administratör)"), "admin.users",
         (("admin.users", _l("Administration")), ("audit.events", _l("Granskningslogg")))),
    Role("coordinator", _l("Samordnare"), "home.coordinator",
         (("home.coordinator", _l("Start")), ("consultations.index", _l("Rådfrågningar")),
          ("activities.index", _l("Aktiviteter")), ("initiatives.index", _l("Satsningar")),
          ("partners.index", _l("Samverkanspartner")), ("bulletin.index", _l("Nyhetsbrevet"))),
         reads_cases=True, needs_approval=True),
    Role("officer", _l("Handläggare"), "home.officer",
         (("home.officer", _l("Mina rådfrågningar")), ("consultations.request_advice", _l("Ny rådfrågning"))),
         reads_cases=True),
    Role("editor", _l("Redaktör för nyhetsbrevet"), "home.editor",
         (("bulletin.index", _l("Nyhetsbrevet")),)),
)

# Codes and labels, in the order forms list them.
ROLES = CodeList("roles", {role.code: role.label for role in ROLE_TABLE})

# Whose start page and links come first when a user holds several roles.
PRECEDENCE = ("coordinator", "officer", "editor", "admin")

_BY_CODE = {role.code: role for role in ROLE_TABLE}

# An admin alone must never reach case content: activation links of these accounts are
# never shown in the browser, and these roles need a coordinator's approval.
CASE_READING_ROLES = frozenset(role.code for role in ROLE_TABLE if role.reads_cases)
APPROVAL_ROLES = frozenset(role.code for role in ROLE_TABLE if role.needs_approval)


def roles_in_precedence(role_codes):
    return [_BY_CODE[code] for code in PRECEDENCE if code in role_codes]


def start_page(role_codes):
    """The endpoint of the start page for a user holding ``role_codes`` (None: no role)."""
    held = roles_in_precedence(role_codes)
    return held[0].start_page if held else None


def navigation_for(role_codes):
    """The (endpoint, label) links for a user holding ``role_codes``."""
    return [link for role in roles_in_precedence(role_codes) for link in role.navigation]
