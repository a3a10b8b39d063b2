"""Case numbers: diarienummer, ärendenummer, police report (K-)numbers.

* after a strong cue ("Dnr", "diarienummer", "ärendenummer", "aktnr",
  "K-nummer", "diarieförd under", ...) any number of 3+ digits;
* after a weak cue, an ordinary noun ("ärende", "akt", "mål", "anmälan"),
  only a number that is no date, time, year, year range, amount or count;
* police report numbers ("K123456-19", "5000-K123456-19");
* a unit code before a number ("SN 2018-0456", "KS 2019/123", "BUN-2020-14",
  "AB-12345-19"), except law codes and terms (``not_case_codes.txt``).
"""

from __future__ import annotations

import re

from ..lexicon import HARD_STOP, data
from ..patterns import SP, UC, valid_date
from ..wordlists import words
from .address import NUMBER_GUARD
from .base import Context, Recognizer, search_windows

_CASE_ID = (
    r"(?P<id>"
    r"(?P<code>(?:[" + UC + r"]{1,6}(?:[ /\-]|(?=\d)))?(?:[" + UC + r"]{1,5}[ /\-])?)"
    r"\d+(?:[-/.:][A-Z]{0,2}\d+){0,5}(?:[-/][A-Z]{1,3}(?![\w]))?"
    r")(?![\w]|[-/.:]\d)"
)
_STRONG_CUES = (
    r"dnr|d\.nr|d-nr|d\." + SP + r"?nr|diarienummer|diarienumret|diarienr|diarie-nr|"
    r"ärendenummer|ärendenumret|ärendenr|ärende-nr|ärende-?id|ärende" + SP + r"id|ärende" + SP + r"+(?:nr|nummer)|"
    r"aktnummer|aktnr|akt" + SP + r"+nr|referensnummer|referensnr|ref\.?" + SP + r"?nr|"
    r"anmälningsnummer|anmälningsnr|anmälan" + SP + r"+nr|polisanmälan" + SP + r"+nr|"
    r"k-?nummer|k-?nr|målnummer|mål" + SP + r"+nr|löpnummer|"
    r"diarieförd[a-z]*" + SP + r"+(?:under|som|med)|registrerad[a-z]*" + SP + r"+under|"
    r"dossiernummer|dossiernumret|dossiernr|dossier" + SP + r"+(?:nr|nummer)|"
    # a weak cue with a verb that makes it a reference: "målet har nummer
    # 3021-23", "de har ärendet under 2024/1873"
    r"(?:målet|ärendet|akten|anmälan)" + SP + r"+har" + SP + r"+(?:nummer|nr|beteckning)|"
    r"(?:ärende|ärendet|akten|anmälan)" + SP + r"+under"
)
# Weak cues: ordinary nouns that are followed by a case number only
# sometimes ("ärende 2023/145", "akt 2023-145"); checked in the code.
_WEAK_CUES = "ärende|ärendet|akt|akten|mål|målet|anmälan|anmälningen|polisanmälan|polisanmälningen"
_CASE_CUE_RE = re.compile(
    r"(?<![\w])(?:" + _STRONG_CUES + r"|(?P<weak>" + _WEAK_CUES + r"))"
    # a short phrase up to a colon: "Mål i förvaltningsrätten: 2981-24"
    r"(?![^\W\d_])(?:" + SP + r"+[^\d.!?\n:]{1,40}(?=:))?\.?" + SP + r"*[:#]?" + SP + r"*(?:(?:hos|oss|er|dem|är|var|nr)\.?" + SP + r"*:?" + SP + r"*){0,3}"
    + _CASE_ID,
    re.IGNORECASE,
)
# Every cue begins a word with one of these: a text whose word starts (see
# ``_word_starts``) have none has no cue.
_CUE_NEEDLES = tuple(
    b" " + needle.encode("latin-1")
    for needle in (
        "dnr", "d.nr", "d-nr", "d. nr", "diarie", "ärende", "akt", "ref", "anmäl", "polisanmäl", "k-n", "knr",
        "knummer", "mål", "löpnummer", "registrerad", "dossier",
    )
)
# All of them in one scan (every needle begins with a space: a fast scan).
_NEEDLE_RE = re.compile(b" (?:" + b"|".join(re.escape(n[1:]) for n in sorted(_CUE_NEEDLES, key=len, reverse=True)) + b")")
# The lower-case text as Latin-1 bytes with every character that is no word
# character as a space ("?", for any character outside Latin-1, too: a
# space is the safe side), so that " akt" finds "akt" only at a word start.
_WORD_START_TABLE = bytes(
    c if (chr(c).isalnum() or c == 0x5F) and c != 0x3F else 0x20 for c in range(256)
)
# Words that the (case-insensitive) unit-code part of a case number may pick
# up between the cue and the number: "Dnr är 2018/1234", "diarienummer hos
# oss 2019/12". They are never part of the span.
_CASE_FILLER = words("case_filler")
_NOT_CASE_CODES = frozenset(w.upper() for w in words("not_case_codes"))
_CODE_WORD_RE = re.compile(r"[^\s/\-\u00a0\u202f]+")
_FIRST_DIGIT_RE = re.compile(r"\d")
_NUMBER_PARTS_RE = re.compile(r"[-/.:]")
_DATE_RE = re.compile(r"(?:19|20)\d\d(?P<s>[-/.])\d{1,2}(?P=s)\d{1,2}$")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_DAY_MONTH_RE = re.compile(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](?:19|20)?\d\d)?")
_TIME_RE = re.compile(r"(\d{1,2})[.:](\d\d)")
_COUNT_GUARD_RE = re.compile(NUMBER_GUARD)
# "K", "k" (in the shape any capital is an "A") and three digits, maybe after
# a space or dash: one scan with a literal prefix.
_POLICE_SHAPE_RE = re.compile(rb"000(?:(?<=[Ak]000)|(?<=[Ak][ \-]000))")
_POLICE_HINT_RE = re.compile(r"[Kk][ \u00a0\u202f-]?[0-9]{3}")
_POLICE_RE = re.compile(r"(?<![\w\-])(?:\d{4}-)?[Kk](?:" + SP + r"|-)?\d{3,7}-\d{2}(?![\w]|[-/]\d)")
# A unit code: 2-5 capitals ("SN", "KS", "BUN"), or a mixed-case
# abbreviation that begins and ends with a capital ("SoN", "BoU").
_UNIT = r"(?:[A-ZÅÄÖ]{2,5}|[A-ZÅÄÖ][a-zåäö]{1,2}[A-ZÅÄÖ])"
_LETTER_CASE_RE = re.compile(
    r"(?<![\w\-])(?P<code>[A-ZÅÄÖ]{1,4})(?P<sep>-|" + SP + r")(?P<a>\d{4,7})-(?P<b>\d{2})(?![\w]|[-/]\d)"
)
_UNIT_CASE_RE = re.compile(
    r"(?<![\w/\-])(?P<code>" + _UNIT + r"(?:[ /\-]" + _UNIT + r")?)" + SP + r"?[/\-]?" + SP + r"?"
    r"(?P<y>(?:19|20)?\d{2})(?P<sep>[/\-])(?P<n>\d{1,6})(?![\w/]|[-:.]\d)"
)
_SPACES_SLASH_DASH = " /-\u00a0\u202f"
# A second number after a cue's number: "dnr 2019/123 och 2021/845".
_MORE_RE = re.compile(
    SP + r"*(?:,|och|samt|resp\.?|&)" + SP + r"*(?P<id>\d+(?:[-/.:][A-Z]{0,2}\d+){1,5})(?![\w]|[-/.:]\d)"
)


