"""Anonymity guard: find identifiers in free text before it is stored.

Case officers describe consultations in free text. Nothing that identifies a
person may be stored, so every text is run through :func:`find_identifiers`
first. It returns :class:`Finding` objects (kind, start, end) for:

Blocking kinds (the form must refuse the text until they are removed):
    personnummer  personnummer and samordningsnummer (Luhn-validated; right
                  after a cue such as "personnummer"/"pnr" any date-shaped
                  10/12-digit number, since people mistype)
    phone         Swedish phone numbers, national and international forms
                  (never the public numbers in data/public_numbers.txt)
    email         e-mail addresses, including "(at)"/"(a)" spellings and
                  addresses in words ("namn at gmail dot com")
    address       street + number (+ entrance, flat, floor, postcode, town)
    postcode      postcode together with a town, or with "SE-"/"S-"/"postnummer"
    case_number   diarienummer, ärendenummer, police report (K-)numbers, and
                  numbers right after "ärende"/"akt"/"mål"/"anmälan"
    birthdate     an exact date of birth after a cue such as "född"

Warning kind (shown to the officer, who decides):
    name          a probable person name

Layout of the package:
    recognizers/     one module per kind (kind, label, blocking, rank, find)
                     and the tuple RECOGNIZERS from which KINDS, KIND_LABELS
                     and BLOCKING_KINDS are derived
    normalise.py     Unicode normalisation with an offset map
    patterns.py      shared pattern parts, the personnummer cue words, dates
    tokens.py        the word tokenisation shared by the name recognizer
    lexicon.py       Faker names + hunspell-sv + supplement, loaded once
    resolve.py       overlap resolution
    wordlists.py     reading the word lists in data/ (read at import)
    data/            allowed terms, acronyms, name supplement, public
                     numbers, and word lists (data/words/*.txt)

The package is pure: it imports nothing from the rest of the project, does no
I/O per call and is safe to call from several threads. Dictionaries are loaded
once, lazily, on the first call that needs them (or eagerly with
:func:`preload`, which the web server calls before forking).
"""

from __future__ import annotations

from .finding import BLOCKING_KINDS, KIND_LABELS, KIND_RANK, KINDS, Finding, blocking, warnings
from .lexicon import data as _lexicon_data
from .normalise import normalise
from .recognizers import BY_KIND, RECOGNIZERS, Context
from .recognizers.email import has_at
from .resolve import resolve
from .wordlists import DATA_DIR

__all__ = [
    "Finding",
    "KINDS",
    "KIND_LABELS",
    "BLOCKING_KINDS",
    "DATA_DIR",
    "find_identifiers",
    "blocking",
    "warnings",
    "preload",
]


def preload() -> None:
    """Load the dictionaries now (e.g. at application start-up)."""
    _lexicon_data()


_SELECTIONS: dict[frozenset, tuple] = {frozenset(KINDS): RECOGNIZERS}


def _recognizers_for(kinds) -> tuple:
    if kinds is None:
        return RECOGNIZERS
    if isinstance(kinds, str):
        kinds = (kinds,)
    wanted = frozenset(kinds)
    chosen = _SELECTIONS.get(wanted)
    if chosen is None:
        unknown = wanted - BY_KIND.keys()
        if unknown:
            raise ValueError(f"unknown kind(s): {', '.join(sorted(unknown))}")
        chosen = tuple(r for r in RECOGNIZERS if r.kind in wanted)
        _SELECTIONS[wanted] = chosen
    return chosen


def _candidates(ctx: Context, recognizers) -> list[tuple[str, int, int]]:
    """Every recognizer's spans; the shared pre-checks are made at most once."""
    text = ctx.text
    has_digit = at = None
    cands: list[tuple[str, int, int]] = []
    for rec in recognizers:
        needs = rec.needs
        if needs == "digit":
            if has_digit is None:
                has_digit = b"0" in ctx.shape  # (after normalisation every digit is ASCII)
            if not has_digit:
                continue
        elif needs == "at":
            if at is None:
                at = has_at(text, ctx.lower)
            if not at:
                continue
        spans = rec.find(ctx)
        if spans:
            kind = rec.kind
            cands += [(kind, s, e) for s, e in spans]
    return cands


def find_identifiers(text: str, kinds=None) -> list[Finding]:
    """Find identifiers in ``text``.

    ``kinds``: an iterable of kind names to look for (None: all of them);
    only the recognizers of those kinds run.

    Returns findings sorted by start, non-overlapping; ``text[f.start:f.end]``
    is each finding's span. Blocking kinds win over names on overlap, then the
    longer span. Detection runs on a normalised copy (see
    :func:`normalise.normalise`: NFKC, dashes, invisible characters, digit
    look-alikes), but the offsets and ``Finding.text`` always refer to the
    original ``text``.
    """
    recognizers = _recognizers_for(kinds)
    if not text or not recognizers:
        return []
    norm, starts, ends = normalise(text)
    cands = _candidates(Context(norm), recognizers)
    if not cands:
        return []
    resolved = resolve(norm, cands, KIND_RANK, BLOCKING_KINDS)
    if starts is None:
        return [Finding(kind, s, e, text[s:e]) for kind, s, e in resolved]
    findings = []
    last_end = 0
    for kind, s, e in resolved:
        # Map back to the original text; a cluster that became several
        # characters ("½" -> "1/2") is never split between two findings.
        os_, oe = max(starts[s], last_end), ends[e - 1]
        if oe <= os_:
            continue
        findings.append(Finding(kind, os_, oe, text[os_:oe]))
        last_end = oe
    return findings
