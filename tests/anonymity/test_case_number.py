"""Case numbers: diarie- and ärendenummer, police numbers, unit codes, weak cues.

(The case_number recognizer: coordinator/anonymity/recognizers/case_number.py.)
"""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind='case_number'):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


@pytest.mark.parametrize(
    "text,value",
    [
        ("Dnr 2018/1234 gäller pojken.", "2018/1234"),
        ("Ärendet har dnr SN 2018-0456.", "SN 2018-0456"),
        ("Se KS 2018/123 för beslutet.", "KS 2018/123"),
        ("ärendenummer 123-4567 hos Försäkringskassan", "123-4567"),
        ("Ärende nr 2018-12345 avslutades.", "2018-12345"),
        ("Polisens AM-123456-18 gäller hot.", "AM-123456-18"),
        ("Anmälan K123456-18 är upprättad.", "K123456-18"),
        ("Anmälan 5000-K123456-18 är upprättad.", "5000-K123456-18"),
        ("Diariefört under BUN 2021/93.", "BUN 2021/93"),
        ("dnr: SN-2021-00342", "SN-2021-00342"),
        ("Mål nr T 1234-18 vid tingsrätten.", "T 1234-18"),
        ("ärende-id 12345 i systemet", "12345"),
        ("Dnr. SBN 22/682 överlämnades.", "SBN 22/682"),
        ("diarienummer KFN/2021:304 gäller", "KFN/2021:304"),
        ("Anmälan K 55123-22 gäller hot.", "K 55123-22"),
        ("Polisens nummer 5000-K 55123-22.", "5000-K 55123-22"),
        ("Polisens AM 123456-18 gäller hot.", "AM 123456-18"),
        ("Se ärende 2023/145 hos nämnden.", "2023/145"),
        ("ärendenr 2023/145 gäller samma familj", "2023/145"),
        ("Underlaget finns i akt 2023-145.", "2023-145"),
        ("Ärendet SN 2023/145 överlämnades.", "SN 2023/145"),
        ("Anmälan 2023/145 registrerades i går.", "2023/145"),
    ],
)
def test_case_number_forms(text, value):
    """Diarienummer, ärendenummer and police report numbers are found (without the cue word)."""
    assert found(text, "case_number") == [value]


@pytest.mark.parametrize(
    "text,value",
    [
        ("Ärendenummer är 4000-K1234567-23.", "4000-K1234567-23"),
        ("Dnr är 2018/1234 enligt beslutet.", "2018/1234"),
        ("diarienummer hos oss 2019/12", "2019/12"),
        ("Anmälningsnummer är K 55123-22.", "K 55123-22"),
    ],
)
def test_case_number_span_does_not_take_in_the_word_before(text, value):
    """A lower-case word between the cue and the number ("är", "hos oss") is
    not taken for a unit code: the span starts at the number."""
    assert found(text, "case_number") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Ärendet inkom 2019-02-14 via e-post.",
        "Polisen gjorde en anmälan 13/10 2018.",
        "I ärendet 2019 hände inget nytt.",
        "Ärendet 2018/19 gällde ett läsår.",
        "Kostnaden för anmälan 4500 kr betalades.",
        "Akt 12 i pjäsen handlade om heder.",
        "Målet 2030 i Agenda 2030 diskuterades.",
        "HT 2019-20 och VT 2020-21 var lugna.",
        "Ärendet 2019-02-14 avslutades.",
        "Ärendet 12/9-23 kom in via skolan.",
        "Mål 12.30 serveras lunch i matsalen.",
        "Akten 3:12 saknades.",
    ],
)
def test_weak_case_cue_before_date_year_or_amount_is_no_case_number(text):
    """After an ordinary noun ("ärende", "anmälan", "akt", "mål"), a date, a
    time, a bare year, a year range, an amount or a short number is no case
    number."""
    assert found(text, "case_number") == []


@pytest.mark.parametrize(
    "text",
    [
        "Läsåret 2018/19 deltog 240 elever.",
        "Läsåret 2019/2020 var annorlunda.",
        "Enligt SFS 2001:453 och 14 kap. 1 § SoL.",
        "Ärende 3 av 5 denna vecka gällde en familj.",
        "Diarienummer saknas fortfarande.",
        "Ärendenumret skickas separat.",
        "Projektet pågår VT 2019-2020.",
        "Rapport 2019:13 från Brå.",
        "Projektet CVE 2019-2020 avslutades.",
        "Satsningen RFSL 2018/19 utvärderas.",
    ],
)
def test_not_case_number(text):
    """School years (also after an acronym), law references, counts and
    dnr-like phrases without a number are not case numbers."""
    assert found(text, "case_number") == []


def test_strong_case_cue_after_a_weak_one_is_found():
    """A weak cue word ("Ärendet") before a real "Dnr" must not hide the case number."""
    from coordinator.anonymity import find_identifiers

    for text in ("Ärendet har Dnr 2018/1234 hos socialnämnden och har överlämnats till oss.",
                 "Ärendet har dnr 2018/1234.", "Akten har diarienummer KS 2019/77."):
        kinds = [f.kind for f in find_identifiers(text)]
        assert kinds == ["case_number"], (text, kinds)


@pytest.mark.parametrize(
    "text,value",
    [
        ("Vi har ärendet hos BoU 2024/0312 sedan i våras.", "BoU 2024/0312"),
        ("Haben utreds under SoN 2024/118 just nu.", "SoN 2024/118"),
        ("Kopia till BoU-2024-1456 i dag.", "BoU-2024-1456"),
        ("Det gäller Ahmad med dossiernummer 1-345219 hos Migrationsverket.", "1-345219"),
        ("Målet har nummer 3021-23 i förvaltningsrätten.", "3021-23"),
        ("kontakt m socjour, de har ärendet under 2024/1873.", "2024/1873"),
        ("Diarienummer 1.2.3-456/2018 gäller en äldre anmälan.", "1.2.3-456/2018"),
        ("Dnr hos oss: SoN 2022/733.", "SoN 2022/733"),
    ],
)
def test_mixed_case_unit_codes_dossier_numbers_and_reference_verbs(text, value):
    """A unit code in mixed case ("SoN", "BoU"), a Migrationsverket dossier
    number, a weak cue with a reference verb ("målet har nummer", "ärendet
    under"), long dotted numbers and filler words before the number."""
    assert found(text) == [value]


def test_numbers_listed_after_a_cue_are_all_case_numbers():
    """"dnr 2019/123 och 2021/845": the second number of a list after a cue
    is a case number too."""
    assert found("Tidigare dnr 2019/123 och 2021/845 har slagits samman.") == ["2019/123", "2021/845"]


@pytest.mark.parametrize(
    "text,value",
    [
        ("dokumenterat i ärende bun 2022/0411 idag", "bun 2022/0411"),
        ("se ärende ks 2021/877", "ks 2021/877"),
        ("Mål i kammarrätten: 4410-23", "4410-23"),
        ("Ärende hos Migrationsverket: 1234-5678", "1234-5678"),
    ],
)
def test_lower_case_unit_codes_and_a_phrase_after_a_weak_cue(text, value):
    """A unit code in lower case after "ärende", and "Mål i <domstol>: <nr>"."""
    assert found(text) == [value]


@pytest.mark.parametrize(
    "text",
    ["ärendet inkom 2021/22 via skolan", "Mål för läsåret: 2024-2025", "Ärende från skolan: 1200 kr"],
)
def test_a_phrase_after_a_weak_cue_still_needs_a_case_number(text):
    """A year range, a school year or an amount after the phrase is none."""
    assert found(text) == []
