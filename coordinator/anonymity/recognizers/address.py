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
from .base import Context, Recognizer, search_windows
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


def _windows(ctx: Context) -> list[tuple[int, int]]:
    """Around each number that follows a word ending like a street name."""
    lower = ctx.lower
    return [
        (max(0, m.start() - 80), m.end() + 120)
        for m in _NUMBER_RE.finditer(lower)
        if lower.endswith(STREET_ENDINGS, max(0, m.start() - 12), m.start())
    ]


def find(ctx: Context) -> list[tuple[int, int]]:
    text = ctx.text
    spans = []
    for m in search_windows(_ADDR_RE, text, _windows(ctx)):
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
