"""Generate tests/anonymity/sets/realistic_set.jsonl: texts of realistic length.

Officers write one to four sentences, about 250 characters. This set joins
consecutive texts of the labelled sets (eval_set.jsonl and
independent_set.jsonl) in a fixed, seeded order into texts of 200-320
characters, shifting the gold spans with them, so that speed (bench/) and
quality can be measured on texts of that length. Half of the texts are made
of clean texts only, so the clean-text false-positive share means something
here too.

Run from the repository root:  python tests/anonymity/make_realistic_set.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SETS = Path(__file__).parent / "sets"
SOURCES = (SETS / "eval_set.jsonl", SETS / "independent_set.jsonl")
OUT = SETS / "realistic_set.jsonl"
SEED = 250
MIN_LEN, MAX_LEN = 200, 320


def _records() -> list[dict]:
    out = []
    for path in SOURCES:
        with open(path, encoding="utf-8") as fh:
            out += [json.loads(line) for line in fh if line.strip()]
    return out


def _join(parts: list[dict], n: int) -> dict:
    text, spans = "", []
    for rec in parts:
        if text:
            text += " "
        offset = len(text)
        text += rec["text"]
        spans += [{"kind": s["kind"], "start": s["start"] + offset, "end": s["end"] + offset} for s in rec["spans"]]
    return {"id": f"R{n:04d}", "source": "realistic", "text": text, "spans": spans}


def build(rng: random.Random) -> list[dict]:
    """The joined texts (deterministic for a given ``rng`` seed)."""
    records = [r for r in _records() if len(r["text"]) < MAX_LEN - 40]
    clean = [r for r in records if not r["spans"]]
    labelled = [r for r in records if r["spans"]]
    rng.shuffle(clean)
    rng.shuffle(labelled)
    out: list[dict] = []
    for pool, mixed in ((clean, False), (labelled + clean[: len(clean) // 2], True)):
        if mixed:
            rng.shuffle(pool)
        parts: list[dict] = []
        for rec in pool:
            parts.append(rec)
            length = sum(len(p["text"]) + 1 for p in parts) - 1
            if length >= MIN_LEN:
                if length <= MAX_LEN:
                    out.append(_join(parts, len(out)))
                parts = []
    return out


def main() -> None:
    records = build(random.Random(SEED))
    with open(OUT, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    lengths = sorted(len(r["text"]) for r in records)
    print(f"{len(records)} texts, median length {lengths[len(lengths) // 2]} characters -> {OUT}")


if __name__ == "__main__":
    main()
