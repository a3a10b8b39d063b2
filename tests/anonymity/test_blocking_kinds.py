"""Positive and negative examples for each blocking kind."""

import pytest

from coordinator.anonymity import find_identifiers


def found(text, kind):
    """The spans of ``kind`` found in ``text``."""
    return [f.text for f in find_identifiers(text) if f.kind == kind]


def all_kinds(text):
    return [(f.kind, f.text) for f in find_identifiers(text)]


# --- personnummer ----------------------------------------------------------

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


# --- phone -------------------------------------------------------------------

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


# --- email -------------------------------------------------------------------

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


# --- address -----------------------------------------------------------------

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


# --- postcode ----------------------------------------------------------------

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


# --- case numbers ------------------------------------------------------------

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


# --- birth dates -------------------------------------------------------------

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


def test_clean_register_text_has_no_findings():
    """A typical clean note full of dates, times, ages, amounts, counts,
    organisations and places gives nothing at all."""
    text = (
        "Mötet hölls 2018-11-05 kl. 14.30–16.00 på Socialtjänsten i Sätra. Eleven är 16 år och går "
        "i årskurs 9 på Borgarskolan; frånvaron är 35 % sedan vecka 46. Kostnaden för tolk blev "
        "2 500 kr. Vi hänvisade till Länsstyrelsen, CVE och BUP. Läsåret 2018/19 hade vi 42 ärenden."
    )
    assert find_identifiers(text) == []


def test_strong_case_cue_after_a_weak_one_is_found():
    """A weak cue word ("Ärendet") before a real "Dnr" must not hide the case number."""
    from coordinator.anonymity import find_identifiers

    for text in ("Ärendet har Dnr 2018/1234 hos socialnämnden och har överlämnats till oss.",
                 "Ärendet har dnr 2018/1234.", "Akten har diarienummer KS 2019/77."):
        kinds = [f.kind for f in find_identifiers(text)]
        assert kinds == ["case_number"], (text, kinds)


def test_stockholm_number_with_slash_but_not_a_date():
    """'08/123 456 78' and '08/12345678' are phone numbers; '08/12' and '08/12/2018' are dates."""
    from coordinator.anonymity import find_identifiers

    for text in ("Ring 08/12345678 på kvällen.", "Ring 08/123 456 78 på kvällen."):
        assert [f.kind for f in find_identifiers(text)] == ["phone"], text
    for text in ("Mötet 08/12 flyttades.", "Mötet 08/12/2018 flyttades.", "Vecka 08/12 2018."):
        assert [f.kind for f in find_identifiers(text)] == [], text
