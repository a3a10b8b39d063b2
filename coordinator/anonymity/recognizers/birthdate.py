"""Exact dates of birth after a cue such as "född", "f.", "födelsedatum".

"född 2005-03-14", "f. 14/3-05", "född den 14 mars 2005", "fd 050314",
"född i Mogadishu den 3 maj 2007". A bare date without a birth cue is no
birth date (meetings have dates too).
"""

from __future__ import annotations

import re

from ..patterns import MONTH_ALT, MONTHS, SP, UC, full_year, valid_date
from .base import Context, Recognizer, match_at

_BIRTH_RE = re.compile(
    r"(?<![\w])(?:född|födda|föddes|födelsedatum|födelsedatumet|födelsedag|födelsedagen|föd\.|"
    r"f\.|f(?=" + SP + r"+\d)|fd\.?(?=" + SP + r"*\d))"
    r"" + SP + r"*:?" + SP + r"*(?:(?:den|är|år|på)" + SP + r"+)?"
    r"(?:i" + SP + r"+[" + UC + r"][\w\-]+,?" + SP + r"+(?:den" + SP + r"+)?)?"
    r"(?P<date>"
    r"(?P<iso>(?:19|20)\d{2}(?P<s1>[-/. ]?)\d{2}(?P=s1)\d{2})"
    r"|(?P<six>\d{6})"
    r"|(?P<dmy>\d{1,2}[/.\-]\d{1,2}(?:[/.\-]" + SP + r"?|" + SP + r")(?:19|20)?\d{2})"
    r"|(?P<dmy6>\d{2}-\d{2}-\d{2})"
    r"|(?P<txt>\d{1,2}(?::[ea])?" + SP + r"+(?:" + MONTH_ALT + r")\.?(?:,?" + SP + r"+(?:19|20)?\d{2}(?!\d)|"
    + SP + r"?-\d{2}(?!\d))?)"
    r")"
    r"(?!\d|[-+]" + SP + r"?\d|" + SP + r"\d{4}(?!\d))",
    re.IGNORECASE,
)
# Where a cue can begin (in the lower-cased text).
_CUE_HEAD_RE = re.compile(r"f(?:öd|d|\.|[ \u00a0\u202f]+\d)")
_NUM_RE = re.compile(r"\d+")
_MONTH_RE = re.compile(MONTH_ALT, re.IGNORECASE)


def _six_ok(m: re.Match) -> bool:
    ds = "".join(_NUM_RE.findall(m["six"] or m["dmy6"]))
    a, b, c = int(ds[:2]), int(ds[2:4]), int(ds[4:6])
    if m["six"]:
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
    if m["iso"]:
        ds = "".join(_NUM_RE.findall(m["iso"]))
        return valid_date(int(ds[:4]), int(ds[4:6]), int(ds[6:8]))
    if m["six"] or m["dmy6"]:
        return _six_ok(m)
    if m["dmy"]:
        nums = _NUM_RE.findall(m["dmy"])
        year = nums[2]
        y = int(year) if len(year) == 4 else full_year(int(year))
        return valid_date(y, int(nums[1]), int(nums[0]))
    return _text_ok(m["txt"])


def find(ctx: Context) -> list[tuple[int, int]]:
    starts = [h.start() for h in _CUE_HEAD_RE.finditer(ctx.lower)]
    return [m.span("date") for m in match_at(_BIRTH_RE, ctx.text, starts) if birthdate_ok(m)]


RECOGNIZER = Recognizer(kind="birthdate", label="Födelsedatum", blocking=True, rank=5, find=find, needs="digit")
