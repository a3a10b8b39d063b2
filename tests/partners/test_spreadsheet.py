"""Reading the coordinator's partner spreadsheet (CSV) and writing the register back
out (coordinator/partners/spreadsheet.py). Pure: no app, no database."""
import dataclasses

import pytest

from coordinator.partners.models import NAME_MAX
from coordinator.partners.spreadsheet import (
    EXPORT_COLUMNS,
    EXPORT_COLUMNS_WITH_CONTACTS,
    FIELDS,
    MAX_BYTES,
    MAX_LINES,
    ContactRow,
    PartnerRow,
    SpreadsheetError,
    decode,
    export_csv,
    neutralise,
    read_sheet,
    write_csv,
)
from coordinator.records import DomainError

HEADER = "Namn;Typ;Område;Status;Beskrivning;Kontaktperson;Roll;E-post;Telefon"


def csv_bytes(*lines, encoding="utf-8", newline="\n"):
    return newline.join(lines).encode(encoding)


def sheet_of(*data_lines, header=HEADER):
    return read_sheet(csv_bytes(header, *data_lines))


def only_line(*data_lines, header=HEADER):
    sheet = sheet_of(*data_lines, header=header)
    assert len(sheet.lines) == 1
    return sheet.lines[0]


def refused(data):
    with pytest.raises(SpreadsheetError) as info:
        read_sheet(data)
    return str(info.value)


# The file ----------------------------------------------------------------------------

@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_semicolon_comma_and_tab_files_are_read(delimiter):
    header = delimiter.join(["Namn", "Typ", "Beskrivning"])
    line = delimiter.join(["Länsstyrelsen", "Myndighet", '"Samverkan; råd, stöd"'])
    sheet = read_sheet(csv_bytes(header, line))
    assert sheet.delimiter == delimiter
    assert sheet.ok, sheet.errors
    assert sheet.lines[0].values["name"] == "Länsstyrelsen"
    assert sheet.lines[0].values["kind"] == "authority"
    assert sheet.lines[0].values["description"] == "Samverkan; råd, stöd"


@pytest.mark.parametrize("data", [
    "Namn;Typ\nÅbo Ärlig Örförening;Förening\n".encode(),
    b"\xef\xbb\xbf" + "Namn;Typ\nÅbo Ärlig Örförening;Förening\n".encode(),
    "Namn;Typ\r\nÅbo Ärlig Örförening;Förening\r\n".encode("cp1252"),
], ids=["utf-8", "utf-8 with BOM", "windows-1252"])
def test_utf8_with_and_without_bom_and_windows_1252_give_the_letters_right(data):
    sheet = read_sheet(data)
    assert sheet.headers == ["Namn", "Typ"]
    assert sheet.lines[0].values["name"] == "Åbo Ärlig Örförening"
    assert sheet.lines[0].values["kind"] == "association"


def test_line_endings_are_normalised():
    assert decode(b"a;b\r\nc;d\re;f\n") == "a;b\nc;d\ne;f\n"


@pytest.mark.parametrize("data", [
    b"Namn;Typ\nPolisen\x81;Myndighet\n",  # neither UTF-8 nor Windows-1252
    b"\xef\xbb\xbfNamn;Typ\nPolisen\xe5;Myndighet\n",  # a UTF-8 BOM, then not UTF-8
    b"Namn;Typ\nPolisen\x00;Myndighet\n",  # NUL
    "Namn;Typ".encode("utf-16"),  # saved as UTF-16: NUL bytes
    b"Namn;Typ\nPolisen\x02\x03;Myndighet\n",  # other binary content
], ids=["undefined byte", "bom then cp1252", "nul", "utf-16", "control characters"])
def test_broken_encoding_is_refused_asking_for_csv_utf8(data):
    message = refused(data)
    assert "teckenkodning" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize("data", [
    b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,
], ids=["xlsx", "xls"])
def test_an_excel_file_is_refused_with_what_to_do(data):
    assert refused(data) == (
        "Filen är en Excel-fil. Spara den som CSV (semikolonavgränsad) och ladda upp den igen."
    )


