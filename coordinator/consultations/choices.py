"""The coded values of a consultation, with their Swedish labels.

Codes are stable identifiers stored in the database; labels are what people
see. Coarse bands only: no field holds an exact age, a name or an identifier.
"""
from flask_babel import lazy_gettext as _l

from ..codes import AGE_BANDS, AREAS, GENDERS, SECTORS, UNDER_18, CodeList

__all__ = [
    "AGE_BANDS", "AREAS", "GENDERS", "SECTORS", "UNDER_18",
    "CHANNELS", "PERSON_COUNTS", "HRV_FORMS", "PERPETRATORS", "VBE_MILIEUS", "VBE_CONCERNS",
    "URGENCIES", "ADVICE_GIVEN", "STATUSES", "sector_for_unit",
]

CHANNELS = CodeList("channels", {
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "meeting": _l("Möte"),
    "portal": _l("Portalen (handläggarens fråga)"),
})

PERSON_COUNTS = CodeList("person_counts", {
    "1": _l("En person"),
    "2-3": _l("2–3 personer"),
    "4+": _l("4 eller fler"),
    "unknown": _l("Okänt antal"),
})

HRV_FORMS = CodeList("hrv_forms", {
    "physical": _l("Fysiskt våld"),
    "sexual": _l("Sexuellt våld"),
    "psychological": _l("Psykiskt våld och hot"),
    "control": _l("Kontroll och begränsningar"),
    "forced_marriage": _l("Tvångs- och barnäktenskap"),
    "abduction": _l("Bortförande"),
    "fgm": _l("Könsstympning"),
})

PERPETRATORS = CodeList("perpetrators", {
    "parents": _l("Föräldrar"),
    "siblings": _l("Syskon"),
    "partner": _l("Partner"),
    "partner_family": _l("Partnerns familj"),
    "relatives": _l("Övrig släkt"),
})

VBE_MILIEUS = CodeList("vbe_milieus", {
    "right": _l("Högerextrem"),
    "left": _l("Vänsterextrem"),
    "islamist": _l("Islamistisk"),
    "unclear": _l("Oklar/blandad"),
})

VBE_CONCERNS = CodeList("vbe_concerns", {
    "radicalisation": _l("Radikalisering"),
    "propaganda": _l("Propaganda"),
    "threat_violence": _l("Hot/våld"),
    "relative_worry": _l("Anhörigs oro"),
    "returnee": _l("Återvändare"),
})

URGENCIES = CodeList("urgencies", {
    "acute": _l("Akut"),
    "not_acute": _l("Ej akut"),
})

ADVICE_GIVEN = CodeList("advice_given", {
    "report_recommended": _l("Orosanmälan rekommenderad"),
    "report_made": _l("Orosanmälan gjord"),
    "police_report_recommended": _l("Polisanmälan rekommenderad"),
    "police_report": _l("Polisanmälan gjord"),
    "protection": _l("Skyddsåtgärder"),
    "referral": _l("Hänvisning till samverkanspart"),
    "follow_up_booked": _l("Uppföljning bokad"),
})

STATUSES = CodeList("statuses", {
    "new": _l("Ny"),
    "ongoing": _l("Pågående"),
    "closed": _l("Avslutad"),
})

# Words in an officer's unit that tell their sector, for prefilling the request form.
UNIT_HINTS = (
    ("frivård", "probation"),
    ("barn och unga", "social_children"),
    ("vuxen", "social_adults"),
    ("förskol", "preschool"),
    ("elevhälsa", "student_health"),
    ("kurator", "student_health"),
    ("gymnasi", "upper_secondary"),
    ("grundskol", "compulsory_school"),
    ("skola", "compulsory_school"),
    ("fritid", "leisure"),
    ("ungdomens hus", "leisure"),
    ("hälso", "health_care"),
    ("vård", "health_care"),
    ("polis", "police"),
    ("socialtjänst", "social_children"),
)


def sector_for_unit(unit):
    """The sector a unit name suggests, or None."""
    low = (unit or "").lower()
    for hint, sector in UNIT_HINTS:
        if hint in low:
            return sector
    return None

