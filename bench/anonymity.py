"""Benchmark and quality report of the anonymity guard.

Run from the repository root:  python bench/anonymity.py [-v] [--passes=N]

On a machine shared with other work, pin it to one core and repeat
(``taskset -c 1 python bench/anonymity.py --passes=25``): the throughput is
the best of N passes over each set (default 15), so that a busy neighbour
costs less; the figures still vary by 10-30 % between runs there.

For every labelled set in tests/anonymity/sets/ (see tests/anonymity/quality.py)
it prints recall per kind (a gold span counts as found when a finding of the
same kind overlaps it), precision (a finding is correct when it overlaps a
gold span of the same kind), the share of clean texts with any finding, the
share of identifying texts that are fully blocked, and throughput in texts
per second and characters per second (best of several passes over the set),
with the targets. ``-v`` lists the misses and the findings without a gold
span. The guard package is imported on its own, without the Flask app.
"""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.anonymity import quality  # noqa: E402  (pure: imports nothing from the app)

TARGET_CHARS_PER_SECOND = 5_000_000  # on texts of realistic length (~250 characters)
TARGET_SHORT_TEXTS_PER_SECOND = 17_500  # on the short texts of eval_set (~75 characters)


def load_guard():
    """Import the package coordinator/anonymity/ directly: it depends on
    nothing else in the project, so the benchmark need not import the Flask
    application (coordinator/__init__.py)."""
    package = ROOT / "coordinator" / "anonymity"
    spec = importlib.util.spec_from_file_location(
        "anonymity_guard", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _passes() -> int:
    for arg in sys.argv[1:]:
        if arg.startswith("--passes="):
            return max(1, int(arg.split("=", 1)[1]))
    return 15


def speed(find, texts, passes: int = 15) -> tuple[float, float, float]:
    """(texts per second, characters per second, both best of ``passes``;
    median µs per text)."""
    best = float("inf")
    for _ in range(passes):
        t0 = time.perf_counter()
        for t in texts:
            find(t)
        best = min(best, time.perf_counter() - t0)
    per_text = []
    for t in texts:
        t0 = time.perf_counter_ns()
        find(t)
        per_text.append((time.perf_counter_ns() - t0) / 1000)
    return len(texts) / best, sum(map(len, texts)) / best, statistics.median(per_text)


def _report_quality(name: str, rep: dict) -> bool:
    ok = not quality.target_failures(rep)
    recalls = "  ".join(
        f"{k}={rep['recall'][k]:.3f}/{rep['gold_total'][k]}" for k in quality.KINDS if rep["gold_total"][k]
    )
    print(f"  recall (found share / gold spans): {recalls}")
    print(
        f"  precision {rep['precision']:.3f} of {rep['findings']} findings; clean texts with findings "
        f"{rep['clean_fp_share']:.1%} of {rep['clean_texts']}; identifying texts fully blocked "
        f"{rep['fully_blocked_share']:.1%} of {rep['identifying_texts']}"
    )
    for failure in quality.target_failures(rep):
        print(f"  BELOW TARGET: {failure}")
    return ok


def _report_batches(find, records) -> None:
    """The held-out batches of eval_set (written after development) and the
    review batch (written together with the fixes, so not held out)."""
    for source, what in (
        ("heldout", "first held-out batch"),
        ("heldout2", "second held-out batch"),
        ("review", "review batch (not held out)"),
    ):
        batch = [r for r in records if r.get("source") == source]
        if not batch:
            continue
        h = quality.evaluate(find, batch)
        blocking_gold = sum(h["gold_total"][k] for k in quality.BLOCKING)
        blocking_found = sum(h["gold_found"][k] for k in quality.BLOCKING)
        print(
            f"  {what} ({len(batch)} texts): blocking {blocking_found}/{blocking_gold}, names "
            f"{h['gold_found']['name']}/{h['gold_total']['name']}, clean texts with findings "
            f"{h['clean_flagged']}/{h['clean_texts']}"
        )


def main() -> int:
    t0 = time.perf_counter()
    guard = load_guard()
    guard.preload()
    print(f"Dictionary load (import + preload): {time.perf_counter() - t0:.2f} s")
    print(
        f"Targets: recall >= {quality.TARGET_BLOCKING_RECALL} per blocking kind, >= {quality.TARGET_NAME_RECALL} "
        f"on names, clean texts with any finding <= {quality.TARGET_CLEAN_FP_SHARE:.0%} on every set; "
        f">= {TARGET_CHARS_PER_SECOND / 1e6:.0f} M characters/s on realistic texts, >= "
        f"{TARGET_SHORT_TEXTS_PER_SECOND:,} texts/s on the short texts of eval_set"
    )
    ok = True
    find = guard.find_identifiers
    for name in quality.available_sets():
        records = quality.load_set(name)
        texts = [r["text"] for r in records]
        rep = quality.evaluate(find, records)
        tps, cps, median_us = speed(find, texts, _passes())
        mean_len = sum(map(len, texts)) / len(texts)
        print(f"\n{name}: {len(records)} texts, mean {mean_len:.0f} characters ({quality.SETS[name]})")
        print(f"  speed {tps:,.0f} texts/s, {cps / 1e6:.2f} M characters/s, median {median_us:.0f} µs per text")
        if name == "realistic_set" and cps < TARGET_CHARS_PER_SECOND:
            print(f"  BELOW TARGET: {cps / 1e6:.2f} M characters/s < {TARGET_CHARS_PER_SECOND / 1e6:.0f}")
            ok = False
        if name == "eval_set" and tps < TARGET_SHORT_TEXTS_PER_SECOND:
            print(f"  BELOW TARGET: {tps:,.0f} texts/s < {TARGET_SHORT_TEXTS_PER_SECOND:,}")
            ok = False
        ok &= _report_quality(name, rep)
        if name == "eval_set":
            _report_batches(find, records)
        if "-v" in sys.argv:
            for rid, kind, span, text in rep["misses"]:
                print(f"    MISS [{kind}] {span!r}  ({rid}) in: {text}")
            for rid, kind, span, text in rep["false_positives"]:
                print(f"    FP   [{kind}] {span!r}  ({rid}) in: {text}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
