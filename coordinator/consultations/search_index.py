"""Search in encrypted text without decrypting the table: a blind index, as CipherSweet does it.

When a consultation's text changes (situation, advice, referred-to, a message), its
words are normalised (NFKC, case-folded), and each word and its prefixes of 3 to 8
letters are hashed with a keyed HMAC (a key of its own, derived from the data key,
see ``crypto.Keyring.blind_index``), truncated to ``SEARCH_INDEX_BITS`` bits (16 by
default) and stored as rows ``(consultation_id, key_id, term)``. A search hashes its
words the same way, finds the consultations that have every word's term (an index
lookup), and decrypts only those candidates to confirm the match.

What the index reveals to someone holding the database but not the keys: which
consultations share a term value, never a word. Because 16 bits give only 65 536
values for the far larger number of words and prefixes in use, many different
words share each value: equal values do not even prove a shared word. The price is
some candidates that do not match, which the confirmation drops.
"""
import re
import unicodedata

from flask import current_app
from sqlalchemy import delete, func, select

from ..database import conflict_insert
from ..encryption import Unreadable, holder
from ..extensions import db
from .models import Consultation, ConsultationSearchTerm

_WORD = re.compile(r"[^\W_]+")
MIN_PREFIX, MAX_PREFIX = 3, 8
MAX_QUERY_WORDS = 6


def words(text):
    """The words of ``text``, normalised as the index stores them (two characters or more)."""
    normal = unicodedata.normalize("NFKC", text or "").casefold()
    return [w for w in _WORD.findall(normal) if len(w) >= 2]


def _terms(word):
    """What a word is indexed under: itself, and its prefixes of 3..8 letters."""
    yield "w:" + word
    for n in range(MIN_PREFIX, min(len(word), MAX_PREFIX) + 1):
        yield f"p:{word[:n]}"


def _query_terms(word):
    """The terms a search word is looked up by: every prefix of it that the index holds
    (so "skol" finds "skolan"), or the exact word when it is shorter than a prefix. A
    consultation that has the word has all of them; one that only shares a hash value
    by the truncation's design almost never shares all of them, so the candidates to
    decrypt are few even when a prefix collides with a common word."""
    if len(word) < MIN_PREFIX:
        return ["w:" + word]
    return [f"p:{word[:n]}" for n in range(MIN_PREFIX, min(len(word), MAX_PREFIX) + 1)]


def query_words(query_text):
    """The words a search looks for (each must begin a word of the consultation's text)."""
    return list(dict.fromkeys(words(query_text)))[:MAX_QUERY_WORDS]


def contains_all(texts, wanted):
    """Whether every word of ``wanted`` begins some word of ``texts`` (the decrypted check
    that drops the candidates which only share hash values)."""
    present = {w for text in texts if text and not isinstance(text, Unreadable) for w in words(text)}
    return all(any(w.startswith(q) for w in present) for q in wanted)


def _bits():
    return current_app.config["SEARCH_INDEX_BITS"]


def term_values(texts, key_id=None):
    """The set of truncated keyed hashes of every word and prefix in ``texts``."""
    keyring = holder().current()
    key_id = key_id or keyring.active_id
    bits = _bits()
    return {
        keyring.blind_index(key_id, term, bits)
        for text in texts if text and not isinstance(text, Unreadable)
        for word in words(text) for term in _terms(word)
    }


def rows_for(consultation_id, texts, key_id=None):
    """Index rows of one consultation (also for bulk loading, e.g. the page benchmark)."""
    key_id = key_id or holder().current().active_id
    return [{"consultation_id": consultation_id, "key_id": key_id, "term": value}
            for value in sorted(term_values(texts, key_id))]


def texts_of(consultation):
    partner = consultation.referred_to_partner
    return [consultation.situation, consultation.advice, consultation.referred_to, partner.name if partner else None,
            *(message.body for message in consultation.messages)]


