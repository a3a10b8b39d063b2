"""Generate tests/anonymity/sets/eval_set.jsonl, the labelled evaluation set of the
anonymity guard.

Run from the repository root:  python tests/anonymity/make_eval_set.py

Texts are written as templates in a case officer's register; identifiers are
inserted with markers ``⟦kind|value⟧`` so the labels are computed, never typed
by hand: the parser strips the markers and records exact character offsets.
Hand-written texts (``HANDWRITTEN``) use the same marker syntax.

The person names come from ``NAME_POOL`` below: names in real use in Sweden,
listed by origin from general knowledge of naming practice, NOT taken from the
guard's dictionaries. ``test_eval_names_disjoint_from_supplement`` asserts that
none of these tokens (nor any name in the hand-written texts) is in the guard's
hand-written supplement, so name recall measures the package dictionary plus
the context rules, not the supplement. After the first measurements, the most
common names of the pool that Faker lacks (e.g. Hossein, Khadra, Hibo, Yonas,
Berfin) were moved into the supplement, so that the product knows them, and
replaced here by other, less common names of the same origins: the pool is
therefore deliberately harder than real usage.

Sources of records: "template" (ID_TEMPLATES and CLEAN_TEMPLATES rendered with
random values), "handwritten" (HANDWRITTEN, HANDWRITTEN_2, written during
development), "heldout" and "heldout2" (written after development and
measured before any further change; see bench/anonymity.py), and "review"
(HANDWRITTEN_5: the weaknesses found by an independent review and a blind
held-out evaluation, with variants of each; written together with the fixes,
so NOT held out).

The output is deterministic (fixed seed); re-run after editing templates and
commit both this script and the data.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).parent / "sets" / "eval_set.jsonl"
SEED = 20181105

NAME_POOL = {
    "swedish": (
        "Anna Maria Erik Lars Karl Johan Emma Elsa Alice Maja Wilma Ebba Saga Olivia Astrid Linnea Elin "
        "Malin Sofia Hugo Liam William Lucas Oscar Viktor Axel Filip Gustav Anton Tove Ida Moa Frida "
        "Johanna Kristina Ingrid Birgitta Lena Annika Mikael Fredrik Henrik Magnus Peter Per Hans Bo "
        "Stig"
    ),
    "swedish_surnames": (
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
        "Pettersson Jonsson Lindberg Lindqvist Lundgren Berglund Sandberg Forsberg Sjöberg Wallin "
        "Engström Hedlund Nyström Holmberg Åberg Söderberg Björklund Hellström Ek Berg Lund Holm"
    ),
    "arabic": (
        "Mohammed Muhammad Mohamad Ahmad Ahmed Ali Hassan Hussein Omar Khaled Mahmoud Mustafa Yousef "
        "Youssef Ibrahim Abdullah Karim Sami Bilal Jamal Hamza Zaid Amir Nour Fatima Aisha Mariam Maryam "
        "Zainab Rania Lina Rana Sara Yasmin Layla Leila Noor Huda Dalia Amal Salma Dima Bashar Firas "
        "Majd Ammar Anas Qusay Ruba Lama Bayan Ghofran"
    ),
    "arabic_surnames": (
        "Haddad Khalil Saleh Abbas Mansour Hanna Elias Isa Sabbah Shaheen Azzam Hijazi Kanaan Bakri "
        "Hariri"
    ),
    "afghan": (
        "Mohammad Hamid Mahmood Farid Reza Hussain Ehsan Zahra Madina Nasrullah Rohullah Qudratullah "
        "Feroz Basir Nazir Latif Daud Hasib Shakib Wahida Hamida Nooria Rahima Sohaila Farida Shafiqa "
        "Zarmina Husna"
    ),
    "afghan_surnames": (
        "Khan Ahmadi Rahimi Mohammadi Hosseini Jafari Karimi Nazari Amarkhil Sadiqi Habibzai Tokhi "
        "Mohseni Alokozay Baheer Nazary Omari"
    ),
    "iranian": (
        "Mehdi Babak Roya Mina Golnaz Peyman Saman Soroush Shahin Navid Afshin Kamran Pedram Behrouz "
        "Majid Shahla Forough Simin Mahnaz Azita Bita"
    ),
    "iranian_surnames": "Rezvani Ghorbani Nouri Abbasi Mahmoudi Shahbazi Karimpour",
    "somali": (
        "Abdi Abdirahman Abdullahi Abdikadir Mohamed Ismail Yusuf Mahad Liban Said Hodan Sagal Ayan "
        "Ayaan Nimco Sahra Hamdi Asha Hawa Maryan Ilhan Abdiqani Abdishakur Bashiir Daahir Khadar "
        "Mukhtaar Osmaan Qaali Hibaaq Sucdi Ubax Xamdi Hodman Sabirin Farhiyo Maandeeq"
    ),
    "somali_surnames": (
        "Farah Warsame Jama Osman Aden Mohamud Nur Gedi Guure Qorane Galaal Hirad Bulhan Gacal Muse "
        "Warfaa"
    ),
    "eritrean": (
        "Dawit Tesfaye Robel Samuel Saba Helen Luwam Semhar Ruta Eden Rahel Tsegay Milkias Robiel Eyob "
        "Eyasu Hiwot Tsion Ariam Delina Danait Fiyori Yohana Nardos Helina"
    ),
    "eritrean_surnames": (
        "Woldemichael Gebrezgiabher Tsegai Teklehaimanot Andom Kifle Tesfagiorgis Habtezion Russom "
        "Debesay"
    ),
    "kurdish": (
        "Baran Dilan Zana Rojin Shivan Karwan Azad Lana Aland Renas Rezhwan Hardi Halo Karzan Barham "
        "Hawkar Shakar Ranj Dlshad Dyari Nyaz Lawin Shene Dilveen Hejin Rozerin Sozdar Narin Zhino Chnar "
        "Trifa"
    ),
    "kurdish_surnames": "Amin Aziz Rasul Qadir Hawezi Barzinji",
    "turkish": (
        "Mehmet Ahmet Emre Murat Burak Kemal Hakan Serkan Fatma Elif Zeynep Emine Merve Esra Derya Selin "
        "Hatice Gizem Tuba Özge Kübra"
    ),
    "turkish_surnames": (
        "Yılmaz Yilmaz Kaya Demir Şahin Sahin Aydın Aydin Öztürk Arslan Dogan Aslan Kurt Yildiz Güven "
        "Yavuz Bozkurt Kocaman Eren Ateş Tuncer Uysal"
    ),
    "balkan": (
        "Emir Edin Amra Selma Adnan Almir Amela Haris Nermin Jasmin Azra Lejla Emina Aida Senad Dragan "
        "Milan Nikola Marko Jelena Milica Ivana Goran Zoran Dejan Vesna Snežana Arben Besnik Valon "
        "Fatmir Driton Blerim Agron Arta Drita Teuta Blerta Ardita Florim Liridon Ardian Gentiana Shqipe "
        "Luan Ajdin Harun Nihad Sanela Belma Ilma Arijana Blendi Fitore Egzon Albion"
    ),
    "balkan_surnames": (
        "Hodžić Hodzic Hadžić Hadzic Kovačević Kovacevic Jovanović Jovanovic Petrović Petrovic Nikolić "
        "Marković Krasniqi Berisha Gashi Ćatić Catic Šabić Sabic Mehić Mehic Pašić Pasic Bajraktari "
        "Avdiu Zogaj Kabashi Dauti"
    ),
}

FIRST_GROUPS = ["swedish", "arabic", "afghan", "iranian", "somali", "eritrean", "kurdish", "turkish", "balkan"]
SURNAME_OF = {
    "swedish": "swedish_surnames", "arabic": "arabic_surnames", "afghan": "afghan_surnames",
    "iranian": "iranian_surnames", "somali": "somali_surnames", "eritrean": "eritrean_surnames",
    "kurdish": "kurdish_surnames", "turkish": "turkish_surnames", "balkan": "balkan_surnames",
}


def pool_tokens() -> set[str]:
    """Every name token used by the evaluation set (lower case)."""
    return {t.lower() for v in NAME_POOL.values() for t in v.split()}


# ---------------------------------------------------------------------------
# Marker syntax
# ---------------------------------------------------------------------------

MARK_RE = re.compile(r"⟦(?P<kind>[a-z_]+)\|(?P<value>[^⟧]*)⟧")


def parse(marked: str) -> tuple[str, list[dict]]:
    """Strip ``⟦kind|value⟧`` markers; return the text and exact spans."""
    out, spans, pos = [], [], 0
    length = 0
    for m in MARK_RE.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        value = m["value"]
        spans.append({"kind": m["kind"], "start": length, "end": length + len(value)})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    assert "⟦" not in text and "⟧" not in text, marked
    return text, spans


def mark(kind: str, value: str) -> str:
    return f"⟦{kind}|{value}⟧"


# ---------------------------------------------------------------------------
# Value generators (each returns marked text)
# ---------------------------------------------------------------------------


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def random_date(rng, y0=1950, y1=2012):
    import datetime as dt

    start = dt.date(y0, 1, 1).toordinal()
    end = dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def personnummer(rng) -> str:
    form = rng.choice(["yymmdd-nnnn", "yymmddnnnn", "yyyymmdd-nnnn", "yyyymmddnnnn", "yymmdd nnnn",
                       "yyyymmdd nnnn", "samordning", "samordning12", "plus", "yymmdd-nnnn", "yyyymmdd-nnnn"])
    if form == "plus":
        d = random_date(rng, 1915, 1924)
    else:
        d = random_date(rng, 1955, 2011)
    day = d.day + (60 if form.startswith("samordning") else 0)
    core = f"{d.year % 100:02d}{d.month:02d}{day:02d}"
    n3 = f"{rng.randint(0, 999):03d}"
    k = luhn_digit(core + n3)
    century = f"{d.year // 100}"
    if form == "yymmdd-nnnn" or form == "samordning":
        v = f"{core}-{n3}{k}"
    elif form == "yymmddnnnn":
        v = f"{core}{n3}{k}"
    elif form in ("yyyymmdd-nnnn", "samordning12"):
        v = f"{century}{core}-{n3}{k}"
    elif form == "yyyymmddnnnn":
        v = f"{century}{core}{n3}{k}"
    elif form == "yymmdd nnnn":
        v = f"{core} {n3}{k}"
    elif form == "yyyymmdd nnnn":
        v = f"{century}{core} {n3}{k}"
    else:
        v = f"{core}+{n3}{k}"
    return mark("personnummer", v)


AREA_CODES = ["08", "026", "0290", "031", "040", "018", "019", "021", "023", "0270", "0293", "0297",
              "0650", "060", "090", "013", "011", "0291", "054", "036"]


def phone(rng) -> str:
    d = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    if rng.random() < 0.55:
        pre = "07" + rng.choice("02369")
        sub = d(7)
        form = rng.randrange(9)
        if form == 0:
            v = f"{pre}-{sub[:3]} {sub[3:5]} {sub[5:]}"
        elif form == 1:
            v = f"{pre}{sub}"
        elif form == 2:
            v = f"{pre} {sub[:3]} {sub[3:5]} {sub[5:]}"
        elif form == 3:
            v = f"{pre}-{sub}"
        elif form == 4:
            v = f"+46 {pre[1:]} {sub[:3]} {sub[3:5]} {sub[5:]}"
        elif form == 5:
            v = f"+46{pre[1:]}{sub}"
        elif form == 6:
            v = f"0046{pre[1:]}{sub}"
        elif form == 7:
            v = f"+46 (0){pre[1:]}-{sub[:3]} {sub[3:5]} {sub[5:]}"
        else:
            v = f"{pre}-{sub[:2]} {sub[2:4]} {sub[4:]}"
    else:
        area = rng.choice(AREA_CODES)
        sub_len = 10 - len(area) if rng.random() < 0.6 else 9 - len(area)
        if area == "08":
            sub_len = rng.choice([7, 8])
        sub = str(rng.randint(1, 9)) + d(sub_len - 1)
        groups = {5: (3, 2), 6: (2, 2, 2), 7: (3, 2, 2), 8: (3, 3, 2)}[sub_len]
        parts, i = [], 0
        for g in groups:
            parts.append(sub[i:i + g])
            i += g
        spaced = " ".join(parts)
        form = rng.randrange(6)
        if form == 0:
            v = f"{area}-{spaced}"
        elif form == 1:
            v = f"{area} {spaced}"
        elif form == 2:
            v = f"{area}-{sub}"
        elif form == 3:
            v = f"+46 {area[1:]} {spaced}"
        elif form == 4:
            v = f"({area}) {spaced}"
        else:
            v = f"+46 (0){area[1:]}-{spaced}"
    return mark("phone", v)


MAIL_DOMAINS = ["hotmail.com", "gmail.com", "outlook.com", "live.se", "telia.com", "yahoo.se", "icloud.com",
                "elev.gavle.se", "hotmail.se", "protonmail.com", "bredband.net", "spray.se"]


def email(rng) -> str:
    grp = rng.choice(FIRST_GROUPS)
    first = rng.choice(NAME_POOL[grp].split()).lower()
    last = rng.choice(NAME_POOL[SURNAME_OF[grp]].split()).lower()
    import unicodedata

    fold = lambda s: "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))  # noqa
    first, last = fold(first).replace("ı", "i"), fold(last).replace("ı", "i")
    local = rng.choice([f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first}_{last[:3]}",
                        f"{last}{first[0]}", f"{first}-{last}",
                        f"{first}{last}{rng.randint(1990, 2012)}"])
    at = rng.choice(["@", "@", "@", "@", "@", " (at) ", "[at]"])
    return mark("email", f"{local}{at}{rng.choice(MAIL_DOMAINS)}")


STREET_STEMS = ["Drottning", "Kungs", "Ny", "Skol", "Kyrko", "Stor", "Strand", "Hamn", "Björk", "Ek", "Tall",
                "Lind", "Sjö", "Park", "Bergs", "Kungsbäcks", "Sätra", "Andersbergs", "Bomhus", "Valbo",
                "Hille", "Nygårds", "Skogs", "Ängs", "Smeds", "Fältskärs", "Rådhus", "Brunns", "Väster",
                "Norrlands", "Ruddamms", "Staket", "Murbrucks", "Lasarett", "Trädgårds"]
STREET_SUFFIXES = ["gatan", "gatan", "gatan", "vägen", "vägen", "vägen", "gränd", "stigen", "backen", "torget",
                   "allén", "plan", "leden", "stråket", "gången", "slingan"]
PREFIXES = ["Norra ", "Södra ", "Östra ", "Västra ", "Stora ", "Lilla ", "Gamla "]
TOWNS = ["Gävle", "Sandviken", "Valbo", "Hedesunda", "Forsbacka", "Hofors", "Ockelbo", "Söderhamn", "Bollnäs",
         "Skutskär", "Furuvik", "Uppsala", "Stockholm", "Storvik"]


def postcode_value(rng, with_town=True) -> str:
    pc = f"{rng.randint(800, 829)}{rng.randint(10, 99)}"
    form = rng.randrange(4)
    pcs = f"{pc[:3]} {pc[3:]}" if form in (0, 2) else pc
    if form == 2:
        pcs = "SE-" + pcs
    if with_town:
        town = rng.choice(TOWNS)
        if rng.random() < 0.15:
            town = town.upper()
        return f"{pcs} {town}"
    return "SE-" + pcs if not pcs.startswith("SE-") else pcs


def address(rng) -> str:
    form = rng.randrange(10)
    if form == 0:
        street = rng.choice(["Olof Palmes gata", "Sankt Eriks gata", "Fältskärs väg", "Anders Perssons väg",
                             "Karl Johans gata", "Per Brahes väg"])
    else:
        street = rng.choice(STREET_STEMS) + rng.choice(STREET_SUFFIXES)
        if rng.random() < 0.2:
            street = rng.choice(PREFIXES) + street
    if rng.random() < 0.1:
        street = street.lower()
    num = str(rng.choice([rng.randint(1, 30), rng.randint(1, 9), rng.randint(30, 140)]))
    r = rng.random()
    if r < 0.25:
        num += rng.choice("ABCD")
    elif r < 0.35:
        num += " " + rng.choice("ABC")
    elif r < 0.42:
        num += "-" + str(int(num) + 2)
    v = f"{street} {num}"
    extra = rng.random()
    if extra < 0.2:
        v += rng.choice([f" lgh {rng.randint(1001, 1604)}", f", lgh {rng.randint(1001, 1604)}",
                         f" lgh. {rng.randint(1001, 1604)}", f", lägenhet {rng.randint(1001, 1304)}"])
    elif extra < 0.32:
        v += rng.choice([f" {rng.randint(1, 5)} tr", f", {rng.randint(1, 5)} tr", f" {rng.randint(1, 4)} trappor"])
    if rng.random() < 0.35:
        v += rng.choice([", ", " "]) + postcode_value(rng)
    return mark("address", v)


def postcode(rng) -> str:
    if rng.random() < 0.15:
        return mark("postcode", postcode_value(rng, with_town=False))
    return mark("postcode", postcode_value(rng))


UNIT_CODES = ["SN", "KS", "BUN", "SOC", "VON", "IFO", "UAN", "GYN", "SBN", "KFN", "AMN"]


def case_number(rng) -> str:
    year = rng.randint(2015, 2024)
    form = rng.randrange(10)
    if form == 0:
        return "Dnr " + mark("case_number", f"{year}/{rng.randint(10, 2999)}")
    if form == 1:
        return "dnr " + mark("case_number", f"{rng.choice(UNIT_CODES)} {year}-{rng.randint(1, 999):04d}")
    if form == 2:
        return mark("case_number", f"{rng.choice(UNIT_CODES)} {year}/{rng.randint(10, 999)}")
    if form == 3:
        return "ärendenummer " + mark("case_number", f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}")
    if form == 4:
        return "Ärende nr " + mark("case_number", f"{year}-{rng.randint(10000, 99999)}")
    if form == 5:
        return "polisanmälan " + mark("case_number", f"K{rng.randint(10000, 999999)}-{year % 100:02d}")
    if form == 6:
        return mark("case_number", f"{rng.choice(['5000', '1400', '5800', '0201'])}-K{rng.randint(10000, 999999)}-{year % 100:02d}")
    if form == 7:
        return mark("case_number", f"{rng.choice(['AM', 'UT', 'KR', 'BR'])}-{rng.randint(10000, 999999)}-{year % 100:02d}")
    if form == 8:
        return "diarienummer " + mark("case_number", f"{rng.choice(UNIT_CODES)}/{year}:{rng.randint(10, 999)}")
    return "Dnr. " + mark("case_number", f"{rng.choice(UNIT_CODES)} {year % 100:02d}/{rng.randint(10, 999)}")


MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december"]


def birthdate(rng, born_form_only: bool = False) -> str:
    """A birth date after a cue; ``born_form_only`` for "Hon är ..." (only
    forms that read as "född ...")."""
    d = random_date(rng, 1975, 2012)
    form = rng.choice([0, 1, 2, 6, 7, 8, 10]) if born_form_only else rng.randrange(11)
    if form == 0:
        cue, v = "född ", f"{d.year}-{d.month:02d}-{d.day:02d}"
    elif form == 1:
        cue, v = "f. ", f"{d.day}/{d.month} {d.year}"
    elif form == 2:
        cue, v = "född den ", f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif form == 3:
        cue, v = "födelsedatum ", f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"
    elif form == 4:
        cue, v = "f ", f"{d.year}-{d.month:02d}-{d.day:02d}"
    elif form == 5:
        cue, v = "födelsedag ", f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    elif form == 6:
        cue, v = "född ", f"{d.day}/{d.month}-{d.year % 100:02d}"
    elif form == 7:
        cue, v = "född ", f"{d.day}.{d.month}.{d.year}"
    elif form == 8:
        cue, v = "född ", f"{d.year}{d.month:02d}{d.day:02d}"
    elif form == 9:
        cue, v = "Födelsedatum: ", f"{d.year}-{d.month:02d}-{d.day:02d}"
    else:
        cue, v = "född ", f"{d.day} {MONTHS[d.month - 1][:3]} {d.year}"
    return cue + mark("birthdate", v)


def _first(rng, grp=None):
    grp = grp or rng.choice(FIRST_GROUPS)
    return grp, rng.choice(NAME_POOL[grp].split())


def name(rng) -> str:
    """A capitalised first name or full name."""
    grp, first = _first(rng)
    if rng.random() < 0.35:
        last = rng.choice(NAME_POOL[SURNAME_OF[grp]].split())
        if grp == "somali" and rng.random() < 0.5:
            last = rng.choice(NAME_POOL["somali"].split()) + " " + last
        return mark("name", f"{first} {last}")
    return mark("name", first)


def first_name(rng) -> str:
    return mark("name", _first(rng)[1])


def genitive(rng) -> str:
    first = _first(rng)[1]
    return mark("name", first if first.endswith(("s", "x", "z")) else first + "s")


def lower_name(rng) -> str:
    return mark("name", _first(rng)[1].lower())


# ---------------------------------------------------------------------------
# Clean fillers (not labelled)
# ---------------------------------------------------------------------------

ORGS = ["Socialtjänsten", "Länsstyrelsen", "CVE", "RFSL", "Polisen", "Säpo", "Migrationsverket", "Skolverket",
        "BUP", "Integrationsforum", "Försäkringskassan", "Arbetsförmedlingen", "Kvinnojouren", "Tjejjouren",
        "Elevhälsan", "Ungdomsmottagningen", "Region Gävleborg", "Barnahus", "Röda Korset", "Rädda Barnen",
        "Familjecentralen", "Kriminalvården", "Frivården", "Fältgruppen", "Stadsmissionen"]
SCHOOLS = ["Borgarskolan", "Staffansskolan", "Vasaskolan", "Polhemsskolan", "Högskolan i Gävle", "Sätraskolan",
           "Andersbergsskolan", "Bomhusskolan", "Hemlingbyskolan", "Nynäsgymnasiet", "Komvux"]
PLACES = ["Gävle", "Sandviken", "Stockholm", "Sätra", "Sättra", "Nordost", "Andersberg", "Brynäs", "Bomhus",
          "Valbo", "Hille", "Strömsbro", "Öster", "Söder", "Villastaden", "Hemlingby", "Forsbacka", "Hofors",
          "Uppsala", "Norrköping"]
COUNTRIES = ["Syrien", "Irak", "Afghanistan", "Somalia", "Eritrea", "Iran", "Turkiet", "Kosovo", "Bosnien",
             "Etiopien", "Libanon", "Kurdistan", "Irans gränsområden", "Pakistan"]
ROLES = ["kurator", "rektor", "handläggare", "mentor", "skolsköterska", "socialsekreterare", "fältassistent",
         "lärare", "studie- och yrkesvägledare", "samordnare", "enhetschef", "polis", "tolk", "boendestödjare"]
RELATIVES = ["pappan", "mamman", "brodern", "systern", "farbrodern", "morbrodern", "kusinen", "maken",
             "styvpappan", "farmodern", "den äldre brodern", "vårdnadshavarna"]
WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
LANGS = ["arabiska", "somaliska", "dari", "tigrinja", "kurdiska (sorani)", "persiska", "turkiska", "bosniska",
         "albanska", "pashto"]


def clean_date(rng) -> str:
    d = random_date(rng, 2016, 2024)
    return rng.choice([f"{d.year}-{d.month:02d}-{d.day:02d}", f"{d.day} {MONTHS[d.month - 1]}",
                       f"den {d.day} {MONTHS[d.month - 1]} {d.year}", f"{d.day}/{d.month}",
                       f"{d.day}/{d.month} {d.year}", f"{d.day}.{d.month}.{d.year}"])


def clean_time(rng) -> str:
    h, m = rng.randint(8, 17), rng.choice([0, 15, 30, 45])
    return rng.choice([f"kl. {h:02d}.{m:02d}", f"kl {h}.{m:02d}", f"kl. {h}:{m:02d}", f"klockan {h}",
                       f"kl. {h:02d}.{m:02d}–{h + 1:02d}.{m:02d}", f"mellan {h} och {h + 2}"])


def clean_amount(rng) -> str:
    return rng.choice([f"{rng.randint(1, 9)} {rng.randint(100, 999)} kr", f"{rng.randint(100, 999)} kronor",
                       f"{rng.randint(10, 99)} 000 kr", f"{rng.randint(1, 40)} 000 SEK",
                       f"{rng.randint(2, 9)},{rng.randint(1, 9)} miljoner kronor"])


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------

# Slots: {N} name (first or full), {F} first name, {G} genitive, {L} lower-case
# name, {PNR} {TEL} {MAIL} {ADR} {POST} {DNR} {BD}; clean fillers {AGE} {DATE}
# {TIME} {ORG} {SCHOOL} {PLACE} {COUNTRY} {ROLE} {REL} {AMOUNT} {DAY} {LANG}.
ID_TEMPLATES = [
    "Skolkurator på gymnasiet hör av sig om en elev, {AGE}, som berättar att familjen planerar en resa till hemlandet i sommar och att hon är orolig för att bli bortgift. Eleven har mobil {TEL}.",
    "{F} berättar att {REL} har tagit hennes telefon och kontrollerar vem hon pratar med. Mentor kontaktade {ORG} {DATE}.",
    "Anmälan gäller flicka {AGE}, personnummer {PNR}. Hon bor med sin mamma på {ADR}.",
    "{ROLE} från {SCHOOL} ringde {TIME}. Eleven {F} uppger att {REL} hotat henne efter att hon setts med en pojke.",
    "Konsultation med {ORG}. Ärendet gäller en ung man, {AGE}, som enligt {ROLE} radikaliserats via nätet. Kontakt: {MAIL}.",
    "Ny kontakt {DATE}: {N} söker stöd. Nås på {TEL} efter skoltid.",
    "Vi har fått in en orosanmälan, {DNR}, om en pojke i {PLACE} som uttryckt sympati för våldsbejakande grupper.",
    "Flickan är {BDF} och bor i {PLACE}. Enligt henne har {REL} bokat biljetter till {COUNTRY}.",
    "{G} mamma kontaktade {ORG} och berättade att dottern inte fått gå i skolan sedan {DATE}.",
    "Enligt {ROLE} har {L} berättat för en kompis att hon ska giftas bort under sommarlovet.",
    "Kvinnan har skyddade personuppgifter men uppgav ändå adressen {ADR} i samtalet.",
    "Ärendet är diariefört hos socialnämnden, {DNR}. {ROLE} återkommer {DAY}.",
    "Pojken, {PNR}, har enligt polisen delat propaganda i en chattgrupp.",
    "Kontaktuppgifter till {REL}: {TEL}, {MAIL}.",
    "{N}, {AGE}, har placerats enligt LVU. Föräldrarna bor kvar på {ADR}.",
    "Polisanmälan är gjord, {DNR}. Anmälan gäller hot mot {N}.",
    "Eleven är {BDF}. Hon berättar att {REL} sagt att hon skämt ut familjen.",
    "Adressen som uppgavs var {POST}. Familjen flyttade dit för {AGE2} sedan.",
    "Handläggaren {N} på {ORG} vill ha en gemensam konsultation.",
    "Samtal med {N} som är orolig för sin syster. Systern {F} får inte träffa vänner efter skolan.",
    "Hon heter {F} och är {AGE}. Hennes nummer är {TEL}.",
    "{ROLE} skriver att {G} pappa hämtar henne direkt efter varje lektion och att hon inte får delta i idrotten.",
    "Samordningsnummer {PNR} uppgavs av den unge mannen vid mötet med {ORG}.",
    "Tjejen bor på {ADR} tillsammans med sina två bröder och {REL}.",
    "Ungdomen kan nås via e-post {MAIL} eller på telefon {TEL}.",
    "Vi fick en förfrågan från {ORG} om {N}. De har registrerat ärendet under {DNR}.",
    "Pappan, {BD}, är enligt uppgift aktiv i ett nätverk som sprider våldsbejakande material.",
    "{F} och {F} har varit frånvarande sedan vecka {WEEK}. {ROLE} har försökt nå familjen på {TEL}.",
    "Familjen har postadress {POST}. Inga fler uppgifter lämnades.",
    "Konsultation: pojke {AGE} i {PLACE}, {REL} misstänks ha hotat honom till tystnad. Polisens {DNR}.",
    "Kvinnan, {PNR}, bor i skyddat boende men har fortfarande kontakt med {REL}.",
    "{ROLE} träffade {L} och hennes kusin på fritidsgården i {PLACE} {DATE}.",
    "Mejla gärna underlaget till {MAIL} innan mötet {DAY}.",
    "Kontakt med {N} {DATE}. Hon har flyttat till {ADR}.",
    "Eleven, {BD}, har berättat för {ROLE} om kontroll i hemmet.",
    "Kuratorn ringde om en elev: {N}. Hon är rädd för att åka till {COUNTRY} i sommar.",
    "Ärende gällande {N}, {PNR}, {ADR}.",
    "{G} bror har enligt {ROLE} följt efter henne till skolan flera gånger.",
    "Telefon: {TEL}. E-post: {MAIL}. Adress: {ADR}.",
    "Underlaget från {ORG} hade {DNR} och gällde en pojke, {AGE}.",
    "Den unga kvinnan {N} har sökt stöd hos {ORG} och vill inte att familjen får veta.",
    "Enligt anmälan, {DNR}, har {N} utsatts för hot från släktingar i {COUNTRY}.",
    "Flickan kom till Sverige {YEAR} från {COUNTRY}. Hon är {BDF}.",
    "Mamman heter {F} och har ringt {ROLE} flera gånger från nummer {TEL}.",
    "Brev skickades till {ADR} men kom tillbaka.",
    "Hon bor numera på {POST} hos en moster.",
    "Kontaktperson på {ORG}: {N}, tel. {TEL}.",
    "{L} berättade för {ROLE} att hon inte får ha mobiltelefon.",
    "Eleven {F} ({AGE}) har uteblivit från skolan. {REL} uppger att hon är sjuk.",
    "{F} säger att hon vill flytta hemifrån men är rädd för {REL}.",
    "Socialsekreterare {N} har begärt konsultation om pojkens situation.",
    "Ärendet, {DNR}, överlämnades {DATE} till {ORG}.",
    "Vi skickade informationen till {MAIL} efter mötet.",
    "Han är född {BYEAR} men uppger själv att han är {BD2}.",
    "Enligt {ROLE} har {F}:s pappa krävt att hon bär slöja i skolan.",
    "{N} och hans bror {F} har enligt {ORG} rest till {COUNTRY}.",
    "Mötet med {N} hölls {DATE} {TIME} på {ORG}.",
    "Mammans personnummer ({PNR}) fanns med i underlaget från {ORG}.",
    "pnr {PNR}, skolan är {SCHOOL}, årskurs {GRADE}.",
    "Vid samtalet uppgav pojken sitt personnummer {PNR} och att han bor i {PLACE}.",
    "Barnet har samordningsnummer {PNR} och väntar på uppehållstillstånd.",
    "Postnummer och ort: {POST}.",
    "Familjen är folkbokförd på {POST} men bor enligt skolan hos släktingar.",
    "Brevet från {ORG} adresserades till {POST}.",
    "Adressuppgift i anmälan: {POST}. Ingen gatuadress angavs.",
    "Hon flyttade i våras, ny postadress {POST}.",
    "Pojken, {BD}, har enligt {ROLE} uttryckt hot mot klasskamrater.",
    "Uppgifter om barnet: {BD}, går i årskurs {GRADE}.",
    "Den äldsta systern är {BDF} och bor kvar hemma.",
    "Skolan skickade frågan från {MAIL} till vår funktionsbrevlåda.",
    "Eleven bad oss höra av oss till {MAIL} i stället för att ringa.",
    "Kopia på mejlet från {MAIL} finns i akten.",
]

CLEAN_TEMPLATES = [
    "Mötet hölls {DATE} {TIME} på {ORG} i {PLACE}. Närvarande var {ROLE}, {ROLE} och en representant från {ORG}.",
    "Eleven är {AGE} och går i årskurs {GRADE} på {SCHOOL}. {ROLE} är orolig för hög frånvaro sedan vecka {WEEK}.",
    "Konsultationen tog {MIN} minuter. Vi kom fram till att {ORG} ska kallas till ett samordningsmöte {DAY} {TIME}.",
    "Familjen kom till Sverige {YEAR} från {COUNTRY}. Barnen är {AGE}, {AGE2} och {AGE3}.",
    "Ärendet inkom {DATE} och handläggs av {ORG}. Inget diarienummer är ännu tilldelat.",
    "Under {YEAR} hade vi {COUNT} konsultationer, varav {PCT} % gällde hedersrelaterat våld och förtryck.",
    "Projektet har en budget på {AMOUNT} för läsåret {SCHOOLYEAR}.",
    "{ROLE} på {SCHOOL} kontaktade oss {DAY} om en flicka, {AGE}, som inte får delta i skolresan till {PLACE}.",
    "Nästa nätverksträff är {DATE} {TIME} i {ORG}s lokaler. Cirka {COUNT} deltagare väntas.",
    "Pojken är född {BYEAR} och bor med {REL} i {PLACE}. Enligt {ROLE} har han umgåtts med äldre män som sprider extremistisk propaganda.",
    "Utbildningen för {COUNT} medarbetare kostade {AMOUNT}. Utvärderingen visade att {PCT} procent var nöjda.",
    "{ORG} och {ORG} har tecknat en överenskommelse som gäller från {DATE}.",
    "Vi följer upp ärendet vecka {WEEK}. Ansvarig {ROLE} bokar tid med {REL} och en tolk på {LANG}.",
    "Flickan, {AGE}, berättade för {ROLE} att hon är orolig inför sommarlovet. Hon har släkt i {COUNTRY}.",
    "Samtalet pågick mellan {TIME2}. Tolk på {LANG} deltog via telefon.",
    "Enligt 14 kap. 1 § socialtjänstlagen (2001:453) ska oro för barn anmälas. {ROLE} gjorde en anmälan {DATE}.",
    "Diarienummer saknas fortfarande, men ärendet registreras under vecka {WEEK}.",
    "Ärendenumret skickas separat till {ORG} av säkerhetsskäl.",
    "Mötet {DATE} handlade om en pojke i {PLACE}. Vi bokade in en uppföljning {DATE2}.",
    "Sammanlagt {COUNT} ärenden under första kvartalet {YEAR}, en ökning med {PCT} % jämfört med {YEAR2}.",
    "{ROLE} och {ROLE} från {ORG} deltog. {ORG} var inbjudna men kunde inte komma.",
    "Hon är född {BYEAR} och har bott i {PLACE} sedan hon var {AGE}.",
    "Eleven har läst svenska i {MONTHS} månader och talar {LANG} hemma.",
    "Vi hänvisade {REL} till {ORG} och {ORG}. Uppföljning om två veckor.",
    "Kostnaden för skyddat boende var {AMOUNT} per dygn i {DAYS} dygn.",
    "Konsultation med {SCHOOL}: en elev i årskurs {GRADE} har uttryckt stöd för våldsbejakande extremism på lektionen {DAY}.",
    "Placeringen enligt LVU 2 § inleddes {DATE}. Barnet är {AGE}.",
    "Ungdomen bor sedan {YEAR} på ett HVB-hem utanför {PLACE}. Avståndet till skolan är {KM} km.",
    "I rapporten från {ORG} ({YEAR}) beskrivs {COUNT} fall i länet.",
    "Läsåret {SCHOOLYEAR} genomfördes {COUNT} utbildningstillfällen för personal på {SCHOOL}.",
    "{ROLE} i {PLACE} har arbetat med frågan sedan {YEAR} och ingår i {ORG}s nätverk.",
    "Mamman ringde {DAY} {TIME}. Hon var orolig för dottern som är {AGE} och inte kommit hem.",
    "Brynäs IF och {ORG} anordnar en föreläsning {DATE} för {COUNT} ungdomar.",
    "Referensgruppen träffas var {NTH} vecka, nästa gång {DATE} {TIME}.",
    "Ärende 3 av {COUNT} denna vecka gällde en familj från {COUNTRY} med {KIDS} barn.",
    "Eleven har {PCT} % frånvaro under vårterminen {YEAR}.",
    "Efter mötet den {DAYNUM} {MONTH} skickade {ORG} en sammanfattning till {ORG}.",
    "Pojken, {AGE}, har enligt {REL} slutat träffa sina vänner och tillbringar {HOURS} timmar om dagen framför datorn.",
    "{ORG} beviljade {AMOUNT} för insatser under {YEAR}.",
    "Flickan fyller {AGENUM} i {MONTH} och är orolig för vad som ska hända då.",
    "CVE:s stödtelefon har varit bemannad {TIME2} vardagar sedan {YEAR}.",
    "Högskolan i Gävle genomförde en enkät med {COUNT} svar. {PCT} % av de svarande kände till stödet.",
    "Nordost, Sätra och Andersberg är prioriterade områden {YEAR}–{YEAR2}.",
    "Vi träffades på {SCHOOL} {DAY}. {ROLE} presenterade läget i klassen som har {COUNT} elever.",
    "Beslutet fattades {DATE} enligt 11 kap. 1 § SoL. Uppföljning sker inom {MONTHS} månader.",
    "Ärendet har varit aktuellt sedan {YEAR}. Inga nya uppgifter har kommit in sedan {DATE}.",
    "Systern, {AGE}, bor kvar hemma. Brodern är {AGEADULT} och har flyttat till {PLACE}.",
    "Barnet vistades på Barnahus i {HOURS} timmar {DATE}.",
    "Telefontiden är {TIME2} måndag till torsdag.",
    "Hon beskriver att {REL} bestämmer över hennes kläder, pengar och vänner.",
    "Antalet orosanmälningar ökade från {COUNT} till {COUNT2} mellan {YEAR} och {YEAR2}.",
    "{ROLE} rekommenderar att {ORG} kopplas in. {REL} har tackat nej till stöd.",
    "Konsultationen avslutades {DATE}. Ärendet lämnas över till {ORG} i {PLACE}.",
]

HANDWRITTEN = [
    # with identifiers
    "Kurator på Borgarskolan ringer om ⟦name|Hodan⟧ i trean. Hon har berättat att hennes farbror i Mogadishu ska komma hit i juni.",
    "Samtal med mamman, som vill vara anonym, men som ändå lämnade sitt nummer ⟦phone|070-312 88 41⟧.",
    "Pojken ⟦name|Dawit⟧, 17 år, har enligt fältgruppen börjat umgås med en äldre grupp på Nordost.",
    "Personnummer: ⟦personnummer|19990412-2380⟧. Uppgifterna ska inte föras in här, ärendet stängs.",
    "Länsstyrelsen skickade frågan vidare till oss med dnr ⟦case_number|205-1234-2019⟧.",
    "⟦name|Zeynep⟧ bor hos sin moster på ⟦address|Hemlingbyvägen 14 lgh 1103⟧ sedan förra veckan.",
    "Kontaktade Migrationsverket om ⟦name|Ayaan Warsame⟧. Hon har själv mejlat från ⟦email|ayaanw2006@outlook.com⟧.",
    "Systern ⟦name|Semhar⟧ har ringt till oss två gånger från ⟦phone|026-18 47 02⟧.",
    "Pappan ⟦name|Karwan⟧ nekar till att han hotat dottern.",
    "Hon skriver att hon heter ⟦name|Luwam⟧ och är född ⟦birthdate|4 november 2008⟧.",
    "⟦name|Ahmads⟧ lärare tycker att han förändrats sedan jullovet.",
    "Skolsköterskan har träffat ⟦name|nimco⟧ tre gånger i höst, senast i tisdags.",
    "Polisens ärende ⟦case_number|5000-K847361-23⟧ gäller misshandel i hemmet.",
    "Adress enligt folkbokföringen: ⟦address|Ruddammsvägen 21C, 803 22 Gävle⟧.",
    "Flickan uppger att ⟦name|Mehmet Yilmaz⟧ är hennes blivande man och att han är 34 år.",
    "⟦name|Besnik⟧ har enligt mentor slutat komma till lektionerna i samhällskunskap.",
    "Den unga kvinnan bor på ⟦postcode|811 34 Sandviken⟧ och har inget eget bankkonto.",
    "Socialtjänsten i Sandviken har dnr ⟦case_number|SN 2023/0815⟧ på sitt ärende.",
    "Vi pratade med ⟦name|Roya⟧ och ⟦name|Golnaz⟧ på Integrationsforum om hur föreningen kan stödja tjejerna.",
    "Han är född ⟦birthdate|2006-09-30⟧ och går första året på gymnasiet.",
    "⟦name|Tesfaye⟧ berättar att han skickar pengar till sin farbror varje månad.",
    "Mejl från ⟦email|sahra.abdi94@gmail.com⟧ om att hon vill avsluta kontakten.",
    "⟦name|Emina Hodžić⟧ från föreningen deltog i konsultationen.",
    "Enligt BUP har ⟦name|rojin⟧ självskadat sig under våren.",
    "Brodern ⟦name|Shivan⟧ har kontaktat skolan och frågat var systern befinner sig.",
    "Eleven lämnade numret ⟦phone|+46 73 914 20 55⟧ till sin mentor.",
    "Anmälningsnummer ⟦case_number|K-2244-19⟧ gäller hot via sociala medier.",
    "Ärendet gäller ⟦name|Sagal⟧, samordningsnummer ⟦personnummer|060871-4432⟧.",
    "Hon har flyttat till ⟦address|Sätra Allé 5B⟧ och delar lägenhet med en kompis.",
    "Familjen ⟦name|Berisha⟧ har bott i Bomhus i tio år.",
    # clean
    "Kurator på Staffansskolan ringde kl. 10.15 om en elev, 15 år, som inte vill åka på klassresan till Stockholm.",
    "Mötet den 12 mars flyttas till den 19 mars kl. 13.00. Lokal: Socialtjänstens hus, plan 3.",
    "Vi gick igenom handlingsplan 2 och åtgärdsplan 3 med rektor och elevhälsan.",
    "Under vecka 12 kom 4 nya ärenden. Två gällde flickor 14–16 år, ett gällde en pojke på 17 år.",
    "Kostnaden blev 12 500 kr exklusive moms. Fakturan skickas till Länsstyrelsen.",
    "Eleven är född 2007 och går i nian. Familjen kommer från Eritrea.",
    "Mötet 2018-11-05 kl. 09.00–11.30 hölls i Sätra. Protokollet justeras 2018-11-12.",
    "Ärendet inkom 2019-02-14 via e-post till funktionsbrevlådan och besvarades samma dag.",
    "Läsåret 2018/19 deltog 240 elever i värdegrundsarbetet; 85 % svarade på enkäten.",
    "SFS 2001:453 och SOSFS 2014:4 styr handläggningen. Se även LVU 2 § och 3 §.",
    "Per telefon meddelade rektor att eleven är tillbaka i skolan sedan måndag.",
    "Alla deltagare fick information om stödtelefonen. Vi hade 3 tolkar på plats.",
    "Mitt intryck är att flickan mår bättre. Hon vill gå vidare med samtalen.",
    "Bra möte med Polisen och Säpo om läget i Gävle och Sandviken.",
    "Tom lokal på Brynäs, så vi flyttade samtalet till Högskolan i Gävle, rum 31:204.",
    "Hans mamma har inte hört av sig sedan i fredags.",
    "Vi bokade tolk på somaliska och tigrinja till mötet på torsdag kl 14.",
    "Flickan fyller 18 i maj och har frågat om eget boende.",
    "Buss 11 går från Centralstationen till Sätra var 15:e minut.",
    "Diarieföring sker i W3D3; ärendenumret lämnas inte ut per telefon.",
]


# A second hand-written batch, written after the first measurements to make
# the set harder: unusual spellings of identifiers, names outside NAME_POOL,
# and clean texts with brands, organisations, abbreviations and foreign words
# that are not in the guard's allow-list.
HANDWRITTEN_2 = [
    "Hennes nya nummer: ⟦phone|0722-34 56 78⟧. Hon vill bli kontaktad efter kl. 16.",
    "Ring mamman på ⟦phone|08 - 712 33 40⟧ om flickan inte kommer till skolan.",
    "Mob. ⟦phone|0046-70-4412233⟧ (pappans, enligt skolan).",
    "pnr ⟦personnummer|8803142382⟧ angavs på blanketten från Försäkringskassan.",
    "Barnets samordningsnummer är ⟦personnummer|990172-1234⟧ enligt Migrationsverket.",
    "Hon är född ⟦birthdate|3:e juni 2006⟧ och går i gymnasiets första år.",
    "Pojken, född den ⟦birthdate|1 feb. 2007⟧, har enligt polisen kopplingar till ett kriminellt nätverk.",
    "födelsedatum ⟦birthdate|2004.11.09⟧, bor hos sin moster",
    "Flickan (f. ⟦birthdate|14/03/2005⟧) har sökt stöd via skolans kurator.",
    "Adress: ⟦address|Stigslunds allé 12, lgh 1002, 806 38 Gävle⟧",
    "Flickan bor hos sin faster på ⟦address|Norra Kungsgatan 7 B, 3 tr⟧.",
    "Han hyr ett rum i andra hand på ⟦address|Skolgatan 22⟧ sedan januari.",
    "Enligt socialtjänsten är ärendet registrerat, dnr: ⟦case_number|SN-2021-00342⟧.",
    "Ärendenr ⟦case_number|2020-5561⟧, handläggare på Länsstyrelsen.",
    "Anmälan hos polisen har nummer ⟦case_number|5000-K1234567-20⟧.",
    "Mail: ⟦email|ahmed_k@live.se⟧",
    "Pappans mejl är ⟦email|Hassan.Ali[at]gmail.com⟧ enligt mentorn.",
    "Postadress: Box 123, ⟦postcode|801 02 Gävle⟧.",
    "⟦name|Rahwa⟧ har berättat för kuratorn att hennes bror kontrollerar hennes telefon.",
    "Vi träffade ⟦name|Abdiaziz⟧ och hans pappa på Integrationsforum.",
    "Systrarna ⟦name|Nahla⟧ och ⟦name|Warda⟧ har inte kommit till skolan på två veckor.",
    "⟦name|Ardit Krasniqi⟧, 17 år, uppger att han blivit hotad av äldre killar i området.",
    "Kuratorn har pratat med ⟦name|Jwan⟧ om vad som händer om hon vägrar gifta sig.",
    "Enligt ⟦name|Kiflom⟧ har familjen bestämt att ⟦name|Haben⟧ ska resa till Asmara i juli.",
    "⟦name|Tahirs⟧ mamma vill ha tolk på dari vid nästa möte.",
    "Eleven ⟦name|Amina Delalić⟧ har berättat för sin mentor att hon är rädd för sin far.",
    "Samtal med ⟦name|Dilan Kaya⟧ på telefon. Hon är rädd att bli skickad till Turkiet.",
    "⟦name|Zahra Hosseini⟧ och ⟦name|Mohammad Reza⟧ deltog i föräldramötet.",
    "hon sa att ⟦name|ayaan⟧ också blivit slagen hemma",
    "Skolan har pratat med ⟦name|Ghezal⟧ som säger att hon inte får träffa sina vänner.",
    # clean
    "Vi har haft kontakt med Gavlegårdarna om en lägenhet på Sätra.",
    "Eleven spelar mycket Fortnite och chattar på Discord med okända vuxna.",
    "Pojken har tittat på klipp på YouTube och TikTok där IS-krigare hyllas.",
    "Swedbank har spärrat kortet efter en misstänkt bedrägeriincident.",
    "Föreningen Ankaret och Somaliska kulturföreningen bjöd in till dialogmöte.",
    "Hon köpte biljetter via Ryanair och flyger från Arlanda den 3 juli.",
    "Under Eid al-Fitr var familjen hos släktingar i Borlänge.",
    "Mötet med Gefle Dagblad om artikeln ställdes in.",
    "Rektor på Polhemsskolan, kurator och EHT deltog. Ämne: Värdegrund.",
    "Imamen i moskén på Brynäs vill samarbeta kring föräldrautbildning.",
    "Ungdomen bor på HVB-hemmet Solgården sedan mars.",
    "Skolan har 420 elever och 38 lärare; 12 % har annat modersmål än svenska.",
    "Tolk på tigrinja bokades via Språkservice till kl. 13.00.",
    "Netflix-serien som eleverna pratade om handlade om tvångsäktenskap.",
    "Vi har tips om ett Telegram-konto som sprider propaganda, anmält till Säpo 2023-03-02.",
    "Enligt Brå:s rapport 2019:13 ökade anmälningarna.",
    "Samverkan med Gävle kommuns arbetsmarknadsenhet fortsätter under Q3.",
    "Eleven har betyget E i matematik och F i svenska.",
    "Pappan arbetar som taxichaufför och mamman på ICA Maxi.",
    "Flickan vill börja på Sandvikens folkhögskola i höst.",
    "Familjen har kontakt med Röda Korsets familjeåterförening.",
    "Kontakt togs med Unga Örnar och KFUM om fritidsaktiviteter.",
    "Jag ringde Försäkringskassan kl. 10 och Arbetsförmedlingen kl. 11.",
    "Hon har läst Koranen och vill gå i koranskola på helgerna.",
    "Pojken lyssnar på nasheeds och följer en predikant på Instagram.",
    "Vi använde BBIC (Barns behov i centrum) i utredningen.",
    "Skolan ligger nära Gävle Strand och Alderholmen.",
    "Besök hos Familjerätten, Gävle tingsrätt och Kronofogden under våren.",
    "Flickan går på Nynäsgymnasiet, program SA, klass SA2b.",
    "Uppföljning v. 14, därefter var 6:e vecka. Ansvarig: enhetschef IFO.",
    "Mamman fick 3 200 kr i försörjningsstöd för april; hyran är 6 850 kr/mån.",
    "Ärendet avslutades 2022-06-30. Ingen ny aktualisering har skett.",
    "Kvinnan är 34 år och har tre barn i åldrarna 4, 7 och 11 år.",
    "Telefonrådgivning till Kvinnofridslinjen 020-50 50 50 rekommenderades.",
    "Konsultationen rörde rutinen för orosanmälan enligt 14 kap. 1 § SoL och 3 § LVU.",
]


# HELD-OUT batch: written in one go after development of the guard and
# measured once before any further change (figures in the report). Its
# records carry source "heldout"; bench/anonymity.py prints them separately.
HANDWRITTEN_3 = [
    "Kurator på Vasaskolan ringde ang. ⟦name|Hanad⟧ i 8B. Pappan har tagit pojkens pass.",
    "Närvarande: ⟦name|Greta Lindholm⟧ (socialsekreterare), ⟦name|Wael⟧ (tolk) och mentor.",
    "⟦name|Ayanle⟧ vill inte att skolan ringer hem. Hans egen mobil: ⟦phone|076 - 225 19 04⟧",
    "Flickan uppgav personnummer ⟦personnummer|071123-4567⟧ och adressen ⟦address|Brynäsgatan 41 A⟧.",
    "⟦name|bilan⟧ sa att mamman är rädd för vad släkten ska säga.",
    "Mamman ⟦name|Sundus⟧ har bett oss att inte skicka post till ⟦address|Fältskärsvägen 9, 1 tr⟧.",
    "pappans nr ⟦phone|0704455667⟧, mammans nr ⟦phone|0739988776⟧",
    "Polisen har upprättat anmälan ⟦case_number|K123987-22⟧ om olaga hot.",
    "Socialtjänsten Sandviken, dnr ⟦case_number|IFO 2022/1187⟧, har begärt underlag.",
    "Hon är född ⟦birthdate|2008-01-17⟧ och har bott i Sverige sedan 2015.",
    "⟦name|Kidus⟧ och ⟦name|Merhawi⟧ har enligt fältassistenterna setts med äldre killar vid Stortorget.",
    "Ärendet gäller ⟦name|Lamija Hadžić⟧, 16 år. Hon bor med sin mamma på ⟦address|Hemlingbyvägen 3⟧.",
    "Mejl från skolan: ⟦email|mentor.8b@edu.gavle.se⟧ – vidarebefordrat till oss.",
    "Elevens mejladress ⟦email|iqra.abdihamid@gmail.com⟧ användes av pappan för att logga in.",
    "Födelsedatum ⟦birthdate|30.11.2009⟧ enligt Migrationsverkets beslut.",
    "samordningsnummer ⟦personnummer|051271-2191⟧",
    "Killen, ⟦name|Drilon⟧, har enligt mamman slutat träffa sina gamla vänner.",
    "Hon har flyttat till en lägenhet på ⟦address|Kaserngatan 12 B lgh 1201, 803 21 Gävle⟧.",
    "Vi fick in ett sms från ⟦phone|+46 76 334 56 78⟧ där avsändaren hotade eleven.",
    "Pappan, ⟦personnummer|19830530-3128⟧, är känd av polisen sedan tidigare.",
    "⟦name|Ecem⟧ berättar att hennes bror följer henne till och från skolan varje dag.",
    "⟦name|Roza⟧s mamma ringde och var mycket upprörd.",
    "enligt ⟦name|dilber⟧ har pappan sagt att hon ska gifta sig med en kusin i sommar",
    "⟦name|Mahdi Rahimi⟧, född ⟦birthdate|12 april 2006⟧, är placerad på HVB.",
    "Anmälan från skolan gäller ⟦name|Hamidullah⟧ (åk 9). Ärendenummer ⟦case_number|2023-0412⟧.",
    "Kontakt med mamman via tolk, tel ⟦phone|026-65 43 21⟧.",
    "Handläggare på Migrationsverket: ⟦name|Jonas Berglund⟧.",
    "Flickans faster bor på ⟦postcode|811 51 Sandviken⟧.",
    "Personnumret är ⟦personnummer|100915 7783⟧ enligt folkbokföringen.",
    "Barnet är f. ⟦birthdate|091130⟧ och går i fyran.",
    "⟦name|Donya⟧ och hennes syster ⟦name|Arian⟧ vill prata med någon utanför familjen.",
    "Samtal med ⟦name|Rawan⟧ 14/2. Hon beskriver kontroll och hot från ⟦name|Ghaith⟧, hennes äldre bror.",
    "Eleven ⟦name|Edis⟧ har uttryckt att \"alla otrogna ska dö\" enligt läraren.",
    "Kontakt: ⟦name|Samrawit⟧, tel. ⟦phone|073-660 12 34⟧, mejl ⟦email|samri_t@hotmail.com⟧.",
    "Pojken bor hos sin morbror på ⟦address|Lilla Brogatan 6⟧ i väntan på placering.",
    "Anmälan är diarieförd under ⟦case_number|BUN 2021/93⟧.",
    "Flickan ⟦name|Melek⟧ (15) berättar att hon inte får ha kompisar som är killar.",
    "Hennes pojkvän ⟦name|Berkay⟧ har också blivit hotad.",
    "Tjejen heter ⟦name|Ylva⟧ i klassen men familjen kallar henne ⟦name|Elira⟧.",
    "Skolan har ⟦name|Nils⟧ och ⟦name|Theo⟧ i samma klass som pojken.",
    "Brev med kallelse skickades till ⟦address|Björkvägen 2C, 818 33 Valbo⟧.",  # label fixed after the held-out run: one address span, as specified
    "K-nummer ⟦case_number|5000-K556677-21⟧ gäller misshandel.",
    "Vi har fått veta att ⟦name|Lidya⟧ ska skickas till släkt i Etiopien.",
    "Kontaktperson på föreningen är ⟦name|Tamara⟧, som kan nås på ⟦phone|0702-11 22 33⟧.",
    "Pojken kallas ⟦name|Dino⟧ av kompisarna.",
    # clean
    "Närvarande: kurator, rektor, skolsköterska och två lärare från årskurs 8.",
    "Mötet flyttas från 14/2 till 21/2 kl. 13.30–15.00 i Stadshuset.",
    "Skolan har anmält oro till Socialtjänsten enligt 14 kap. 1 § SoL.",
    "Eleven är 15 år och har 40 % frånvaro sedan höstlovet.",
    "Vi rekommenderade kontakt med Länsstyrelsen Östergötland och Nationellt kompetensteam.",
    "Familjen kom från Afghanistan 2016 och bor sedan 2019 i Sandviken.",
    "Flickan har en storebror på 19 år och två yngre syskon.",
    "Pojken har följt konton på Instagram och Telegram som hyllar IS.",
    "Utbildningsdagen för 60 lärare kostade 18 000 kr inklusive lunch.",
    "Vi har haft 12 konsultationer under vecka 40–44, de flesta från skolor i Gävle.",
    "Ärendet är inte diariefört ännu. Handläggare utses på måndag.",
    "Konsultation med Brynäs IF:s ungdomsansvarige om en spelare, 16 år.",
    "Mamman vill ha stöd i kontakten med Försäkringskassan och Arbetsförmedlingen.",
    "Uppföljning sker om tre veckor, den 5 maj kl. 10.00.",
    "Pojken har skrivit att han vill åka till Syrien och strida.",
    "Skolsköterskan har sett blåmärken på armarna vid två tillfällen.",
    "Eleven har bytt skola två gånger sedan 2021 och går nu på Borgarskolan.",
    "Hedersrelaterat våld och förtryck var temat för nätverksträffen i Högskolan i Gävles lokaler.",
    "Vi skickade information om Tjejjouren och Ungdomsmottagningen.",
    "Mötet den 3 oktober 2023 dokumenterades av samordnaren.",
    "Eleven har fått studiehandledning på somaliska 2 timmar i veckan.",
    "Hon vill flytta till Stockholm när hon fyllt 18.",
    "Tre av fyra anmälningar kom från skolor, en från BUP.",
    "Budgeten för 2024 är 450 000 kr varav 120 000 kr till utbildning.",
    "Rektor har pratat med vårdnadshavarna vid två tillfällen, senast i tisdags.",
    "Kvinnan har skyddat boende via kommunen till och med 31 mars.",
    "Pojken, som är 17, har enligt Polisen rest till Turkiet med sin farbror.",
    "Flickan säger att hon inte vill åka till Kurdistan i sommar.",
    "Samtalet fördes på arabiska med tolk via telefon, ca 45 minuter.",
    "Region Gävleborg och kommunen har en gemensam rutin sedan 2020.",
    "Nästa möte i samverkansgruppen är torsdag v. 47 kl. 9.",
    "Eleven har betygen A i engelska och C i matte.",
    "Vi hänvisade till Kvinnofridslinjen och till kommunens familjerådgivning.",
    "Läraren har observerat att eleven ritar symboler som förknippas med nazism.",
    "Orosanmälan gjordes 2023-09-12 av skolkuratorn.",
]


# SECOND HELD-OUT batch: written after the changes prompted by HANDWRITTEN_3,
# measured once and left as it came out (source "heldout2").
HANDWRITTEN_4 = [
    "Anteckning 12/10:\n- ⟦name|Sabrina⟧ (15 år) bor hos faster\n- mobil ⟦phone|072 345 67 89⟧\n- skola: Polhemsskolan",
    "Ärende: ⟦name|Nuradin Abdiwahid⟧. Pers.nr ⟦personnummer|960823-1453⟧.",
    "Enl. mentor har ⟦name|Kerstin⟧ på fritids sett pappan hämta ⟦name|Aylin⟧ med våld.",
    "Hon kallar sig ⟦name|Nelly⟧ på nätet men heter egentligen ⟦name|Nesrin⟧.",
    "Pojken bor hos sin farmor, ⟦address|Granvägen 4, 817 30 Storvik⟧.",
    "Uppgiven adress: ⟦address|Parkvägen 17 B lgh 1203⟧ (andrahandskontrakt).",
    "Skolan mejlade från ⟦email|elevhalsan.vasaskolan@gavle.se⟧ och bifogade frånvarorapporten.",
    "Kvinnan nås på ⟦phone|+46 (0)72 555 12 34⟧ eller via sin syster.",
    "Dottern ⟦name|Hira⟧, född ⟦birthdate|2007-05-21⟧, har skrivit ett brev till kuratorn.",
    "⟦name|Mohammed Ali⟧ och ⟦name|Yusra⟧ har sökt till samma gymnasium.",
    "Polisen, diarienummer ⟦case_number|5000-K2044871-23⟧, bekräftar att anmälan tagits upp.",
    "Ref.nr ⟦case_number|2023/4471⟧ hos Socialnämnden.",
    "Mammans samordningsnummer ⟦personnummer|930761-1187⟧ finns i Migrationsverkets beslut.",
    "⟦name|Samuel⟧ säger att han inte vill prata med socialtjänsten.",
    "Ungdomen, ⟦personnummer|011229-3345⟧, har enligt polisen kontakt med en rekryterare.",
    "⟦name|Amra⟧s bror har hotat en lärare på skolan.",
    "Flickans kusin ⟦name|Zinab⟧ har berättat att familjen ska åka till Irak i juni.",
    "Kontakt med ⟦name|Leyla⟧ via ⟦email|leyla.k04@icloud.com⟧.",
    "Adressen är ⟦address|Södra Skeppargatan 22, 2 tr⟧ enligt folkbokföringen.",
    "⟦name|abdullahi⟧ säger att han inte vill tillbaka hem.",
    "Pojken (f. ⟦birthdate|2008-04-05⟧) har varit försvunnen sedan i fredags.",
    "Tfn till pappan ⟦phone|0709-87 65 43⟧, tolk behövs på dari.",
    "Fältassistenten pratade med ⟦name|Jonatan⟧ och ⟦name|Liridona⟧ utanför fritidsgården.",
    "⟦name|Gabriel Yousef⟧ vill ha stöd i kontakten med skolan.",
    "Postadress enligt Skatteverket: ⟦postcode|802 63 Gävle⟧.",
    "Barnet är ⟦personnummer|080405-9020⟧ och har placerats i jourhem.",
    # clean
    "Anteckning 14/10:\n- möte med rektor kl. 9\n- orosanmälan skickad\n- uppföljning v. 44",
    "Kvinnan har tre barn: 4, 9 och 13 år. Hon har bott i Sverige sedan 2014.",
    "Konsultationen tog 50 minuter och gällde en elev i åk 7.",
    "Föreningen Gävle Tjejjour håller öppet hus på onsdagar kl. 17–20.",
    "Vi har pratat med fältgruppen i Sandviken och med polisens områdespolis.",
    "Eleven har haft 23 % frånvaro under höstterminen och ska få stöd av elevhälsan.",
    "Pappan vill inte att dottern går på simundervisning eller skolresor.",
    "Hedersrelaterat förtryck enligt Länsstyrelsen Östergötlands definition diskuterades.",
    "Ungdomen har lämnat Sverige enligt uppgift från Migrationsverket den 2 maj.",
    "Rektor på Sätraskolan och kurator på Vasaskolan deltog via Teams.",
    "Flickan har berättat om kontroll i hemmet men vill inte att vi kontaktar föräldrarna.",
    "Ärendet gäller en familj på Andersberg med fem barn mellan 2 och 16 år.",
    "Enligt SoL 11 kap. 1 § ska en utredning inledas utan dröjsmål.",
    "Kostnad för tolk: 1 250 kr per timme, totalt 3 750 kr.",
]


# REVIEW batch (source "review"): every weakness reported by the independent
# reviewer and the blind held-out evaluation, plus variants written to test
# the general fix rather than the single example: Unicode evasion (minus sign,
# zero-width and soft hyphen, fullwidth digits, letter O for zero), unusual
# personnummer forms and mistyped check digits after a cue, case numbers
# after "ärende"/"akt" or with "K 12345-22", the "S-" postcode prefix, names
# in capitals or at a sentence start, colon endings, and organisations,
# projects and festivals that are fine to name. Written with the fixes, so it
# is a regression set, not a held-out measurement.
HANDWRITTEN_5 = [
    "Flickans personnummer ⟦personnummer|050314\u22121236⟧ stod i anmälan.",
    "Pnr: ⟦personnummer|050314\u200b-1236⟧ (kopierat från mejlet).",
    "Samordningsnummer ⟦personnummer|0503\u00ad71-1236⟧ enligt Migrationsverket.",
    "Mammans mobil är ⟦phone|O7O-123 45 67⟧ enligt skolan.",
    "Ring ⟦phone|\uff10\uff17\uff10\u2010\uff11\uff12\uff13 \uff14\uff15 \uff16\uff17⟧ efter skolan.",
    "Kontakt via ⟦phone|070\u2011123\u201145\u201167⟧ eller via kuratorn.",
    "Pappans nummer ⟦phone|o73-l23 45 67⟧ fanns i chatten.",
    "Personnummer ⟦personnummer|050314_1236⟧ angavs i formuläret.",
    "Pojken har pnr ⟦personnummer|05 03 14-1236⟧ enligt skolan.",
    "Uppgivet nummer ⟦personnummer|850314 12 39⟧ stämmer med folkbokföringen.",
    "personnummer ⟦personnummer|050314-1235⟧ (kontrollsiffran verkar fel)",
    "Hon uppger sitt personnr ⟦personnummer|0503141235⟧ till tolken.",
    "Personnummer: ⟦personnummer|19850314 12 39⟧.",
    "Polisanmälan har nummer ⟦case_number|K 55123-22⟧.",
    "Anmälan ⟦case_number|5000-K 123456-23⟧ gäller olaga hot.",
    "Se ärende ⟦case_number|2023/145⟧ hos socialtjänsten.",
    "Ärendenr ⟦case_number|2023/146⟧ gäller samma familj.",
    "Underlaget finns i akt ⟦case_number|2023-145⟧.",
    "Polisens diarienummer är ⟦case_number|4000-K1234567-23⟧.",
    "Dnr ⟦case_number|SN\u00a02018\u20130456⟧ har skickats till nämnden.",
    "Brevet skickades till ⟦postcode|S-803 20 GÄVLE⟧.",
    "Adress: ⟦address|Kungsgatan 5, S-803 20 GÄVLE⟧.",
    "Mejl: ⟦email|sara.ali\u200b@gmail.com⟧ enligt mentorn.",
    "⟦name|AHMED⟧ har inte kommit till skolan på två veckor.",
    "⟦name|KHALED⟧ säger att han vill flytta hemifrån.",
    "⟦name|Linnea Berg⟧ har ringt från skolan igen.",
    "⟦name|Viktor Sandberg⟧ vill ha stöd i kontakten med polisen.",
    "Vi sms:ade mamman och mejl:ade ⟦name|Selin⟧ om mötet.",
    # clean
    "Studieförbundet Sensus och ABF håller kurser om jämställdhet.",
    "Vi hänvisade till Elektra på Fryshuset och till Tjejzonen.",
    "Sharaf Hjältar besökte skolan och pratade om heder.",
    "Familjen firar Nouruz i mars och föreningen ordnar en Newroz-fest.",
    "Medborgarskolan och Studiefrämjandet har lokaler i Gävle.",
    "Terrafem, Bris, Unizon och Roks har stödlinjer dygnet runt.",
    "Kvinnojouren och Länsstyrelsen Gävleborg bjöd in till nätverksträff.",
    "Region Gävleborg och Gävle kommun delar på kostnaden.",
    "Ungdomar från Hemlingby, Strömsbro och Andersberg deltog i Sensus cirkel.",
    "Fältgruppen är aktiv på Sätra, Brynäs, Bomhus, Valbo och Hille.",
    "CVE:s rapport och BUP:s remiss kom i dag. Vi sms:ade skolan om det.",
    "Mötet hölls kl. 13.30\u201315.00 i vecka 40\u201344; satsningen pågår 2021\u20142024.",
    "Ärendet inkom 2019-02-14 och polisen gjorde en anmälan 13/10.",
    "Kostnaden per ärende är 2 500 kr; akt 3 i pjäsen spelades upp.",
    "Enligt SiS och IVO ska placeringen följas upp. OBS: VIKTIGT att dokumentera.",
]


def build(rng: random.Random) -> list[dict]:
    fillers = {
        "N": lambda: name(rng),
        "F": lambda: first_name(rng),
        "G": lambda: genitive(rng),
        "L": lambda: lower_name(rng),
        "PNR": lambda: personnummer(rng),
        "TEL": lambda: phone(rng),
        "MAIL": lambda: email(rng),
        "ADR": lambda: address(rng),
        "POST": lambda: postcode(rng),
        "DNR": lambda: case_number(rng),
        "BD": lambda: birthdate(rng),
        "BDF": lambda: birthdate(rng, born_form_only=True),
        "BYEAR": lambda: str(rng.randint(1998, 2011)),
        "AGEADULT": lambda: f"{rng.randint(19, 26)} år",
        "BD2": lambda: "född " + mark("birthdate", f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2004, 2009)}"),
        "AGE": lambda: f"{rng.randint(12, 19)} år",
        "AGE2": lambda: f"{rng.randint(2, 11)} år",
        "AGE3": lambda: f"{rng.randint(1, 5)} år",
        "AGENUM": lambda: str(rng.randint(15, 18)),
        "DATE": lambda: clean_date(rng),
        "DATE2": lambda: clean_date(rng),
        "TIME": lambda: clean_time(rng),
        "TIME2": lambda: f"kl. {rng.randint(8, 10):02d}.00–{rng.randint(11, 16)}.00",
        "ORG": lambda: rng.choice(ORGS),
        "SCHOOL": lambda: rng.choice(SCHOOLS),
        "PLACE": lambda: rng.choice(PLACES),
        "COUNTRY": lambda: rng.choice(COUNTRIES),
        "ROLE": lambda: rng.choice(ROLES),
        "REL": lambda: rng.choice(RELATIVES),
        "AMOUNT": lambda: clean_amount(rng),
        "DAY": lambda: rng.choice(WEEKDAYS),
        "LANG": lambda: rng.choice(LANGS),
        "WEEK": lambda: str(rng.randint(1, 52)),
        "YEAR": lambda: str(rng.randint(2012, 2024)),
        "YEAR2": lambda: str(rng.randint(2012, 2024)),
        "GRADE": lambda: str(rng.randint(6, 9)),
        "MIN": lambda: str(rng.choice([20, 30, 45, 60, 90])),
        "COUNT": lambda: str(rng.randint(3, 250)),
        "COUNT2": lambda: str(rng.randint(3, 250)),
        "PCT": lambda: rng.choice([str(rng.randint(5, 95)), f"{rng.randint(5, 95)},{rng.randint(1, 9)}"]),
        "SCHOOLYEAR": lambda: rng.choice(["2018/19", "2019/2020", "2021/22", "2022/2023", "2023/24"]),
        "MONTHS": lambda: str(rng.randint(2, 18)),
        "DAYS": lambda: str(rng.randint(2, 60)),
        "KM": lambda: str(rng.randint(3, 80)),
        "HOURS": lambda: str(rng.randint(2, 12)),
        "NTH": lambda: rng.choice(["tredje", "fjärde", "sjätte"]),
        "DAYNUM": lambda: str(rng.randint(1, 28)),
        "MONTH": lambda: rng.choice(MONTHS),
        "KIDS": lambda: str(rng.randint(2, 8)),
    }

    def render(template: str) -> str:
        def fill(m):
            value = fillers[m.group(1)]()
            # Ordinary words (roles, relatives, weekdays) that start a
            # sentence are capitalised; lower-case names ({L}) stay as they are.
            before = template[:m.start()].rstrip(" ")
            if m.group(1) in ("ROLE", "REL", "DAY", "LANG") and (not before or before[-1] in ".:!?"):
                value = value[:1].upper() + value[1:]
            return value

        return re.sub(r"\{([A-Z0-9]+)\}", fill, template)

    records = []
    for marked in HANDWRITTEN + HANDWRITTEN_2:
        text, spans = parse(marked)
        records.append({"text": text, "spans": spans, "source": "handwritten"})
    for marked in HANDWRITTEN_3:
        text, spans = parse(marked)
        records.append({"text": text, "spans": spans, "source": "heldout"})
    for marked in HANDWRITTEN_4:
        text, spans = parse(marked)
        records.append({"text": text, "spans": spans, "source": "heldout2"})
    for marked in HANDWRITTEN_5:
        text, spans = parse(marked)
        records.append({"text": text, "spans": spans, "source": "review"})
    # Each identifier template is rendered several times with fresh values.
    for _rep in range(5):
        for template in ID_TEMPLATES:
            text, spans = parse(render(template))
            records.append({"text": text, "spans": spans, "source": "template"})
    for _rep in range(3):
        for template in CLEAN_TEMPLATES:
            text, spans = parse(render(template))
            assert not spans
            records.append({"text": text, "spans": spans, "source": "template"})
    seen, unique = set(), []
    for r in records:
        if r["text"] not in seen:
            seen.add(r["text"])
            unique.append(r)
    return unique


def main() -> None:
    rng = random.Random(SEED)
    records = build(rng)
    with open(OUT, "w", encoding="utf-8") as fh:
        for i, r in enumerate(records):
            fh.write(json.dumps({"id": i, **r}, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for r in records:
        for s in r["spans"]:
            kinds[s["kind"]] = kinds.get(s["kind"], 0) + 1
    clean = sum(1 for r in records if not r["spans"])
    print(f"{len(records)} texts, {clean} clean; spans per kind: {dict(sorted(kinds.items()))}")


if __name__ == "__main__":
    main()
