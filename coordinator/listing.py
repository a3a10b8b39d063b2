"""Lists with filters and pagination, declared once for every domain.

Two pagers: ``keyset_page`` for lists that can be deep (the cost of a page does not
grow with how far into the list it is: the next page starts after the last row
seen, through an index on the sort columns) and ``paginate`` (page numbers) for
short lists. ``bounded_count`` counts up to a cap, so a total on a page never
costs a scan of the whole table.

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
from datetime import date, datetime, timezone

from sqlalchemy import and_, func, select, tuple_

from .extensions import db

MAX_PAGE = 100_000
COUNT_CAP = 10_000  # counts on a page stop here and read "fler än 10 000"


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
class Flag:
    """When the parameter is set, the conditions ``conditions()`` returns (a callable, so
    that e.g. "today" is read when the list is shown)."""

    param: str
    conditions_when_set: object

    @property
    def params(self):
        return (self.param,)

    def conditions(self, model, values):
        return list(self.conditions_when_set()) if values.get(self.param) else []


@dataclass(frozen=True)
class Custom:
    """When the parameter has a value, the conditions ``build(value)`` returns (e.g. "has
    this partner", through an association table)."""

    param: str
    build: object

    @property
    def params(self):
        return (self.param,)

    def conditions(self, model, values):
        value = values.get(self.param)
        return list(self.build(value)) if value not in (None, "") else []


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
        return {name: form[name].data for name in self.params if form[name].data not in (None, "", False)}

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


# Keyset pagination ----------------------------------------------------------------

SEPARATOR = "_"  # in no ISO date, time or number


@dataclass(frozen=True)
class Keyset:
    """A list's sort order, newest first: ORM columns, the last one unique (the id).
    A cursor is the sort values of a row joined by "_", e.g. ``2018-10-03_1234``."""

    columns: tuple

    def cursor(self, row):
        return SEPARATOR.join(_format(getattr(row, c.key)) for c in self.columns)

    def parse(self, text):
        """The values of a cursor, or None when it is not one (then the list starts over)."""
        parts = (text or "").split(SEPARATOR)
        if len(parts) != len(self.columns):
            return None
        try:
            return tuple(_parse(c, p) for c, p in zip(self.columns, parts))
        except (TypeError, ValueError):
            return None

    def older_than(self, values):
        """Rows after ``values`` in the list (descending order), index-friendly."""
        return _beyond(self.columns, values, descending=True)

    def newer_than(self, values):
        return _beyond(self.columns, values, descending=False)


def _beyond(columns, values, descending):
    """Rows past ``values``: a row-value comparison ``(a, b) < (x, y)`` (both databases
    serve it from an index on (a, b)), with ``a <= x`` beside it so the leading column
    bounds the index range even where the row value is not used for that."""
    row, past = tuple_(*columns), tuple_(*values)
    if descending:
        return and_(columns[0] <= values[0], row < past)
    return and_(columns[0] >= values[0], row > past)


def _format(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _parse(column, text):
    python_type = column.type.python_type
    if python_type is datetime:
        value = datetime.fromisoformat(text)
        if value.tzinfo is None:
            raise ValueError(text)
        try:
            return value.astimezone(timezone.utc)  # a moment at the calendar's edge has no UTC form
        except OverflowError:
            raise ValueError(text) from None
    if python_type is date:
        return date.fromisoformat(text)
    if python_type is int:
        if not text.isdigit() or len(text) > 18:
            raise ValueError(text)
        return int(text)
    return python_type(text)


@dataclass
class KeysetPage:
    items: list
    next_cursor: str = None  # the rows after this page ("Äldre")
    prev_cursor: str = None  # the rows before it ("Nyare")

    @property
    def has_next(self):
        return self.next_cursor is not None

    @property
    def has_prev(self):
        return self.prev_cursor is not None


def keyset_page(query, keyset, per_page, after=None, before=None):
    """One page of ``query`` (already filtered, not ordered) in ``keyset`` order: the rows
    after the cursor ``after``, or those just before the cursor ``before``."""
    after_values, before_values = keyset.parse(after), keyset.parse(before)
    if before_values is not None:
        rows = db.session.execute(
            query.where(keyset.newer_than(before_values))
            .order_by(*(c.asc() for c in keyset.columns)).limit(per_page + 1)
        ).scalars().all()
        more_before = len(rows) > per_page
        items = list(reversed(rows[:per_page]))
        return KeysetPage(items, next_cursor=keyset.cursor(items[-1]) if items else None,
                          prev_cursor=keyset.cursor(items[0]) if items and more_before else None)
    if after_values is not None:
        query = query.where(keyset.older_than(after_values))
    rows = db.session.execute(
        query.order_by(*(c.desc() for c in keyset.columns)).limit(per_page + 1)
    ).scalars().all()
    items = rows[:per_page]
    return KeysetPage(items, next_cursor=keyset.cursor(items[-1]) if len(rows) > per_page else None,
                      prev_cursor=keyset.cursor(items[0]) if items and after_values is not None else None)


class Section(list):
    """The first rows of a start-page section, its total (counted up to COUNT_CAP) and the
    filters of the full list (the template's ``section_link``)."""

    def __init__(self, rows, total, list_args):
        super().__init__(rows)
        self.total = total
        self.list_args = list_args

    @property
    def more(self):
        return self.total > len(self)


def section(model, conditions, order, list_args, rows=10, options=()):
    """A start-page section of ``model``: the first ``rows`` in ``order``, and the count."""
    items = db.session.execute(
        select(model).where(*conditions).order_by(*order).limit(rows).options(*options)
    ).scalars().all()
    return Section(items, bounded_count(select(model.id).where(*conditions)), list_args)


def bounded_count(query, cap=COUNT_CAP):
    """How many rows ``query`` has, counting no further than ``cap + 1`` (so a page never
    pays for a scan of the whole table); compare with ``cap`` to say "more than"."""
    limited = query.order_by(None).limit(cap + 1).subquery()
    return db.session.execute(select(func.count()).select_from(limited)).scalar_one()
