"""Lists with filters and pagination, declared once for every domain.

A domain declares its filters against its model::

    FILTERS = FilterSet(Consultation, DateRange("received_on"), Equals("area"), Equals("status"))

and a WTForms form (``Meta.csrf = False``; its field names are the query-string
parameters) that parses and validates them. The view then needs three calls:

    values = FILTERS.values(filter_form)       # validated, active filters only ({} if invalid)
    query = select(...).where(*FILTERS.conditions(values))
    page = paginate(query, page_number(request.args), per_page)

and the templates two macros from ``_macros/lists.html``: ``filter_form`` and
``pager``, which carries ``FILTERS.query_args(request.args)`` in its links.
Model: Indico's ``ListGeneratorBase``.
"""
from dataclasses import dataclass

from .extensions import db

MAX_PAGE = 100_000


@dataclass(frozen=True)
class Equals:
    """``column == value``; the query parameter has the column's name unless given."""

    column: str
    param: str = ""

    @property
    def params(self):
        return (self.param or self.column,)

    def conditions(self, model, values):
        value = values.get(self.params[0])
        return [getattr(model, self.column) == value] if value not in (None, "") else []


@dataclass(frozen=True)
class DateRange:
    """``start <= column <= end``, either end optional."""

    column: str
    start: str = "date_from"
    end: str = "date_to"

    @property
    def params(self):
        return (self.start, self.end)

    def conditions(self, model, values):
        column = getattr(model, self.column)
        conditions = []
        if values.get(self.start):
            conditions.append(column >= values[self.start])
        if values.get(self.end):
            conditions.append(column <= values[self.end])
        return conditions


class FilterSet:
    def __init__(self, model, *filters):
        self.model = model
        self.filters = filters
        self.params = tuple(param for f in filters for param in f.params)

    def values(self, form):
        """The validated values of the active filters; none at all when the form is invalid
        (the template shows the form's errors above the unfiltered list)."""
        if not form.validate():
            return {}
        return {name: form[name].data for name in self.params if form[name].data not in (None, "")}

    def conditions(self, values):
        return [condition for f in self.filters for condition in f.conditions(self.model, values)]

    def query_args(self, args):
        """The active filter parameters as typed, to carry in links (declared ones only)."""
        return {name: args[name] for name in self.params if args.get(name)}


def page_number(args, name="page"):
    """The page asked for, clamped to 1..MAX_PAGE (anything unreadable is page 1)."""
    return min(max(args.get(name, 1, type=int) or 1, 1), MAX_PAGE)


def paginate(query, page, per_page):
    """One page of ``query`` (a page past the end is empty, not an error)."""
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)
