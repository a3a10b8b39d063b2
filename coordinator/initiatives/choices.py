"""The coded values of an initiative (satsning)."""
from flask_babel import lazy_gettext as _l

from ..codes import WORK_AREAS, CodeList

__all__ = ["WORK_AREAS", "INITIATIVE_KINDS", "INITIATIVE_STATUSES"]

INITIATIVE_KINDS = CodeList("initiative_kinds", {
    "project": _l("Projekt"),
    "action_plan": _l("Handlingsplan"),
    "collaboration": _l("Samarbete"),
    "development": _l("Utvecklingsarbete"),
})

INITIATIVE_STATUSES = CodeList("initiative_statuses", {
    "planned": _l("Planerad"),
    "ongoing": _l("Pågående"),
    "paused": _l("Vilande"),
    "closed": _l("Avslutad"),
})
