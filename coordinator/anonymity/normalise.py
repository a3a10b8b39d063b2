"""Unicode normalisation with an offset map: look-alikes must not hide an identifier.

The recognizers run on a normalised copy of the text; findings are mapped back
to offsets into the ORIGINAL text. The copy is built from "clusters" (a
character plus the combining marks after it), each replaced by:
  * its NFKC form (fullwidth and mathematical digits and letters, ligatures,
    exotic spaces, small/fullwidth hyphen-minus, composed diacritics);
  * then any dash (U+2010-U+2015, U+2212 minus, U+2043, ...) as "-", any
    fraction/division slash as "/", any decimal digit of another script as
    its ASCII digit, any other space separator as " ";
  * with invisible format characters (Cf: zero-width space/joiners, word
    joiner, BOM, soft hyphen, bidi controls) dropped, and combining marks
    dropped when they sit on a digit, a punctuation mark or a Latin letter
    they cannot combine with.
Finally, inside digit-heavy tokens, letters that look like digits (O/o and
their Cyrillic/Greek twins as 0, l/I and twins as 1) become digits
("O7O-123 45 67"). That replacement keeps the length.

Fast path: a text made only of ASCII, the Latin-1 letters and common
typographic marks, with no letter touching a digit, is used as it is (one
regex scan each); otherwise only the other clusters are looked at, and the
index map (normalised position -> original span) is built only when some
replacement changes the length.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASH_CHARS = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u02d7\u2e3a\u2e3b\u058a\u1806\ufe31\ufe32")
_SLASH_CHARS = frozenset("\u2044\u2215\u29f8")
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Characters that normalisation never changes: ASCII, the Latin-1 letters
# (å, ä, ö, é, ü, ...) and common typographic quotes and bullets.
_STABLE = "\x00-\x7f\u00c0-\u00ff’‘“”„«»•·§°"
# A character outside that set with the combining marks after it, or a stable
# character that carries combining marks.
_CLUSTER_RE = re.compile("[" + _STABLE + "]?[" + _MARKS + "]+|[^" + _STABLE + "][" + _MARKS + "]*", re.S)
_UNSTABLE_RE = re.compile("[^" + _STABLE + "]")
# The same test in two cheap steps: a Latin-1-only class (a bitmap, scanned
# fast) finds the first character that may be unstable; only then the full
# class decides.
_MAYBE_UNSTABLE_RE = re.compile("[^\x00-\x7f\u00c0-\u00ff§°«»]")

_ZERO_LIKE = "OoОоΟοՕ"  # Latin, Cyrillic, Greek, Armenian O
_ONE_LIKE = "IlІіΙӏǀ"  # Latin I/l, Cyrillic І/і/ӏ, Greek Ι, click ǀ
_CONFUSABLE_MAP = str.maketrans({**dict.fromkeys(_ZERO_LIKE, "0"), **dict.fromkeys(_ONE_LIKE, "1")})
_CONF = "[" + _ZERO_LIKE + _ONE_LIKE + "]"
_CONF_OR_DIGIT = "[0-9" + _ZERO_LIKE + _ONE_LIKE + "]"
_CONFUSABLE_HINT_RE = re.compile("[0-9]" + _CONF + "|" + _CONF + "[0-9]")


# The Latin-1 characters that normalisation never changes (deleted by
# ``bytes.translate``: what is left of a Latin-1 text is what may change).
_STABLE_LATIN1 = bytes(c for c in range(256) if c < 0x80 or c >= 0xC0 or chr(c) in _STABLE)
# Digits as "0", the Latin digit look-alikes O, o, I, l as "O", anything
# else as a space: a look-alike touches a digit if "0O" or "O0" is in it.
_CONFUSABLE_TABLE = bytes(
    0x30 if 0x30 <= c <= 0x39 else 0x4F if chr(c) in "OoIl" else 0x20 for c in range(256)
)


_CONFUSABLE_SHAPE_RE = re.compile(rb"0(?:O|(?<=O0))")  # (a literal prefix: a fast scan)


def _unstable(text: str) -> bool:
    """True if some character of ``text`` may change under normalisation."""
    if text.isascii():
        return False
    latin1 = text.encode("latin-1", "ignore")
    if len(latin1) == len(text):
        return bool(latin1.translate(None, _STABLE_LATIN1))  # (C-level: no regex scan)
    m = _MAYBE_UNSTABLE_RE.search(text)
    return m is not None and _UNSTABLE_RE.search(text, m.start()) is not None


def _confusable_hint(norm: str) -> bool:
    """True if a digit look-alike letter touches a digit somewhere."""
    latin1 = norm.encode("latin-1", "ignore")
    if len(latin1) == len(norm):
        return _CONFUSABLE_SHAPE_RE.search(latin1.translate(_CONFUSABLE_TABLE)) is not None
    return _CONFUSABLE_HINT_RE.search(norm) is not None
# A number written with separators ("O7O-123 45 67"), bounded by non-letters.
_NUMBER_CHUNK_RE = re.compile(
    r"(?<![^\W_])" + _CONF_OR_DIGIT + r"+(?:[ \u00a0\-/.+()]{1,3}" + _CONF_OR_DIGIT + r"+)*(?![^\W_])"
)
_CHUNK_RUN_RE = re.compile(_CONF_OR_DIGIT + "+")


@lru_cache(maxsize=8192)
def _norm_cluster(cluster: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", cluster):
        if ch in _DASH_CHARS:
            out.append("-")
            continue
        if ch in _SLASH_CHARS:
            out.append("/")
            continue
        if ch < "\x80":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue  # invisible: zero-width space/joiners, BOM, soft hyphen, bidi controls
        if cat == "Nd":
            out.append(str(unicodedata.digit(ch)))
        elif cat == "Zs":
            out.append(" ")
        elif cat in ("Mn", "Me"):
            # A mark left over after NFKC could not combine: drop it on digits,
            # punctuation and Latin letters (it only hides the character).
            if out and out[-1].isalpha() and not is_latin(out[-1]):
                out.append(ch)
        else:
            out.append(ch)
    return "".join(out)


def _map_confusables(norm: str) -> str:
    """Replace digit look-alike letters in digit-heavy tokens (same length)."""
    pieces = []
    pos = 0
    for m in _NUMBER_CHUNK_RE.finditer(norm):
        chunk = m.group()
        digits = sum(ch.isdigit() for ch in chunk)
        if digits < 4:
            continue
        runs = [r for r in _CHUNK_RUN_RE.finditer(chunk) if any(ch.isdigit() for ch in r.group())]
        letters = sum(not ch.isdigit() for r in runs for ch in r.group())
        if not letters or letters * 2 > digits:
            continue  # "Il 2019": letters in runs without digits are words, left alone
        new = list(chunk)
        for r in runs:
            for k in range(r.start(), r.end()):
                if not new[k].isdigit():
                    new[k] = new[k].translate(_CONFUSABLE_MAP)
        pieces.append(norm[pos:m.start()])
        pieces.append("".join(new))
        pos = m.end()
    if not pieces:
        return norm
    pieces.append(norm[pos:])
    return "".join(pieces)


def normalise(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """(normalised text, starts, ends): normalised character i comes from
    ``text[starts[i]:ends[i]]``. ``starts``/``ends`` are None when every
    character maps to the same position (the common case)."""
    starts = ends = None
    norm = text
    if _unstable(text):
        repl = []
        for m in _CLUSTER_RE.finditer(text):
            cluster = m.group()
            r = _norm_cluster(cluster)
            if r != cluster:
                repl.append((m.start(), m.end(), r))
        if repl:
            parts: list[str] = []
            pos = 0
            if all(len(r) == e - s for s, e, r in repl):
                for s, e, r in repl:
                    parts.append(text[pos:s])
                    parts.append(r)
                    pos = e
                parts.append(text[pos:])
                norm = "".join(parts)
            else:
                starts, ends = [], []
                for s, e, r in repl:
                    if s > pos:
                        parts.append(text[pos:s])
                        starts.extend(range(pos, s))
                        ends.extend(range(pos + 1, s + 1))
                    parts.append(r)
                    starts.extend([s] * len(r))
                    ends.extend([e] * len(r))
                    pos = e
                if pos < len(text):
                    parts.append(text[pos:])
                    starts.extend(range(pos, len(text)))
                    ends.extend(range(pos + 1, len(text) + 1))
                norm = "".join(parts)
    if _confusable_hint(norm):
        norm = _map_confusables(norm)
    return norm, starts, ends




def is_latin(word: str) -> bool:
    """True if every letter of ``word`` is a Latin one."""
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in word)
