"""The partner register as a spreadsheet: reading the coordinator's CSV, writing it back.

The format
----------
A CSV file as Excel saves it: one header row, then one line per partner, or one
line per contact person (lines with the same name, compared as ``name_key`` does,
are one partner). Delimiter ``;`` (Swedish Excel), ``,`` or tab, sniffed from the
header line; UTF-8 (with or without BOM) or Windows-1252; cells may be quoted,
hold line breaks and doubled quotes. At most ``MAX_BYTES`` and ``MAX_LINES`` data
lines.

Columns are found by their header, compared without case, spaces, hyphens and
underscores, among the synonyms in ``FIELDS`` ("Namn", "Organisation", "Typ",
"E-post", "Telefon", ...). Only the name column is required; other columns are
listed in ``Sheet.unknown_columns`` and not imported. Coded cells (type, area,
status) may hold the label ("Ideell organisation"), the code ("nonprofit") or a
short form ("ideell"). On a line that continues a partner (a further contact
person), blank partner cells mean "as on the partner's first line".

What is refused
---------------
* Whole-file problems (``SpreadsheetError``): empty, too big, an Excel file,
  broken encoding, too many lines, no name column, two columns for one field,
  no data lines.
* Line problems (``Line.errors``): a missing name or type, an unknown code, a
  too long cell, an implausible e-mail address or phone number, a cell that
  looks like a formula, an identifier of a person (personnummer, case number,
  birth date: the ``PROFESSIONAL_CONTACT`` policy) in a text cell, and type,
  area or status that differ between the lines of one partner.

Writing
-------
``write_csv`` writes ``;``-separated UTF-8 with BOM and CRLF, which Excel opens
as it is, with every cell neutralised against formula injection (OWASP: a
leading ``= + - @`` tab or CR gets an apostrophe). The export headers
(``EXPORT_COLUMNS``) are the first synonym of each field, so an exported file
can be imported again unchanged: the reader drops the apostrophe that
``neutralise`` added to a value it would accept anyway ("'+46 26 ...").

The module is pure: no database, no request. Messages are Swedish, through
gettext, so they also read as plain strings outside the application.
"""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..csv_files import FORMULA_CHARS, UTF8_BOM, neutralise, write_csv  # noqa: F401  (the export's writer)
from ..records import DomainError
from ..text_guard import PROFESSIONAL_CONTACT, kind_label
from .choices import PARTNER_KINDS, PARTNER_STATUSES, WORK_AREAS
from .models import NAME_MAX, name_key

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000

# Field -> accepted headers; the first is the header written by the export.
FIELDS = {
    "name": ("Namn", "Organisation", "Organisationsnamn", "Partner", "Samverkanspart", "Aktör"),
    "kind": ("Typ", "Kategori", "Organisationstyp", "Slag"),
    "area": ("Område", "Fokus", "Inriktning"),
    "status": ("Status",),
    "description": ("Beskrivning", "Om", "Anteckning", "Kommentar"),
    "next_step": ("Nästa steg",),
    "contact_name": ("Kontaktperson", "Kontakt", "Namn på kontaktperson"),
    "contact_role": ("Roll", "Titel", "Befattning"),
    "contact_email": ("E-post", "Epost", "Mejl", "Mail", "Email"),
    "contact_phone": ("Telefon", "Tel", "Telefonnummer", "Mobil"),
}
PARTNER_FIELDS = ("name", "kind", "area", "status", "description", "next_step")
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_email", "contact_phone")
# Cells checked by the anonymity guard (the name too: the form guards it, so must the import).
GUARDED_FIELDS = ("name", "description", "next_step") + CONTACT_FIELDS

EXPORT_COLUMNS = [(name, FIELDS[name][0]) for name in PARTNER_FIELDS]
EXPORT_COLUMNS_WITH_CONTACTS = EXPORT_COLUMNS + [(name, FIELDS[name][0]) for name in CONTACT_FIELDS]

TEXT_MAX = 2000  # description, next step
CELL_MAX = 200  # every other cell
CELL_LIMITS = {"name": NAME_MAX, "description": TEXT_MAX, "next_step": TEXT_MAX}

