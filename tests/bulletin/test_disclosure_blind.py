"""Blind, adversarial tests of disclosure control, written from
docs/disclosure-control.md alone (the implementation was not read).

The core of the file is an *attacker*: given only what a reader sees of one line
(``line.text(cell)`` for every cell and for the total), it works out, for every
hidden cell, the interval of true values consistent with everything published,
by integer bounds propagation over ``sum(cells) == total`` iterated to a fixpoint
(exact for one equation with unit coefficients; checked against brute force in
``test_attacker_selfcheck_matches_brute_force``). A hidden cell whose interval is
a single value is *disclosed*.

How much the reader knows about a "–" cell is where the spec can be read several
ways, so the attack runs at three strengths (each its own test, so a failure says
which reading it breaks):

- ``WEAK``: "–" is at least 0, as the rule-2 parenthesis puts it;
- ``ZERO_SHOWN``: "–" is at least 1, because the same sentence lists "a true zero
  is shown" among what the reader knows, so a hidden cell is never 0;
- ``REASON_SHOWN``: "–" is at least ``threshold``, because a count from 1 to
  threshold − 1 is always hidden as "small" and rendered "färre än 5", so a cell
  rendered "–" cannot be small. This follows from the published rules and the
  rendering; it is the reading safest for the people counted.

Where the spec is silent the safest reading is taken and said so in a comment:
the hidden total must not be derivable either; a total from 1 to threshold − 1 is
itself a small count (rule 1 speaks of every count); rule 3 holds whatever the
``period_relation`` string is (the spec gives no vocabulary for it; "contains" /
"within" are used here).
"""

import itertools
import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coordinator.bulletin.disclosure import DisclosureError, percentage, protect_line, refuse_combination

INF = math.inf
DEFAULT_THRESHOLD = 5
DASH = "–"
SMALL_TEXT = re.compile(r"färre än (\d+)")
HIDDEN_REASONS = {"small", "complementary", "across"}

WEAK, ZERO_SHOWN, REASON_SHOWN = "weak", "zero_shown", "reason_shown"

SETTINGS = settings(max_examples=300, deadline=None, database=None)


# ---------------------------------------------------------------------------
# What a reader sees
# ---------------------------------------------------------------------------


def parse_text(text):
    """One rendered cell -> ("shown", n) | ("small", N) for "färre än N" | ("dash", None)."""
    assert isinstance(text, str), f"text() returned {text!r}, not a string"
    s = text.strip()
    m = SMALL_TEXT.fullmatch(s)
    if m:
        return ("small", int(m.group(1)))
    if s == DASH:
        return ("dash", None)
    digits = re.sub(r"[\s\u00a0\u202f\u2009]", "", s)  # a thousands separator is allowed
    assert re.fullmatch(r"\d+", digits), f"unreadable published text {text!r}"
    return ("shown", int(digits))


def read_line(line):
    """What is published of a ProtectedLine: the view of every cell and of the total (None: no total).
    A withheld line (spec, rule 2: one that cannot be made safe) publishes nothing."""
    if getattr(line, "withheld", False):
        return [("none", None)] * len(line.cells), (None if line.total is None else ("none", None))
    cells = [parse_text(line.text(c)) for c in line.cells]
    total = None if line.total is None else parse_text(line.text(line.total))
    return cells, total


def cell_domain(view, threshold, level):
    kind, n = view
    if kind == "none":
        return (0, INF)
    if kind == "shown":
        return (n, n)
    if kind == "small":
        return (1, min(n, threshold) - 1)
    return ({WEAK: 0, ZERO_SHOWN: 1, REASON_SHOWN: threshold}[level], INF)


def total_domain(view, threshold):
    kind, n = view
    if kind == "none":
        return (0, INF)
    if kind == "shown":
        return (n, n)
    if kind == "small":
        return (1, min(n, threshold) - 1)
    # A hidden total is at least 0; nothing stronger is assumed (a small total might be
    # rendered "–" by an implementation that does not treat the total as a count).
    return (0, INF)


# ---------------------------------------------------------------------------
# The attacker: integer bounds propagation (and brute force where it is cheap)
# ---------------------------------------------------------------------------


