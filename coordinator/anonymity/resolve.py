"""Overlap resolution: one finding per stretch of text.

When two candidate spans overlap, blocking kinds beat warnings, then the
longer span wins, then the recognizer's rank. A 10-digit run that is both a
valid personnummer and a valid phone number ("0701234569") is decided by the
words just before it: a phone cue and no personnummer cue make it a phone.
"""

from __future__ import annotations

import re

from .patterns import PNR_CUE_NEAR_RE

_PHONE_CUE_RE = re.compile(
    r"(?i)(?:tel|telefon|telefonnummer|tfn|mobil|mobilnummer|mobilnr|nummer|nr|ring|ringa|ringer|nås|sms|sms:a|"
    r"whatsapp)\b[^\d]{0,12}$"
)


def _pnr_or_phone(text: str, cands: list) -> list:
    both = {(s, e) for kind, s, e in cands if kind == "personnummer"} & {
        (s, e) for kind, s, e in cands if kind == "phone"
    }
    for s, e in both:
        before = text[max(0, s - 40):s]
        loser = "phone"
        if _PHONE_CUE_RE.search(before) and not PNR_CUE_NEAR_RE.search(before):
            loser = "personnummer"
        cands = [c for c in cands if not (c[0] == loser and c[1] == s and c[2] == e)]
    return cands


def resolve(text: str, cands: list, rank: dict[str, int], blocking: frozenset) -> list[tuple[str, int, int]]:
    """Non-overlapping ``(kind, start, end)`` sorted by start."""
    if len(cands) > 1:
        cands = _pnr_or_phone(text, cands)
        cands.sort(key=lambda c: (c[0] not in blocking, -(c[2] - c[1]), rank[c[0]], c[1]))
    taken: list[tuple[str, int, int]] = []
    for kind, s, e in cands:
        if e <= s:
            continue
        if any(s < te and ts < e for _, ts, te in taken):
            continue
        taken.append((kind, s, e))
    taken.sort(key=lambda c: c[1])
    return taken
