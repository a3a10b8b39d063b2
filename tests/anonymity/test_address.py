"""Street addresses: street names, street types as words, house numbers, flats, floors, postcodes.

(The address recognizer: coordinator/anonymity/recognizers/address.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='address'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


@pytest.mark.parametrize(
    "value",
    [
        "Drottninggatan 12B",
        "Kungsgatan 5, 803 20 Gävle",
        "Södra Kansligatan 3 lgh 1201",
        "Norra Strandgatan 14 2 tr",
        "Hemlingbyvägen 14 lgh 1103",
        "Ruddammsvägen 21C, 803 22 Gävle",
        "Olof Palmes gata 3",
        "Sätra Allé 5B",
        "Stigslunds allé 12, lgh 1002, 806 38 Gävle",
        "Norra Kungsgatan 7 B, 3 tr",
        "Skolgatan 22",
        "Lilla Brogatan 6",
        "drottninggatan 12b",
        "Hamnplan 2",
        "Kyrkbacken 4",
        "Stortorget 3",
        "Slottsgränd 1",
        "Granstigen 11-13",
        "Storg. 3",
        "Skolv. 12 lgh 1001",
        "olof palmes gata 92A",
    ],
)
def test_address_forms(value):
    """Street + number with entrance letter, flat, floor, postcode and town is one address."""
    assert found(f"Familjen bor på {value} sedan i våras.", "address") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Socialtjänstens kontor ligger på Drottninggatan.",
        "Vi gick igenom handlingsplan 2 och åtgärdsplan 3.",
        "Han cyklade på hemvägen 2 gånger i veckan.",
        "Samling på Stortorget 14.30.",
        "Kontoret på Kungsgatan har 12 anställda.",
        "Mötet hölls på plan 3 i Stadshuset.",
        "Hon bor i hans gata 5 dagar i veckan.",
        "Vi gick på vår gata 3 gånger.",
        "Handlingsplan 2 antogs av nämnden.",
        "Enligt Vårdplan 3 ska eleven få stöd.",
    ],
)
def test_not_address(text):
    """A street without number, planning documents, counts and times are not addresses."""
    assert found(text, "address") == []


@pytest.mark.parametrize(
    "text,value",
    [
        ("Pappan bor på Norra torg 3 sedan i våras.", "Norra torg 3"),
        ("Hon bor på Kyrkans backe 12.", "Kyrkans backe 12"),
        ("Adressen är Stora gatan 5, 803 20 Gävle.", "Stora gatan 5, 803 20 Gävle"),
        ("Familjen bor på Lilla torget 2 i Hofors.", "Lilla torget 2"),
        ("Väninnan bor på Södra Esplanaden 9, 802 52 Gävle.", "Södra Esplanaden 9, 802 52 Gävle"),
        ("Ny adress: Västra Ågatan 14 B, 803 10 Gävle.", "Västra Ågatan 14 B, 803 10 Gävle"),
        ("i lägenheten på Nedre Åvägen 11, 2 tr. Ärendet", "Nedre Åvägen 11, 2 tr."),
        ("Hon bor på Kungsportsavenyn 21, 411 36 Göteborg.", "Kungsportsavenyn 21, 411 36 Göteborg"),
    ],
)
def test_street_type_as_a_word_of_its_own(text, value):
    """A street type written as a word of its own after one or two words
    ("Norra torg", "Kyrkans backe", "Lilla torget", "Södra Esplanaden"), a
    street name that is only a letter and a suffix ("Åvägen") and the
    "-avenyn" streets are addresses, with everything that follows them."""
    assert [(f.kind, f.text) for f in find_identifiers(text)] == [("address", value)]