def propagate(bounds, constraints, max_rounds=400):
    """Tighten integer intervals under linear constraints with coefficients ±1.

    bounds: {var: (lo, hi)} (lo finite, hi possibly INF); constraints: [(coeffs {var: ±1}, rhs, op)]
    with op "=" (sum a_i x_i == rhs) or ">=" (sum a_i x_i >= rhs). Returns the tightened bounds,
    or None when they are inconsistent (the published line contradicts the rules). Sound: every
    value outside the returned interval is impossible.
    """
    b = {v: [lo, hi] for v, (lo, hi) in bounds.items()}
    for _ in range(max_rounds):
        changed = False
        for coeffs, rhs, op in constraints:
            for j, aj in coeffs.items():
                lo_rest = sum(min(a * b[i][0], a * b[i][1]) for i, a in coeffs.items() if i != j)
                hi_rest = sum(max(a * b[i][0], a * b[i][1]) for i, a in coeffs.items() if i != j)
                # aj * xj  (op)  rhs - rest
                if op == "=":
                    lo_aj, hi_aj = rhs - hi_rest, rhs - lo_rest
                else:
                    lo_aj, hi_aj = rhs - hi_rest, INF
                new_lo, new_hi = (lo_aj, hi_aj) if aj == 1 else (-hi_aj, -lo_aj)
                if new_lo > b[j][0]:
                    b[j][0], changed = new_lo, True
                if new_hi < b[j][1]:
                    b[j][1], changed = new_hi, True
                if b[j][0] > b[j][1]:
                    return None
        if not changed:
            break
    return {v: (lo, hi) for v, (lo, hi) in b.items()}


def brute_force_hull(bounds, constraints, limit=20000):
    """Exact interval hull of every variable by enumeration, or None when unbounded / too many."""
    free = [v for v, (lo, hi) in bounds.items() if lo != hi]
    if any(bounds[v][1] == INF for v in free):
        return None
    size = 1
    for v in free:
        size *= bounds[v][1] - bounds[v][0] + 1
        if size > limit:
            return None
    fixed = {v: lo for v, (lo, hi) in bounds.items() if lo == hi}
    hull = {}
    for combo in itertools.product(*(range(bounds[v][0], bounds[v][1] + 1) for v in free)):
        x = dict(fixed)
        x.update(zip(free, combo))
        ok = True
        for coeffs, rhs, op in constraints:
            s = sum(a * x[i] for i, a in coeffs.items())
            if (op == "=" and s != rhs) or (op == ">=" and s < rhs):
                ok = False
                break
        if ok:
            for v, val in x.items():
                lo, hi = hull.get(v, (val, val))
                hull[v] = (min(lo, val), max(hi, val))
    return hull or None


def line_system(cell_views, total_view, threshold, level, additive=True):
    bounds = {("c", i): cell_domain(v, threshold, level) for i, v in enumerate(cell_views)}
    constraints = []
    if total_view is not None:
        bounds["T"] = total_domain(total_view, threshold)
        if additive:
            coeffs = {("c", i): 1 for i in range(len(cell_views))}
            coeffs["T"] = -1
            constraints.append((coeffs, 0, "="))
        else:  # the total is an upper bound of every cell
            constraints.extend(({"T": 1, ("c", i): -1}, 0, ">=") for i in range(len(cell_views)))
    return bounds, constraints


def attack(cell_views, total_view, threshold, level=WEAK, additive=True):
    """Interval of every cell ("c", i) and of the total "T", consistent with what is published.

    Bounds propagation to a fixpoint; for one additive equation this is already exact, and
    where the hidden values are bounded and few it is refined by brute force anyway.
    Returns None when what is published is inconsistent with the rules.
    """
    bounds, constraints = line_system(cell_views, total_view, threshold, level, additive)
    res = propagate(bounds, constraints)
    if res is None:
        return None
    exact = brute_force_hull(res, constraints, limit=2000)
    return exact if exact is not None else res


def disclosed_cells(line, threshold, level=WEAK, additive=True):
    """[(key, value the reader works out)] for every hidden cell whose interval is one value;
    the total is reported under the key "total"."""
    cell_views, total_view = read_line(line)
    res = attack(cell_views, total_view, threshold, level, additive)
    assert res is not None, (
        f"the published line contradicts the rules at attack level {level!r}: "
        f"{[line.text(c) for c in line.cells]} total {None if line.total is None else line.text(line.total)}"
    )
    out = []
    for i, c in enumerate(line.cells):
        lo, hi = res[("c", i)]
        assert lo <= c.value <= hi, f"attacker unsound: {c.key}={c.value} outside [{lo}, {hi}]"
        if c.shown is None and lo == hi:
            out.append((c.key, lo))
    if line.total is not None and line.total.shown is None:
        lo, hi = res["T"]
        if lo == hi:
            out.append(("total", lo))
    return out