# Forms people write besides the codes and labels (compared casefolded, spaces collapsed).
KIND_SYNONYMS = {
    "authority": ("myndigheter", "statlig myndighet"),
    "municipal": ("kommun", "kommunen", "kommunal", "förvaltning", "kommunala förvaltningar"),
    "region": ("regionen", "regioner", "landsting"),
    "nonprofit": ("ideell", "ideella organisationer", "idéburen", "idéburen organisation", "frivilligorganisation"),
    "faith": ("samfund", "församling", "religiöst samfund"),
    "association": ("föreningar", "ideell förening"),
    "academia": ("universitet", "högskola", "lärosäte"),
    "business": ("företag", "näringslivet", "privat"),
}
AREA_SYNONYMS = {
    "hrv": ("hedersrelaterat våld",),
    "vbe": ("våldsbejakande extremism",),
    "both": ("båda", "hrv och vbe", "både hrv och vbe", "hrv/vbe"),
}
CODED_FIELDS = {
    "kind": (PARTNER_KINDS, KIND_SYNONYMS),
    "area": (WORK_AREAS, AREA_SYNONYMS),
    "status": (PARTNER_STATUSES, {}),
}
DEFAULTS = {"area": "both", "status": "active"}

EXCEL_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")

DELIMITERS = (";", "\t", ",")  # in this order when the header has as many of each
# Control characters that no text file holds (tab, line feed and carriage return excepted).
BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
PHONE = re.compile(r"[0-9 +\-()]+")
NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


class SpreadsheetError(DomainError):
    """A problem with the file as a whole; ``str()`` says what is wrong and what to do."""


@dataclass
class Line:
    """One data line: ``number`` is its (first) line in the file, the header being 1.

    ``values`` holds every field of ``FIELDS`` as cleaned text ("" when blank); on a
    line without errors the coded fields hold codes ("nonprofit")."""

    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


@dataclass
class ContactRow:
    """A contact person read from a line."""

    name: str
    role: str
    email: str
    phone: str


@dataclass
class PartnerRow:
    """A partner read from one or more lines (one per contact person)."""

    name: str
    key: str
    kind: str
    area: str
    status: str
    description: str
    next_step: str
    contacts: list[ContactRow]
    line_numbers: list[int]


@dataclass
class Sheet:
    """A read spreadsheet: its columns, how they were understood, and its lines."""

    headers: list[str]
    mapping: dict[int, str]  # column index -> field
    unknown_columns: list[str]
    lines: list[Line]
    delimiter: str = ";"

    @property
    def errors(self):
        """Every line error, each with its line number."""
        return [
            _("Rad %(number)s: %(error)s", number=line.number, error=error)
            for line in self.lines for error in line.errors
        ]

    @property
    def ok(self):
        return all(line.ok for line in self.lines)

    def partners(self):
        """The partners of the sheet, in the order they first appear; a partner any of
        whose lines has an error is left out (it is imported whole or not at all)."""
        groups = _group(self.lines)
        return [_partner_row(lines) for lines in groups.values() if all(line.ok for line in lines)]


# Reading: the file ------------------------------------------------------------------

def decode(data):
    """The text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252;
    Unicode NFC, line endings ``\\n``. Raises ``SpreadsheetError``."""
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_(
            "Filen är större än %(mb)s MB. Dela upp listan i flera filer och ladda upp dem en i taget.",
            mb=MAX_BYTES // (1024 * 1024),
        ))
    if not data.replace(UTF8_BOM, b"").strip():
        raise SpreadsheetError(_("Filen är tom. Välj filen med partnerlistan och ladda upp den igen."))
    if data.startswith(EXCEL_SIGNATURES):
        raise SpreadsheetError(_("Filen är en Excel-fil. Spara den som CSV (semikolonavgränsad) och ladda upp den igen."))
    text = _decode_text(data)
    if text is None or BINARY_CHARACTERS.search(text):
        raise SpreadsheetError(_(
            "Filen har en teckenkodning som inte går att läsa, eller är inte en textfil. "
            "Spara den som ”CSV UTF-8” och ladda upp den igen."
        ))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _decode_text(data):
    """UTF-8 first, then Windows-1252 (not for a file with a UTF-8 BOM); None if neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.startswith(UTF8_BOM):
            return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def sniff_delimiter(header_line):
    """The delimiter the header line uses most (outside quotes): ``;``, tab or ``,``."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals
    return best if counts[best] else ";"


