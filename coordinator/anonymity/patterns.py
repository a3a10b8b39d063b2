"""Pattern fragments, cue words and date helpers shared by the recognizers."""

from __future__ import annotations

import calendar
import re

from .wordlists import entries

SP = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
DASH = "[-\u2010\u2011\u2012\u2013]"
UC = "A-ZÅÄÖÆØÜÉÈÇŠŽČĆĐ"
LC = "a-zåäöæøüéèçšžčćđáíóúàâêîôûëïñ"
SPACES = " \u00a0\u202f"


def _cue_regex(cue: str) -> str:
    """A cue of ``data/words/pnr_cues.txt`` as a regex: a space is an optional
    space, "." is literal, "?" makes the character before it optional."""
    out = []
    for ch in cue:
        if ch == " ":
            out.append(SP + "?")
        elif ch == "?":
            out.append("?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


# ONE list of personnummer cue words (longest first, so that alternation
# prefers "personnumret" to "personnummer" to "pnr").
PNR_CUES = tuple(sorted(entries("pnr_cues"), key=len, reverse=True))
_PNR_CUE = "(?<![\\w])(?:" + "|".join(_cue_regex(c) for c in PNR_CUES) + ")"
# What may stand between a cue and the number: punctuation, a few verbs
# ("personnumret är", "uppgavs muntligt som"), a parenthesis ("Pnr (för
# remiss):"), or any short phrase that ends in a colon ("Pnr till yngsta som
# ni frågade efter:"); but not free text ("personnummer saknas, referens").
# Whose number it is may stand there too: "Personnr min dotter 0810265539",
# "pnr till hennes son", "personnummer på mamman".
_WHOSE = (
    r"till|för|på|min|mitt|mina|din|ditt|hans|hennes|hens|deras|vår|vårt|er|ert|sin|sitt|"
    + "|".join(sorted(entries("close_kin"), key=len, reverse=True))
    + r"|mamman|pappan|barnet|flickan|pojken|dottern|sonen"
)
PNR_CUE_TAIL = (
    r"(?:[\s:=#(),.\-]|\b(?:är|var|blir|blev|uppges|uppgavs|uppgivet|nr|som|muntligt|skriftligt|enligt)\b"
    r"|\b(?:" + _WHOSE + r")\b"
    r"|\([^()\d]{0,30}\)|[^\d.!?\n:]{1,40}:)*"
)
# Right before a number: "personnummer: 050314-1235", "pnr är 0503141235".
PNR_CUE_BEFORE_RE = re.compile("(?i)" + _PNR_CUE + PNR_CUE_TAIL + "$")
# Somewhere in the few characters before a number (to tell a personnummer
# from a phone number): "personnummer (enligt mamman) 0701234569".
PNR_CUE_NEAR_RE = re.compile("(?i)" + _PNR_CUE + r"(?:[^\d]{0,12}|" + PNR_CUE_TAIL + ")$")

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3,
    "april": 4, "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augusti": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))


def luhn_ok(digits: str) -> bool:
    """The Luhn check of a personnummer's ten digits."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def valid_date(year: int | None, month: int, day: int) -> bool:
    """A real calendar date (any leap day allowed when the year is unknown)."""
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return day <= calendar.monthrange(year, month)[1]


def full_year(yy: int, century: str | None = None) -> int:
    """A two-digit year as a full year (century given, or 00-30 as 2000s)."""
    if century:
        return int(century) * 100 + yy
    return 2000 + yy if yy <= 30 else 1900 + yy
