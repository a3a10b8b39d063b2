"""Every list query is served by an index on both databases: no scan of the whole
consultations table and no sort of it, so a page costs the same at any depth and
any table size (checked with the query plans; PostgreSQL with sequential and bitmap
scans and sorts disabled, so they appear in a plan only when no index can serve the
query, even on a small test table)."""
from datetime import date

import pytest
from sqlalchemy import select, text

from coordinator.consultations import services
from coordinator.consultations.models import Consultation
from coordinator.extensions import db
from coordinator.listing import bounded_count

from ..factories import make_consultation, make_user

CURSOR = (date(2018, 10, 3), 40)


def _queries(officer_id):
    order = services.LIST_ORDER
    desc = [c.desc() for c in order.columns]
    listed = lambda filters: services.list_query(filters).order_by(*desc).limit(26)  # noqa: E731
    queries = {
        "list": listed({}),
        "list, deep": listed({}).where(order.older_than(CURSOR)),
        "list, period": listed({"date_from": date(2018, 1, 1), "date_to": date(2018, 12, 31)}),
    }
    for name, value in (("sector", "police"), ("area", "vbe"), ("status", "ongoing"), ("urgency", "acute")):
        queries[f"list by {name}"] = listed({name: value})
        queries[f"list by {name}, deep"] = listed({name: value}).where(order.older_than(CURSOR))
    officer = select(Consultation).where(Consultation.requested_by_id == officer_id)
    queries["officer's list"] = officer.order_by(
        *(c.desc() for c in services.OFFICER_ORDER.columns)).limit(26)
    queries["due follow-ups"] = select(Consultation).where(*services._due_follow_up(date(2018, 11, 1))).limit(11)
    queries["due follow-ups, one status in order"] = select(Consultation).where(
        Consultation.status == "ongoing", Consultation.follow_up_on <= date(2018, 11, 1)
    ).order_by(Consultation.follow_up_on, Consultation.id).limit(11)
    queries["unread"] = select(Consultation).where(*services._unread_for_coordinator()).order_by(
        Consultation.updated_at.desc()).limit(11)
    return queries


def _plan(query):
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        return "\n".join(str(r[-1]) for r in rows)
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        db.session.execute(text(f"SET LOCAL {setting} = off"))  # they appear only if nothing else can
    return "\n".join(r[0] for r in db.session.execute(text(f"EXPLAIN {compiled}")).all())


# Reading the list's order index from its start is the plan for the unfiltered list
# (LIMIT stops it after a page); every other query must look rows up (SEARCH).
ORDER_SCAN_ALLOWED = {"list"}


def _full_scan_or_sort(name, plan, dialect):
    if dialect == "sqlite":
        problems = [line for line in plan.splitlines() if line.startswith("SCAN consultations")
                    and not (name in ORDER_SCAN_ALLOWED and "USING INDEX ix_consultations_received_id" in line)]
        if "USE TEMP B-TREE FOR ORDER BY" in plan:
            problems.append("a sort")
        return problems
    return [line for line in plan.splitlines() if "Seq Scan on consultations" in line or line.strip().startswith("Sort")]


def test_every_list_query_uses_an_index(app):
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        officer = make_user(roles=("officer",))
        for n in range(5):
            make_consultation(coordinator, sector="police", status="ongoing", follow_up_on=date(2018, 10, n + 1))
        make_consultation(None, officer=officer)
        problems = {}
        for name, query in _queries(officer.id).items():
            plan = _plan(query)
            bad = _full_scan_or_sort(name, plan, db.engine.dialect.name)
            if bad:
                problems[name] = plan
        db.session.rollback()
    assert problems == {}


@pytest.mark.parametrize("cap", [3, 10])
def test_bounded_count_stops_at_its_cap(app, cap):
    with app.app_context():
        coordinator = make_user(roles=("coordinator",))
        for _ in range(6):
            make_consultation(coordinator)
        counted = bounded_count(select(Consultation.id), cap=cap)
    assert counted == min(6, cap + 1)
