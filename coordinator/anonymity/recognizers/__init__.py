"""The recognizers, one module per kind, and the one tuple that lists them.

``RECOGNIZERS`` is the single source of the kinds: their order (``KINDS``),
their Swedish labels (``KIND_LABELS``), which of them block
(``BLOCKING_KINDS``) and their rank in overlaps all come from it.
"""

from __future__ import annotations

from . import address, birthdate, case_number, email, name, personnummer, phone, postcode
from .base import Context, Recognizer

RECOGNIZERS: tuple[Recognizer, ...] = (
    personnummer.RECOGNIZER,
    phone.RECOGNIZER,
    email.RECOGNIZER,
    address.RECOGNIZER,
    postcode.RECOGNIZER,
    case_number.RECOGNIZER,
    birthdate.RECOGNIZER,
    name.RECOGNIZER,
)

BY_KIND: dict[str, Recognizer] = {r.kind: r for r in RECOGNIZERS}

__all__ = ["RECOGNIZERS", "BY_KIND", "Context", "Recognizer"]
