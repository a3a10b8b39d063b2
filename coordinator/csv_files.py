"""CSV files as Swedish Excel opens them (``;``, UTF-8 with BOM, CRLF), every cell made
safe against formula injection: the partner register's export and the audit trail's."""
import csv
import io

UTF8_BOM = b"\xef\xbb\xbf"
FORMULA_CHARS = "=+-@\t\r"


def neutralise(cell):
    """A cell made safe for a spreadsheet (OWASP CSV injection): a leading ``=``,
    ``+``, ``-``, ``@``, tab or carriage return gets an apostrophe; None is ""."""
    if cell is None:
        return ""
    text = str(cell)
    return "'" + text if text and text[0] in FORMULA_CHARS else text


def _line(cells):
    out = io.StringIO()
    csv.writer(out, delimiter=";", quotechar='"', lineterminator="\r\n").writerow([neutralise(c) for c in cells])
    return out.getvalue()


def write_csv(header, rows):
    """The whole file as bytes, quoted where needed, every cell (the header's too) neutralised."""
    return b"".join(stream_csv(header, rows))


def stream_csv(header, rows):
    """The same file as a stream of byte chunks (for a response that must not be held in
    memory): the BOM and header first, then a line per row."""
    yield UTF8_BOM + _line(header).encode("utf-8")
    for row in rows:
        yield _line(row).encode("utf-8")
