"""Swedish phone numbers, national and international forms.

Mobile and landline numbers with the usual separators ("070-123 45 67",
"+46 (0)70-123 45 67", "(026) 12 34 56", "070.123.45.67", "08/123 456 78"),
8-10 national digits, a plausible area-code split, never a date or a time.
Public service numbers (``data/public_numbers.txt``: Kvinnofridslinjen,
BRIS, Polisen, the authorities' 0771 numbers) are not personal data and are
never reported.
"""

from __future__ import annotations

import re

from ..patterns import DASH, SP
from ..wordlists import DATA_DIR, read_list
from .base import Context, Recognizer

_PHONE_SEP = "(?:" + SP + "?" + DASH + SP + "?|" + SP + "?/" + SP + "?|" + SP + "|\\.)"
_PHONE_RE = re.compile(
    r"(?<![\w+/.,:\-])"
    r"(?:"
    r"(?P<intl>\+" + SP + r"?46|0046)" + SP + r"?(?:" + DASH + SP + r"?)?"
    r"(?:\(0\)" + SP + r"?)?(?P<fi>[1-9]\d{0,9})"
    r"|(?P<paren>\(0\)" + SP + r"?[1-9]\d{0,2}|\(0[1-9]\d{0,2}\))"
    r"|(?P<fn>0[1-9]\d{0,9})"
    r")"
    r"(?P<rest>(?:" + _PHONE_SEP + r"\d{1,8}){0,5})"
    r"(?!\d)"
)
_DIGITS_RE = re.compile(r"\d+")
_DOT_SEP_RE = re.compile(r"[\d.]+")


def _national(number: str) -> str:
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("0046"):
        digits = "0" + digits[4:]
    elif number.lstrip().startswith("+46"):
        digits = "0" + digits[2:]
    return digits


#: National digits of the public numbers ("020505050", "116111", ...).
PUBLIC_NUMBERS = frozenset(_national(n) for n in read_list(DATA_DIR / "public_numbers.txt"))


def _phone_ok(national: str, first_len: int, groups: int, slash: bool, next_len: int = 0) -> bool:
    """``national`` starts with 0; ``first_len`` counts digits of the area part
    as written (with its leading 0); ``groups`` is the number of further
    digit groups; ``next_len`` the length of the first of them."""
    n = len(national)
    if not 8 <= n <= 10 or national[1] == "0":
        return False
    if national.startswith("07") and n != 10:
        return False
    if groups:
        # When the number is split, its first group is an area code: 08 or
        # 0xx/0xxx (or the whole number followed by a stray group).
        if first_len == 2:
            # "08/123 456 78" is Stockholm; "08/12" (a day and month) is not.
            if national[1] != "8" or (slash and next_len < 3):
                return False
        elif 5 <= first_len <= 7:
            return False
    return True


def _first_part(m: re.Match) -> tuple[str, int]:
    """The area part as national digits (with its 0), and where it ends."""
    if m["intl"]:
        return "0" + m["fi"], m.end("fi")
    if m["paren"]:
        return "0" + "".join(ch for ch in m["paren"] if ch.isdigit()).lstrip("0"), m.end("paren")
    return m["fn"], m.end("fn")


def _phone_end(text: str, m: re.Match) -> int | None:
    """The end of the longest prefix of the match that is a phone number."""
    rest_start = m.start("rest")
    groups = [(g.end() + rest_start, g.group()) for g in _DIGITS_RE.finditer(m["rest"])]
    first, first_end = _first_part(m)
    for k in range(len(groups), -1, -1):
        national = first + "".join(g[1] for g in groups[:k])
        end = groups[k - 1][0] if k else first_end
        written = text[first_end:end]
        if "." in written and (len(first) < 3 or written.count(".") != k or any(
            sep.strip() for sep in _DOT_SEP_RE.split(written)
        )):
            continue  # dots only as "070.123.45.67", never in dates such as 08.03.2018
        if _phone_ok(national, len(first), k, "/" in written, len(groups[0][1]) if k else 0):
            return None if national in PUBLIC_NUMBERS else end
    return None


def _starts(text: str, runs) -> list[int]:
    """Where a phone number can begin: "+" or "(" just before a digit run,
    or a digit run itself."""
    out = []
    for s, _ in runs:
        for k in (3, 2, 1):
            if s - k >= 0 and text[s - k] in "+(":
                out.append(s - k)
        out.append(s)
    return out


# Necessary for any match: a national 0 where a number can begin, followed
# by a digit 1-9 and five more digits with separators (or "046" of "0046"),
# or "+46". (The scan is fast: the pattern begins with a literal "0".)
_GATE_RE = re.compile(
    r"0(?<![\w+/.,:\-]0)(?:[ \-/.()\u00a0\u202f]{0,3}[1-9](?:[ \-/.()\u00a0\u202f]{0,3}[0-9]){5}|046)"
)


def find(ctx: Context) -> list[tuple[int, int]]:
    text = ctx.text
    if _GATE_RE.search(text) is None and "+46" not in text and "+ 46" not in text:
        return []
    spans = []
    pos = 0
    for s in _starts(text, ctx.digit_runs):
        if s < pos:
            continue
        m = _PHONE_RE.match(text, s)
        if m is None:
            continue
        pos = m.end()
        end = _phone_end(text, m)
        if end is not None:
            spans.append((m.start(), end))
    return spans


RECOGNIZER = Recognizer(kind="phone", label="Telefonnummer", blocking=True, rank=3, find=find, needs="digit")