@pytest.mark.parametrize("data", [b"", b"  \r\n\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n", b";;;\n;;\n"])
def test_an_empty_file_is_refused(data):
    assert refused(data).startswith("Filen är tom.")


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    message = refused(b"Namn;Typ\n" + b"x" * (20 * 1024 * 1024))
    assert message.startswith("Filen är större än 2 MB.")


def test_a_file_just_at_the_size_limit_is_not_refused_for_its_size():
    line = b"Polisen;Myndighet;" + b"x" * 1000 + b"\n"  # the third column is not imported
    data = b"Namn;Typ;Annat\n" + line * (MAX_BYTES // len(line) - 1)
    data += b"Skolan;Kommun;" + b"y" * (MAX_BYTES - len(data) - len(b"Skolan;Kommun;"))
    assert len(data) == MAX_BYTES
    sheet = read_sheet(data)
    assert sheet.ok
    assert sheet.unknown_columns == ["Annat"]


def test_a_quote_never_closed_is_refused_with_the_line():
    data = csv_bytes("Namn;Typ", "Polisen;Myndighet", '"Skolan;Kommun', *(["x" * 1000] * 200))
    assert refused(data).startswith("Filen kunde inte läsas som CSV från rad 3: en cell är orimligt lång")


def test_50000_lines_are_refused_naming_the_limit():
    data = "Namn;Typ\n" + "".join(f"Partner {i};Förening\n" for i in range(50_000))
    assert len(data.encode()) < MAX_BYTES  # refused for its lines, not its size
    message = refused(data.encode())
    assert message.startswith("Filen har fler än 5 000 rader.")


def test_max_lines_are_accepted_and_one_more_refused():
    lines = [f"Partner {i};Förening" for i in range(MAX_LINES)]
    assert len(read_sheet(csv_bytes("Namn;Typ", *lines)).lines) == MAX_LINES
    assert "fler än 5 000 rader" in refused(csv_bytes("Namn;Typ", *lines, "En till;Förening"))


def test_a_header_without_data_lines_is_refused():
    assert refused(csv_bytes(HEADER, "", ";;;")).startswith("Filen har inga rader med partner.")


def test_spreadsheet_error_is_a_domain_error():
    assert issubclass(SpreadsheetError, DomainError)


# The header --------------------------------------------------------------------------

def test_a_file_without_a_name_column_is_refused_listing_the_accepted_headers():
    message = refused(csv_bytes("Typ;Beskrivning", "Myndighet;Något"))
    assert message.startswith("Filen saknar en kolumn med partnerns namn.")
    for header in ("Namn", "Organisation", "Organisationsnamn", "Partner", "Samverkanspart", "Aktör"):
        assert f"”{header}”" in message


def test_two_columns_for_one_field_are_refused():
    message = refused(csv_bytes("Namn;Typ;Organisation", "Polisen;Myndighet;Polisen"))
    assert "”Namn” och ”Organisation” betyder samma sak" in message


def test_unknown_columns_are_listed_not_refused():
    sheet = read_sheet(csv_bytes("Namn;Typ;Kommun;Senast uppdaterad;;", "Polisen;Myndighet;Gävle;2024;;x"))
    assert sheet.ok
    assert sheet.unknown_columns == ["Kommun", "Senast uppdaterad", "Kolumn 6 (utan rubrik)"]
    assert sheet.mapping == {0: "name", 1: "kind"}


@pytest.mark.parametrize(("header", "field"), [
    ("ORGANISATION", "name"),
    ("Samverkanspart", "name"),
    (" aktör ", "name"),
    ("Organisations-typ", "kind"),
    ("Inriktning", "area"),
    ("nästa_steg", "next_step"),
    ("Nästa steg", "next_step"),
    ("Namn på kontaktperson", "contact_name"),
    ("Befattning", "contact_role"),
    ("E_POST", "contact_email"),
    ("mejl", "contact_email"),
    ("Mobil", "contact_phone"),
    ("Anteckning", "description"),
])
def test_headers_are_matched_without_case_spaces_hyphens_or_underscores(header, field):
    name_header = "Namn" if field != "name" else "Typ"
    sheet = read_sheet(csv_bytes(f"{name_header};{header}", "Myndighet;Myndighet"))
    assert field in sheet.mapping.values()
    assert sheet.unknown_columns == []


# Lines -------------------------------------------------------------------------------

def test_blank_lines_are_skipped_and_line_numbers_are_the_files():
    sheet = sheet_of(
        "Polisen;Myndighet;HRV;Aktiv;\"Två\nrader\";;;;",
        "",
        ";;;;;;;;",
        "Skolan;Kommun;VBE;Aktiv;;;;;",
    )
    assert [line.number for line in sheet.lines] == [2, 6]
    assert sheet.lines[0].values["description"] == "Två\nrader"


def test_a_line_with_more_cells_than_headers_is_an_error_and_fewer_are_blank():
    more = sheet_of("Polisen;Myndighet;HRV;Aktiv;;;;;;överbliven")
    assert more.errors == ["Rad 2: Raden har fler celler (10) än rubrikraden (9)."]
    fewer = only_line("Polisen;Myndighet")
    assert fewer.ok
    assert fewer.values["contact_phone"] == ""


def test_a_blank_name_is_an_error():
    sheet = sheet_of(";Myndighet;HRV;Aktiv;Om något;;;;")
    assert sheet.errors == ["Rad 2: Namn saknas."]
    assert not sheet.ok
    assert sheet.partners() == []


def test_a_too_long_name_and_a_too_long_description_are_errors():
    line = only_line(f"{'P' * (NAME_MAX + 1)};Myndighet;HRV;Aktiv;{'d' * 2001}")
    assert line.errors == [
        "Cellen i kolumnen ”Namn” är längre än 200 tecken.",
        "Cellen i kolumnen ”Beskrivning” är längre än 2 000 tecken.",
    ]
    assert only_line(f"{'P' * NAME_MAX};Myndighet;HRV;Aktiv;{'d' * 2000}").ok


def test_a_too_long_other_cell_is_an_error():
    line = only_line(f"Polisen;Myndighet;HRV;Aktiv;;;{'r' * 201}")
    assert line.errors == ["Cellen i kolumnen ”Roll” är längre än 200 tecken."]


# Coded cells -------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "code"), [
    ("Myndighet", "authority"),
    ("authority", "authority"),
    ("  KOMMUNAL FÖRVALTNING ", "municipal"),
    ("kommun", "municipal"),
    ("Region", "region"),
    ("ideell", "nonprofit"),
    ("Ideell organisation", "nonprofit"),
    ("Trossamfund", "faith"),
    ("föreningar", "association"),
    ("universitet", "academia"),
    ("Högskola", "academia"),
    ("Akademi", "academia"),
    ("företag", "business"),
])
def test_kind_matches_labels_codes_and_short_forms(written, code):
    assert only_line(f"Partnern;{written}").values["kind"] == code