def _records(text, delimiter):
    """``(line number, cells)`` of each non-blank record; refuses more than
    ``MAX_LINES`` data lines as soon as it meets one more."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True)
    records, previous_end = [], 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(records) > MAX_LINES:  # the header and MAX_LINES data lines are already in
                raise SpreadsheetError(_(
                    "Filen har fler än %(n)s rader. Dela upp listan i flera filer med högst %(n)s rader var.",
                    n=_thousands(MAX_LINES),
                ))
            records.append((start, cells))
    except csv.Error as exc:
        # In practice a cell longer than the csv module's limit: a quote never closed.
        raise SpreadsheetError(_(
            "Filen kunde inte läsas som CSV från rad %(number)s: en cell är orimligt lång, kanske för att "
            "ett citattecken (\") inte avslutas. Rätta filen och ladda upp den igen.",
            number=previous_end + 1,
        )) from exc
    return records


# Reading: the header ----------------------------------------------------------------

def header_key(header):
    """How headers are compared: casefolded, without spaces, hyphens and underscores."""
    return re.sub(r"[\s\-_]", "", header.casefold())


_HEADER_FIELDS = {
    header_key(synonym): name
    for name, synonyms in FIELDS.items() for synonym in (name,) + synonyms
}


def map_headers(headers):
    """``(mapping, unknown)``: column index -> field, and the headers not understood.
    Raises ``SpreadsheetError`` for a field with two columns, or without a name column."""
    mapping, seen, unknown = {}, {}, []
    for index, header in enumerate(headers):
        if not header:
            continue
        name = _HEADER_FIELDS.get(header_key(header))
        if name is None:
            unknown.append(header)
        elif name in seen:
            raise SpreadsheetError(_(
                "Kolumnerna ”%(first)s” och ”%(second)s” betyder samma sak (%(field)s). "
                "Ta bort den ena eller ge den en annan rubrik och ladda upp filen igen.",
                first=seen[name], second=header, field=FIELDS[name][0].lower(),
            ))
        else:
            seen[name] = header
            mapping[index] = name
    if "name" not in seen:
        raise SpreadsheetError(_(
            "Filen saknar en kolumn med partnerns namn. Ge kolumnen en av rubrikerna %(headers)s "
            "och ladda upp filen igen.",
            headers=", ".join(f"”{h}”" for h in FIELDS["name"]),
        ))
    return mapping, unknown


def _blank_header_columns(headers, records):
    """Columns without a header that hold something: listed as not imported."""
    return [
        _("Kolumn %(n)s (utan rubrik)", n=index + 1)
        for index, header in enumerate(headers)
        if not header and any(index < len(cells) and cells[index].strip() for _number, cells in records)
    ]


# Reading: the whole sheet -----------------------------------------------------------

def read_sheet(data):
    """Read an uploaded CSV file (bytes) into a ``Sheet``; raises ``SpreadsheetError``
    for a problem with the file as a whole. Line problems are in ``Line.errors``."""
    text = decode(data)
    header_line = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = sniff_delimiter(header_line)
    records = _records(text, delimiter)
    if not records:
        raise SpreadsheetError(_("Filen är tom. Välj filen med partnerlistan och ladda upp den igen."))
    (_number, header_cells), data_records = records[0], records[1:]
    headers = [cell.strip() for cell in header_cells]
    mapping, unknown = map_headers(headers)
    if not data_records:
        raise SpreadsheetError(_(
            "Filen har inga rader med partner. Lägg till en rad per partner under rubrikraden "
            "och ladda upp filen igen."
        ))
    unknown += _blank_header_columns(headers, data_records)
    lines = [_read_line(number, cells, headers, mapping) for number, cells in data_records]
    _check_partners(lines)
    return Sheet(headers, mapping, unknown, lines, delimiter)


def _read_line(number, cells, headers, mapping):
    """One data line: its cells cleaned and checked, the first problem of each cell noted."""
    line = Line(number, dict.fromkeys(FIELDS, ""))
    used = len(cells)
    while used and not cells[used - 1].strip():
        used -= 1  # blank cells after the last one written do not count
    if used > len(headers):
        line.errors.append(_(
            "Raden har fler celler (%(cells)s) än rubrikraden (%(headers)s).", cells=used, headers=len(headers)
        ))
    for index, name in mapping.items():
        raw = cells[index] if index < len(cells) else ""
        value, error = clean_cell(name, raw, headers[index])
        line.values[name] = value
        if error:
            line.errors.append(error)
    return line


def clean_cell(name, raw, header):
    """``(value, error)`` for the cell ``raw`` of field ``name`` under ``header``:
    stripped (spaces collapsed but in the free texts), its export apostrophe dropped,
    and checked for formulas, length, shape and identifiers. Coded fields are checked
    later, when the line is known."""
    value = _drop_export_apostrophe(raw.strip())
    if name not in ("description", "next_step"):
        value = " ".join(value.split())
    if not value:
        return value, None
    first = formula_start(value)
    if first:
        return value, _(
            "Cellen i kolumnen ”%(header)s” börjar med ”%(char)s” och ser ut som en formel. "
            "Skriv värdet utan formel.",
            header=header, char=first,
        )
    limit = CELL_LIMITS.get(name, CELL_MAX)
    if len(value) > limit:
        return value, _(
            "Cellen i kolumnen ”%(header)s” är längre än %(n)s tecken.", header=header, n=_thousands(limit)
        )
    if name == "contact_email" and not is_email(value):
        return value, _("E-postadressen ”%(value)s” ser inte ut som en e-postadress.", value=value)
    if name == "contact_phone" and not is_phone(value):
        return value, _(
            "Telefonnumret ”%(value)s” ser inte ut som ett telefonnummer (6–20 siffror; "
            "utöver siffror bara mellanslag, +, - och parenteser).",
            value=value,
        )
    if name in GUARDED_FIELDS:
        blocking = [f for f in PROFESSIONAL_CONTACT.findings(value) if f.blocking]
        if blocking:
            kinds = ", ".join(dict.fromkeys(kind_label(f.kind).lower() for f in blocking))
            return value, _(
                "Cellen i kolumnen ”%(header)s” innehåller uppgifter som kan identifiera en person "
                "(%(kinds)s). Ta bort dem och ladda upp filen igen.",
                header=header, kinds=kinds,
            )
    return value, None


def formula_start(value):
    """The leading character if ``value`` looks like a formula, else None: ``=`` or
    ``@``, or ``+``/``-`` before something that is not a phone number or a number."""
    if not value:
        return None
    first = value[0]
    if first in "=@":
        return first
    if first in "+-" and len(value) > 1 and not (is_phone(value) or NUMBER.fullmatch(value)):
        return first
    return None


def _drop_export_apostrophe(value):
    """``value`` without the apostrophe ``neutralise`` put before it, when what follows
    is accepted anyway ("'+46 26 17 80 00"); otherwise as it is (the apostrophe keeps
    a formula-like text harmless)."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_CHARS:
        rest = value[1:].strip()
        if not formula_start(rest):
            return rest
    return value


