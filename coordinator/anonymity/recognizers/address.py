"""Street addresses: street + house number (+ entrance, flat, floor, postcode, town).

"Kungsgatan 5", "Hemlingbyvägen 14 lgh 1103", "Storg. 3", "olof palmes gata
12", "Gamla vägen 4B, 3 tr, 803 20 Gävle". A street name is recognised by its
suffix (``streets.STREET_SAFE`` in any case, ``STREET_RISKY`` capitalised
only, unless it is a planning noun such as "handlingsplan") or by a street
type written as a word of its own; a number that is a count or an amount
("Kungsgatan 5 kr", "5 elever") is not a house number.
"""

from __future__ import annotations

import re

from ..patterns import DASH, LC, SP, SPACES, UC
from .base import Context, Recognizer
from .streets import POSTCODE_CORE, STREET_ENDINGS, STREET_RISKY, STREET_SAFE, STREET_TYPE_WORDS, TOWN

_RISKY_COMMON = re.compile(
    r"(?i)(?:handlings|åtgärds|vård|genomförande|säkerhets|skydds|studie|vecko|arbets|"
    r"behandlings|insats|samordnings|besöks|utvecklings|lektions|verksamhets|beredskaps|"
    r"krisplan|ungdoms|nationella|kommun|ekonomi)plan$"
)
# A number followed by one of these is a count or an amount, not a house number.
NUMBER_GUARD = (
    r"(?![.,:]\d)(?!" + SP + r"*(?:%|procent|kr\b|kronor|år\b|års|åring|gånger|ggr|st\b|stycken|"
    r"timmar|tim\b|h\b|min\b|minuter|sekunder|dagar|dygn|veckor|månader|km\b|m\b|meter|mil\b|"
    r"elever|barn\b|personer|deltagare|§|kap\b))"
)
# Words that cannot begin a lower-case multi-word street name ("i hans gata 5").
_NOT_STREET_WORD = (
    r"(?!(?:i|på|till|från|vid|om|mot|med|av|för|hans|hennes|hens|deras|dess|vars|ens|sin|min|din|"
    r"vår|er|en|ett|den|det|och|eller|att|som)" + SP + ")"
)
_ADDR_RE = re.compile(
    r"(?<![\w\-])"
    # Fast rejection: one to four words, then a number (the street part has
    # no digits and is followed by spaces and the house number).
    r"(?=(?:[^\s\d]+" + SP + r"+){1,4}[1-9])"
    r"(?P<street>"
    r"(?:(?:Norra|Södra|Östra|Västra|Stora|Lilla|Gamla|Nya|Övre|Nedre|Yttre|Inre|Sankt|S:t|St\.|[NSÖV]\.|"
    r"norra|södra|östra|västra|stora|lilla|gamla|nya|övre|nedre)" + SP + r")?"
    r"(?:"
    r"(?P<cap>[" + UC + r"][" + LC + r"]+(?:-[" + LC + r"]+)?(?:" + STREET_SAFE + "|" + STREET_RISKY + r"))"
    r"|[" + UC + r"](?:" + STREET_SAFE + r")"  # "Åvägen", "Ågatan"
    r"|[" + LC + r"]{2,}(?:" + STREET_SAFE + r")"
    r"|[" + UC + r"][" + LC + r"]{2,}[gv]\.(?=" + SP + r"?\d)"  # "Storg. 3", "Skolv. 12"
    r"|(?:" + _NOT_STREET_WORD + r"[" + LC + r"]+" + SP + r")?" + _NOT_STREET_WORD + r"[" + LC + r"]{2,}s"
    r"" + SP + r"(?:väg|gata|gränd|backe|allé|plats|torg|stig)"  # lower case: "olof palmes gata"
    # a direction or size word and a street type, in lower case: "norra torg", "lilla torget"
    r"|(?:norra|södra|östra|västra|stora|lilla|gamla|nya|övre|nedre)" + SP + r"(?:" + STREET_TYPE_WORDS + r")(?![\w])"
    # a street type as a word of its own: "Olof Palmes gata", "Norra torg",
    # "Kyrkans backe", "Lilla torget", "Södra Esplanaden"
    r"|(?:[" + UC + r"][" + LC + r"]+" + SP + r"){1,2}(?:(?i:" + STREET_TYPE_WORDS + r"))(?![\w])"
    r")"
    r")"
    r"(?P<num>" + SP + r"+[1-9]\d{0,2}(?!\d)(?:" + SP + r"?[A-H](?![\w])|[a-h](?![\w]))?"
    r"(?:" + SP + r"?" + DASH + SP + r"?\d{1,3}[A-Ha-h]?)?)"
    + NUMBER_GUARD +
    r"(?P<extra>(?:"
    r",?" + SP + r"*(?:lgh|lägenhet|lägenhetsnummer|lgh\.?" + SP + r"?nr)\.?" + SP + r"*(?:nr\.?" + SP + r"*)?"
    r"\d{3,4}(?!\d)"
    r"|,?" + SP + r"*\d{1,2}" + SP + r"?(?:tr\b\.?|trappor\b|trappa\b|vån\b\.?|våningen\b)"
    r"|,?" + SP + r"*(?:ög|nb|bv)\b"
    r"|,?" + SP + r"*" + POSTCODE_CORE + r"(?:,?" + SP + r"+" + TOWN + r")?"
    r"){0,4})",
)


