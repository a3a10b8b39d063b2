"""Word tokens of a text, computed once and shared by the name recognizer.

A word is a run of letters with hyphenated or apostrophed parts, and with a
Swedish inflection ending written after a colon ("CVE:s", "sms:ade",
"mejl:ar", "Zeynep:s"): the ending belongs to the word, it is never a word
(or a name) of its own.
"""

from __future__ import annotations

import re
from itertools import accumulate

_COLON_ENDINGS = (
    "s|n|en|et|ar|er|or|na|ns|ens|ets|ers|ars|ors|arna|erna|orna|arnas|ernas|ornas|"
    "ade|ades|ad|at|ats|ande|are|ares|a|as|e|es|t|ts|de|te"
)
_WORD = r"([^\W\d_]+(?:[-'’][^\W\d_]+)*(?::(?:" + _COLON_ENDINGS + r")(?![\w]))?)"
_WORD_SPLIT_RE = re.compile(_WORD)
# The same for a text of Latin-1 characters only (normalised, so without
# "ª", "º", "µ" or superscript digits): an explicit class of the Latin-1
# letters is scanned much faster than the Unicode categories.
_L1 = "A-Za-zÀ-ÖØ-öø-ÿ"
_WORD_SPLIT_L1_RE = re.compile(
    _WORD.replace("[^\\W\\d_]", "[" + _L1 + "]").replace("(?![\\w])", "(?![" + _L1 + "0-9_])")
)
_WORD_SPLIT_L1_NO_COLON_RE = re.compile("([" + _L1 + "]+(?:[-'’][" + _L1 + "]+)*)")
_WORD_SPLIT_L1_PLAIN_RE = re.compile("([" + _L1 + "]+)")
_SEP = "\x00"
# In the letter shape below: a colon, or a hyphen or apostrophe, between two
# letters (literal prefixes: fast scans).
_COLON_IN_WORD_RE = re.compile(rb":(?<=a:)a")
_JOIN_IN_WORD_RE = re.compile(rb"-(?<=a-)a|'(?<=a')a")
# Latin-1 letters as "a", any other byte as it is: a colon ending or a
# hyphen or apostrophe inside a word needs "a:a", "a-a" or "a'a" in it.
_LETTER_SHAPE = bytes(
    0x61 if (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A or (0xC0 <= c <= 0xFF and c not in (0xD7, 0xF7))) else c
    for c in range(256)
)


class Tokens:
    """``words[i]`` is ``text[starts[i]:ends[i]]``; ``gaps[i]`` is the text
    between word i-1 and word i (``gaps[0]`` the text before the first
    word, ``gaps[n]`` the text after the last); ``lowers`` the words in lower
    case; ``bases`` the lower-case words without a colon ending
    ("zeynep:s" -> "zeynep", "sms:ade" -> "sms"); ``inflected`` the indices
    of words with a colon ending other than the genitive ":s" (inflected
    abbreviations, never names). Offsets and lower-case forms are computed
    on first use: most texts need neither."""

    __slots__ = ("text", "words", "gaps", "n", "_parts", "_lowers", "_bases", "inflected", "_starts", "_ends")

    def __init__(self, text: str, latin1: bool = False) -> None:
        if not latin1:
            pattern = _WORD_SPLIT_RE
            colon = ":" in text
        else:
            # The simplest pattern that gives the same words: without a colon
            # between letters there is no colon ending, without a hyphen or
            # apostrophe between letters no joined word.
            shape = text.encode("latin-1").translate(_LETTER_SHAPE)
            colon = _COLON_IN_WORD_RE.search(shape) is not None
            if colon:
                pattern = _WORD_SPLIT_L1_RE
            elif _JOIN_IN_WORD_RE.search(shape) is not None:
                pattern = _WORD_SPLIT_L1_NO_COLON_RE
            else:
                pattern = _WORD_SPLIT_L1_PLAIN_RE
        parts = pattern.split(text)
        self.text = text
        self._parts = parts  # gap, word, gap, ..., word, gap
        self.words: list[str] = parts[1::2]
        self.gaps: list[str] = parts[0::2]
        self.n = len(self.words)
        self._lowers: list[str] | None = None
        self._bases: list[str] | None = None
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        self.inflected: frozenset[int] = frozenset()
        if colon:
            self._colon_endings()

    @property
    def lowers(self) -> list[str]:
        if self._lowers is None:
            words = self.words
            lowers = _SEP.join(words).lower().split(_SEP) if words else []
            if len(lowers) != self.n:  # a lower-case form with the separator: never in practice
                lowers = [w.lower() for w in words]
            self._lowers = lowers
        return self._lowers

    @property
    def bases(self) -> list[str]:
        return self._bases if self._bases is not None else self.lowers

    def lower(self, i: int) -> str:
        """Word i in lower case ("" outside the text)."""
        if 0 <= i < self.n:
            return self.lowers[i] if self._lowers is not None else self.words[i].lower()
        return ""

    def base(self, i: int) -> str:
        """``bases[i]`` (without computing the whole list when it can be helped)."""
        return self._bases[i] if self._bases is not None else self.lower(i)

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._offsets()
        return self._starts

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._offsets()
        return self._ends

    def _offsets(self) -> None:
        offsets = list(accumulate(map(len, self._parts)))
        self._starts = offsets[0::2][: self.n]
        self._ends = offsets[1::2]

    def complete(self) -> CompleteTokens:
        """The same tokens with every list computed, as plain attributes
        (cheaper to read in the per-token rules than properties)."""
        return CompleteTokens(self)

    def _colon_endings(self) -> None:
        bases = list(self.lowers)
        inflected = set()
        for i, lw in enumerate(bases):
            if ":" in lw:
                if lw.endswith(":s"):
                    bases[i] = lw[:-2]
                else:
                    bases[i] = lw.split(":")[0]
                    inflected.add(i)
        self._bases = bases
        self.inflected = frozenset(inflected)


class CompleteTokens:
    """:class:`Tokens` with ``lowers``, ``bases``, ``starts`` and ``ends`` computed."""

    __slots__ = ("text", "words", "gaps", "n", "lowers", "bases", "inflected", "starts", "ends")

    def __init__(self, tk: Tokens) -> None:
        self.text, self.words, self.gaps, self.n, self.inflected = tk.text, tk.words, tk.gaps, tk.n, tk.inflected
        self.lowers = tk.lowers
        self.bases = tk.bases
        self.starts = tk.starts
        self.ends = tk.ends

    def lower(self, i: int) -> str:
        return self.lowers[i] if 0 <= i < self.n else ""

    def base(self, i: int) -> str:
        return self.bases[i]