@pytest.mark.parametrize(("written", "code"), [
    ("HRV", "hrv"),
    ("vbe", "vbe"),
    ("Våldsbejakande extremism (VBE)", "vbe"),
    ("båda", "both"),
    ("HRV och VBE", "both"),
    ("både HRV och VBE", "both"),
    ("both", "both"),
])
def test_area_matches_labels_codes_and_short_forms(written, code):
    assert only_line(f"Partnern;Myndighet;{written}").values["area"] == code


@pytest.mark.parametrize(("written", "code"), [("Aktiv", "active"), ("potentiell", "potential"), ("dormant", "dormant")])
def test_status_matches_labels_and_codes(written, code):
    assert only_line(f"Partnern;Myndighet;HRV;{written}").values["status"] == code


def test_an_unknown_kind_is_refused_with_the_allowed_labels():
    line = only_line("Partnern;Bolag i koncernen;HRV;Aktiv")
    assert line.errors == [
        "Typen ”Bolag i koncernen” finns inte. Skriv en av: Myndighet, Kommunal förvaltning, Region, "
        "Ideell organisation, Trossamfund, Förening, Akademi, Näringsliv."
    ]


def test_an_unknown_area_and_status_are_refused_with_the_allowed_labels():
    line = only_line("Partnern;Myndighet;Annat;Avslutad")
    assert line.errors == [
        "Området ”Annat” finns inte. Skriv ett av: Hedersrelaterat våld (HRV), "
        "Våldsbejakande extremism (VBE), Både HRV och VBE.",
        "Statusen ”Avslutad” finns inte. Skriv en av: Aktiv, Potentiell, Vilande.",
    ]


