"""The coded values of a partner."""
from flask_babel import lazy_gettext as _l

from ..codes import WORK_AREAS, CodeList

__all__ = ["WORK_AREAS", "PARTNER_KINDS", "PARTNER_STATUSES"]

PARTNER_KINDS = CodeList("partner_kinds", {
    "authority": _l("Myndighet"),
    "municipal": _l("Kommunal förvaltning"),
    "region": _l("Region"),
    "nonprofit": _l("Ideell organisation"),
    "faith": _l("Trossamfund"),
    "association": _l("Förening"),
    "academia": _l("Akademi"),
    "business": _l("Näringsliv"),
})

PARTNER_STATUSES = CodeList("partner_statuses", {
    "active": _l("Aktiv"),
    "potential": _l("Potentiell"),
    "dormant": _l("Vilande"),
})
