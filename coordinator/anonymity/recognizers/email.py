"""E-mail addresses, including spelled-out "(at)"/"[at]"/"(snabel-a)" forms."""

from __future__ import annotations

import re

from ..patterns import SP
from .base import Context, Recognizer, search_windows

_AT = (
    r"(?:@|" + SP + r"?[\(\[]" + SP + r"?(?:at|snabel-a)" + SP + r"?[\)\]]" + SP + r"?"
    r"|" + SP + r"+snabel-a" + SP + r"+)"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+\-'])[\w.!#$%&'*+/=?^`{|}~\-]*\w"
    + _AT
    + r"\w[\w\-]*(?:\.\w[\w\-]*)*\.[A-Za-z]{2,24}(?![\w@])",
    re.IGNORECASE,
)
# Where an address can be: an "@", or "at"/"snabel-a" in brackets.
_AT_RE = re.compile(r"@|[\(\[]" + SP + r"?(?:at|snabel-a)" + SP + r"?[\)\]]|snabel-a")


def has_at(text: str, lower: str) -> bool:
    """The shared pre-check: an "@" or a spelled-out one."""
    return "@" in text or "snabel-a" in lower or (
        ("(at" in lower or "[at" in lower or "( at" in lower or "[ at" in lower) and _AT_RE.search(lower) is not None
    )


def find(ctx: Context) -> list[tuple[int, int]]:
    """Look only around each "@" (an address is at most 64 + 255 characters)."""
    windows = [(max(0, m.start() - 80), m.end() + 260) for m in _AT_RE.finditer(ctx.lower)]
    return [m.span() for m in search_windows(_EMAIL_RE, ctx.text, windows)]


RECOGNIZER = Recognizer(kind="email", label="E-postadress", blocking=True, rank=2, find=find, needs="at")
