"""Records for the initiative tests, made through the services."""
from coordinator.extensions import db
from coordinator.initiatives import services

from .. import factories
from ..factories import make_partner  # noqa: F401  (the initiative tests' partners)

INITIATIVE_FORM = {
    "title": "Projekt för att utbilda unga förebilder",
    "kind": "project",
    "area": "hrv",
    "status": "ongoing",
    "starts_on": "2018-09-01",
    "ends_on": "2019-06-30",
    "description": "Unga förebilder utbildas tillsammans med samordnaren mot våld i nära relationer.",
}


def make_initiative(user, title="Handlingsplan mot VBE", kind="action_plan", area="vbe", partners=(), **fields):
    data = services.InitiativeInput(title=title, kind=kind, area=area,
                                    partners=[str(p.uuid) for p in partners], **fields)
    initiative = services.create_initiative(user, data)
    db.session.commit()
    return initiative


def make_activity(user, initiative, title, starts_on, kind="training", **fields):
    """An activity of ``initiative`` on ``starts_on`` (through the activities' service)."""
    return factories.make_activity(user, initiative=str(initiative.uuid), title=title, held_on=starts_on, kind=kind,
                                   **fields)


def today_in_gavle():
    """Today where the municipality is (the app's BABEL_DEFAULT_TIMEZONE)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


