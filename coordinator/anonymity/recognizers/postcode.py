"""Postcodes: five digits ("803 20", "80320") together with a town, or after
a country prefix ("SE-803 20", "S-803 20") or a cue ("postnummer 803 20")."""

from __future__ import annotations

import re

from ..lexicon import data
from ..patterns import LC, SP
from ..wordlists import words
from .base import Context, Recognizer, match_at
from .streets import PC_PREFIX, TOWN

_NOT_TOWN = words("not_towns")
_POSTCODE_RE = re.compile(
    r"(?<![\w\-+])(?<!\d" + SP + r")"
    r"(?P<se>" + PC_PREFIX + r"|(?i:se|s)-" + SP + r"?)?(?P<pc>[1-9]\d{2}" + SP + r"?\d{2})(?!\d|[-/.,:]\d)"
    r"(?:,?" + SP + r"+(?:(?P<town>" + TOWN + r")|(?P<ltown>[" + LC + r"]{3,}(?:-[" + LC + r"]+)?)(?![\w])))?"
)
_POSTCODE_CUE_RE = re.compile(r"(?i)(?:postnummer|postnr|postadress|post\.?nr)\.?:?" + SP + r"*$")


def _starts(text: str, runs) -> list[int]:
    """A postcode begins at a run of 3 or 5 digits, or at its "S"/"SE" prefix."""
    out = []
    for s, e in runs:
        if e - s not in (3, 5) or text[s] == "0":
            continue
        p = max(text.rfind("S", max(0, s - 4), s), text.rfind("s", max(0, s - 4), s))
        if p >= 0:
            out.append(p)
        out.append(s)
    return out


_SHAPE_GATE_RE = re.compile(rb"000 ?00")  # five digits, or three and two, in the shape
_GATE_RE = re.compile(r"[1-9][0-9]{2}" + SP + r"?[0-9]{2}(?![0-9])")


def _lower_town(town: str) -> bool:
    """A town written in lower case ("802 64 gävle", "818 41 valbo"): a
    known place, or a word that is no Swedish word (not "123 45 elever")."""
    d = data()
    if town in _NOT_TOWN:
        return False
    return town in d.lexicon.places or town in d.allowed or not d.lexicon.is_word(town, plain=False)


def find(ctx: Context) -> list[tuple[int, int]]:
    if _SHAPE_GATE_RE.search(ctx.shape) is None:
        return []
    text = ctx.text
    if _GATE_RE.search(text) is None:
        return []
    spans = []
    for m in match_at(_POSTCODE_RE, text, _starts(text, ctx.digit_runs)):
        town = m["town"]
        if town and town.lower() in _NOT_TOWN:
            town = None
        if town or (m["ltown"] and _lower_town(m["ltown"])):
            spans.append(m.span())
        elif m["se"] or _POSTCODE_CUE_RE.search(text, max(0, m.start() - 20), m.start()):
            spans.append((m.start(), m.end("pc")))
    return spans


RECOGNIZER = Recognizer(
    kind="postcode", label="Postnummer med ort", blocking=True, rank=6, find=find, needs="digit", uses_lexicon=True
)
