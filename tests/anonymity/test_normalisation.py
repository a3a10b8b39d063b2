"""Evasion by Unicode: look-alike dashes, invisible characters, fullwidth and
other-script digits, decomposed letters and letters that look like digits must
not hide an identifier, and offsets must still point into the ORIGINAL text."""

import pytest

from coordinator.anonymity import find_identifiers
from coordinator.anonymity.normalise import normalise as _normalise


def found(text, kind):
    return [f.text for f in find_identifiers(text) if f.kind == kind]


def check_offsets(text):
    findings = find_identifiers(text)
    for f in findings:
        assert text[f.start:f.end] == f.text
    for a, b in zip(findings, findings[1:]):
        assert a.end <= b.start
    return findings


@pytest.mark.parametrize(
    "dash",
    ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d", "\u02d7"],
)
def test_any_dash_in_personnummer(dash):
    """A personnummer written with a hyphen look-alike (U+2010-U+2015, minus
    U+2212, small/fullwidth hyphen-minus, ...) is found, with the original
    characters as its text."""
    value = f"050314{dash}1236"
    assert found(f"Personnummer {value} enligt blanketten.", "personnummer") == [value]


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]
)
def test_invisible_characters_inside_identifiers(invisible):
    """Zero-width space/joiners, word joiner, BOM, soft hyphen and bidi marks
    inside a personnummer, a phone number or an e-mail address do not hide it."""
    pnr = f"050314{invisible}-1236"
    assert found(f"Pnr {pnr} stod i mejlet.", "personnummer") == [pnr]
    phone = f"070-123{invisible} 45 67"
    assert found(f"Ring {phone} i kväll.", "phone") == [phone]
    mail = f"sara.ali{invisible}@gmail.com"
    assert found(f"Mejl: {mail} till skolan.", "email") == [mail]


def test_fullwidth_and_other_script_digits():
    """Fullwidth digits and Arabic-Indic digits count as digits."""
    assert found("Personnummer ０５０３１４－１２３６ enligt blanketten.", "personnummer") == ["０５０３１４－１２３６"]
    assert found("Ring ０７０‐１２３ ４５ ６７ i dag.", "phone") == ["０７０‐１２３ ４５ ６７"]
    assert found("Ring ٠٧٠١٢٣٤٥٦٧ nu.", "phone") == ["٠٧٠١٢٣٤٥٦٧"]


def test_fullwidth_at_sign_and_letters():
    """A fullwidth @ makes an e-mail address; a fullwidth name is a name."""
    assert found("Mejla fatima＠hotmail.com i dag.", "email") == ["fatima＠hotmail.com"]
    assert found("Igår ringde ＡＨＭＥＤ till skolan.", "name") == ["ＡＨＭＥＤ"]


@pytest.mark.parametrize(
    "text,kind,value",
    [
        ("Ring O7O-123 45 67 i dag.", "phone", "O7O-123 45 67"),
        ("Ring o7o-l23 45 67 i dag.", "phone", "o7o-l23 45 67"),
        ("Ring 070-I23 45 67 i dag.", "phone", "070-I23 45 67"),
        ("Personnummer 85O314-1239.", "personnummer", "85O314-1239"),
        ("Ring \u041e7\u041e-123 45 67 i dag.", "phone", "\u041e7\u041e-123 45 67"),  # Cyrillic O
    ],
)
def test_letters_that_look_like_digits_inside_numbers(text, kind, value):
    """O/o (and their Cyrillic/Greek twins) as 0 and l/I as 1 inside a
    digit-heavy token are read as digits."""
    assert found(text, kind) == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Rum IO1 och Ol 2019 samt lO.",
        "Utsläpp av CO2 och H2O mättes.",
        "Hon kom kl 10 och gick kl 12.",
        "Ali kom 2019 och Ola 2020.",
        "Kostnaden var 1O 000 kr.",
    ],
)
def test_lookalike_letters_outside_numbers_left_alone(text):
    """Letters in words, short codes and text next to a few digits are not
    turned into digits (no new finding appears)."""
    assert [f for f in find_identifiers(text) if f.blocking] == []


def test_offsets_after_expanding_and_removed_characters():
    """A ligature that expands ("ﬁ" -> "fi"), a decomposed "ä" that composes
    and zero-width characters that are dropped before and inside findings do
    not shift the offsets: every span is exact in the original text."""
    text = "ﬁka med Ga\u0308vle\u200b-folket. Ring 070\u200b-123 45 67 eller mejla a\u0308sa@live.se. Pnr 850314\u20131239."
    findings = check_offsets(text)
    assert [(f.kind, f.text) for f in findings if f.blocking] == [
        ("phone", "070\u200b-123 45 67"),
        ("email", "a\u0308sa@live.se"),
        ("personnummer", "850314\u20131239"),
    ]
    phone = next(f for f in findings if f.kind == "phone")
    assert phone.start == text.index("070")


def test_decomposed_letters_are_composed():
    """A town written with a combining diaeresis ("Ga\u0308vle") is the town:
    the address with postcode is one finding."""
    text = "Hon bor på Kungsgatan 5, 803 20 Ga\u0308vle sedan mars."
    assert found(text, "address") == ["Kungsgatan 5, 803 20 Ga\u0308vle"]


def test_combining_overlay_on_digits_is_ignored():
    """A combining mark drawn over a digit (strike-through) does not break the number."""
    text = "pnr 0503\u033614-1236 enligt blanketten"
    assert found(text, "personnummer") == ["0503\u033614-1236"]


def test_dash_normalisation_creates_no_new_findings():
    """En and em dashes in time, week and year ranges stay harmless after
    they are normalised to hyphens."""
    text = "Mötet kl. 13.30–15.00 i vecka 40–44; satsningen pågår 2016—2020 – se protokollet."
    assert find_identifiers(text) == []


def test_fast_path_builds_no_index_map():
    """Plain ASCII text and ordinary Swedish text are used as they are (no
    index map); the map is only built when a replacement changes the length."""
    for text in ("Ring 070-123 45 67.", "Flickan går på Sätraskolan i Gävle – åk 9."):
        norm, starts, ends = _normalise(text)
        assert starts is None and ends is None
    norm, starts, ends = _normalise("Ring 070-123 45 67.")
    assert norm == "Ring 070-123 45 67."
    norm, starts, ends = _normalise("Pnr 050314\u2212" + "1236")
    assert norm == "Pnr 050314-1236" and starts is None  # same length: no map
    norm, starts, ends = _normalise("Pnr 050314\u200b-1236")
    assert norm == "Pnr 050314-1236"
    assert starts is not None and len(starts) == len(norm) == len(ends)
    assert (starts[10], ends[10]) == (11, 12)  # the "-" after the dropped zero-width space
