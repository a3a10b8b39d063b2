"""The bulletin's counts per day, kept up to date as consultations are saved.

A year's section at a million consultations would otherwise count a million code rows. The
table ``consultation_tallies`` holds, for every day, field and code, how many of the day's
consultations count there; a period's figures are the sum of its days' rows (a few thousand
rows for a year, whatever the size of the register).

What a consultation counts for (one place for the rule, ``contribution_rows``):

- ``total``: every consultation; ``new``: those that follow up none (new cases);
- ``persons``: the persons a new case concerns, at the low end of its band (``PERSONS_AT_LEAST``);
- ``minors``: a consultation with an age band wholly under 18 (once, however many bands);
- ``area``, ``sector``, ``channel``, ``urgency``: the consultation's code;
- ``referred_to``: the partner it was referred to (the partner's id as the code);
- every multi-code field (``hrv_forms``, ``vbe_concerns``, ``advice_given``...): once per code.

The rows are kept in step inside the transaction that saves: before a flush, what the
consultations being changed counted for is read from the database; after it, what they count
for now; the difference is added with one upsert (``n = n + delta``), which concurrent saves
on the same day serialise on the row. ``rebuild()`` recounts everything from the consultations
(``flask bulletin recount``): after a bulk load or a change made outside the application.
"""
from collections import Counter
from datetime import date

from sqlalchemy import Date, Integer, String, and_, case, cast, delete, event, func, inspect, literal, select, union_all
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..codes import UNDER_18
from ..consultations.models import Consultation, ConsultationCode
from ..database import conflict_insert
from ..extensions import db

PERSONS_AT_LEAST = {"1": 1, "2-3": 2, "4+": 4, "unknown": 1}
COLUMNS = ("area", "sector", "channel", "urgency")
# The columns whose change changes what a consultation counts for.
COUNTED = ("received_on", "follows_up_id", "person_count", "referred_to_partner_id", "code_rows") + COLUMNS


class ConsultationTally(db.Model):
    """How many of a day's consultations count for a field's code (see the module)."""

    __tablename__ = "consultation_tallies"

    field: Mapped[str] = mapped_column(String(30), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


def contribution_rows(consultation_ids=None):
    """A SELECT of (field, day, code, n): what the consultations (all, or those of
    ``consultation_ids``) count for."""
    c, codes = Consultation.__table__.c, ConsultationCode.__table__.c

    def only(column):
        return [column.in_(consultation_ids)] if consultation_ids is not None else []

    def per_day(field, n, *where, code=None):
        """One branch: the consultations' count (or sum) per day and, with ``code``, per code."""
        label = code if code is not None else literal("")
        return (select(literal(field).label("field"), c.received_on.label("day"), label.label("code"), n.label("n"))
                .where(*only(c.id), *where).group_by(c.received_on, *([code] if code is not None else [])))

    weight = case(*((c.person_count == band, n) for band, n in PERSONS_AT_LEAST.items()), else_=1)
    parts = [
        per_day("total", func.count()),
        per_day("new", func.count(), c.follows_up_id.is_(None)),
        per_day("persons", func.sum(weight), c.follows_up_id.is_(None)),
        per_day("referred_to", func.count(), c.referred_to_partner_id.is_not(None),
                code=cast(c.referred_to_partner_id, String)),
    ]
    parts += [per_day(name, func.count(), code=c[name]) for name in COLUMNS]
    parts.append(
        select(codes.field, codes.received_on, codes.code, func.count())
        .where(*only(codes.consultation_id)).group_by(codes.field, codes.received_on, codes.code))
    # Per consultation (an EXISTS on the code rows' primary key), so that for a few ids the
    # database looks up their rows instead of a range of every consultation's age bands.
    minor = (select(codes.consultation_id).where(codes.consultation_id == c.id, codes.field == "age_bands",
                                                 codes.code.in_(sorted(UNDER_18))).exists())
    parts.append(per_day("minors", func.count(), minor))
    return union_all(*parts)



def counts_of(connection, consultation_ids):
    """Counter {(field, day, code): n} of what these consultations count for now."""
    if not consultation_ids:
        return Counter()
    out = Counter()
    ids = sorted(consultation_ids)
    for start in range(0, len(ids), 500):
        for field, day, code, n in connection.execute(contribution_rows(ids[start:start + 500])):
            out[(field, day, code)] += int(n)
    return out


def add(connection, delta):
    """Add ``delta`` {(field, day, code): n} to the tallies (an upsert per row)."""
    rows = [{"field": f, "day": d, "code": c, "n": n} for (f, d, c), n in delta.items() if n]
    if not rows:
        return
    table = ConsultationTally.__table__
    statement = conflict_insert(table, connection.dialect.name)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[table.c.field, table.c.day, table.c.code],
        set_={"n": table.c.n + statement.excluded.n}), rows)
    fields = sorted({r["field"] for r in rows})
    days = sorted({r["day"] for r in rows})
    connection.execute(delete(table).where(table.c.field.in_(fields), table.c.day.in_(days), table.c.n == 0))


