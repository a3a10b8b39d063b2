"""Phone numbers: national and international forms, dates and times that are no phones, public numbers.

(The phone recognizer: coordinator/anonymity/recognizers/phone.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='phone'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


@pytest.mark.parametrize(
    "value",
    [
        "070-123 45 67", "0701234567", "070 123 45 67", "070-1234567", "073-456 78 90",
        "0722-34 56 78", "076 - 225 19 04",
        "+46 70 123 45 67", "+46701234567", "0046701234567", "0046 70 123 45 67",
        "+46 (0)70-123 45 67", "0046-70-4412233",
        "08-123 456 78", "08-123 45 67", "08 - 712 33 40",
        "026-12 34 56", "026-65 43 21", "0290-123 45", "031-7935897",
        "(026) 12 34 56", "(0)26-12 34 56", "+46 26 12 34 56",
        "070.123.45.67", "070/1234567", "+46(0)70-1234567", "(08) 123 456 78", "0046 (0)8-123 456 78",
        "010-123 45 67", "0771-12 34 56",
    ],
)
def test_phone_forms(value):
    """Swedish mobile and landline numbers in the usual written forms are found whole."""
    text = f"Mamman kan nås på {value} efter klockan fem."
    assert found(text, "phone") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Mötet är kl. 08.30-10.00 i rum 204.",
        "Mötet flyttas till den 08/03 2018.",
        "Mötet hölls 2018-11-05 och 2018-11-12.",
        "Kostnaden var 2 500 kr och 12 345 kr.",
        "Under 2017 2018 2019 ökade antalet.",
        "Ring 112 vid fara eller 1177 för råd.",
        "Kvinnofridslinjen 020-50 50 50 är öppen dygnet runt.",
        "Mötet den 08.03.2018 kl 10 flyttades.",
        "Tiden 08.30.10.00 stod i kallelsen.",
        "Eleven har 75 % närvaro och 16 år fyllda.",
    ],
)
def test_not_phone(text):
    """Times, dates, amounts, years, emergency and public helpline numbers are not phone findings."""
    assert found(text, "phone") == []


def test_phone_does_not_swallow_following_numbers():
    """A count after the number is not part of the phone span."""
    assert found("Hon ringde från 070-123 45 67 2 gånger.", "phone") == ["070-123 45 67"]


def test_stockholm_number_with_slash_but_not_a_date():
    """'08/123 456 78' and '08/12345678' are phone numbers; '08/12' and '08/12/2018' are dates."""
    from coordinator.anonymity import find_identifiers

    for text in ("Ring 08/12345678 på kvällen.", "Ring 08/123 456 78 på kvällen."):
        assert [f.kind for f in find_identifiers(text)] == ["phone"], text
    for text in ("Mötet 08/12 flyttades.", "Mötet 08/12/2018 flyttades.", "Vecka 08/12 2018."):
        assert [f.kind for f in find_identifiers(text)] == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Ring 112 vid fara, 114 14 för polisen eller 1177 för råd.",
        "BRIS nås på 116 111 och Missing People på 116 000.",
        "Kvinnofridslinjen 020-50 50 50 är öppen dygnet runt.",
        "Kvinnofridslinjen +46 20 50 50 50 är öppen dygnet runt.",
        "Migrationsverket (0771-235 235) och Försäkringskassan (0771-524 524) har kontaktats.",
        "Polisen nås även på 077-114 14 00.",
    ],
)
def test_public_numbers_are_never_phones(text):
    """National helplines and authorities' service numbers (one data file,
    data/public_numbers.txt) are not personal data."""
    assert found(text) == []


def test_public_numbers_file_lists_the_helplines():
    from coordinator.anonymity.recognizers.phone import PUBLIC_NUMBERS

    for number in ("112", "11414", "1177", "116111", "116000", "020505050", "0771141400"):
        assert number in PUBLIC_NUMBERS
