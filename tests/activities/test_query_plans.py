"""The activity and partner lists and the start-page agenda are served by indexes on both
databases (no scan of the whole table, no sort), like the consultations' (see
tests/consultations/test_query_plans.py for the method)."""
from datetime import date

from sqlalchemy import select

from coordinator.activities import services as activities
from coordinator.activities.models import Activity
from coordinator.extensions import db
from coordinator.partners.models import Partner

from ..consultations.test_query_plans import _plan
from ..factories import make_activity, make_partner, make_user

CURSOR = (date(2018, 10, 3), 40)


def _queries():
    order = activities.LIST_ORDER
    desc = [c.desc() for c in order.columns]

    def listed(filters):
        return select(Activity).where(*activities.FILTERS.conditions(filters)).order_by(*desc).limit(26)

    queries = {"activities, deep": listed({}).where(order.older_than(CURSOR)),
               "activities, period": listed({"date_from": date(2018, 1, 1), "date_to": date(2018, 12, 31)})}
    for name, value in (("kind", "training"), ("area", "vbe")):
        queries[f"activities by {name}"] = listed({name: value})
    today = date(2018, 11, 1)
    queries["coming"] = select(Activity).where(*activities.coming_conditions(today)) \
        .order_by(*activities.COMING_ORDER).limit(10)
    queries["overdue"] = select(Activity).where(*activities.overdue_conditions(today)) \
        .order_by(*activities.OVERDUE_ORDER).limit(10)
    queries["partners by status"] = select(Partner).where(Partner.status == "active").order_by(Partner.name_key).limit(26)
    return queries


def _problems(plan, dialect, tables=("activities", "partners")):
    if dialect == "sqlite":
        bad = [line for line in plan.splitlines() if any(line.startswith(f"SCAN {t}") for t in tables)
               and "USING" not in line]
        return bad + (["a sort"] if "USE TEMP B-TREE FOR ORDER BY" in plan else [])
    return [line for line in plan.splitlines()
            if any(f"Seq Scan on {t}" in line for t in tables) or line.strip().startswith("Sort")]


def test_register_list_queries_use_an_index(app):
    with app.app_context():
        user = make_user(roles=("coordinator",))
        for n in range(3):
            make_partner(user, name=f"Partner {n}")
            make_activity(user, held_on=date(2018, 10, n + 1))
        problems = {}
        for name, query in _queries().items():
            plan = _plan(query)
            if _problems(plan, db.engine.dialect.name):
                problems[name] = plan
        db.session.rollback()
    assert problems == {}