def year_range(first: str, second: str) -> bool:
    """"2018/19", "2018-2019", "18/19": a school or budget year, not a number."""
    if len(first) not in (2, 4) or len(second) not in (2, 4):
        return False
    if len(first) == 4 and not first.startswith(("19", "20")):
        return False
    return int(second[-2:]) == (int(first[-2:]) + 1) % 100


def _id_start(text: str, m: re.Match) -> int | None:
    """Where the number begins once filler words and lower-case Swedish
    words that the unit-code part took in are dropped ("Dnr är 2018/1234"
    -> "2018/1234"); None when a weak cue is not followed at once by the
    number ("ärendet inkom 2019-02-14")."""
    start = m.start("id")
    code = m["code"]
    if not code:
        return start
    found = list(_CODE_WORD_RE.finditer(code))
    lexicon = data().lexicon
    if m["weak"] and any(not w.group().isupper() and _is_word(lexicon, w.group().lower()) for w in found):
        return None  # "ärendet inkom 2019-..."; but a unit code in lower case counts: "ärende sn 2023/1288"
    for w in found:
        word = w.group()
        lw = word.lower()
        if not word.isupper() and (lw in _CASE_FILLER or lw in HARD_STOP or lexicon.is_word(lw)):
            start = m.start("id") + w.end()
    while start < m.end("id") and text[start] in _SPACES_SLASH_DASH:
        start += 1
    return start


