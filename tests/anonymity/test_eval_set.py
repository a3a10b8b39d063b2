"""Quality on the labelled evaluation set (tests/anonymity/sets/eval_set.jsonl).

The same measurement as bench/anonymity.py, without timing: recall per kind
(a gold span counts as found when a finding of the same kind overlaps it) and
the share of clean texts with any finding.
"""

import json
import random
import re
from pathlib import Path

import pytest

from coordinator.anonymity import DATA_DIR, find_identifiers

from . import make_eval_set as gen

EVAL_SET = Path(__file__).parent / "sets" / "eval_set.jsonl"
BLOCKING = ("personnummer", "phone", "email", "address", "postcode", "case_number", "birthdate")


@pytest.fixture(scope="module")
def records():
    with open(EVAL_SET, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def results(records):
    return [find_identifiers(r["text"]) for r in records]


def overlaps(f, g):
    return f.kind == g["kind"] and f.start < g["end"] and g["start"] < f.end


def recall(records, results, kind):
    total = found = 0
    for rec, findings in zip(records, results):
        for g in rec["spans"]:
            if g["kind"] == kind:
                total += 1
                found += any(overlaps(f, g) for f in findings)
    return found / total


def test_eval_set_size_and_composition(records):
    """At least 300 texts, a third clean, >= 40 spans per blocking kind and >= 60 names."""
    assert len(records) >= 300
    clean = [r for r in records if not r["spans"]]
    assert len(clean) >= len(records) / 3
    counts = {}
    for r in records:
        for s in r["spans"]:
            counts[s["kind"]] = counts.get(s["kind"], 0) + 1
    for kind in BLOCKING:
        assert counts.get(kind, 0) >= 40, kind
    assert counts.get("name", 0) >= 60


def test_eval_set_labels_are_well_formed(records):
    """Every span lies inside its text, has a known kind, is non-empty and
    spans of one text do not overlap."""
    kinds = set(BLOCKING) | {"name"}
    for r in records:
        spans = sorted(r["spans"], key=lambda s: s["start"])
        for s in spans:
            assert s["kind"] in kinds
            assert 0 <= s["start"] < s["end"] <= len(r["text"])
            assert r["text"][s["start"]:s["end"]].strip() == r["text"][s["start"]:s["end"]]
        for a, b in zip(spans, spans[1:]):
            assert a["end"] <= b["start"], r["text"]


def test_eval_set_matches_its_generator(records):
    """eval_set.jsonl is exactly what make_eval_set.py produces (no hand edits
    of the data that the generator does not know about)."""
    regenerated = gen.build(random.Random(gen.SEED))
    assert [(r["text"], r["spans"]) for r in regenerated] == [(r["text"], r["spans"]) for r in records]


def test_eval_names_disjoint_from_supplement(records):
    """No name token of the evaluation set is in the guard's hand-written
    supplement, so name recall is not measured on the supplement itself."""
    supplement = {
        line.split("#")[0].strip().lower()
        for line in (DATA_DIR / "name_supplement.txt").read_text(encoding="utf-8").splitlines()
    } - {""}
    tokens = set(gen.pool_tokens())
    for r in records:
        for s in r["spans"]:
            if s["kind"] == "name":
                tokens |= set(re.findall(r"[^\W\d_]+", r["text"][s["start"]:s["end"]].lower()))
    clash = {t for t in tokens if t in supplement or (t.endswith("s") and t[:-1] in supplement)}
    assert not clash


@pytest.mark.parametrize("kind", BLOCKING)
def test_blocking_recall_at_least_99_percent(records, results, kind):
    """Recall of every blocking kind is at least 0.99 on the evaluation set."""
    assert recall(records, results, kind) >= 0.99


def test_name_recall_at_least_90_percent(records, results):
    """Recall of names is at least 0.90 on the evaluation set."""
    assert recall(records, results, "name") >= 0.90


def test_clean_texts_rarely_have_findings(records, results):
    """At most 3 % of the clean texts get any finding."""
    clean = [(r, f) for r, f in zip(records, results) if not r["spans"]]
    with_findings = [r["text"] for r, f in clean if f]
    assert len(with_findings) / len(clean) <= 0.03, with_findings


def test_heldout_batch_quality(records, results):
    """The held-out hand-written batches (written after development) also meet
    the blocking recall target and have no findings on their clean texts."""
    held = [(r, f) for r, f in zip(records, results) if r["source"].startswith("heldout")]
    assert len(held) >= 60
    gold = [(g, f) for r, f in held for g in r["spans"] if g["kind"] != "name"]
    assert sum(any(overlaps(x, g) for x in f) for g, f in gold) / len(gold) >= 0.99
    assert not [r["text"] for r, f in held if not r["spans"] and f]


def test_review_batch_quality(records, results):
    """The batch written from the independent review and the blind held-out
    evaluation (source "review": Unicode evasion, unusual personnummer and
    case-number forms, names in capitals, allowed organisations) is found in
    full: every blocking span and every name, and no finding on its clean texts."""
    review = [(r, f) for r, f in zip(records, results) if r["source"] == "review"]
    assert len(review) >= 40
    missed = [
        (g["kind"], r["text"][g["start"]:g["end"]])
        for r, f in review for g in r["spans"] if not any(overlaps(x, g) for x in f)
    ]
    assert not missed
    assert not [r["text"] for r, f in review if not r["spans"] and f]


def test_independent_set_meets_the_targets():
    """The set written by a second author without seeing the guard (tests/anonymity/
    independent_set.jsonl) meets the same targets: recall >= 0.99 per blocking kind,
    >= 0.9 on names, findings on at most 3% of clean texts."""
    import json
    from pathlib import Path

    from coordinator.anonymity import find_identifiers

    path = Path(__file__).parent / "sets" / "independent_set.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found, total = {}, {}
    clean = clean_flagged = 0
    for record in records:
        findings = find_identifiers(record["text"])
        for gold in record["spans"]:
            total[gold["kind"]] = total.get(gold["kind"], 0) + 1
            if any(f.kind == gold["kind"] and f.start < gold["end"] and gold["start"] < f.end for f in findings):
                found[gold["kind"]] = found.get(gold["kind"], 0) + 1
        if not record["spans"]:
            clean += 1
            clean_flagged += bool(findings)
    for kind, n in total.items():
        target = 0.9 if kind == "name" else 0.99
        assert found.get(kind, 0) / n >= target, (kind, found.get(kind, 0), n)
    assert clean >= 140 and clean_flagged / clean <= 0.03