def reindex(consultation):
    """Replace a consultation's index rows by those of its current texts (after an edit)."""
    db.session.flush()
    table = ConsultationSearchTerm.__table__
    db.session.execute(delete(table).where(table.c.consultation_id == consultation.id))
    rows = rows_for(consultation.id, texts_of(consultation))
    if rows:
        db.session.execute(_adding(table), rows)


def _adding(table):
    """An INSERT of index rows that another transaction may be adding at the same moment (two
    messages in one thread sharing a new word): the term is there either way, so a duplicate
    is skipped rather than an error."""
    return conflict_insert(table, db.engine.dialect.name).on_conflict_do_nothing()


def add_text(consultation, text):
    """Add the terms of one new text (a message) to a consultation's index rows."""
    db.session.flush()
    key_id = holder().current().active_id
    table = ConsultationSearchTerm.__table__
    present = set(db.session.execute(
        select(table.c.term).where(table.c.consultation_id == consultation.id, table.c.key_id == key_id)
    ).scalars())
    new = sorted(term_values([text], key_id) - present)
    if new:
        db.session.execute(_adding(table), [
            {"consultation_id": consultation.id, "key_id": key_id, "term": value} for value in new
        ])


def matching(query_text):
    """A condition on Consultation.id: consultations whose index has every word of the
    query (under any key of the keyring, so a search works during a key rotation).
    None when the query has no word to look up."""
    wanted = query_words(query_text)
    if not wanted:
        return None
    keyring = holder().current()
    bits = _bits()
    table = ConsultationSearchTerm.__table__
    conditions = []
    terms = list(dict.fromkeys(term for word in wanted for term in _query_terms(word)))
    for term in terms:
        per_key = [
            (table.c.key_id == key_id) & (table.c.term == keyring.blind_index(key_id, term, bits))
            for key_id in keyring.ids()
        ]
        conditions.append(Consultation.id.in_(
            select(table.c.consultation_id).where(per_key[0] if len(per_key) == 1 else db.or_(*per_key))
        ))
    return db.and_(*conditions)


def build(everything=False, batch_size=200):
    """Index, in committed batches, every consultation without index rows (or all)."""
    from sqlalchemy.orm import selectinload

    table = ConsultationSearchTerm.__table__
    last_id, done = 0, 0
    while True:
        query = select(Consultation).where(Consultation.id > last_id)
        if not everything:
            query = query.where(~select(table.c.consultation_id)
                                .where(table.c.consultation_id == Consultation.id).exists())
        consultations = db.session.execute(
            query.order_by(Consultation.id).limit(batch_size).options(selectinload(Consultation.messages))
        ).scalars().all()
        if not consultations:
            return done
        for consultation in consultations:
            reindex(consultation)
        last_id = consultations[-1].id
        db.session.commit()
        done += len(consultations)


# Key rotation ---------------------------------------------------------------------

def stale_count(active_key_id):
    """Consultations with index rows under another key than the active one."""
    table = ConsultationSearchTerm.__table__
    return db.session.execute(
        select(func.count(func.distinct(table.c.consultation_id))).where(table.c.key_id != active_key_id)
    ).scalar_one()


def rekey(active_key_id, batch_size=200, progress=None):
    """Rebuild, in committed batches, the index of every consultation indexed under an
    older key; a rerun picks up what is left. Returns how many were rebuilt."""
    from sqlalchemy.orm import selectinload

    table = ConsultationSearchTerm.__table__
    done = 0
    while True:
        ids = db.session.execute(
            select(table.c.consultation_id).where(table.c.key_id != active_key_id)
            .group_by(table.c.consultation_id).order_by(table.c.consultation_id).limit(batch_size)
        ).scalars().all()
        if not ids:
            return done
        consultations = db.session.execute(
            select(Consultation).where(Consultation.id.in_(ids)).options(selectinload(Consultation.messages))
        ).scalars().all()
        for consultation in consultations:
            reindex(consultation)
        db.session.commit()
        done += len(consultations)
        if progress:
            progress(len(consultations))


def rows_using(key_id):
    table = ConsultationSearchTerm.__table__
    return db.session.execute(select(func.count()).where(table.c.key_id == key_id)).scalar_one()