# ---------------------------------------------------------------------------
# Strategies and the call
# ---------------------------------------------------------------------------

# many small values, some large ones
count = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 200))
# None stands for "use the default" (5, BULLETIN_SUPPRESS_BELOW); 2 is left out: with threshold 2
# "färre än 2" means exactly 1, which no rule could protect.
thresholds = st.sampled_from([None, None, None, 3, 4, 6])


@st.composite
def additive_lines(draw):
    xs = draw(st.lists(count, min_size=1, max_size=8))
    counts = {f"k{i}": x for i, x in enumerate(xs)}
    with_total = draw(st.sampled_from([True, True, True, False]))
    return counts, (sum(xs) if with_total else None), draw(thresholds)


@st.composite
def non_additive_lines(draw):
    xs = draw(st.lists(count, min_size=1, max_size=8))
    counts = {f"k{i}": x for i, x in enumerate(xs)}
    # a record can be in several cells (or in none): max(cells) <= total <= max + sum
    total = draw(st.one_of(st.none(), st.integers(max(xs), max(xs) + sum(xs))))
    return counts, total, draw(thresholds)


def eff(threshold):
    return DEFAULT_THRESHOLD if threshold is None else threshold


def protect(counts, total=None, additive=True, threshold=None, published=None):
    kwargs = {"total": total, "additive": additive}
    if threshold is not None:
        kwargs["threshold"] = threshold
    if published is not None:
        kwargs["published"] = published
    return protect_line(dict(counts), **kwargs)


def is_small(n, t):
    return 1 <= n <= t - 1


def check_line(line, counts, total, t, additive=True, allowed=HIDDEN_REASONS):
    """Rules (a)–(d) and the structure of a ProtectedLine."""
    assert [c.key for c in line.cells] == list(counts), "cells not one per key in the order given"
    for c in line.cells:
        true = counts[c.key]
        assert c.value == true, f"Cell.value of {c.key} is {c.value}, the true count is {true}"
        txt = line.text(c)
        view = parse_text(txt)
        if is_small(true, t):
            # (a) a small count is hidden, as "small", rendered "färre än 5"
            assert c.shown is None, f"(a) small count {c.key}={true} is shown as {c.shown}"
            assert c.reason == "small", f"(a) small count {c.key}={true} hidden with reason {c.reason!r}"
            assert view[0] == "small", f"(a) small count {c.key}={true} rendered {txt!r}"
            if t == DEFAULT_THRESHOLD:
                assert txt == "färre än 5", f"(a) rendered {txt!r}"
            # "färre än N" with N < threshold would tell more than the rule allows
            assert view[1] >= t, f"(a) {txt!r} is narrower than the threshold {t}"
        if true == 0:
            # (b) a true zero is always shown as 0
            assert c.shown == 0 and view == ("shown", 0), f"(b) true zero {c.key} published as {txt!r}"
        if c.shown is not None:
            # (c) a shown cell is the true value
            assert c.shown == true, f"(c) {c.key} shown as {c.shown}, true {true}"
            assert c.reason is None, f"shown cell {c.key} has reason {c.reason!r}"
            assert view == ("shown", true), f"(c) {c.key}={true} rendered {txt!r}"
        else:
            assert c.reason in allowed, f"hidden cell {c.key}={true} has reason {c.reason!r}"
            if c.reason != "small":
                assert txt == DASH, f"{c.key} hidden as {c.reason!r} rendered {txt!r}, not '–'"
                assert not is_small(true, t)
    if total is None:
        assert line.total is None, "a total appeared where none was given"
    else:
        assert line.total is not None, "the total Cell is missing"
        assert line.total.key == "total"
        assert line.total.value == total
        ttxt = line.text(line.total)
        tview = parse_text(ttxt)
        if line.total.shown is not None:
            # (d) the shown total is the true total
            assert line.total.shown == total, f"(d) total shown as {line.total.shown}, true {total}"
            assert tview == ("shown", total), f"(d) total {total} rendered {ttxt!r}"
        else:
            assert tview[0] in ("small", "dash"), f"hidden total rendered {ttxt!r}"


def describe(line):
    return {c.key: line.text(c) for c in line.cells} | (
        {} if line.total is None else {"total": line.text(line.total)}
    )


# ---------------------------------------------------------------------------
# 0. The attacker itself (independent of the implementation)
# ---------------------------------------------------------------------------


