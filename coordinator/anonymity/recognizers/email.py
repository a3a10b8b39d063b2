"""E-mail addresses, including spelled-out "(at)"/"(a)"/"[at]"/"(snabel-a)" forms,
and addresses written out in words: "hodan.abdi77 at gmail dot com",
"parisa punkt n at yahoo punkt com" (an "at" with a spelled-out dot and a
top-level domain after it, so that English "at" in a sentence is none)."""

from __future__ import annotations

import re

from ..patterns import SP
from .base import Context, Recognizer, search_windows

_AT = (
    r"(?:@|" + SP + r"?[\(\[]" + SP + r"?(?:at|a|snabel-a)" + SP + r"?[\)\]]" + SP + r"?"
    r"|" + SP + r"+snabel-a" + SP + r"+)"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-'])[\w.!#$%&'*+/=?^`{|}~\-]*\w"
    + _AT
    + r"\w[\w\-]*(?:\.\w[\w\-]*)*\.[A-Za-z]{2,24}(?![\w@])",
    re.IGNORECASE,
)
# Where an address can be: an "@", or "at"/"a"/"snabel-a" in brackets.
_AT_RE = re.compile(r"@|[\(\[]" + SP + r"?(?:at|a|snabel-a)" + SP + r"?[\)\]]|snabel-a")
# An address in words: a local part (words joined by dots or spelled-out
# dots), "at"/"snabel-a" as a word, a domain of parts joined the same way and
# a common top-level domain. Taken only with a spelled-out dot in it.
_SPELLED_DOT = SP + r"+(?:dot|punkt)" + SP + r"+"
_PART = r"[\w+\-]+"
_JOIN = r"(?:\.|" + _SPELLED_DOT + r")"
_TLD = r"(?:com|se|nu|net|org|info|eu|io|me|biz|de|dk|no|fi|uk|co|fr|nl)"
_SPELLED_RE = re.compile(
    r"(?<![\w.@])" + _PART + r"(?:" + _JOIN + _PART + r")*" + SP + r"+(?:at|snabel-a)" + SP + r"+"
    + r"[\w\-]+(?:" + _JOIN + r"[\w\-]+)*?" + _JOIN + _TLD + r"(?![\w@])",
    re.IGNORECASE,
)
_SPELLED_DOT_RE = re.compile(_SPELLED_DOT, re.IGNORECASE)


# Necessary for any of the forms below.
_HINT_RE = re.compile(r"@|snabel-a|[(\[] ?a| at ")


def has_at(text: str, lower: str) -> bool:
    """The shared pre-check: an "@" or a spelled-out one."""
    if _HINT_RE.search(lower) is None:
        return False  # (one scan instead of several substring tests)
    if "@" in text or "snabel-a" in lower:
        return True
    if ("(a" in lower or "[a" in lower or "( a" in lower or "[ a" in lower) and _AT_RE.search(lower) is not None:
        return True
    return " at " in lower and (" dot " in lower or " punkt " in lower)


def find(ctx: Context) -> list[tuple[int, int]]:
    """Look only around each "@" (an address is at most 64 + 255 characters)."""
    lower = ctx.lower
    windows = [(max(0, m.start() - 80), m.end() + 260) for m in _AT_RE.finditer(lower)]
    spans = [m.span() for m in search_windows(_EMAIL_RE, ctx.text, windows)]
    if " at " in lower and (" dot " in lower or " punkt " in lower):
        spans += [m.span() for m in _SPELLED_RE.finditer(ctx.text) if _SPELLED_DOT_RE.search(m.group())]
    return spans


RECOGNIZER = Recognizer(kind="email", label="E-postadress", blocking=True, rank=2, find=find, needs="at")