def is_email(value):
    """A plausible address: one @, a dot in the domain, no spaces."""
    return bool(EMAIL.fullmatch(value))


def is_phone(value):
    """Digits, spaces, +, -, ( and ) only, and 6 to 20 digits."""
    return bool(PHONE.fullmatch(value)) and 6 <= sum(char.isdigit() for char in value) <= 20


def _thousands(n):
    return f"{n:,}".replace(",", " ")


# Reading: codes and partners --------------------------------------------------------

def _value_key(value):
    return " ".join(value.split()).casefold()


def _code_lookup(codelist, synonyms):
    """Written form (casefolded) -> code: the codes, the labels and the synonyms."""
    lookup = {}
    for code in codelist:
        lookup[_value_key(code)] = code
        lookup[_value_key(str(codelist.label(code)))] = code
        for synonym in synonyms.get(code, ()):
            lookup[_value_key(synonym)] = code
    return lookup


def _defaulted_note(name, label):
    """The note on a line whose blank ``name`` cell got the default ``label``."""
    if name == "area":
        return _("Område saknas: ”%(label)s” används.", label=label)
    return _("Status saknas: ”%(label)s” används.", label=label)


def _unknown_message(name, value, codelist):
    """The error for a coded cell that is none of ``codelist``'s codes, labels or short forms."""
    labels = ", ".join(str(label) for label in codelist.values())
    if name == "kind":
        return _("Typen ”%(value)s” finns inte. Skriv en av: %(labels)s.", value=value, labels=labels)
    if name == "area":
        return _("Området ”%(value)s” finns inte. Skriv ett av: %(labels)s.", value=value, labels=labels)
    return _("Statusen ”%(value)s” finns inte. Skriv en av: %(labels)s.", value=value, labels=labels)