# Abbreviations of the strong cues: after a weak cue they begin a cue of
# their own ("ärende Dnr BUN 2020/88"), they are no unit code.
_CUE_ABBREVIATIONS = frozenset("dnr nr knr id ref aktnr diarienr ärendenr målnr".split())


def _is_word(lexicon, lw: str) -> bool:
    """A filler, an ordinary word or a cue, not a unit code ("sn", "ifo")."""
    return (
        lw in _CASE_FILLER or lw in HARD_STOP or lw in _CUE_ABBREVIATIONS or lexicon.is_word(lw)
        or not 2 <= len(lw) <= 5
    )


def _weak_number_ok(text: str, ident: str, end: int) -> bool:
    """After an ordinary noun, a short number, a date, a time, a bare year, a
    year range, an amount or a count is what it looks like, not a case number."""
    number = ident[_FIRST_DIGIT_RE.search(ident).start():]  # without a unit code
    parts = _NUMBER_PARTS_RE.split(number)
    if sum(ch.isdigit() for ch in number) < 4:
        return False  # "ärende 3 av 5", "akten 3:12"
    if _DATE_RE.match(number) or _YEAR_RE.fullmatch(number):
        return False
    dm = _DAY_MONTH_RE.fullmatch(number)
    if dm and valid_date(None, int(dm[2]), int(dm[1])):
        return False  # "anmälan 13/10", "ärendet 12/9-23": a day and month
    hm = _TIME_RE.fullmatch(number)
    if hm and int(hm[1]) <= 24 and int(hm[2]) < 60:
        return False  # "mål 12.30": a time
    if len(parts) == 2 and year_range(parts[0], parts[1]):
        return False
    return _COUNT_GUARD_RE.match(text, end) is not None  # not "anmälan 4500 kr", "ärende 1200 elever"


def _cue_starts(ctx: Context) -> list[int]:
    """Where a cue can begin: a word that begins with a cue word (found by
    C-level searches of the word starts), with a digit at most ~60
    characters after it (a cue comes a few words before its number)."""
    words = b" " + ctx.lower.encode("latin-1", "replace").translate(_WORD_START_TABLE)
    shape = ctx.shape
    # (words has one leading space: a match's start is its word's position in the text)
    return [p for p in (m.start() for m in _NEEDLE_RE.finditer(words)) if shape.find(b"0", p, p + 64) >= 0]


def _after_cues(ctx: Context) -> list[tuple[int, int]]:
    text = ctx.text
    spans = []
    pos = 0
    for h in _cue_starts(ctx):
        if h < pos:
            continue
        m = _CASE_CUE_RE.match(text, h)
        if m is None:
            continue
        # After a weak cue, scan on from the cue word itself, so that a strong cue
        # inside what it took in is still seen ("Ärendet har Dnr 2018/1234").
        pos = m.end("weak") if m["weak"] else m.end()
        start = _id_start(text, m)
        if start is None:
            continue
        ident = text[start:m.end("id")]
        if sum(ch.isdigit() for ch in ident) < 3:
            continue
        if m["weak"] and not _weak_number_ok(text, ident, m.end("id")):
            continue
        spans.append((start, m.end("id")))
        more = _MORE_RE.match(text, m.end("id"))
        while more is not None and not m["weak"]:
            spans.append(more.span("id"))
            pos = more.end()
            more = _MORE_RE.match(text, more.end())
    return spans