# A house number: spaces and a digit 1-9 (the scan is fast: it begins with a
# class of three characters).
_NUMBER_RE = re.compile("[" + SPACES + "]+[1-9]")
# The street endings by their last three characters, so that most numbers
# are ruled out by one slice and one dict lookup ("den 12", "klockan 14").
_ENDINGS_BY_TAIL: dict[str, tuple[str, ...]] = {}
for _ending in STREET_ENDINGS:
    _ENDINGS_BY_TAIL[_ending[-3:]] = (*_ENDINGS_BY_TAIL.get(_ending[-3:], ()), _ending)
_DIGITS_AND_NEWLINE = tuple("0123456789\n")


def _street_before(lower: str, s: int) -> bool:
    """True if the text before position ``s`` ends like a street name."""
    endings = _ENDINGS_BY_TAIL.get(lower[max(0, s - 3):s])
    if endings is None and s >= 2:
        endings = _ENDINGS_BY_TAIL.get(lower[s - 2:s])
    return endings is not None and lower.endswith(endings, max(0, s - 12), s)


_SP_CLASS = "[" + SPACES + "]"


def _ending_trie(endings, after: str, depth: int = 1) -> str:
    """A pattern that, at a position right after ``ending + after`` (``after``
    a fixed-width pattern), checks by look-behinds that some ending of
    ``endings`` is there: a trie on the endings' last characters, so that a
    miss costs one or two look-behinds."""
    by_char: dict[str, list[str]] = {}
    done = False
    for e in endings:
        if len(e) < depth:
            done = True
        else:
            by_char.setdefault(e[-depth], []).append(e)
    if done:
        return ""
    alts = []
    for _last, group in sorted(by_char.items()):
        tail = "".join(re.escape(c) for c in group[0][len(group[0]) - depth:])
        alts.append("(?<=" + tail + after + ")" + _ending_trie(group, after, depth + 1))
    return "(?:" + "|".join(alts) + ")"


# Necessary for any window: a digit 1-9 after two spaces, or after one space
# and a street ending. The scan begins with a digit class, so a text is
# passed over fast.
_GATE_RE = re.compile(
    "[1-9](?<=" + _SP_CLASS + "[1-9])(?:(?<=" + _SP_CLASS + _SP_CLASS + "[1-9])|"
    + _ending_trie(STREET_ENDINGS, _SP_CLASS + "[1-9]") + ")"
)


def _windows(ctx: Context) -> list[list]:
    """Around each number that follows a word ending like a street name: the
    windows [start, end, digit positions], overlapping ones merged."""
    lower = ctx.lower
    merged: list[list] = []
    if _GATE_RE.search(lower) is None:
        return merged
    for m in _NUMBER_RE.finditer(lower):
        s = m.start()
        if not _street_before(lower, s):
            continue
        ws, we = max(0, s - 80), m.end() + 120
        if merged and ws <= merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], we)
            last[2].append(m.end() - 1)
        else:
            merged.append([ws, we, [m.end() - 1]])
    return merged


# Where a street name can begin: a letter at the start of a word.
_WORD_START_RE = re.compile(r"(?<![\w\-])[^\W\d_]")


def _matches(text: str, windows) -> list[re.Match]:
    """The matches that ``finditer`` would find in each window, tried only
    where one can begin. A match's house number is the first digit after its
    start (a street name has no digits and no line breaks), so for the
    number at ``d`` only the word starts after the last digit or newline
    before it are tried, the leftmost first."""
    found = []
    pos = 0
    n = len(text)
    for ws, we, digits in windows:
        we = min(we, n)
        for d in digits:
            if d < pos:
                continue
            lo = max(pos, ws, max(text.rfind(ch, ws, d) for ch in _DIGITS_AND_NEWLINE) + 1)
            for q in _WORD_START_RE.finditer(text, lo, d):
                m = _ADDR_RE.match(text, q.start(), we)
                if m is not None:
                    found.append(m)
                    pos = m.end()
                    break
    return found


def find(ctx: Context) -> list[tuple[int, int]]:
    text = ctx.text
    spans = []
    for m in _matches(text, _windows(ctx)):
        cap = m["cap"]
        if cap and _RISKY_COMMON.search(cap):
            continue
        end = m.end()
        # Trim a trailing comma/space the optional extras may have eaten.
        while end > m.start() and text[end - 1] in ", \u00a0":
            end -= 1
        spans.append((m.start(), end))
    return spans


RECOGNIZER = Recognizer(
    kind="address", label="Adress (gata och nummer)", blocking=True, rank=1, find=find, needs="digit"
)
