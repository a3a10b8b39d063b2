"""Records for the initiative tests, made through the services (partners, initiatives) or,
for activities (another domain's, only read here), through the model."""
from coordinator.activities.models import Activity
from coordinator.extensions import db
from coordinator.initiatives import services
from coordinator.partners import services as partner_services

INITIATIVE_FORM = {
    "title": "Projekt för att utbilda unga förebilder",
    "kind": "project",
    "area": "hrv",
    "status": "ongoing",
    "starts_on": "2018-09-01",
    "ends_on": "2019-06-30",
    "description": "Unga förebilder utbildas tillsammans med samordnaren mot våld i nära relationer.",
}


def make_partner(user, name, kind="municipal"):
    partner = partner_services.create_partner(user, partner_services.PartnerInput(name=name, kind=kind))
    db.session.commit()
    return partner


def make_initiative(user, title="Handlingsplan mot VBE", kind="action_plan", area="vbe", partners=(), **fields):
    data = services.InitiativeInput(title=title, kind=kind, area=area,
                                    partners=[str(p.uuid) for p in partners], **fields)
    initiative = services.create_initiative(user, data)
    db.session.commit()
    return initiative


def make_activity(user, initiative, title, starts_on, kind="training", **fields):
    activity = Activity(kind=kind, starts_on=starts_on, latest_on=fields.pop("latest_on", starts_on), area="hrv",
                        created_by_id=user.id, initiative_id=initiative.id, **fields)
    activity.ensure_uuid()
    activity.title = title
    db.session.add(activity)
    db.session.commit()
    return activity


def today_in_gavle():
    """Today where the municipality is (the app's BABEL_DEFAULT_TIMEZONE)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


