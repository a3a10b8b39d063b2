"""Personnummer and samordningsnummer: written forms, check digit, cue words.

(The personnummer recognizer: coordinator/anonymity/recognizers/personnummer.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='personnummer'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


def all_kinds(text):
    return [(f.kind, f.text) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    "value",
    [
        "850314-1239",        # yymmdd-nnnn
        "8503141239",         # no separator
        "850314 1239",        # space
        "850314+1239",        # over 100 years old
        "19850314-1239",      # 12 digits
        "198503141239",
        "19850314 1239",
        "070314-1234",        # born 2007
        "051271-2191",        # samordningsnummer (day 11 + 60)
        "990172-1234",        # samordningsnummer, 12 Jan 1999 + 60
        "19990412-2380",
        "050314_1236",        # underscore
        "05 03 14-1236",      # date part grouped
        "850314 12 39",       # last four grouped
        "19850314 12 39",
    ],
)
def test_personnummer_forms(value):
    """Every common written form of a valid personnummer or samordningsnummer is found."""
    text = f"Anmälan gäller personen med nummer {value} som bor i Gävle."
    assert found(text, "personnummer") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Nummer 850314-1234 i anmälan.",     # wrong check digit
        "Nummer 851314-1236 i anmälan.",     # month 13
        "Nummer 850231-1234 i anmälan.",     # 31 February
        "Kommunens org.nr 212000-2270.",     # organisation number (month 20)
        "Beloppet 1234567890 kr.",
    ],
)
def test_not_personnummer(text):
    """A wrong check digit or an impossible date is not a personnummer."""
    assert found(text, "personnummer") == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("personnummer 050314-1235", "050314-1235"),
        ("Personnumret är 050314-1235 enligt mamman.", "050314-1235"),
        ("Hennes pnr: 0503141235.", "0503141235"),
        ("personnr 20050314-1235", "20050314-1235"),
        ("Samordningsnummer 050374-1235 (uppgivet).", "050374-1235"),
        ("p-nr 050314 1235", "050314 1235"),
        ("Födelsenummer 200503141235.", "200503141235"),
        ("Pers.nr 05 03 14-1235", "05 03 14-1235"),
        ("pnr 85 03 14 12 39", "85 03 14 12 39"),
    ],
)
def test_mistyped_personnummer_after_cue_word_blocks(text, value):
    """Right after a personnummer cue word, a date-shaped 10/12-digit number is
    a personnummer even when its check digit is wrong (people mistype)."""
    assert all_kinds(text) == [("personnummer", value)]


@pytest.mark.parametrize(
    "text",
    [
        "Beställning 050314-1235 skickades.",
        "Personnummer saknas, referens 050314-1235 gäller beställningen.",
        "Personnummer 051314-1235 kan inte stämma.",  # not date-shaped (month 13)
    ],
)
def test_wrong_check_digit_without_cue_is_not_personnummer(text):
    """Without a cue word right before it (or without a date shape), a number
    that fails the check digit stays no personnummer."""
    assert found(text, "personnummer") == []


def test_number_written_only_in_spaced_pairs_needs_a_cue():
    """Five pairs of digits separated by spaces ("85 03 14 12 39") look like
    any list of small numbers: a personnummer only after a cue word."""
    assert found("Poängen var 85 03 14 12 39 i de fem grenarna.", "personnummer") == []
    assert found("Antal per år: 10 10 10 10 10.", "personnummer") == []
    assert found("Personnummer 85 03 14 12 39 enligt blanketten.", "personnummer") == ["85 03 14 12 39"]


def test_wrong_check_digit_can_still_be_a_phone_number():
    """A 10-digit number starting with 0 whose check digit fails is not a
    personnummer but is still caught as a phone number."""
    assert all_kinds("Hon uppgav 0503141235.") == [("phone", "0503141235")]


def test_ten_digits_valid_as_both_decided_by_context():
    """0701234569 is a valid personnummer and a valid mobile number: the cue
    word before it decides the kind; both kinds block."""
    assert all_kinds("Ring henne på 0701234569.") == [("phone", "0701234569")]
    assert all_kinds("Personnummer 0701234569.") == [("personnummer", "0701234569")]


def test_personnummer_after_birth_cue_is_personnummer():
    """'född 070314-1234' is one personnummer finding, not a birth date."""
    assert all_kinds("Pojken är född 070314-1234.") == [("personnummer", "070314-1234")]


@pytest.mark.parametrize(
    "text,value",
    [
        ("Mammans personnummer uppgavs muntligt som 850422-1163 i går.", "850422-1163"),
        ("- Pnr (för remiss): 0401023319\n- Uppföljning", "0401023319"),
        ("Pnr till yngsta som ni frågade efter: 190530-624", "190530-624"),
    ],
)
def test_cue_followed_by_a_short_phrase_or_a_missing_digit(text, value):
    """A cue may be followed by a few words, a bracket or a phrase ending in a
    colon; after a cue a date-shaped number missing its last digit is a
    (mistyped) personnummer too."""
    assert all_kinds(text) == [("personnummer", value)]


def test_cue_words_come_from_one_list():
    """The cue words live in one data file, used both for mistyped numbers and
    to tell a personnummer from a phone number."""
    from coordinator.anonymity import patterns

    assert "pnr" in patterns.PNR_CUES and "samordningsnummer" in patterns.PNR_CUES
    assert patterns.PNR_CUE_BEFORE_RE.search("personnummer: ")
    assert patterns.PNR_CUE_NEAR_RE.search("pnr (enligt mamman) ")


@pytest.mark.parametrize(
    "text",
    ["Personnr min son 0904126612, han går i åk 8.", "pnr till hennes dotter: 0711214545", "Personnummer på mamman 8503141238"],
)
def test_whose_number_between_the_cue_and_a_mistyped_number(text):
    """"Personnr min son <nr>": a mistyped number after the cue and whose it
    is is a personnummer, not a phone number."""
    assert len(found(text)) == 1
    assert [f.kind for f in find_identifiers(text)] == ["personnummer"]
