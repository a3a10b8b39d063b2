"""Exact dates of birth after a cue such as "född", "f.", "födelsedatum".

"född 2005-03-14", "f. 14/3-05", "född den 14 mars 2005", "fd 050314",
"född i Mogadishu den 3 maj 2007". A bare date without a birth cue is no
birth date (meetings have dates too).
"""

from __future__ import annotations

import re

from ..lexicon import HARD_STOP, data
from ..patterns import MONTH_ALT, MONTHS, SP, UC, full_year, valid_date
from .base import Context, Recognizer, match_at

_DATE = (
    r"(?P<date>"
    r"(?P<iso>(?:19|20)\d{2}(?P<s1>[-/. ]?)\d{2}(?P=s1)\d{2})"
    r"|(?P<six>\d{6})"
    r"|(?P<dmy>\d{1,2}[/.\-]\d{1,2}(?:[/.\-]" + SP + r"?|" + SP + r")(?:19|20)?\d{2})"
    r"|(?P<dmy6>\d{2}-\d{2}-\d{2})"
    r"|(?P<txt>\d{1,2}(?::[ea])?" + SP + r"+(?:" + MONTH_ALT + r")\.?(?:,?" + SP + r"+(?:19|20)?\d{2}(?!\d)|"
    + SP + r"?-\d{2}(?!\d))?)"
    r")"
    r"(?!\d|[-+]" + SP + r"?\d|" + SP + r"\d{4}(?!\d))"
)
_BIRTH_RE = re.compile(
    r"(?<![\w])(?:född|födda|föddes|"
    # a birth given: "har fött baby den 15 januari 2024", "födde en son 3/4-23"
    r"(?:fött|födde|föder)(?:" + SP + r"+(?:en|ett|sin|sitt|sina|vår|vårt|hennes|sitt))?"
    r"(?:" + SP + r"+(?:baby|bebis|barn|barnet|son|dotter|flicka|pojke|tvillingar|lillebror|lillasyster))?|"
    # a noun cue may be followed by a short phrase up to a colon:
    # "födelsedatum i passet: 2009-03-31"
    r"(?:födelsedatum|födelsedatumet|födelsedag|födelsedagen)(?:[^\d.!?\n:]{1,30}:)?|föd\.|"
    r"f\.|f(?=" + SP + r"+\d)|fd\.?(?=" + SP + r"*\d))"
    r"" + SP + r"*:?" + SP + r"*(?:(?:den|är|år|på)" + SP + r"+)?"
    r"(?:i" + SP + r"+[" + UC + r"][\w\-]+,?" + SP + r"+(?:den" + SP + r"+)?)?"
    + _DATE,
    re.IGNORECASE,
)
# A further date in a list after a birth date: "födda 2015-09-09 och
# 2018-09-07", "f. 20.12.2007 o 9/3-12".
_MORE_RE = re.compile(SP + r"*(?:,|och|o|samt|resp\.?|&)" + SP + r"*(?:den" + SP + r"+)?" + _DATE, re.IGNORECASE)
# A full date in brackets right after a name: "Syster Sagal (2010-02-14)".
_BRACKETED_RE = re.compile(
    r"(?P<word>[" + UC + r"][^\W\d_]+)" + SP + r"?\((?P<date>(?P<iso>(?:19|20)\d{2}(?P<s1>-)\d{2}-\d{2})"
    r"|(?P<dmy>\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d{2}))\)"
)
_BRACKETED_HINT_RE = re.compile(r"\((?:19|20)\d\d-|\(\d{1,2}[/.]\d{1,2}[/.](?:19|20)")

# Where a cue can begin (in the lower-cased text).
_CUE_HEAD_RE = re.compile(r"f(?:öd|öt|d|\.|[ \u00a0\u202f]+\d)")
_NUM_RE = re.compile(r"\d+")
_MONTH_RE = re.compile(MONTH_ALT, re.IGNORECASE)


def _six_ok(g: dict) -> bool:
    ds = "".join(_NUM_RE.findall(g["six"] or g["dmy6"]))
    a, b, c = int(ds[:2]), int(ds[2:4]), int(ds[4:6])
    if g["six"]:
        return valid_date(full_year(a), b, c)
    # 14-03-05 (d-m-y) or 05-03-14 (y-m-d): accept either reading
    return valid_date(full_year(c), b, a) or valid_date(full_year(a), b, c)


def _text_ok(txt: str) -> bool:
    nums = _NUM_RE.findall(txt)
    month = MONTHS[_MONTH_RE.search(txt).group().lower()]
    year = None
    if len(nums) > 1:
        year = int(nums[1]) if len(nums[1]) == 4 else full_year(int(nums[1]))
    return valid_date(year, month, int(nums[0]))


def birthdate_ok(m: re.Match) -> bool:
    """The date the pattern matched is a real calendar date."""
    g = m.groupdict()
    if g.get("iso"):
        ds = "".join(_NUM_RE.findall(g["iso"]))
        return valid_date(int(ds[:4]), int(ds[4:6]), int(ds[6:8]))
    if g.get("six") or g.get("dmy6"):
        return _six_ok(g)
    if g.get("dmy"):
        nums = _NUM_RE.findall(g["dmy"])
        year = nums[2]
        y = int(year) if len(year) == 4 else full_year(int(year))
        return valid_date(y, int(nums[1]), int(nums[0]))
    return _text_ok(g["txt"])


def _after_cues(ctx: Context) -> list[tuple[int, int]]:
    text = ctx.text
    starts = [h.start() for h in _CUE_HEAD_RE.finditer(ctx.lower)]
    spans = []
    for m in match_at(_BIRTH_RE, text, starts):
        if not birthdate_ok(m):
            continue
        spans.append(m.span("date"))
        more = _MORE_RE.match(text, m.end())
        while more is not None and birthdate_ok(more):
            spans.append(more.span("date"))
            more = _MORE_RE.match(text, more.end())
    return spans


def _bracketed(ctx: Context) -> list[tuple[int, int]]:
    """"Syster Sagal (2010-02-14)": a date in brackets after a person name
    (a dictionary name, or a capitalised word that is no Swedish word)."""
    text = ctx.text
    hint = _BRACKETED_HINT_RE.search(text)
    if hint is None:
        return []
    d = data()
    spans = []
    for m in _BRACKETED_RE.finditer(text, max(0, hint.start() - 42)):
        lw = m["word"].lower()
        if lw in HARD_STOP or lw in d.allowed:
            continue
        if (lw in d.names or not d.lexicon.is_word(lw, plain=False)) and birthdate_ok(m):
            spans.append(m.span("date"))
    return spans


def find(ctx: Context) -> list[tuple[int, int]]:
    return _after_cues(ctx) + _bracketed(ctx)


RECOGNIZER = Recognizer(
    kind="birthdate", label="Födelsedatum", blocking=True, rank=5, find=find, needs="digit", uses_lexicon=True
)
