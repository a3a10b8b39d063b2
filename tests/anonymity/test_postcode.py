"""Postcodes with a town, a country prefix or a cue.

(The postcode recognizer: coordinator/anonymity/recognizers/postcode.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='postcode'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


@pytest.mark.parametrize(
    "value",
    ["803 20 Gävle", "80320 Gävle", "SE-803 20", "SE-80320 GÄVLE", "811 34 Sandviken", "S-803 20 GÄVLE",
     "S-80320 Gävle", "SE 803 20 GÄVLE"],
)
def test_postcode_forms(value):
    """A postcode with a town, or with the SE- prefix, is found."""
    assert found(f"Brevet adresserades till {value} i förra veckan.", "postcode") == [value]


def test_old_country_prefix_in_address():
    """The old "S-" country prefix with an upper-case town is part of the address."""
    assert found("Brev till Kungsgatan 5, S-803 20 GÄVLE i går.", "address") == ["Kungsgatan 5, S-803 20 GÄVLE"]


def test_postcode_after_cue_without_town():
    """'postnummer 803 20' is a postcode even without a town."""
    assert found("Uppgivet postnummer 803 20, ingen gata.", "postcode") == ["803 20"]


@pytest.mark.parametrize("text", ["Kostnaden blev 2 500 kr.", "Vi har 123 45 elever?", "Det kom 250 00 ansökningar."])
def test_not_postcode(text):
    """Amounts and counts are not postcodes."""
    assert found(text, "postcode") == []


@pytest.mark.parametrize("text,value", [
    ("familjen har flyttat till 827 32 ljusdal enligt mamman", "827 32 ljusdal"),
    ("bor numera i 818 41 valbo hos mormor", "818 41 valbo"),
    ("adress se-806 33 gävle", "se-806 33 gävle"),
])
def test_town_in_lower_case(text, value):
    """Missing capitals: a postcode with a town written in lower case (a known
    place or a word that is no Swedish word), and a lower-case "se-" prefix."""
    assert found(text) == [value]


def test_lower_case_word_after_a_count_is_no_town():
    assert found("vi har 123 45 elever i år") == []
