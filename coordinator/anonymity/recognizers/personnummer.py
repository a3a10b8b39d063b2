"""Personnummer and samordningsnummer.

Luhn-validated 10/12-digit numbers with a real date (samordningsnummer: day
+ 60), in the usual written forms ("850314-1239", "19850314 1239",
"850314+1239", "05 03 14-1236", "850314 12 39"). Right after a personnummer
cue word (``data/words/pnr_cues.txt``) any date-shaped 10/12-digit number
counts even when its check digit is wrong, since people mistype; a number
written only as spaced pairs ("85 03 14 12 39") needs such a cue.
"""

from __future__ import annotations

import re

from ..patterns import PNR_CUE_BEFORE_RE, SP, full_year, luhn_ok, valid_date
from .base import Context, Recognizer, match_at

_PNR_RE = re.compile(
    r"(?<![\w+/.,\-])"
    # date part, optionally grouped by spaces: "850314", "85 03 14", "19850314"
    r"(?P<c>18|19|20)?(?P<y>\d\d)(?P<ds>" + SP + r"?)(?P<m>\d\d)(?P=ds)(?P<d>\d\d)"
    # separator: dash, plus (over 100 years), underscore, dot or a space
    r"(?P<sep>" + SP + r"?[-+_.\u2010\u2011\u2013]" + SP + r"?|" + SP + r")?"
    # last four digits, optionally grouped two and two: "1239", "12 39"
    r"(?P<last>\d{4}|\d\d" + SP + r"\d\d|(?<=[-+])\d{3})"
    r"(?!\w|[-/.,:]\d)"
)


def _cue_before(text: str, start: int) -> bool:
    return PNR_CUE_BEFORE_RE.search(text, max(0, start - 40), start) is not None


def _accept(text: str, m: re.Match) -> bool:
    month = int(m["m"])
    day = int(m["d"])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    last = m["last"][:2] + m["last"][-2:]
    cue = None
    if len(m["last"]) == 3:
        # "190530-624": a digit left out; a personnummer only after a cue
        return 1 <= month <= 12 and 1 <= day <= 31 and _cue_before(text, m.start())
    if m["ds"] and not (m["sep"] or "").strip(" \u00a0\u202f"):
        # Only spaces ("85 03 14 12 39") look like any list of small
        # numbers: that form needs a cue word.
        cue = _cue_before(text, m.start())
        if not cue:
            return False
    if luhn_ok(m["y"] + m["m"] + m["d"] + last):
        year = full_year(int(m["y"]), m["c"]) if m["c"] else None
        return valid_date(year, month, day)
    # date-shaped, right after "personnummer", "pnr", ...: a mistyped one
    return 1 <= month <= 12 and 1 <= day <= 31 and bool(cue or _cue_before(text, m.start()))


# Six digits in the text's shape, together or in spaced pairs (one scan with
# a literal prefix; cheaper here than two substring tests).
_SHAPE_GATE_RE = re.compile(rb"00(?:0000| 00 00)")


def find(ctx: Context) -> list[tuple[int, int]]:
    """Personnummer spans: a match can only begin where a digit run begins,
    and needs six digits, together or in spaced pairs."""
    if _SHAPE_GATE_RE.search(ctx.shape) is None:
        return []
    text = ctx.text
    starts = [s for s, e in ctx.digit_runs if e - s >= 2]
    return [m.span() for m in match_at(_PNR_RE, text, starts) if _accept(text, m)]


RECOGNIZER = Recognizer(
    kind="personnummer",
    label="Personnummer eller samordningsnummer",
    blocking=True,
    rank=0,
    find=find,
    needs="digit",
)
