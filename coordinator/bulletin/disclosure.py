"""Disclosure control: the one function every published number goes through.

The contract is in docs/disclosure-control.md. In short: a count from 1 to threshold − 1
is hidden ("färre än 5"); in an additive line (cells that add up to a total) more cells
are hidden until no hidden cell can be worked out from what is published and the rules
themselves; a line published for a period that overlaps or nests in an already fastställd
one is checked together with it, so that subtracting the two never gives a small count
and neither line's hidden cells can be pinned by the other; a line that cannot be made
safe is withheld as a whole. No percentage of a small base; no line that crosses two case
attributes.

The reader assumed is strong: they know what is published and how the rules work. A cell
shown as "färre än 5" lies between 1 and threshold − 1; a cell shown as "–" was hidden to
protect another, so it is not small (at least the threshold: zeros are always shown and
small counts always say so). From the equations (cells add up to the total; a period that
contains another has at least its counts) they bound every unknown by interval
propagation; a hidden count is disclosed when its bounds meet, and a difference between
nested periods when it is pinned to a small count.
"""
from dataclasses import dataclass, field
from typing import Optional

SMALL = "small"
COMPLEMENTARY = "complementary"
ACROSS = "across"

SMALL_TEXT = "färre än %(n)s"
HIDDEN_TEXT = "–"
PERCENT_MIN_BASE = 20
INFINITY = float("inf")

# How a fastställd bulletin's period relates to the current one.
CONTAINS = "contains"  # the published period contains the current one
WITHIN = "within"  # the published period lies within the current one
OVERLAPS = "overlaps"  # they overlap, neither contains the other

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
    withheld: bool = False  # no way to publish it safely: nothing of it is published
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

    def published(self):
        """What a reader has of this line: the texts (a withheld line publishes nothing)."""
        if self.withheld:
            return {"cells": {}, "total": None, "withheld": True}
        return {"cells": {str(c.key): self.text(c) for c in self.cells},
                "total": self.text(self.total) if self.total else None}


def protect_line(counts, total=None, additive=True, threshold=5, published=(), total_fixed=False):
    """Protect one line: ``counts`` maps key → true count (in the order to show), ``total``
    the line's total. ``published``: ``(relation, cells, total)`` of each fastställd bulletin
    whose period overlaps this one, ``relation`` one of CONTAINS, WITHIN, OVERLAPS (how its
    period relates to this one), ``cells`` {key: what it published: a number, its text, or
    None for hidden}. ``total_fixed``: the total is published elsewhere as it stands (the
    section's headline), so it is not hidden here."""
    if threshold < 3:
        raise ValueError("the threshold must be at least 3 (at 2, 'färre än 2' would say the count is 1)")
    cells = [Cell(key, int(value), int(value)) for key, value in counts.items()]
    if any(c.value < 0 for c in cells):
        raise ValueError("counts are never negative")
    total_cell = Cell("total", int(total), int(total)) if total is not None else None
    for cell in cells + ([total_cell] if total_cell else []):
        if 1 <= cell.value < threshold:
            cell.hide(SMALL)
    line = ProtectedLine(cells, total_cell, threshold, additive)
    earlier = [_Published.of(entry, threshold) for entry in published]
    _subtraction(line, earlier)
    _complement(line, earlier, total_fixed)
    return line


# What earlier bulletins published ----------------------------------------------------------

@dataclass
class _Published:
    relation: str
    cells: dict  # key -> (low, high) a reader knows
    total: Optional[tuple]

    @classmethod
    def of(cls, entry, threshold):
        relation, cells, total = entry[0], entry[1] or {}, entry[2] if len(entry) > 2 else None
        return cls(relation, {str(k): _known(v, threshold) for k, v in cells.items()},
                   _known(total, threshold) if total is not None else None)


def _known(view, threshold):
    """(low, high) of a published value: a number, "färre än N", "–", or None (hidden, how
    unknown: at least 1, as zeros are shown)."""
    if view is None:
        return (1, INFINITY)
    if isinstance(view, int):
        return (view, view)
    text = str(view).strip()
    if text.isdigit():
        return (int(text), int(text))
    if text.startswith("färre än"):
        return (1, threshold - 1)
    return (threshold, INFINITY)


