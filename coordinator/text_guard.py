"""The anonymity guard on forms: every free-text field passes it before it is stored.

``GuardedText`` is a WTForms validator. Structured identifiers (personnummer,
phone, e-mail, address, case number, birth date) are refused with the span
marked; a probable name is flagged and accepted only when the writer rewrites
it or ticks, for that word, that it is not a person. The view passes
``confirmed_fields(form)`` to the service, which audits the confirmation.
"""
from flask import has_request_context, request
from flask_babel import gettext as _
from wtforms.validators import ValidationError

from .anonymity import KIND_LABELS, find_identifiers

CONFIRM_SUFFIX = "__not_person"


def confirm_field_name(field):
    return field.name + CONFIRM_SUFFIX


def _confirmed_words(field):
    if not has_request_context():
        return set()
    return {word.casefold() for word in request.form.getlist(confirm_field_name(field))}


class GuardedText:
    """Validator: refuse identifiers, flag unconfirmed probable names."""

    def __call__(self, form, field):
        text = field.data or ""
        findings = find_identifiers(text)
        confirmed = _confirmed_words(field)
        field.findings = findings
        field.pending_names = [f for f in findings if not f.blocking and f.text.casefold() not in confirmed]
        field.confirmed_names = [f for f in findings if not f.blocking and f.text.casefold() in confirmed]
        blocking = [f for f in findings if f.blocking]
        if blocking:
            kinds = []

            for finding in blocking:
                label = kind_label(finding.kind).lower()
                if label not in kinds:
                    kinds.append(label)
            raise ValidationError(
                _(
                    "Texten innehåller uppgifter som kan identifiera en person (%(kinds)s). "
                    "Ta bort eller skriv om det som är markerat nedan.",
                    kinds=", ".join(kinds),
                )
            )
        if field.pending_names:
            raise ValidationError(
                _(
                    "Texten verkar innehålla personnamn. Skriv om det markerade, eller bekräfta "
                    "för varje markerat ord att det inte är en person."
                )
            )


def segments(text, findings):
    """``text`` cut into (piece, finding or None), for marking findings in place."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start > position:
            pieces.append((text[position:finding.start], None))
        pieces.append((text[finding.start:finding.end], finding))
        position = finding.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def confirmed_fields(form):
    """Names of the guarded fields in which the writer confirmed a flagged word."""
    return [
        name for name, field in form._fields.items() if getattr(field, "confirmed_names", None)
    ]


def kind_label(kind):
    """The Swedish label of a finding's kind, through gettext like every UI string."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