@st.composite
def synthetic_views(draw):
    """A true line and a publication of it that follows the rendering rules (not necessarily safe)."""
    t = draw(st.sampled_from([3, 4, 5, 6]))
    xs = draw(st.lists(st.one_of(st.integers(0, 8), st.integers(0, 30)), min_size=1, max_size=5))
    views = []
    for x in xs:
        if is_small(x, t):
            views.append(("small", t))
        elif x == 0 or not draw(st.booleans()):
            views.append(("shown", x))
        else:
            views.append(("dash", None))
    total = sum(xs)
    tview = ("shown", total) if draw(st.booleans()) else ("dash", None)
    level = draw(st.sampled_from([WEAK, ZERO_SHOWN, REASON_SHOWN]))
    return xs, views, total, tview, t, level


@settings(max_examples=300, deadline=None, database=None)
@given(synthetic_views())
def test_attacker_selfcheck_matches_brute_force(case):
    xs, views, total, tview, t, level = case
    bounds, constraints = line_system(views, tview, t, level)
    prop = propagate(bounds, constraints)
    assert prop is not None
    for i, x in enumerate(xs):
        lo, hi = prop[("c", i)]
        assert lo <= x <= hi
    if tview[0] != "shown":
        return  # "–" cells are unbounded: no brute force can stand in for the reader
    # brute force over the hidden cells, "–" capped at the total (a cell cannot exceed it)
    capped = {v: (lo, min(hi, total)) for v, (lo, hi) in bounds.items()}
    exact = brute_force_hull(capped, constraints, limit=200000)
    if exact is None:
        return  # too many combinations
    for v in exact:
        assert prop[v] == exact[v], (v, prop[v], exact[v])


def test_attacker_known_cases():
    # 3 hidden as small, 5 shown, total 8: the 3 is disclosed
    res = attack([("small", 5), ("shown", 5)], ("shown", 8), 5)
    assert res[("c", 0)] == (3, 3)
    # two small cells and a total of 2: both are 1
    res = attack([("small", 5), ("small", 5)], ("shown", 2), 5)
    assert res[("c", 0)] == (1, 1) and res[("c", 1)] == (1, 1)
    # small + "–" summing to 8: not disclosed for the weak reader
    res = attack([("small", 5), ("dash", None)], ("shown", 8), 5)
    assert res[("c", 0)] == (1, 4) and res[("c", 1)] == (4, 7)
    # ... but "–" >= threshold pins 5 + 1 = 6
    res = attack([("dash", None), ("small", 5)], ("shown", 6), 5, level=REASON_SHOWN)
    assert res[("c", 0)] == (5, 5) and res[("c", 1)] == (1, 1)
    # everything shown, total hidden: the total is the sum
    res = attack([("shown", 7), ("shown", 0)], ("dash", None), 5)
    assert res["T"] == (7, 7)


# ---------------------------------------------------------------------------
# 1. One additive line: rules (a)–(f)
# ---------------------------------------------------------------------------

TRICKY = [  # small lines where a naive protection leaks
    ({"a": 3, "b": 5}, 8, None),
    ({"a": 1, "b": 1}, 2, None),
    ({"a": 4, "b": 4}, 8, None),
    ({"a": 3}, 3, None),
    ({"a": 3, "b": 0}, 3, None),
    ({"a": 5, "b": 1}, 6, None),
    ({"a": 1, "b": 5, "c": 5}, 11, None),
    ({"a": 2, "b": 200}, 202, None),
    ({"a": 0, "b": 0, "c": 7}, 7, None),
    ({"a": 1, "b": 2, "c": 3}, 6, 3),
    # minimal failures found by hypothesis against the first implementation, kept as regressions
    ({"k0": 1, "k1": 1}, 2, 3),
    ({"a": 1, "b": 1, "c": 1, "d": 1}, 4, None),
    ({"k0": 1, "k1": 3}, 4, 3),
]