def _subtraction(line, earlier):
    """Rule 3 in its plain form: hide a shown count whose difference to the same count of an
    overlapping fastställd bulletin is small."""
    for before in earlier:
        pairs = [(c, before.cells.get(str(c.key))) for c in line.cells]
        if line.total is not None:
            pairs.append((line.total, before.total))
        for cell, known in pairs:
            if known and known[0] == known[1] and not cell.hidden and 0 < abs(cell.value - known[0]) < line.threshold:
                cell.hide(ACROSS)
                line.notes.append(ACROSS)


# The reader ------------------------------------------------------------------------------

def _own_bounds(line, cell):
    if cell is None:
        return None
    if not cell.hidden:
        return (cell.shown, cell.shown)
    if cell.reason == SMALL:
        return (1, line.threshold - 1)
    return (line.threshold, INFINITY)


def _propagate(bounds, equations, rounds=200):
    """Tighten integer intervals under equations sum(sign · variable) == 0; None when they
    contradict each other."""
    for _ in range(rounds):
        changed = False
        for equation in equations:
            for var, sign in equation.items():
                low = high = 0
                for other, other_sign in equation.items():
                    if other == var:
                        continue
                    lo, hi = bounds[other]
                    # the variable equals -sign * sum(other_sign * other)
                    term = (-sign * other_sign * lo, -sign * other_sign * hi)
                    low += min(term)
                    high += max(term)
                lo, hi = bounds[var]
                new = (max(lo, low), min(hi, high))
                if new[0] > new[1]:
                    return None
                if new != (lo, hi):
                    bounds[var] = new
                    changed = True
        if not changed:
            return bounds
    return bounds


def _system(line, before=None):
    """Variables, their bounds and the equations a reader has for ``line`` (and, with
    ``before``, an earlier bulletin's line)."""
    bounds, equations = {}, []
    keys = [str(c.key) for c in line.cells]
    for c in line.cells:
        bounds[("c", str(c.key))] = _own_bounds(line, c)
    if line.total is not None:
        bounds[("c", "total")] = _own_bounds(line, line.total)
        if line.additive:
            equations.append({**{("c", k): 1 for k in keys}, ("c", "total"): -1})
    if before is None or before.relation not in (CONTAINS, WITHIN):
        return bounds, equations
    for key in keys + (["total"] if line.total is not None and before.total is not None else []):
        known = before.total if key == "total" else before.cells.get(key)
        if known is None:
            continue
        bounds[("p", key)] = known
        bounds[("d", key)] = (0, INFINITY)
        larger, smaller = (("p", key), ("c", key)) if before.relation == CONTAINS else (("c", key), ("p", key))
        equations.append({larger: 1, smaller: -1, ("d", key): -1})
    if line.additive and before.total is not None and all(k in before.cells for k in keys):
        equations.append({**{("p", k): 1 for k in keys}, ("p", "total"): -1})
        if ("d", "total") in bounds:
            # Implied by the others, but propagation needs it: the difference period's counts
            # add up to its total too.
            equations.append({**{("d", k): 1 for k in keys}, ("d", "total"): -1})
    return bounds, equations


def _leaks(line, earlier):
    """The unknowns a reader can pin: a hidden count of this line or of an earlier one, or a
    small difference between nested periods."""
    systems = [_system(line)] + [_system(line, before) for before in earlier]
    leaks = []
    for bounds, equations in systems:
        given = dict(bounds)
        result = _propagate(dict(bounds), equations)
        if result is None:
            continue  # contradictory: cannot happen for true counts
        for var, (lo, hi) in result.items():
            if lo != hi:
                continue
            kind = var[0]
            if kind == "d" and 0 < lo < line.threshold:
                leaks.append(var)
            elif kind in ("c", "p") and given[var][0] != given[var][1]:
                leaks.append(var)  # it was hidden, and now it is known
    return leaks


def disclosed(line, published=()):
    """Whether a reader can work out a hidden count (or a small difference) from ``line``."""
    if line.withheld:
        return []
    earlier = [_Published.of(entry, line.threshold) for entry in published]
    return _leaks(line, earlier)


def _complement(line, earlier, total_fixed):
    """Hide more until nothing can be worked out: first the smallest shown cell (never a
    zero), then the total (unless it is published elsewhere); if that is not enough, the
    line is withheld."""
    while _leaks(line, earlier):
        shown = [c for c in line.cells if not c.hidden and c.value > 0]
        if shown:
            min(shown, key=lambda c: c.value).hide(COMPLEMENTARY)
        elif line.total is not None and not line.total.hidden and not total_fixed:
            line.total.hide(COMPLEMENTARY)
        else:
            line.withheld = True
            line.notes.append("withheld")
            return
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