def test_a_blank_kind_is_an_error():
    assert only_line("Partnern;;HRV;Aktiv").errors == ["Typ saknas."]


def test_blank_status_and_area_are_defaulted_with_notes():
    line = only_line("Partnern;Myndighet;;")
    assert line.ok
    assert line.values["area"] == "both"
    assert line.values["status"] == "active"
    assert line.notes == ["Område saknas: ”Både HRV och VBE” används.", "Status saknas: ”Aktiv” används."]


# Formulas ----------------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "header", "char"), [
    ("=SUM(A1:A3);Myndighet", "Namn", "="),
    ("Polisen;Myndighet;;;=HYPERLINK(\"http://x\")", "Beskrivning", "="),
    ("Polisen;Myndighet;;;;@SUM(1)", "Kontaktperson", "@"),
    ("Polisen;Myndighet;;;;;;;+cmd|' /C calc'!A0", "Telefon", "+"),
    ("Polisen;Myndighet;;;-2+3+cmd", "Beskrivning", "-"),
])
def test_formula_cells_are_refused(cells, header, char):
    line = only_line(cells)
    assert (
        f"Cellen i kolumnen ”{header}” börjar med ”{char}” och ser ut som en formel. Skriv värdet utan formel."
    ) in line.errors


@pytest.mark.parametrize("phone", ["+46 26 17 80 00", "+46 (0)26-17 80 00", "026-17 80 00", "0701234567"])
def test_a_phone_number_is_accepted_also_with_a_leading_plus(phone):
    line = only_line(f"Polisen;Myndighet;;;;;;;{phone}")
    assert line.ok, line.errors
    assert line.values["contact_phone"] == phone


def test_a_plain_signed_number_is_not_a_formula():
    assert only_line("Polisen;Myndighet;;;-5").ok


# E-mail, phone and the guard ---------------------------------------------------------

@pytest.mark.parametrize("email", ["anna@", "anna.gavle.se", "anna@gavle", "anna svensson@gavle.se", "a@b@gavle.se"])
def test_an_implausible_email_is_an_error(email):
    line = only_line(f"Polisen;Myndighet;;;;;;{email}")
    assert line.errors == [f"E-postadressen ”{email}” ser inte ut som en e-postadress."]


@pytest.mark.parametrize("phone", ["12345", "026/17 80 00", "ring växeln", "1" * 21])
def test_an_implausible_phone_is_an_error(phone):
    line = only_line(f"Polisen;Myndighet;;;;;;;{phone}")
    assert line.errors == [
        f"Telefonnumret ”{phone}” ser inte ut som ett telefonnummer (6–20 siffror; "
        "utöver siffror bara mellanslag, +, - och parenteser)."
    ]