def with_tricky(test):
    for counts, total, t in TRICKY:
        test = example(case=(counts, total, t))(test)
    return test


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_rules_a_to_d_hold_on_every_additive_line(case):
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    check_line(line, counts, total, t)


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_e_no_hidden_cell_disclosed_weak_reader(case):
    """(e) "–" is at least 0 (the brief's reader)."""
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    leaked = [(k, v) for k, v in disclosed_cells(line, t, WEAK) if k != "total"]
    assert not leaked, f"(e, weak) disclosed {leaked} from {describe(line)}"


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_e_no_hidden_cell_disclosed_reader_knows_zero_is_shown(case):
    """(e) "–" is at least 1: rule 2 lists "a true zero is shown" among what the reader knows."""
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    leaked = [(k, v) for k, v in disclosed_cells(line, t, ZERO_SHOWN) if k != "total"]
    assert not leaked, f"(e, zero shown) disclosed {leaked} from {describe(line)}"


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_e_no_hidden_cell_disclosed_reader_knows_dash_is_not_small(case):
    """(e) "–" is at least threshold: a small count is always rendered "färre än 5", so "–" is not
    small. The strongest reading, and the one safest for the people counted."""
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    leaked = [(k, v) for k, v in disclosed_cells(line, t, REASON_SHOWN) if k != "total"]
    assert not leaked, f"(e, '–' not small) disclosed {leaked} from {describe(line)}"


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_e_hidden_total_cannot_be_worked_out(case):
    """Safest reading: the total is a Cell too; once hidden, it must not be derivable (weak reader)."""
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    leaked = [(k, v) for k, v in disclosed_cells(line, t, WEAK) if k == "total"]
    assert not leaked, f"hidden total worked out as {leaked} from {describe(line)}"


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_small_total_is_hidden(case):
    """Safest reading of rule 1 ("a count from 1 to threshold − 1 is hidden"): the total is a count."""
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    if total is not None and is_small(total, t):
        assert line.total.shown is None, f"small total {total} shown: {describe(line)}"


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_f_nothing_hidden_when_no_cell_is_small(case):
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, threshold=threshold)
    if not any(is_small(v, t) for v in counts.values()):
        hidden = [c.key for c in line.cells if c.shown is None]
        assert not hidden, f"(f) {hidden} hidden with no small cell: {counts} -> {describe(line)}"
        assert line.total is None or line.total.shown == total, f"(f) total hidden: {describe(line)}"


@SETTINGS
@with_tricky
@given(case=additive_lines())
def test_protection_is_deterministic(case):
    counts, total, threshold = case
    a = protect(counts, total, threshold=threshold)
    b = protect(counts, total, threshold=threshold)
    assert [(c.shown, c.reason) for c in a.cells] == [(c.shown, c.reason) for c in b.cells]


# ---------------------------------------------------------------------------
# 2. Non-additive lines: small cells hidden, nothing else needed
# ---------------------------------------------------------------------------


@SETTINGS
@example(case=({"a": 3, "b": 7, "c": 0}, 9, None))
@example(case=({"a": 0, "b": 0}, 3, None))
@given(case=non_additive_lines())
def test_non_additive_line(case):
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, additive=False, threshold=threshold)
    check_line(line, counts, total, t, additive=False, allowed={"small"})
    for c in line.cells:
        if not is_small(c.value, t):
            assert c.shown == c.value, f"non-additive {c.key}={c.value} hidden ({c.reason!r}): {describe(line)}"
    # the only relation is cell <= total; a small cell must still not be pinned by it
    leaked = [(k, v) for k, v in disclosed_cells(line, t, WEAK, additive=False) if k != "total"]
    assert not leaked, f"non-additive line disclosed {leaked}: {describe(line)}"
    if total is not None and not is_small(total, t):
        assert line.total.shown == total, f"non-additive total {total} hidden: {describe(line)}"


@SETTINGS
@given(case=non_additive_lines())
def test_non_additive_small_total_is_hidden(case):
    """Safest reading: a total from 1 to threshold − 1 is a small count whatever the line."""
    counts, total, threshold = case
    t = eff(threshold)
    line = protect(counts, total, additive=False, threshold=threshold)
    if total is not None and is_small(total, t):
        assert line.total.shown is None, f"small non-additive total {total} shown: {describe(line)}"


# ---------------------------------------------------------------------------
# 3. Across bulletins: nested periods
# ---------------------------------------------------------------------------

diff_count = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 60))


@st.composite
def nested_periods(draw):
    """The smaller period S, the difference period D, the larger period L = S + D, per key."""
    n = draw(st.integers(1, 6))
    keys = [f"k{i}" for i in range(n)]
    small = {k: draw(count) for k in keys}
    diff = {k: draw(diff_count) for k in keys}
    larger_published = draw(st.booleans())
    with_total = draw(st.sampled_from([True, True, True, False]))
    threshold = draw(st.sampled_from([None, None, 3, 4]))
    return small, diff, larger_published, with_total, threshold


