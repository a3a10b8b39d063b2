"""The bulletin's workflow: the coordinator drafts and proposes, the editor fastställer (two
people: nobody publishes alone); a fastställd bulletin never changes and can only be
followed by a new version. Every step is a revision (who, when, the text) and an audit event.
"""
import difflib
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..audit.services import record
from ..database import local_today, utcnow
from ..extensions import db
from ..listing import paginate
from ..records import DomainError, NotFound
from ..text_guard import PUBLICATION_TEXT, refuse_identifiers
from . import render, section
from .counting import Period
from .models import Bulletin, BulletinRevision

BODY_MAX = 20_000


class BulletinError(DomainError):
    """A refused bulletin operation."""


# Periods ---------------------------------------------------------------------------------

def last_fixed():
    return db.session.execute(
        select(Bulletin).where(Bulletin.status == "fixed").order_by(Bulletin.period_end.desc(), Bulletin.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def suggested_periods(today=None):
    """The periods the coordinator chooses among: since the last fastställd bulletin, the last
    month, the last quarter (custom is typed)."""
    today = today or local_today()
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    this_quarter = today.replace(month=quarter_start_month, day=1)
    last_quarter_end = this_quarter - timedelta(days=1)
    last_quarter_start = last_quarter_end.replace(month=3 * ((last_quarter_end.month - 1) // 3) + 1, day=1)
    periods = {}
    fixed = last_fixed()
    if fixed is not None and fixed.period_end < today:
        periods["since_last"] = Period(fixed.period_end + timedelta(days=1), today)
    periods["last_month"] = Period(last_month_end.replace(day=1), last_month_end)
    periods["last_quarter"] = Period(last_quarter_start, last_quarter_end)
    return periods


def check_period(start, end):
    if start is None or end is None:
        raise BulletinError(_("Fyll i periodens första och sista dag."), field="start")
    if end < start:
        raise BulletinError(_("Periodens sista dag ligger före den första."), field="end")
    if start.year < 2000:
        raise BulletinError(_("Kontrollera året."), field="start")
    if end > local_today():
        raise BulletinError(_("Perioden kan inte sluta i framtiden."), field="end")
    return Period(start, end)


def _earlier_figures(period, exclude_id=None):
    """The published figures of the fastställda bulletins whose period overlaps ``period``."""
    rows = db.session.execute(
        select(Bulletin).where(Bulletin.status == "fixed", Bulletin.period_start <= period.end,
                               Bulletin.period_end >= period.start)
    ).scalars().all()
    return [(period_of(b), b.figures) for b in rows if b.id != exclude_id]


def build_section(period, exclude_id=None):
    return section.build(period, _earlier_figures(period, exclude_id))


def period_of(bulletin):
    return Period(bulletin.period_start, bulletin.period_end)


# Reading ---------------------------------------------------------------------------------

def get_bulletin(bulletin_uuid):
    bulletin = db.session.execute(select(Bulletin).where(Bulletin.uuid == bulletin_uuid)).scalar_one_or_none()
    if bulletin is None:
        raise NotFound()
    return bulletin


def list_page(page, per_page):
    query = select(Bulletin).order_by(Bulletin.period_end.desc(), Bulletin.id.desc())
    return paginate(query, page, per_page)


HISTORY_ROWS = 50


def history(bulletin):
    """The latest revisions, newest first, each with how many lines it added and removed
    compared with the one before (what changed, without showing the text twice)."""
    revisions = db.session.execute(
        select(BulletinRevision).where(BulletinRevision.bulletin_id == bulletin.id)
        .order_by(BulletinRevision.id.desc()).limit(HISTORY_ROWS + 1)
    ).scalars().all()
    out = []
    for index, revision in enumerate(revisions[:HISTORY_ROWS]):
        before = revisions[index + 1].body if index + 1 < len(revisions) else ""
        added = removed = 0
        for line in difflib.ndiff((before or "").splitlines(), (revision.body or "").splitlines()):
            added += line.startswith("+ ")
            removed += line.startswith("- ")
        out.append((revision, added, removed))
    return out


def waiting_for_editor(limit=20):
    """Proposed bulletins, oldest first (the editor's start page)."""
    return db.session.execute(
        select(Bulletin).where(Bulletin.status == "proposed").order_by(Bulletin.id).limit(limit)
    ).scalars().all()


# Writing ---------------------------------------------------------------------------------

def _revision(user, bulletin, action):
    revision = BulletinRevision(bulletin=bulletin, action=action, author_id=user.id)
    revision.ensure_uuid()
    revision.body = bulletin.body
    db.session.add(revision)
    return revision


def _fill(bulletin):
    """Body and figures from the register, as they stand now."""
    built = build_section(period_of(bulletin), exclude_id=bulletin.id)
    bulletin.body = render.from_section(built)
    bulletin.figures = built.published()
    return built


def create_draft(user, period, follows=None) -> Bulletin:
    bulletin = Bulletin(period_start=period.start, period_end=period.end, created_by_id=user.id, status="draft",
                        follows=follows)
    bulletin.ensure_uuid()
    db.session.add(bulletin)
    db.session.flush()
    _fill(bulletin)
    _revision(user, bulletin, "generated")
    record("bulletin.create", actor=user, obj=bulletin)
    return bulletin


def _claim(bulletin, expected_version):
    """One conditional UPDATE: an edit made on an older version is refused."""
    table = Bulletin.__table__
    conditions = [table.c.id == bulletin.id]
    if expected_version is not None:
        conditions.append(table.c.edit_version == expected_version)
    new_version = db.session.execute(
        update(table).where(*conditions).values(edit_version=table.c.edit_version + 1).returning(table.c.edit_version)
    ).scalar_one_or_none()
    if new_version is None:
        raise BulletinError(_("Texten har ändrats av någon annan sedan du öppnade den. Dina ändringar är inte "
                              "sparade; det du skrev finns kvar i formuläret."))
    set_committed_value(bulletin, "edit_version", new_version)


def _editable(bulletin):
    if bulletin.status != "draft":
        raise BulletinError(_("Bara ett utkast kan ändras. Ett fastställt nyhetsbrev följs av en ny version."))


def save_body(user, bulletin, body, edit_version=None):
    _editable(bulletin)
    if len(body or "") > BODY_MAX:
        raise BulletinError(_("Texten får vara högst %(n)s tecken lång.", n="20 000"), field="body")
    refuse_identifiers(PUBLICATION_TEXT, body, error=BulletinError)
    _claim(bulletin, edit_version)
    if body == bulletin.body:
        return False
    bulletin.body = body
    _revision(user, bulletin, "edited")
    record("bulletin.edit", actor=user, obj=bulletin)
    return True


def regenerate(user, bulletin):
    """The text and figures drawn again from the register (the coordinator's edits go; they
    stay in the history)."""
    _editable(bulletin)
    _claim(bulletin, None)
    _fill(bulletin)
    _revision(user, bulletin, "regenerated")
    record("bulletin.regenerate", actor=user, obj=bulletin)


def propose(user, bulletin):
    _editable(bulletin)
    bulletin.status = "proposed"
    bulletin.proposed_by_id = user.id
    _revision(user, bulletin, "proposed")
    record("bulletin.propose", actor=user, obj=bulletin)


def return_to_draft(user, bulletin):
    if bulletin.status != "proposed":
        raise BulletinError(_("Bara ett föreslaget nyhetsbrev kan skickas tillbaka."))
    bulletin.status = "draft"
    _revision(user, bulletin, "returned")
    record("bulletin.return", actor=user, obj=bulletin)


def fix(user, bulletin):
    """Fastställ: by an editor who did not propose it. From then on it never changes."""
    if bulletin.status != "proposed":
        raise BulletinError(_("Nyhetsbrevet måste först föreslås av samordnaren."))
    if bulletin.proposed_by_id == user.id:
        raise BulletinError(_("Den som föreslog texten kan inte också fastställa den. En annan person med "
                              "rollen redaktör fastställer."))
    bulletin.status = "fixed"
    bulletin.fixed_by_id = user.id
    bulletin.fixed_at = utcnow()
    _revision(user, bulletin, "fixed")
    record("bulletin.fix", actor=user, obj=bulletin)


def new_version(user, bulletin) -> Bulletin:
    """A new draft for the same period, following a fastställd one (its text as the start)."""
    if not bulletin.is_fixed:
        raise BulletinError(_("Bara ett fastställt nyhetsbrev får en ny version; ändra utkastet i stället."))
    draft = create_draft(user, period_of(bulletin), follows=bulletin)
    draft.body = bulletin.body
    _revision(user, draft, "edited")
    return draft


def export(user, bulletin, fmt):
    """(bytes, media type, file name) of the bulletin's text; audited."""
    from .choices import FORMATS

    if fmt not in FORMATS:
        raise NotFound()
    body = render.render(bulletin.body, fmt, period_text=period_text(period_of(bulletin)))
    record("bulletin.export", actor=user, obj=bulletin, detail=f"format:{fmt}")
    name = f"hedersvald-och-vbe-{bulletin.period_start.isoformat()}-{bulletin.period_end.isoformat()}.{fmt}"
    return body, FORMATS[fmt], name


def period_text(period):
    from flask_babel import format_date

    return f"Perioden {format_date(period.start, 'd MMMM y')} – {format_date(period.end, 'd MMMM y')}"


def export_period(period, fmt):
    """For the command line: the section of any period, as the register stands (not saved)."""
    built = build_section(period)
    return render.render(render.from_section(built), fmt, period_text=period_text(period))


def parse_day(text):
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