def _police(ctx: Context) -> list[tuple[int, int]]:
    if _POLICE_SHAPE_RE.search(ctx.shape) is None:
        return []
    text = ctx.text
    hint = _POLICE_HINT_RE.search(text)
    if hint is None:
        return []
    return [m.span() for m in _POLICE_RE.finditer(text, max(0, hint.start() - 5))]


_LETTER_SHAPE_RE = re.compile(rb"0000(?<=A[ \-]0000)")  # a capital, a space or dash, four digits
_LETTER_GATE_RE = re.compile(r"[0-9](?:[0-9]{3,6})-[0-9]{2}(?![0-9])")
# The same in the text's shape (capitals as "A", digits as "0"): a unit code
# (two capitals, or a capital, one or two small letters and a capital), up to
# three separators, a year of two or four digits, a slash or dash, a digit.
_UNIT_SHAPE_RE = re.compile(rb"A(?<=[A-Za-z\xe5\xe4\xf6]A)[ /\-]{0,3}00(?:00)?[/\-]0")
_UNIT_GATE_RE = re.compile(r"[A-ZÅÄÖ][A-Za-zåäöÅÄÖ]{0,4}[ /\-\u00a0\u202f]{0,2}(?:19|20)?[0-9]{2}[/\-][0-9]")


def _letter_coded(ctx: Context) -> list[tuple[int, int]]:
    """"AB-12345-19", "M 1234-18": letters, 4-7 digits, a dash and 2 digits."""
    if _LETTER_SHAPE_RE.search(ctx.shape) is None:
        return []
    text = ctx.text
    if _LETTER_GATE_RE.search(text) is None:
        return []
    runs = ctx.digit_runs
    windows = [
        (max(0, s - 6), runs[k + 1][1] + 3)
        for k, (s, e) in enumerate(runs[:-1])
        if 4 <= e - s <= 7 and runs[k + 1][0] == e + 1 and text[e] == "-" and s and text[s - 1] in "- \u00a0\u202f"
    ]
    spans = []
    for m in search_windows(_LETTER_CASE_RE, text, windows):
        if m["sep"] != "-" and (m["code"] in _NOT_CASE_CODES or year_range(m["a"], m["b"])):
            continue  # "VT 2019-20", "LVU 2018-19"
        spans.append(m.span())
    return spans


def _unit_coded(ctx: Context) -> list[tuple[int, int]]:
    """"SN 2018-0456", "KS 2019/123", "BUN-2020-14": a unit code, a year, a
    slash or dash and a number."""
    if _UNIT_SHAPE_RE.search(ctx.shape) is None:
        return []
    text = ctx.text
    if _UNIT_GATE_RE.search(text) is None:
        return []
    runs = ctx.digit_runs
    windows = [
        (max(0, s - 14), runs[k + 1][1] + 3)
        for k, (s, e) in enumerate(runs[:-1])
        if 2 <= e - s <= 4 and runs[k + 1][0] == e + 1 and text[e] in "/-"
    ]
    spans = []
    for m in search_windows(_UNIT_CASE_RE, text, windows):
        code = m["code"].upper()
        if code in _NOT_CASE_CODES or code.split()[0] in _NOT_CASE_CODES:
            continue
        yi = int(m["y"][-2:])
        n = m["n"]
        if len(n) in (2, 4) and int(n[-2:]) == (yi + 1) % 100:
            continue  # a year range such as "2018/19", "2018-2019"
        spans.append(m.span())
    return spans


def find(ctx: Context) -> list[tuple[int, int]]:
    return _after_cues(ctx) + _police(ctx) + _letter_coded(ctx) + _unit_coded(ctx)


RECOGNIZER = Recognizer(
    kind="case_number",
    label="Diarie-, ärende- eller anmälningsnummer",
    blocking=True,
    rank=4,
    find=find,
    needs="digit",
    uses_lexicon=True,
)
