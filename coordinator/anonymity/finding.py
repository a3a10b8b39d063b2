"""The result type of the guard."""

from __future__ import annotations

from dataclasses import dataclass, field

from .recognizers import BY_KIND, RECOGNIZERS

KINDS: tuple[str, ...] = tuple(r.kind for r in RECOGNIZERS)
#: Swedish explanations shown next to a finding on the form.
KIND_LABELS: dict[str, str] = {r.kind: r.label for r in RECOGNIZERS}
BLOCKING_KINDS: frozenset[str] = frozenset(r.kind for r in RECOGNIZERS if r.blocking)
#: When two candidate spans overlap, blocking kinds beat warnings, then the
#: longer span wins, then this order.
KIND_RANK: dict[str, int] = {r.kind: r.rank for r in RECOGNIZERS}

assert set(BY_KIND) == set(KINDS)


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found in a text: ``text[start:end]`` is the span."""

    kind: str
    start: int
    end: int
    span_text: str = field(default="", repr=False, compare=False)

    @property
    def text(self) -> str:
        """The characters of the finding."""
        return self.span_text

    @property
    def blocking(self) -> bool:
        """True if the text must not be stored while this finding remains."""
        return self.kind in BLOCKING_KINDS

    @property
    def label(self) -> str:
        """Swedish explanation of the kind, for the form."""
        return KIND_LABELS[self.kind]

    def to_dict(self) -> dict:
        """JSON-friendly representation (for forms and API responses)."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.span_text,
            "blocking": self.blocking,
            "label": self.label,
        }


def blocking(findings) -> list[Finding]:
    """The findings that must stop the text from being stored."""
    return [f for f in findings if f.kind in BLOCKING_KINDS]


def warnings(findings) -> list[Finding]:
    """The findings that are only warnings (probable names)."""
    return [f for f in findings if f.kind not in BLOCKING_KINDS]
