"""What a recognizer is, and the per-text context the recognizers share.

A recognizer (compare Presidio's per-country ``PatternRecognizer`` classes,
without scores: a finding blocks or warns, yes or no) declares its kind, the
Swedish label shown on the form, whether it blocks, its rank when two
candidate spans overlap, and ``find(ctx)``, which returns ``(start, end)``
spans in the normalised text ``ctx.text``.

``needs`` is a cheap pre-check shared between recognizers and evaluated once
per text: ``"digit"`` (nothing to find in a text without a digit), ``"at"``
(an "@" or a spelled-out "(at)"), or ``None``. Each ``find`` then looks only
where its identifiers can start (digit runs, cue words), so that the common
text costs a few C-level scans.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# After normalisation every digit is an ASCII digit; an ASCII class is
# scanned much faster than "\\d".
_DIGIT_RUN_RE = re.compile(r"[0-9]+")
# The shape of a text: every ASCII digit as "0", every capital A-Z, Å, Ä, Ö
# as "A", any other Latin-1 character as it is (and any other character as
# "?", so that offsets are kept). Necessary conditions on digits are then
# C-level substring tests ("000000" in the shape: six digits in a row).
_SHAPE_TABLE = bytes(
    0x30 if 0x30 <= c <= 0x39 else 0x41 if (0x41 <= c <= 0x5A or c in (0xC5, 0xC4, 0xD6)) else c for c in range(256)
)


class Context:
    """One normalised text and what is computed from it at most once.

    Everything here is built lazily, per call, and thrown away after it: the
    recognizers keep no state between calls."""

    __slots__ = ("text", "_lower", "_runs", "_latin1", "_shape", "extra")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower: str | None = None
        self._shape: bytes | None = None
        self._runs: list[tuple[int, int]] | None = None
        self._latin1: bool | None = None
        self.extra: dict = {}

    @property
    def lower(self) -> str:
        """The text in lower case, with every offset kept (a character whose
        lower case is longer, such as "İ", is left as it is)."""
        if self._lower is None:
            low = self.text.lower()
            if len(low) != len(self.text):
                low = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
            self._lower = low
        return self._lower

    @property
    def shape(self) -> bytes:
        """The text's shape (see ``_SHAPE_TABLE``), one byte per character.
        After normalisation the only space character is the ASCII space,
        so shapes are tested with that."""
        if self._shape is None:
            self._shape = self.text.encode("latin-1", "replace").translate(_SHAPE_TABLE)
        return self._shape

    @property
    def latin1(self) -> bool:
        """True if every character is in Latin-1 (then faster patterns apply)."""
        if self._latin1 is None:
            text = self.text
            self._latin1 = text.isascii() or len(text.encode("latin-1", "ignore")) == len(text)
        return self._latin1

    @property
    def digit_runs(self) -> list[tuple[int, int]]:
        """(start, end) of every run of ASCII digits (after normalisation all
        digits are ASCII)."""
        if self._runs is None:
            self._runs = [m.span() for m in _DIGIT_RUN_RE.finditer(self.text)]
        return self._runs


@dataclass(frozen=True)
class Recognizer:
    """One kind of identifier."""

    kind: str
    label: str
    blocking: bool
    rank: int
    find: Callable[[Context], list[tuple[int, int]]]
    needs: str | None = None
    #: True if ``find`` needs the lexicon (loaded once, by :func:`preload`).
    uses_lexicon: bool = False


def match_at(pattern: re.Pattern, text: str, starts, pos: int = 0) -> list[re.Match]:
    """Non-overlapping matches of ``pattern`` that begin at one of the
    ascending positions ``starts`` (as ``finditer`` would find them when the
    pattern can only begin at such a position)."""
    found = []
    for s in starts:
        if s < pos:
            continue
        m = pattern.match(text, s)
        if m is not None and m.end() > m.start():
            found.append(m)
            pos = m.end()
    return found


def search_windows(pattern: re.Pattern, text: str, windows, pos: int = 0) -> list[re.Match]:
    """Non-overlapping matches of ``pattern`` inside the ascending
    ``(start, end)`` windows (overlapping windows are merged). A window's end
    should leave room for the pattern's look-aheads."""
    found = []
    cur_s = cur_e = -1
    merged = []
    for s, e in windows:
        if s <= cur_e:
            cur_e = max(cur_e, e)
            continue
        if cur_e >= 0:
            merged.append((cur_s, cur_e))
        cur_s, cur_e = s, e
    if cur_e >= 0:
        merged.append((cur_s, cur_e))
    n = len(text)
    for s, e in merged:
        s = max(s, pos)
        for m in pattern.finditer(text, s, min(e, n)):
            found.append(m)
            pos = m.end()
    return found
