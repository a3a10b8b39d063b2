"""Disclosure control, rule by rule (docs/disclosure-control.md), and by hypothesis: no
protected line lets a reader who knows the rules work out a hidden cell."""
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordinator.bulletin.disclosure import (
    ACROSS,
    COMPLEMENTARY,
    SMALL,
    DisclosureError,
    disclosed,
    percentage,
    protect_line,
    refuse_combination,
)


def shown(line):
    return {c.key: line.text(c) for c in line.cells} | ({"total": line.text(line.total)} if line.total else {})


def test_small_counts_are_hidden_and_zero_stays_zero():
    line = protect_line({"hrv": 12, "vbe": 3, "both": 0}, additive=False)
    assert shown(line) == {"hrv": "12", "vbe": "färre än 5", "both": "0"}
    assert line.cell("vbe").reason == SMALL


def test_the_threshold_is_configurable_but_never_below_three():
    assert shown(protect_line({"a": 3, "b": 2}, additive=False, threshold=3)) == {"a": "3", "b": "färre än 3"}
    with pytest.raises(ValueError):
        protect_line({"a": 1}, threshold=2)


def test_a_single_small_cell_in_an_additive_line_takes_a_second_with_it():
    line = protect_line({"hrv": 20, "vbe": 3, "both": 9}, total=32)
    assert shown(line) == {"hrv": "20", "vbe": "färre än 5", "both": "–", "total": "32"}
    assert line.cell("both").reason == COMPLEMENTARY and disclosed(line) == []


def test_a_line_that_cannot_be_made_safe_is_withheld():
    """4 + 4 = 8: with the total published elsewhere, "färre än 5" twice would give both away,
    and nothing else can be hidden: the line is not published at all."""
    line = protect_line({"hrv": 4, "vbe": 4}, total=8, total_fixed=True)
    assert line.withheld and line.published() == {"cells": {}, "total": None, "withheld": True}
    assert [line.text(c) for c in line.cells] == ["färre än 5", "färre än 5"]  # rule 1 still holds


def test_a_dash_is_known_not_to_be_small():
    """6 + 1 = 7 with 6 as "–": a reader knows "–" is at least 5, so "–" is 5 or 6 and the
    small one 1 or 2: still open. 5 + 1 = 6 would close (5 and 1): the total goes too."""
    open_line = protect_line({"hrv": 6, "vbe": 1}, total=7)
    assert open_line.total.shown == 7 and open_line.cell("hrv").hidden and disclosed(open_line) == []
    closing = protect_line({"hrv": 5, "vbe": 1}, total=6)
    assert closing.total.hidden and disclosed(closing) == []


def test_a_count_recoverable_by_subtracting_a_published_period_is_hidden():
    """December was published with 14 in HRV; the quarter that ends with it has 17: the
    difference (3, the two months before) would be a small count."""
    line = protect_line({"hrv": 17, "vbe": 30}, total=47, published=[("within", {"hrv": 14, "vbe": 30}, 44)])
    assert line.cell("hrv").reason == ACROSS and line.total.reason == ACROSS
    assert line.text(line.cell("hrv")) == "–" and line.cell("vbe").shown == 30
    same = protect_line({"hrv": 14}, total=14, published=[("contains", {"hrv": 14}, 14)])
    assert same.cell("hrv").shown == 14  # no difference: nothing to hide


def test_percentages_need_a_base_of_twenty():
    assert percentage(5, 19) is None and percentage(5, 20) == 25
    line = protect_line({"a": 3, "b": 40}, total=43)
    assert percentage(line.cell("a"), line.total) is None


def test_two_case_attributes_never_cross():
    refuse_combination("area")
    refuse_combination("area", "kind_of_activity")
    for pair in (("area", "sector"), ("hrv_forms", "age_bands")):
        with pytest.raises(DisclosureError):
            refuse_combination(*pair)


def _exactly_solvable(line):
    """Brute force over every value the hidden cells could have (small: 1..t−1, "–": 1..total),
    for a reader who knows the rules: a hidden cell is disclosed when only one value fits."""
    if line.total is None:
        return []
    threshold = line.threshold
    hidden = [c for c in line.cells if c.hidden]
    known = sum(c.shown for c in line.cells if not c.hidden)
    totals = [line.total.shown] if not line.total.hidden else (
        range(1, threshold) if line.total.reason == SMALL else range(1, known + 4 * threshold * (len(hidden) + 1)))
    options = {c.key: set() for c in hidden}
    for total in totals:
        ranges = [range(1, threshold) if c.reason == SMALL else range(1, max(2, total - known + 1)) for c in hidden]
        for values in itertools.product(*ranges):
            if known + sum(values) == total:
                for cell, value in zip(hidden, values):
                    options[cell.key].add(value)
    return [key for key, values in options.items() if len(values) == 1]


counts = st.dictionaries(st.sampled_from("abcdef"), st.one_of(st.integers(0, 6), st.integers(0, 40)),
                         min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(counts, st.booleans())
def test_no_hidden_cell_can_be_worked_out(cells, fixed):
    line = protect_line(cells, total=sum(cells.values()), total_fixed=fixed)
    assert disclosed(line) == []
    assert line.withheld or _exactly_solvable(line) == []
    for cell in line.cells:
        assert cell.hidden or cell.shown == cell.value
        assert not (1 <= cell.value < 5) or cell.hidden
        assert cell.value != 0 or cell.shown == 0

