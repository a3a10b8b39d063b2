"""Lists in one piece (coordinator/listing.py): filter declarations, page numbers,
the query-string of the active filters, pagination."""
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from coordinator.consultations.forms import FilterForm
from coordinator.consultations.models import Consultation
from coordinator.extensions import db
from coordinator.listing import MAX_PAGE, DateRange, Equals, FilterSet, page_number, paginate

from ..factories import make_consultation, make_user

FILTERS = FilterSet(Consultation, DateRange("received_on"), Equals("area"), Equals("status"))


def test_params_come_from_the_declaration():
    assert FILTERS.params == ("date_from", "date_to", "area", "status")
    assert Equals("sector", param="verksamhet").params == ("verksamhet",)


def test_query_args_keep_only_declared_and_active_parameters():
    args = MultiDict({"area": "hrv", "status": "", "page": "3", "evil": "<script>", "date_from": "2018-01-01"})
    assert FILTERS.query_args(args) == {"area": "hrv", "date_from": "2018-01-01"}


def test_values_are_validated_and_an_invalid_form_filters_nothing(ctx):
    good = FilterForm(MultiDict({"area": "hrv", "date_from": "2018-09-01", "status": ""}))
    assert FILTERS.values(good) == {"area": "hrv", "date_from": date(2018, 9, 1)}
    bad = FilterForm(MultiDict({"area": "weather"}))
    assert FILTERS.values(bad) == {}
    assert bad.errors


def test_page_number_is_clamped():
    for raw, expected in (("", 1), ("abc", 1), ("-4", 1), ("0", 1), ("7", 7), (str(10**12), MAX_PAGE)):
        assert page_number(MultiDict({"page": raw})) == expected, raw
    assert page_number(MultiDict()) == 1


def test_conditions_and_pagination_on_the_database(ctx):
    coordinator = make_user(roles=("coordinator",))
    made = [make_consultation(coordinator, area="hrv" if i % 2 else "vbe",
                              received_on=date(2018, 9, 1) + timedelta(days=i)) for i in range(7)]
    values = {"area": "hrv", "date_from": date(2018, 9, 2), "date_to": date(2018, 9, 6)}
    query = select(Consultation).where(*FILTERS.conditions(values)).order_by(Consultation.id)
    assert [c.id for c in db.session.execute(query).scalars()] == [made[1].id, made[3].id, made[5].id]
    page = paginate(query, 2, 2)
    assert [c.id for c in page.items] == [made[5].id] and page.pages == 2
    assert paginate(query, 9, 2).items == []
