"""The coded values of a bulletin."""
from flask_babel import lazy_gettext as _l

from ..codes import CodeList

STATUSES = CodeList("bulletin_statuses", {
    "draft": _l("Utkast"),
    "proposed": _l("Föreslagen, väntar på fastställande"),
    "fixed": _l("Fastställd"),
})

REVISION_ACTIONS = CodeList("bulletin_revision_actions", {
    "generated": _l("Skapad ur registret"),
    "regenerated": _l("Siffrorna hämtade på nytt"),
    "edited": _l("Texten ändrad"),
    "proposed": _l("Föreslagen för fastställande"),
    "returned": _l("Skickad tillbaka"),
    "fixed": _l("Fastställd"),
})

FORMATS = {"md": "text/markdown", "txt": "text/plain", "html": "text/html",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
