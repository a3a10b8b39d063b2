"""The coded values of an activity (a training or a meeting: one shape, see DESIGN.md)."""
from flask_babel import lazy_gettext as _l

from ..codes import SECTORS, WORK_AREAS, CodeList

__all__ = ["SECTORS", "WORK_AREAS", "ACTIVITY_KINDS", "TRAINING_KINDS", "MEETING_KINDS", "OUR_ROLES",
           "ACTIVITY_STATUSES", "FORMATS"]

ACTIVITY_KINDS = CodeList("activity_kinds", {
    "training": _l("Utbildning"),
    "information": _l("Informationsträff"),
    "seminar": _l("Seminarium"),
    "lecture": _l("Föreläsning"),
    "further_training": _l("Fortbildning"),
    "network_meeting": _l("Nätverksträff"),
    "cooperation_meeting": _l("Samverkansmöte"),
    "steering_group": _l("Styrgruppsmöte"),
    "campaign": _l("Kampanj/kommunikation"),
})

# Kinds that have an audience and participants (trainings), and meetings.
TRAINING_KINDS = frozenset({"training", "information", "seminar", "lecture", "further_training"})
MEETING_KINDS = frozenset({"network_meeting", "cooperation_meeting", "steering_group"})

# The seed bulletin writes "vi har genomfört" for the first and "BIG har närvarat" for the last.
OUR_ROLES = CodeList("our_roles", {
    "organiser": _l("Arrangör"),
    "contributor": _l("Medverkande"),
    "participant": _l("Deltagare"),
})

ACTIVITY_STATUSES = CodeList("activity_statuses", {
    "planned": _l("Planerad"),
    "done": _l("Genomförd"),
    "cancelled": _l("Inställd"),
})

FORMATS = CodeList("formats", {
    "in_person": _l("Fysiskt"),
    "digital": _l("Digitalt"),
    "both": _l("Både fysiskt och digitalt"),
})

PARTICIPANTS_MAX = 100_000