ACROSS_EXAMPLES = [
    # (smaller period, difference, larger published?, with total, threshold)
    ({"a": 10}, {"a": 3}, True, True, None),
    ({"a": 10}, {"a": 3}, False, True, None),
    ({"a": 6, "b": 0}, {"a": 0, "b": 2}, True, True, None),
    ({"a": 6, "b": 9}, {"a": 2, "b": 0}, False, True, None),
    ({"a": 6, "b": 9}, {"a": 2, "b": 2}, True, True, None),
    ({"a": 20, "b": 30, "c": 40}, {"a": 1, "b": 0, "c": 0}, True, True, None),
    ({"a": 20, "b": 30, "c": 40}, {"a": 1, "b": 0, "c": 0}, False, True, None),
    ({"a": 7, "b": 8}, {"a": 5, "b": 5}, True, True, None),
    # minimal failures found by hypothesis / a random search against the first implementation
    ({"k0": 4, "k1": 4, "k2": 5}, {"k0": 0, "k1": 1, "k2": 0}, False, True, None),
    ({"k0": 0, "k1": 2, "k2": 3}, {"k0": 0, "k1": 1, "k2": 0}, False, True, 3),
    ({"k0": 0, "k1": 5, "k2": 0, "k3": 0}, {"k0": 0, "k1": 0, "k2": 1, "k3": 5}, False, True, None),
    ({"k0": 5, "k1": 4}, {"k0": 0, "k1": 5}, True, True, None),
    ({"k0": 0, "k1": 5, "k2": 1}, {"k0": 1, "k1": 0, "k2": 0}, True, True, None),
]


def with_across_examples(test):
    for ex in ACROSS_EXAMPLES:
        test = example(case=ex)(test)
    return test


def publish_pair(small, diff, larger_published, with_total, threshold):
    larger = {k: small[k] + diff[k] for k in small}
    ts = sum(small.values()) if with_total else None
    tl = sum(larger.values()) if with_total else None
    if larger_published:
        # the fastställd bulletin's period contains the current one (a quarter vs its first month)
        first, first_total, second, second_total, relation = larger, tl, small, ts, "contains"
    else:
        # the fastställd bulletin's period lies within the current one
        first, first_total, second, second_total, relation = small, ts, larger, tl, "within"
    pub = protect(first, first_total, threshold=threshold)
    # What the fastställd bulletin published, as its reader saw it (the texts; spec, rule 3).
    pub_cells = {c.key: pub.text(c) for c in pub.cells}
    pub_total = None if pub.total is None else pub.text(pub.total)
    published = [] if getattr(pub, "withheld", False) else [(relation, pub_cells, pub_total)]
    cur = protect(second, second_total, threshold=threshold, published=published)
    return pub, cur, second, second_total


@SETTINGS
@with_across_examples
@given(case=nested_periods())
def test_across_difference_period_not_small_by_subtraction(case):
    small, diff, larger_published, with_total, threshold = case
    t = eff(threshold)
    pub, cur, _, _ = publish_pair(small, diff, larger_published, with_total, threshold)
    for p, c in zip(pub.cells, cur.cells):
        if p.shown is not None and c.shown is not None:
            d = abs(p.shown - c.shown)
            assert not is_small(d, t), (
                f"across: {c.key} of the difference period = {d} by subtraction; "
                f"published {describe(pub)}, current {describe(cur)}"
            )
    if pub.total is not None and pub.total.shown is not None and cur.total.shown is not None:
        d = abs(pub.total.shown - cur.total.shown)
        assert not is_small(d, t), (
            f"across: total of the difference period = {d} by subtraction; "
            f"published {describe(pub)}, current {describe(cur)}"
        )


@SETTINGS
@with_across_examples
@given(case=nested_periods())
def test_across_current_line_still_follows_the_rules_and_is_safe(case):
    """Rule 2 is applied again after rule 3: the current line alone must still be safe."""
    small, diff, larger_published, with_total, threshold = case
    t = eff(threshold)
    pub, cur, counts, total = publish_pair(small, diff, larger_published, with_total, threshold)
    check_line(cur, counts, total, t)
    leaked = disclosed_cells(cur, t, WEAK)
    assert not leaked, f"across: current line discloses {leaked}: {describe(cur)} (published {describe(pub)})"


