"""Birth dates after a birth cue, in lists and in brackets after a name.

(The birthdate recognizer: coordinator/anonymity/recognizers/birthdate.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='birthdate'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


@pytest.mark.parametrize(
    "text,value",
    [
        ("Hon är född 2005-03-14.", "2005-03-14"),
        ("Flickan (f. 14/3 2005) går i nian.", "14/3 2005"),
        ("Pojken är född den 14 mars 2005.", "14 mars 2005"),
        ("födelsedatum 050314, bor hos modern", "050314"),
        ("f 2005-03-14", "2005-03-14"),
        ("födelsedag 14 mars 2005", "14 mars 2005"),
        ("Född: 2006-09-30", "2006-09-30"),
        ("född 3:e juni 2006", "3:e juni 2006"),
        ("född den 1 feb. 2007", "1 feb. 2007"),
        ("födelsedatum 2004.11.09", "2004.11.09"),
        ("f. 14/03/2005", "14/03/2005"),
        ("född 14/3-05", "14/3-05"),
        ("född 20050314", "20050314"),
        ("Barnet är f. 091130 och går i fyran.", "091130"),
        ("född 14:e mars -05", "14:e mars -05"),
        ("född den 14 mars", "14 mars"),
    ],
)
def test_birthdate_forms(text, value):
    """An exact date of birth after a birth cue is found, however the date is written."""
    assert found(text, "birthdate") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "mötet 2018-11-05 hölls på skolan",
        "Ärendet inkom 2019-02-14.",
        "Hon är född 2005 och går i nian.",
        "Han är född i mars 2005.",
        "Flickan är 16 år.",
        "Han är född i Syrien och kom hit 2015-08-01.",
        "Eleven, f.d. elev på Borgarskolan, hörde av sig.",
        "Mötet den 14 mars 2005 dokumenterades.",
        "Hon uppger att hon är född 2005-02-30.",
        "Han är född 31/11 2005 enligt blanketten.",
        "född 32 mars 2005",
    ],
)
def test_not_birthdate(text):
    """Meeting and received dates, years of birth, ages, other dates and
    impossible dates are not birth dates."""
    assert found(text, "birthdate") == []


@pytest.mark.parametrize(
    "text,values",
    [
        ("Hon har två barn, födda 2016-03-27 och 2019-05-30.", ["2016-03-27", "2019-05-30"]),
        ("barnen f. 20.12.2007 o 9/3-12. vårt dnr", ["20.12.2007", "9/3-12"]),
        ("Shabnams födelsedatum i passet: 2009-03-31, men hon tror", ["2009-03-31"]),
        ("- Syster Sagal (2010-02-14) går på samma skola", ["2010-02-14"]),
        ("- Barnen Rojin (2012-05-03) och Baran (2015-01-19) i skolan", ["2012-05-03", "2015-01-19"]),
    ],
)
def test_birth_dates_in_lists_after_a_phrase_and_in_brackets_after_a_name(text, values):
    """Dates listed after a birth cue, a birth date after "födelsedatum ...:"
    and a full date in brackets right after a person's name are birth dates."""
    assert found(text) == values


@pytest.mark.parametrize("text", [
    "Mötet hölls på Socialtjänsten (2021-03-04) i Sätra.",
    "Beslutet (2021-03-04) överklagades inte.",
])
def test_bracketed_date_after_an_ordinary_word_is_no_birth_date(text):
    """A date in brackets after an ordinary word or an organisation is not a birth date."""
    assert found(text) == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("Hon har fött baby den 3 mars 2023 och bor nu hos sin syster.", "3 mars 2023"),
        ("Kvinnan födde en son 2022-11-30 på Gävle sjukhus.", "2022-11-30"),
        ("Mamman fött tvillingar den 12/4-21.", "12/4-21"),
    ],
)
def test_a_birth_given_dates_the_child(text, value):
    """"fött", "födde" (with the child after it) are birth cues too."""
    assert found(text) == [value]