def _check_codes(line, lookups, first=None):
    """Turn the coded cells of ``line`` into codes. A blank cell: as on ``first`` (the
    partner's first line) on a continuation line, else the default with a note (area,
    status) or an error (type)."""
    for name, (codelist, _synonyms) in CODED_FIELDS.items():
        value = line.values[name]
        if not value and first is not None and first.values[name] in codelist:
            line.values[name] = first.values[name]
        elif not value and name in DEFAULTS:
            line.values[name] = DEFAULTS[name]
            line.notes.append(_defaulted_note(name, codelist.label(DEFAULTS[name])))
        elif not value:
            line.errors.append(_("Typ saknas."))
        elif not formula_start(value):  # (a formula is refused already)
            code = lookups[name].get(_value_key(value))
            if code is None:
                line.errors.append(_unknown_message(name, value, codelist))
            else:
                line.values[name] = code


def _group(lines):
    """Lines by ``name_key`` of their name, in order of first appearance (nameless lines left out)."""
    groups = {}
    for line in lines:
        if line.values["name"]:
            groups.setdefault(name_key(line.values["name"]), []).append(line)
    return groups


def _check_partners(lines):
    """Names required; codes resolved; the lines of one partner agree on type, area and status."""
    lookups = {name: _code_lookup(codelist, synonyms) for name, (codelist, synonyms) in CODED_FIELDS.items()}
    for line in lines:
        if not line.values["name"]:
            line.errors.insert(0, _("Namn saknas."))
            _check_codes(line, lookups)
    for group in _group(lines).values():
        first = group[0]
        _check_codes(first, lookups)
        for line in group[1:]:
            _check_codes(line, lookups, first)
            _check_agreement(line, first)


def _check_agreement(line, first):
    """A continuation line that says another type, area or status than the first line:
    an error; another description or next step: a note (the first line's is kept)."""
    for name, (codelist, _synonyms) in CODED_FIELDS.items():
        ours, theirs = line.values[name], first.values[name]
        if ours in codelist and theirs in codelist and ours != theirs:
            line.errors.append(_(
                "%(field)s ”%(ours)s” skiljer sig från rad %(number)s (”%(theirs)s”).",
                field=FIELDS[name][0], ours=codelist.label(ours), number=first.number,
                theirs=codelist.label(theirs),
            ))
    for name in ("description", "next_step"):
        ours, theirs = line.values[name], first.values[name]
        if ours and theirs and ours != theirs:
            line.notes.append(_(
                "%(field)s skiljer sig från rad %(number)s; den på rad %(number)s används.",
                field=FIELDS[name][0], number=first.number,
            ))


def _partner_row(lines):
    """One partner from its lines (all without errors): the first line's name and codes,
    the first description and next step written, a contact per line that has one."""
    first = lines[0]

    def first_written(name):
        return next((line.values[name] for line in lines if line.values[name]), "")

    contacts = [
        ContactRow(*(line.values[name] for name in CONTACT_FIELDS))
        for line in lines if any(line.values[name] for name in CONTACT_FIELDS)
    ]
    return PartnerRow(
        name=first.values["name"],
        key=name_key(first.values["name"]),
        kind=first.values["kind"],
        area=first.values["area"],
        status=first.values["status"],
        description=first_written("description"),
        next_step=first_written("next_step"),
        contacts=contacts,
        line_numbers=[line.number for line in lines],
    )


# Writing ----------------------------------------------------------------------------

def export_rows(partners, with_contacts=False):
    """The export's lines for ``partners`` (``Partner`` records or ``PartnerRow``s): codes
    as labels; with contacts, a line per contact person (a partner without any gets one)."""
    rows = []
    for partner in partners:
        cells = [
            partner.name,
            PARTNER_KINDS.label(partner.kind),
            WORK_AREAS.label(partner.area),
            PARTNER_STATUSES.label(partner.status),
            partner.description,
            partner.next_step,
        ]
        cells = [None if cell is None else str(cell) for cell in cells]
        if not with_contacts:
            rows.append(cells)
            continue
        for contact in partner.contacts or [None]:
            contact_cells = [getattr(contact, name, None) for name in ("name", "role", "email", "phone")]
            rows.append(cells + contact_cells)
    return rows


def export_csv(partners, with_contacts=False):
    """The register as CSV bytes (``EXPORT_COLUMNS``, or ``EXPORT_COLUMNS_WITH_CONTACTS``)."""
    columns = EXPORT_COLUMNS_WITH_CONTACTS if with_contacts else EXPORT_COLUMNS
    return write_csv([header for _name, header in columns], export_rows(partners, with_contacts))
