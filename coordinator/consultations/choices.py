"""The coded values of a consultation, with their Swedish labels.

Codes are stable identifiers stored in the database; labels are what people
see. Coarse bands only: no field holds an exact age, a name or an identifier.
"""
from flask_babel import lazy_gettext as _l

CHANNELS = {
    "phone": _l("Telefon"),
    "email": _l("E-post"),
    "meeting": _l("Möte"),
    "portal": _l("Portalen"),
}

SECTORS = {
    "social_children": _l("Socialtjänst, barn och unga"),
    "social_adults": _l("Socialtjänst, vuxen"),
    "preschool": _l("Förskola"),
    "compulsory_school": _l("Grundskola"),
    "upper_secondary": _l("Gymnasium"),
    "student_health": _l("Elevhälsa"),
    "health_care": _l("Hälso- och sjukvård"),
    "police": _l("Polis"),
    "probation": _l("Frivård"),
    "leisure": _l("Fritid"),
    "civil_society": _l("Civilsamhälle/trossamfund"),
    "other": _l("Annan"),
}

AREAS = {
    "hrv": _l("Hedersrelaterat våld (HRV)"),
    "vbe": _l("Våldsbejakande extremism (VBE)"),
    "both": _l("Både HRV och VBE"),
    "other": _l("Annat"),
}

PERSON_COUNTS = {
    "1": _l("En person"),
    "2-3": _l("2–3 personer"),
    "4+": _l("4 eller fler"),
    "unknown": _l("Okänt antal"),
}

GENDERS = {
    "girl_woman": _l("Flicka/kvinna"),
    "boy_man": _l("Pojke/man"),
    "other": _l("Annat"),
    "unknown": _l("Okänt"),
}

AGE_BANDS = {
    "0-12": _l("0–12 år"),
    "13-17": _l("13–17 år"),
    "18-25": _l("18–25 år"),
    "26+": _l("26 år eller äldre"),
    "unknown": _l("Okänd ålder"),
}
UNDER_18 = frozenset({"0-12", "13-17"})

HRV_FORMS = {
    "physical": _l("Fysiskt våld"),
    "sexual": _l("Sexuellt våld"),
    "psychological": _l("Psykiskt våld och hot"),
    "control": _l("Kontroll och begränsningar"),
    "forced_marriage": _l("Tvångs- och barnäktenskap"),
    "abduction": _l("Bortförande"),
    "fgm": _l("Könsstympning"),
}

PERPETRATORS = {
    "parents": _l("Föräldrar"),
    "siblings": _l("Syskon"),
    "partner": _l("Partner"),
    "partner_family": _l("Partnerns familj"),
    "relatives": _l("Övrig släkt"),
}

VBE_MILIEUS = {
    "right": _l("Högerextrem"),
    "left": _l("Vänsterextrem"),
    "islamist": _l("Islamistisk"),
    "unclear": _l("Oklar/blandad"),
}

VBE_CONCERNS = {
    "radicalisation": _l("Radikalisering"),
    "propaganda": _l("Propaganda"),
    "threat_violence": _l("Hot/våld"),
    "relative_worry": _l("Anhörigs oro"),
    "returnee": _l("Återvändare"),
}

URGENCIES = {
    "acute": _l("Akut"),
    "not_acute": _l("Ej akut"),
}

ADVICE_GIVEN = {
    "report_recommended": _l("Orosanmälan rekommenderad"),
    "report_made": _l("Orosanmälan gjord"),
    "police_report": _l("Polisanmälan"),
    "protection": _l("Skyddsåtgärder"),
    "referral": _l("Hänvisning till partner"),
    "follow_up_booked": _l("Uppföljning bokad"),
}

STATUSES = {
    "new": _l("Ny"),
    "ongoing": _l("Pågående"),
    "closed": _l("Avslutad"),
}

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


def label(mapping, code):
    return mapping.get(code, code)
