"""Quality figures of the anonymity guard on the labelled sets in sets/.

Shared by the quality test (test_quality.py) and bench/anonymity.py, so both
measure the same thing. A gold span counts as found when a finding of the
same kind overlaps it; a finding is correct when it overlaps a gold span of
the same kind. Pure: imports nothing from the application.
"""

from __future__ import annotations

import json
from pathlib import Path

SETS_DIR = Path(__file__).parent / "sets"
KINDS = ("personnummer", "phone", "email", "address", "postcode", "case_number", "birthdate", "name")
BLOCKING = KINDS[:-1]

#: The sets every target applies to, in report order (file stem -> description).
SETS = {
    "eval_set": "generated + hand-written evaluation set (make_eval_set.py)",
    "independent_set": "second author, from the API description alone",
    "w1_telegraphic": "blind set: telephone notes in telegraphic style",
    "w2_mail_notes": "blind set: forwarded e-mails, signatures, meeting notes",
    "w3_school_youth": "blind set: school and youth-work notes, chat style",
    "realistic_set": "texts of realistic length (~250 characters; make_realistic_set.py)",
    "w4_heldout_round1": "blind set w4 by another author; measured once as held out, then used for tuning",
}

TARGET_BLOCKING_RECALL = 0.99
TARGET_NAME_RECALL = 0.95
TARGET_CLEAN_FP_SHARE = 0.02


def load_set(name: str) -> list[dict]:
    """The records of ``sets/<name>.jsonl`` (id, source, text, spans)."""
    with open(SETS_DIR / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def available_sets() -> list[str]:
    """The sets of :data:`SETS` that are present."""
    return [name for name in SETS if (SETS_DIR / f"{name}.jsonl").is_file()]


def _overlaps(f, g) -> bool:
    return f.kind == g["kind"] and f.start < g["end"] and g["start"] < f.end


def evaluate(find, records) -> dict:
    """Recall per kind, precision, the share of clean texts with any finding
    and the share of identifying texts whose blocking spans are all found."""
    gold_total = dict.fromkeys(KINDS, 0)
    gold_found = dict.fromkeys(KINDS, 0)
    misses, false_pos = [], []
    n_findings = correct = clean = clean_flagged = identifying = blocked = 0
    for rec in records:
        text, spans = rec["text"], rec["spans"]
        findings = find(text)
        all_blocked = True
        for g in spans:
            gold_total[g["kind"]] += 1
            if any(_overlaps(f, g) for f in findings):
                gold_found[g["kind"]] += 1
            else:
                misses.append((rec.get("id"), g["kind"], text[g["start"]:g["end"]], text))
                all_blocked &= g["kind"] == "name"
        for f in findings:
            n_findings += 1
            if any(_overlaps(f, g) for g in spans):
                correct += 1
            else:
                false_pos.append((rec.get("id"), f.kind, f.text, text))
        if any(g["kind"] != "name" for g in spans):
            identifying += 1
            blocked += all_blocked
        if not spans:
            clean += 1
            clean_flagged += bool(findings)
    return {
        "texts": len(records),
        "recall": {k: (gold_found[k] / gold_total[k] if gold_total[k] else None) for k in KINDS},
        "gold_total": gold_total,
        "gold_found": gold_found,
        "precision": correct / n_findings if n_findings else 1.0,
        "findings": n_findings,
        "clean_texts": clean,
        "clean_flagged": clean_flagged,
        "clean_fp_share": clean_flagged / clean if clean else 0.0,
        "identifying_texts": identifying,
        "fully_blocked_share": blocked / identifying if identifying else 1.0,
        "misses": misses,
        "false_positives": false_pos,
    }


def target_failures(report: dict) -> list[str]:
    """What of the targets a report misses (empty: all met)."""
    failures = []
    for kind, r in report["recall"].items():
        target = TARGET_NAME_RECALL if kind == "name" else TARGET_BLOCKING_RECALL
        if r is not None and r < target:
            failures.append(f"recall {kind} {r:.3f} < {target}")
    if report["clean_fp_share"] > TARGET_CLEAN_FP_SHARE:
        failures.append(f"clean texts with findings {report['clean_fp_share']:.3f} > {TARGET_CLEAN_FP_SHARE}")
    return failures