def rebuild(connection=None):
    """Recount every tally from the consultations; returns the number of tally rows."""
    connection = connection or db.session.connection()
    table = ConsultationTally.__table__
    counted = contribution_rows().subquery()
    connection.execute(delete(table))
    connection.execute(table.insert().from_select(
        ["field", "day", "code", "n"],
        select(counted.c.field, counted.c.day, counted.c.code, func.sum(counted.c.n))
        .group_by(counted.c.field, counted.c.day, counted.c.code)))
    return connection.execute(select(func.count()).select_from(table)).scalar_one()


def differences(connection=None):
    """{(field, day, code): (kept, recounted)} where the tallies differ from a recount (none
    when they are right): what ``flask bulletin recount --check`` reports."""
    connection = connection or db.session.connection()
    table = ConsultationTally.__table__
    kept = Counter({(f, d, c): n for f, d, c, n in connection.execute(
        select(table.c.field, table.c.day, table.c.code, table.c.n))})
    counted = contribution_rows().subquery()
    recounted = Counter()
    for f, d, c, n in connection.execute(select(counted.c.field, counted.c.day, counted.c.code, counted.c.n)):
        recounted[(f, d, c)] += int(n)
    return {key: (kept.get(key, 0), recounted.get(key, 0))
            for key in set(kept) | set(recounted) if kept.get(key, 0) != recounted.get(key, 0)}


# Kept in step with every flush --------------------------------------------------------------

PENDING = "consultation_tallies_pending"


def _changes_counts(obj):
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in COUNTED)


@event.listens_for(Session, "before_flush")
def _before_flush(session, flush_context, instances):
    changed = [obj for obj in session.new if isinstance(obj, Consultation)]
    changed += [obj for obj in session.dirty if isinstance(obj, Consultation) and _changes_counts(obj)]
    deleted = [obj for obj in session.deleted if isinstance(obj, Consultation)]
    ids = {obj.id for obj in changed + deleted if obj.id is not None}
    ids |= {row.consultation_id for row in list(session.new) + list(session.dirty) + list(session.deleted)
            if isinstance(row, ConsultationCode) and row.consultation_id is not None}
    if not (changed or deleted or ids):
        return
    connection = session.connection()
    if deleted:
        # Their follow-ups become new cases when they go (follows_up_id is set to NULL).
        gone = [obj.id for obj in deleted if obj.id is not None]
        ids |= set(connection.execute(select(Consultation.id).where(Consultation.follows_up_id.in_(gone))).scalars())
    pending = session.info.setdefault(PENDING, [])
    pending.append((changed, ids, counts_of(connection, ids)))


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    connection = session.connection()
    for changed, ids, before in pending:
        ids = ids | {obj.id for obj in changed if obj.id is not None}
        after = counts_of(connection, ids)
        delta = Counter(after)
        delta.subtract(before)
        add(connection, delta)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    session.info.pop(PENDING, None)


def sum_by_field(period, fields):
    """{field: {code: n}} summed over the period's days (codes with a count only)."""
    table = ConsultationTally.__table__
    rows = db.session.execute(
        select(table.c.field, table.c.code, func.sum(table.c.n))
        .where(table.c.field.in_(sorted(fields)), and_(table.c.day >= period.start, table.c.day <= period.end))
        .group_by(table.c.field, table.c.code)
    ).all()
    out = {}
    for field, code, n in rows:
        if n:
            out.setdefault(field, {})[code] = int(n)
    return out
