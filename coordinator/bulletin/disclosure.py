"""Disclosure control: the one function every published number goes through.

The contract is in docs/disclosure-control.md. In short: a count from 1 to threshold − 1
is hidden ("färre än 5"); in an additive line (cells that add up to a total) more cells
are hidden until no hidden cell can be worked out exactly from what is published and the
rules themselves; a cell whose difference to the same cell of an overlapping, already
fastställd bulletin would be a small count is hidden too; no percentage of a small base;
no line that crosses two case attributes.

The attacker assumed is strong: they know the published cells, the total, and how the
rules work. A cell shown as "färre än 5" lies between 1 and threshold − 1; any other
hidden cell (and a hidden total) is at least 1, because a true zero is always shown.
From the one equation sum(cells) = total they bound every unknown; a cell is disclosed
when its bounds meet.
"""
from dataclasses import dataclass, field
from typing import Optional

SMALL = "small"
COMPLEMENTARY = "complementary"
ACROSS = "across"

SMALL_TEXT = "färre än %(n)s"
HIDDEN_TEXT = "–"
PERCENT_MIN_BASE = 20

# The attributes of a case: a published line may be broken down by one of them, never two.
CASE_ATTRIBUTES = frozenset({
    "area", "sector", "channel", "person_count", "genders", "age_bands", "under_18", "hrv_forms",
    "perpetrators", "vbe_milieu", "vbe_concerns", "urgency", "advice_given", "referred_to_partner",
})


class DisclosureError(ValueError):
    """A line that may never be published (two case attributes crossed)."""


@dataclass
class Cell:
    key: object
    value: int  # the true count: never rendered
    shown: Optional[int]  # what is published; None when hidden
    reason: Optional[str] = None  # why hidden: SMALL, COMPLEMENTARY or ACROSS

    @property
    def hidden(self):
        return self.shown is None

    def hide(self, reason):
        self.shown, self.reason = None, reason


@dataclass
class ProtectedLine:
    cells: list
    total: Optional[Cell]
    threshold: int
    additive: bool = True
    notes: list = field(default_factory=list)  # why cells are hidden, for the preview

    def cell(self, key):
        return next(c for c in self.cells if c.key == key)

    def text(self, cell):
        """What a reader sees for ``cell``: the number, "färre än 5" or "–"."""
        if not cell.hidden:
            return str(cell.shown)
        if cell.reason == SMALL:
            return SMALL_TEXT % {"n": self.threshold}
        return HIDDEN_TEXT

    @property
    def suppressed(self):
        return [c for c in self.cells + ([self.total] if self.total else []) if c.hidden]


def protect_line(counts, total=None, additive=True, threshold=5, published=(), total_fixed=False):
    """Protect one line: ``counts`` maps key → true count (in the order to show), ``total``
    the line's total. ``published``: ``(relation, {key: shown or None}, total_shown)`` of the
    fastställda bulletins whose period overlaps this one. ``total_fixed``: the total is
    published elsewhere as it stands (the section's headline), so it cannot be hidden here."""
    if threshold < 3:
        raise ValueError("the threshold must be at least 3 (at 2, 'färre än 2' would say the count is 1)")
    cells = [Cell(key, int(value), int(value)) for key, value in counts.items()]
    if any(c.value < 0 for c in cells):
        raise ValueError("counts are never negative")
    total_cell = Cell("total", int(total), int(total)) if total is not None else None
    everything = cells + ([total_cell] if total_cell else [])
    for cell in everything:
        if 1 <= cell.value < threshold:
            cell.hide(SMALL)
    line = ProtectedLine(cells, total_cell, threshold, additive)
    _across(line, published)
    if additive and total_cell is not None:
        _complement(line, total_fixed and not total_cell.hidden)
    return line


def _across(line, published):
    """Hide what subtracting an overlapping fastställd bulletin would reveal as a small count."""
    for _relation, shown_cells, total_shown in published:
        pairs = [(c, shown_cells.get(c.key)) for c in line.cells]
        if line.total is not None:
            pairs.append((line.total, total_shown))
        for cell, before in pairs:
            if before is not None and not cell.hidden and 0 < abs(cell.value - before) < line.threshold:
                cell.hide(ACROSS)
                line.notes.append(ACROSS)


def _bounds(line):
    """Per unknown (hidden cell or total): the (low, high) a reader can derive."""
    infinity = float("inf")

    def known(cell):
        if not cell.hidden:
            return (cell.shown, cell.shown)
        if cell.reason == SMALL:
            return (1, line.threshold - 1)
        return (1, infinity)

    cells = {id(c): known(c) for c in line.cells}
    total = known(line.total)
    low_sum = sum(lo for lo, _hi in cells.values())
    high_sum = sum(hi for _lo, hi in cells.values())
    total = (max(total[0], low_sum), min(total[1], high_sum))
    derived = {}
    for cell in line.cells:
        lo, hi = cells[id(cell)]
        others = [bounds for key, bounds in cells.items() if key != id(cell)]
        others_low, others_high = sum(b[0] for b in others), sum(b[1] for b in others)
        derived[id(cell)] = (max(lo, total[0] - others_high), min(hi, total[1] - others_low))
    derived[id(line.total)] = total
    return derived


def disclosed(line):
    """The hidden cells (and total) whose value a reader can work out exactly."""
    if line.total is None or not line.additive:
        return []
    bounds = _bounds(line)
    return [c for c in line.cells + [line.total] if c.hidden and bounds[id(c)][0] == bounds[id(c)][1]]


def _complement(line, total_fixed):
    """Hide more until nothing hidden can be worked out: first the smallest shown cell (never
    a zero), then the total (unless it is published elsewhere), and as a last resort show a
    small cell as "–" rather than "färre än 5" (its bounds then no longer close)."""
    while disclosed(line):
        shown = [c for c in line.cells if not c.hidden and c.value > 0]
        if shown:
            min(shown, key=lambda c: c.value).hide(COMPLEMENTARY)
        elif not total_fixed and not line.total.hidden:
            line.total.hide(COMPLEMENTARY)
        else:
            small = [c for c in line.cells if c.reason == SMALL]
            if not small:
                break  # nothing left to hide (cannot happen: a hidden cell is small or "–")
            small[0].reason = COMPLEMENTARY
        line.notes.append(COMPLEMENTARY)


def percentage(part, base):
    """Whole per cent of ``base``, or None: no percentage of a base under 20 or of a hidden
    number (``part`` and ``base`` are counts or cells)."""
    part_value, base_value = _published_value(part), _published_value(base)
    if part_value is None or base_value is None or base_value < PERCENT_MIN_BASE:
        return None
    return round(100 * part_value / base_value)


def _published_value(number):
    if isinstance(number, Cell):
        return number.shown
    return number


def refuse_combination(*attributes):
    """A line is broken down by at most one case attribute (area × sector, form × age band
    would single people out)."""
    crossed = [a for a in attributes if a in CASE_ATTRIBUTES]
    if len(crossed) > 1:
        raise DisclosureError(f"a published line may not combine {' and '.join(crossed)}")