def test_a_personnummer_in_a_description_is_refused():
    line = only_line("Polisen;Myndighet;;;Gäller flickan 19121212-1212")
    assert line.errors == [
        "Cellen i kolumnen ”Beskrivning” innehåller uppgifter som kan identifiera en person "
        "(personnummer eller samordningsnummer). Ta bort dem och ladda upp filen igen."
    ]


def test_a_case_number_in_the_next_step_is_refused():
    sheet = read_sheet(csv_bytes("Namn;Typ;Nästa steg", "Polisen;Myndighet;Följ upp ärende 2023/145"))
    assert sheet.errors == [
        "Rad 2: Cellen i kolumnen ”Nästa steg” innehåller uppgifter som kan identifiera en person "
        "(diarie-, ärende- eller anmälningsnummer). Ta bort dem och ladda upp filen igen."
    ]


def test_a_contact_person_with_work_phone_and_email_is_allowed():
    line = only_line(
        "Polisen;Myndighet;HRV;Aktiv;Samverkan kring HRV;Anna Svensson;Kommunpolis;"
        "anna.svensson@polisen.se;+46 26 17 80 00"
    )
    assert line.ok, line.errors
    assert line.values["contact_name"] == "Anna Svensson"


# Partners ----------------------------------------------------------------------------

def test_several_lines_of_one_partner_are_grouped_with_a_contact_each():
    sheet = sheet_of(
        "Polisen Gävle;Myndighet;HRV;Aktiv;Samverkan;Anna Svensson;Kommunpolis;anna@polisen.se;010-114 14 00",
        "Skolan;Kommun;VBE;Potentiell;;;;;",
        "  POLISEN   gävle ;;;;;Bertil Ek;Utredare;bertil@polisen.se;",
    )
    assert sheet.ok, sheet.errors
    assert sheet.partners() == [
        PartnerRow(
            name="Polisen Gävle", key="polisen gävle", kind="authority", area="hrv", status="active",
            description="Samverkan", next_step="",
            contacts=[
                ContactRow("Anna Svensson", "Kommunpolis", "anna@polisen.se", "010-114 14 00"),
                ContactRow("Bertil Ek", "Utredare", "bertil@polisen.se", ""),
            ],
            line_numbers=[2, 4],
        ),
        PartnerRow(
            name="Skolan", key="skolan", kind="municipal", area="vbe", status="potential",
            description="", next_step="", contacts=[], line_numbers=[3],
        ),
    ]


def test_lines_of_one_partner_with_differing_kind_are_an_error_on_the_later_line():
    sheet = sheet_of(
        "Polisen;Myndighet;HRV;Aktiv",
        "polisen;Region;HRV;Aktiv;;Bertil Ek",
    )
    assert sheet.errors == ["Rad 3: Typ ”Region” skiljer sig från rad 2 (”Myndighet”)."]
    assert sheet.partners() == []


def test_lines_of_one_partner_with_differing_status_are_an_error():
    sheet = sheet_of("Polisen;Myndighet;HRV;Aktiv", "Polisen;Myndighet;HRV;Vilande")
    assert sheet.errors == ["Rad 3: Status ”Vilande” skiljer sig från rad 2 (”Aktiv”)."]


def test_a_differing_description_on_a_later_line_is_a_note_and_the_first_is_kept():
    sheet = sheet_of("Polisen;Myndighet;;;Först", "Polisen;Myndighet;;;Sedan")
    assert sheet.ok
    assert sheet.lines[1].notes == ["Beskrivning skiljer sig från rad 2; den på rad 2 används."]
    assert sheet.partners()[0].description == "Först"


def test_a_partner_with_an_error_on_any_line_is_left_out_of_partners():
    sheet = sheet_of("Polisen;Myndighet", "Polisen;Myndighet;;;;;;fel", "Skolan;Kommun")
    assert [p.name for p in sheet.partners()] == ["Skolan"]


# Writing -----------------------------------------------------------------------------

