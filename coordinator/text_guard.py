"""The anonymity guard applied to the application's texts: one mechanism, a policy per field.

The recognizers (``coordinator.anonymity``) find identifiers; a ``GuardPolicy``
says which kinds a kind of text must not hold (they block: the text is refused
with the span marked) and which are flagged (a probable name: accepted only once
the writer rewrites it or confirms, per word, that it is not a person).

* ``CASE_TEXT``: what describes a case (situation, advice, messages, notes):
  every identifier blocks, names are flagged.
* ``PROFESSIONAL_CONTACT``: a partner's contact person (name, work phone, work
  e-mail may be stored); identifiers of a client still block.
* ``PUBLICATION_TEXT``: what goes into the bulletin: every case identifier blocks,
  names are flagged. Public numbers (112, 114 14, the support lines) are never
  phone findings in any policy.

Forms use ``guarded_text(...)`` (or the ``GuardedText(policy)`` validator); the
view hands ``confirmed_fields(form)`` to the service, which calls
``refuse_identifiers(policy, ...)`` again (no path stores a blocking identifier)
and ``record_confirmations(...)`` to audit each "not a person".
"""
from dataclasses import dataclass

from flask import has_request_context, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from .anonymity import BLOCKING_KINDS, KIND_LABELS, find_identifiers
from .records import DomainError

CONFIRM_SUFFIX = "__not_person"
TEXT_MAX = 10_000


@dataclass(frozen=True)
class GuardPolicy:
    name: str
    blocking: frozenset  # kinds that refuse the text
    flagged: frozenset  # kinds the writer must rewrite or confirm

    @property
    def kinds(self):
        return self.blocking | self.flagged

    def findings(self, text, allowed=()):
        """What this policy looks for in ``text``, less the ``allowed`` values (e.g. the
        writer's own work phone), compared without case and spaces."""
        if not text:
            return []
        allowed_keys = {_key(value) for value in allowed if value}
        return [
            f for f in find_identifiers(text, kinds=self.kinds)
            if _key(f.text) not in allowed_keys
        ]

    def blocks(self, finding):
        return finding.kind in self.blocking

    def __post_init__(self):
        # A policy narrows what is looked for; it never turns a name into a blocking kind
        # or the reverse, so a finding's own ``blocking`` holds under every policy.
        assert self.blocking <= BLOCKING_KINDS and not (self.flagged & BLOCKING_KINDS), self.name


def _key(value):
    return "".join(value.split()).casefold()


CASE_TEXT = GuardPolicy("case_text", blocking=frozenset(BLOCKING_KINDS), flagged=frozenset({"name"}))
PROFESSIONAL_CONTACT = GuardPolicy(
    "professional_contact",
    blocking=frozenset({"personnummer", "case_number", "birthdate"}),
    flagged=frozenset(),
)
PUBLICATION_TEXT = GuardPolicy("publication_text", blocking=frozenset(BLOCKING_KINDS), flagged=frozenset({"name"}))
POLICIES = {p.name: p for p in (CASE_TEXT, PROFESSIONAL_CONTACT, PUBLICATION_TEXT)}


def confirm_field_name(field):
    return field.name + CONFIRM_SUFFIX


def _confirmed_words(field):
    if not has_request_context():
        return set()
    return {word.casefold() for word in request.form.getlist(confirm_field_name(field))}


class GuardedText:
    """Validator: refuse what ``policy`` blocks, flag unconfirmed names.

    ``allowed`` is a callable returning values this writer may use (their own work
    phone and e-mail), or None."""

    def __init__(self, policy=CASE_TEXT, allowed=None):
        self.policy = policy
        self.allowed = allowed

    def __call__(self, form, field):
        if field.errors:
            field.findings = field.pending_names = field.confirmed_names = []
            return  # already refused (e.g. too long): the guard is not run over it
        text = field.data or ""
        findings = self.policy.findings(text, self.allowed() if self.allowed else ())
        confirmed = _confirmed_words(field)
        field.findings = findings
        flagged = [f for f in findings if not f.blocking]
        field.pending_names = [f for f in flagged if f.text.casefold() not in confirmed]
        field.confirmed_names = [f for f in flagged if f.text.casefold() in confirmed]
        blocking = [f for f in findings if f.blocking]
        if blocking:
            kinds = list(dict.fromkeys(kind_label(f.kind).lower() for f in blocking))
            raise ValidationError(_(
                "Texten innehåller uppgifter som kan identifiera en person (%(kinds)s). "
                "Ta bort eller skriv om det som är markerat nedan.",
                kinds=", ".join(kinds),
            ))
        if field.pending_names:
            raise ValidationError(_(
                "Texten verkar innehålla personnamn. Skriv om det markerade, eller bekräfta "
                "för varje markerat ord att det inte är en person."
            ))


class _TextRequired:
    """Required, and more than spaces."""

    def __init__(self, message):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if not (field.data or "").strip():
            field.errors[:] = []
            raise StopValidation(self.message)


def _single_line(form, field):
    if field.data and ("\n" in field.data or "\r" in field.data):
        raise ValidationError(_l("Skriv texten på en rad, utan radbrytningar."))


def guarded_text(label, required_message=None, policy=CASE_TEXT, description=None, max_length=TEXT_MAX,
                 multiline=True, allowed=None):
    """A free-text field behind the guard: required when ``required_message`` is given."""
    validators = [
        _TextRequired(required_message) if required_message else Optional(),
        Length(max=max_length, message=_l("Texten får vara högst %(n)s tecken lång.", n=f"{max_length:,}".replace(",", " "))),
    ]
    if not multiline:
        validators.append(_single_line)
    validators.append(GuardedText(policy, allowed))
    field_class = TextAreaField if multiline else StringField
    return field_class(label, description=description, validators=validators)


def refuse_identifiers(policy, *texts, allowed=(), error=DomainError):
    """For services: whatever path a text comes by, nothing ``policy`` blocks is stored;
    raises ``error`` (the domain's own ``DomainError``). Forms run the full guard first
    and show each finding; names are confirmed there."""
    for text in texts:
        if any(policy.blocks(f) for f in policy.findings(text, allowed)):
            raise error(_("Texten innehåller uppgifter som kan identifiera en person."))


def record_confirmations(actor, obj, fields, prefix=""):
    """Audit each field in which the writer confirmed that a flagged word is not a person."""
    from .audit.services import record

    for name in fields:
        record("anonymity.name_confirmed", actor=actor, obj=obj, detail=prefix + name)


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


def is_guarded(field):
    return any(isinstance(v, GuardedText) for v in field.validators)


def confirmed_fields(form):
    """Names of the guarded fields in which the writer confirmed a flagged word."""
    return [field.name for field in form if getattr(field, "confirmed_names", None)]


def kind_label(kind):
    """The Swedish label of a finding's kind, through gettext like every UI string."""
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind
