"""E-mail addresses, also spelled out with (at) or snabel-a.

(The email recognizer: coordinator/anonymity/recognizers/email.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='email'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


@pytest.mark.parametrize(
    "value",
    ["fatima.ali@hotmail.com", "ahmed_k@live.se", "mentor.8b@edu.gavle.se", "Hassan.Ali[at]gmail.com",
     "sara (at) telia.com", "o'brien@example.org", "sara(snabel-a)telia.com"],
)
def test_email_forms(value):
    """E-mail addresses, also written with (at) or [at], are found."""
    assert found(f"Kontakt via {value} enligt skolan.", "email") == [value]


@pytest.mark.parametrize("text", ["E-post saknas i ärendet.", "Hon skrev @skolan på Instagram.", "Mejl kom kl. 10."])
def test_not_email(text):
    """Text that only mentions e-mail or a handle has no e-mail finding."""
    assert found(text, "email") == []


def test_unbracketed_snabel_a():
    """"namn snabel-a gmail.com" is an address too."""
    assert found("E-post från hodan.abdi07 snabel-a gmail.com: hej") == ["hodan.abdi07 snabel-a gmail.com"]


@pytest.mark.parametrize(
    "value",
    ["nora.h(a)hotmail.com", "sami.k [a] live.se", "farah.y77 at hotmail dot com", "jonas punkt b at gmail punkt com",
     "lejla.m at telia punkt se"],
)
def test_addresses_written_out_in_words(value):
    """"(a)" for the at sign, and an address in words with a spelled-out dot."""
    assert found(f"Hon nås på {value} efter skolan.") == [value]


@pytest.mark.parametrize(
    "text",
    ["Vi ses at school, sa han.", "Han jobbar at home dot dot dot.", "Mötet (a) hölls i aulan."],
)
def test_at_as_an_english_word_is_no_address(text):
    """"at" as a word needs a spelled-out dot and a top-level domain after it."""
    assert found(text) == []