@pytest.mark.parametrize("char", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_prefixes_each_dangerous_leading_character(char):
    assert neutralise(char + "1+1") == "'" + char + "1+1"


@pytest.mark.parametrize(("cell", "expected"), [
    (None, ""), ("", ""), ("Polisen", "Polisen"), ("a=b", "a=b"), (" =1", " =1"), (12, "12"), (-3, "'-3"),
])
def test_neutralise_leaves_other_cells_alone(cell, expected):
    assert neutralise(cell) == expected


def test_write_csv_is_semicolon_utf8_with_bom_crlf_quoted_and_neutralised():
    data = write_csv(["=Namn", "Beskrivning"], [["Åre; kommun", 'Två\nrader "citat"'], ["@x", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == (
        "'=Namn;Beskrivning\r\n"
        '"Åre; kommun";"Två\nrader ""citat"""\r\n'
        "'@x;\r\n"
    )


def test_export_headers_are_the_first_accepted_headers():
    assert [header for _field, header in EXPORT_COLUMNS] == [
        "Namn", "Typ", "Område", "Status", "Beskrivning", "Nästa steg",
    ]
    assert EXPORT_COLUMNS_WITH_CONTACTS[len(EXPORT_COLUMNS):] == [
        ("contact_name", "Kontaktperson"), ("contact_role", "Roll"),
        ("contact_email", "E-post"), ("contact_phone", "Telefon"),
    ]
    assert all(header == FIELDS[field][0] for field, header in EXPORT_COLUMNS_WITH_CONTACTS)


ROUND_TRIP = [
    PartnerRow(
        name="Polisen Gävle", key="polisen gävle", kind="authority", area="hrv", status="active",
        description='Samverkan; råd, "stöd"\nockså på kvällar', next_step="Boka möte",
        contacts=[
            ContactRow("Anna Svensson", "Kommunpolis", "anna@polisen.se", "+46 26 17 80 00"),
            ContactRow("Bertil Ek", "", "", "-026 17 80 01"),
        ],
        line_numbers=[2, 3],
    ),
    PartnerRow(
        name="Åkersberga församling", key="åkersberga församling", kind="faith", area="both",
        status="potential", description="", next_step="", contacts=[], line_numbers=[4],
    ),
]


def test_write_csv_round_trips_through_read_sheet_with_contacts():
    data = export_csv(ROUND_TRIP, with_contacts=True)
    assert b"'+46 26 17 80 00" in data  # neutralised on the way out...
    sheet = read_sheet(data)
    assert sheet.ok, sheet.errors
    assert sheet.unknown_columns == []
    # ...and read back as written (each description spans two lines of the file).
    assert sheet.partners() == [
        dataclasses.replace(ROUND_TRIP[0], line_numbers=[2, 4]),
        dataclasses.replace(ROUND_TRIP[1], line_numbers=[6]),
    ]
    assert all(line.notes == [] for line in sheet.lines)


def test_write_csv_round_trips_without_contacts():
    data = export_csv(ROUND_TRIP, with_contacts=False)
    partners = read_sheet(data).partners()
    assert [(p.name, p.kind, p.area, p.status, p.description) for p in partners] == [
        (p.name, p.kind, p.area, p.status, p.description) for p in ROUND_TRIP
    ]
    assert [p.line_numbers for p in partners] == [[2], [4]]  # the description spans lines 2–3


def test_the_reader_drops_the_export_apostrophe_only_before_a_value_it_accepts():
    line = only_line("Polisen;Myndighet;;;'-5;;;;'+46 26 17 80 00")
    assert line.ok, line.errors
    assert line.values["contact_phone"] == "+46 26 17 80 00"
    assert line.values["description"] == "-5"
    # A formula kept behind its apostrophe is harmless text, not a formula.
    kept = only_line("Polisen;Myndighet;;;'=SUM(A1)")
    assert kept.ok
    assert kept.values["description"] == "'=SUM(A1)"