def joint_attack(pub, cur, larger_published, t, level=WEAK):
    """Both lines together, with L_k = S_k + D_k, D_k >= 0, per key and for the total.

    Returns the intervals of ("S", k), ("L", k), ("D", k) and "TS", "TL", "DT" (None: inconsistent).
    """
    pub_views, pub_tview = read_line(pub)
    cur_views, cur_tview = read_line(cur)
    if larger_published:
        lv, ltv, sv, stv = pub_views, pub_tview, cur_views, cur_tview
    else:
        lv, ltv, sv, stv = cur_views, cur_tview, pub_views, pub_tview
    keys = [c.key for c in cur.cells]
    bounds, constraints = {}, []
    for k, s_view, l_view in zip(keys, sv, lv):
        bounds[("S", k)] = cell_domain(s_view, t, level)
        bounds[("L", k)] = cell_domain(l_view, t, level)
        bounds[("D", k)] = (0, INF)
        constraints.append(({("L", k): 1, ("S", k): -1, ("D", k): -1}, 0, "="))
    if stv is not None:
        bounds["TS"] = total_domain(stv, t)
        bounds["TL"] = total_domain(ltv, t)
        bounds["DT"] = (0, INF)
        constraints.append(({("S", k): 1 for k in keys} | {"TS": -1}, 0, "="))
        constraints.append(({("L", k): 1 for k in keys} | {"TL": -1}, 0, "="))
        constraints.append(({("D", k): 1 for k in keys} | {"DT": -1}, 0, "="))
        constraints.append(({"TL": 1, "TS": -1, "DT": -1}, 0, "="))
    res = propagate(bounds, constraints)
    if res is None:
        return None
    exact = brute_force_hull(res, constraints, limit=5000)
    return exact if exact is not None else res


@SETTINGS
@with_across_examples
@given(case=nested_periods())
def test_across_joint_attack_cannot_pin_a_small_difference(case):
    """Stronger than subtraction: both lines' intervals together, D_k = L_k − S_k >= 0."""
    small, diff, larger_published, with_total, threshold = case
    t = eff(threshold)
    pub, cur, _, _ = publish_pair(small, diff, larger_published, with_total, threshold)
    res = joint_attack(pub, cur, larger_published, t)
    assert res is not None, f"the two publications contradict each other: {describe(pub)} / {describe(cur)}"
    leaks = []
    for k in small:
        lo, hi = res[("D", k)]
        assert lo <= diff[k] <= hi, "joint attacker unsound"
        if lo == hi and is_small(lo, t):
            leaks.append((k, lo))
    if "DT" in res:
        lo, hi = res["DT"]
        if lo == hi and is_small(lo, t):
            leaks.append(("total", lo))
    assert not leaks, (
        f"across (joint): difference period worked out as {leaks}; "
        f"published {describe(pub)}, current {describe(cur)}"
    )


@SETTINGS
@with_across_examples
@given(case=nested_periods())
def test_across_joint_attack_cannot_pin_a_hidden_cell(case):
    """Together the two lines must not pin a hidden cell of either (weak reader)."""
    small, diff, larger_published, with_total, threshold = case
    t = eff(threshold)
    pub, cur, _, _ = publish_pair(small, diff, larger_published, with_total, threshold)
    res = joint_attack(pub, cur, larger_published, t)
    assert res is not None
    lines = {"L": pub, "S": cur} if larger_published else {"L": cur, "S": pub}
    leaks = []
    for side, line in lines.items():
        for c in line.cells:
            lo, hi = res[(side, c.key)]
            if c.shown is None and lo == hi:
                leaks.append((("larger" if side == "L" else "smaller") + f" {c.key}", lo))
        if line.total is not None and line.total.shown is None:
            lo, hi = res["T" + side]
            if lo == hi:
                leaks.append((("larger" if side == "L" else "smaller") + " total", lo))
    assert not leaks, (
        f"across (joint): hidden cells worked out as {leaks}; "
        f"published {describe(pub)}, current {describe(cur)}"
    )


def test_across_rule_example_by_hand():
    # quarter published with a = 10; the month has a = 7: the two months left have 3
    quarter = protect({"a": 10, "b": 40}, 50)
    assert quarter.cells[0].shown == 10 and quarter.total.shown == 50
    published = [("contains", {c.key: c.shown for c in quarter.cells}, quarter.total.shown)]
    month = protect({"a": 7, "b": 40}, 47, published=published)
    assert month.cells[0].shown is None, f"a = 7 against a published 10 shown: {describe(month)}"
    assert month.cells[0].reason == "across"
    assert month.text(month.cells[0]) == DASH
    assert month.total.shown is None or abs(month.total.shown - 50) >= 5
    assert not disclosed_cells(month, 5, WEAK)


def test_across_does_not_hide_when_difference_is_zero_or_large():
    published = [("contains", {"a": 10, "b": 40}, 50)]
    month = protect({"a": 10, "b": 20}, 30, published=published)
    assert [c.shown for c in month.cells] == [10, 20] and month.total.shown == 30


# ---------------------------------------------------------------------------
# 4. Unit rules: threshold, percentages, combinations
# ---------------------------------------------------------------------------


def test_default_threshold_is_five():
    line = protect({"a": 4, "b": 5, "c": 0, "d": 100}, 109)
    a, b, c, d = line.cells
    assert a.shown is None and a.reason == "small" and line.text(a) == "färre än 5"
    assert c.shown == 0 and line.text(c) == "0"
    assert not disclosed_cells(line, 5, WEAK)
    line = protect({"a": 5, "b": 6, "c": 0}, 11)
    assert [x.shown for x in line.cells] == [5, 6, 0] and line.total.shown == 11


def test_threshold_is_configurable():
    line = protect({"a": 3, "b": 4, "c": 0}, 7, threshold=3)
    assert [x.shown for x in line.cells] == [3, 4, 0] and line.total.shown == 7
    line = protect({"a": 3, "b": 4, "c": 0}, 7)  # default 5: both small
    assert [x.reason for x in line.cells[:2]] == ["small", "small"]
    line = protect({"a": 2, "b": 3, "c": 0, "d": 10}, 15, threshold=3)
    a = line.cells[0]
    assert a.shown is None and a.reason == "small"
    kind, n = parse_text(line.text(a))
    # the spec writes "färre än 5" for the default; with threshold 3 "färre än 3" is expected,
    # a larger N is inaccurate but safe, a smaller one would say more than the rule allows
    assert kind == "small" and n >= 3
    assert line.cells[2].shown == 0
    assert not disclosed_cells(line, 3, WEAK)
    line = protect({"a": 5, "b": 9}, 14, threshold=10)
    assert all(x.shown is None for x in line.cells)
    assert not disclosed_cells(line, 10, WEAK)


def as_number(v):
    if isinstance(v, str):
        v = v.replace("%", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return float(v)


def is_percentage_of(v, part, base):
    x = as_number(v)
    return abs(x - 100 * part / base) <= 0.5 + 1e-9 or abs(x - part / base) <= 0.005 + 1e-12


@settings(max_examples=300, deadline=None, database=None)
@given(part=st.integers(0, 2000), base=st.integers(0, 19))
def test_percentage_none_under_base_20(part, base):
    assert percentage(part, base) is None


@settings(max_examples=300, deadline=None, database=None)
@given(data=st.data(), base=st.integers(20, 2000))
def test_percentage_given_from_base_20(data, base):
    # a part from 1 to 4 is left out: a function that also refuses a small part is only safer
    part = data.draw(st.one_of(st.just(0), st.integers(min(5, base), base)))
    v = percentage(part, base)
    assert v is not None, f"percentage({part}, {base}) is None"
    assert is_percentage_of(v, part, base), f"percentage({part}, {base}) = {v!r}"


@pytest.mark.parametrize("part, base", [(None, 50), (10, None), (None, None), (None, 10)])
def test_percentage_none_when_hidden(part, base):
    assert percentage(part, base) is None


def test_percentage_of_hidden_cells_never_leaks():
    """If percentage() accepts Cells, a hidden one must give None (its true value must not leak)."""
    line = protect({"a": 3, "b": 30, "c": 40}, 73)
    hidden = [c for c in line.cells if c.shown is None]
    assert hidden
    for part in hidden:
        for base in (line.total, 73):
            try:
                v = percentage(part, base)
            except (TypeError, AttributeError, ValueError, DisclosureError):
                continue  # Cells are not accepted: nothing leaks
            assert v is None, f"percentage of hidden {part.key} = {v!r}"


@pytest.mark.parametrize("attributes", [("area", "sector"), ("hrv_forms", "age_bands")])
def test_refuse_combination_of_two_case_attributes(attributes):
    with pytest.raises(DisclosureError):
        refuse_combination(*attributes)


@pytest.mark.parametrize("attribute", ["area", "sector", "hrv_forms", "age_bands"])
def test_one_case_attribute_is_allowed(attribute):
    refuse_combination(attribute)
