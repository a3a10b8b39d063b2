"""Anonymity guard: find identifiers in free text before it is stored.

Case officers describe consultations in free text. Nothing that identifies a
person may be stored, so every text is run through :func:`find_identifiers`
first. It returns :class:`Finding` objects (kind, start, end) for:

Blocking kinds (the form must refuse the text until they are removed):
    personnummer  personnummer and samordningsnummer (Luhn-validated; right
                  after a cue such as "personnummer"/"pnr" any date-shaped
                  10/12-digit number, since people mistype)
    phone         Swedish phone numbers, national and international forms
    email         e-mail addresses, including "(at)" spellings
    address       street + number (+ entrance, flat, floor, postcode, town)
    postcode      postcode together with a town, or with "SE-"/"S-"/"postnummer"
    case_number   diarienummer, ärendenummer, police report (K-)numbers, and
                  numbers right after "ärende"/"akt"/"mål"/"anmälan"
    birthdate     an exact date of birth after a cue such as "född"

Warning kind (shown to the officer, who decides):
    name          a probable person name

Evasion by Unicode is handled before detection: every detector runs on a
normalised copy of the text (NFKC; all dashes and the minus sign as "-";
invisible format characters such as zero-width spaces and soft hyphens
dropped; digits of other scripts as ASCII digits; O/o and l/I inside
digit-heavy tokens as 0 and 1), and findings are mapped back to offsets into
the original text (see ``_normalise``).

The module is pure: it imports nothing from the rest of the project, does no
I/O per call and is safe to call from several threads. Dictionaries are loaded
once, lazily, on the first call (or eagerly with :func:`preload`):

* person names: the person providers of the Faker package (all 86 locales;
  Latin-script names as they are, Cyrillic ones transliterated, Arabic,
  Persian and other scripts skipped; sv_SE is built from Skatteverket's and
  Isof's name statistics), about 54 000 tokens with ASCII-folded variants,
  plus a small, documented hand-written supplement in
  ``anonymity_data/name_supplement.txt`` (~450 tokens) for Somali, Eritrean,
  Kurdish, Afghan, Iranian and Balkan names that Faker lacks;
* Swedish vocabulary: the hunspell-sv dictionary (``sv_SE.dic``/``.aff``),
  used to tell names from ordinary Swedish words ("per", "bo", "tom",
  "linnea", "berg") and to recognise Swedish compounds (place and
  organisation names such as "Sätraskolan");
* ``anonymity_data/allowed_terms.txt``: organisations, places, roles and
  other words that must never be reported as names; a line of several words
  ("Sharaf Hjältar") allows that phrase;
* ``anonymity_data/acronyms.txt``: acronyms that a name dictionary also has
  ("NOA", "IVO"), never names when written in capitals.

Loading takes about one second and ~80 MB; call :func:`preload` at start-up
(before forking workers, so they share the memory). The hunspell-sv files are
found through the package's metadata, or in ``$ANONYMITY_HUNSPELL_DIR``.

Names are found by dictionary and by context:
* a capitalised dictionary name in running text is a name ("träffade Fatima");
* at the start of a sentence, or in lower case, a dictionary name that is also
  a Swedish word ("Per", "bo", "Linnea", "Berg") needs a cue: "heter X",
  "X berättar", "X, 16 år", "Xs mamma";
* a capitalised word in running text that is neither a Swedish word or
  compound nor a known place/organisation is taken as a name too ("Eleven
  Berhane", "hot mot Khadra"), unless it follows a place preposition ("i",
  "på", "från", ...);
* allowed terms (places, organisations, roles) are never names, except after
  "heter"/"kallad";
* a word in capitals is an acronym ("CVE", "RFSL"), unless it is a dictionary
  name and no listed acronym ("AHMED har inte kommit");
* a first name that needs a cue at a sentence start is taken together with a
  surname found right after it ("Linnea Berg har ringt" is one finding);
* an inflection ending after a colon ("sms:ade", "CVE:s") belongs to its word.
"""

from __future__ import annotations

import calendar
import importlib
import os
import pkgutil
import re
import sys
import sysconfig
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Finding",
    "KINDS",
    "KIND_LABELS",
    "BLOCKING_KINDS",
    "find_identifiers",
    "blocking",
    "warnings",
    "preload",
]

KINDS = (
    "personnummer",
    "phone",
    "email",
    "address",
    "postcode",
    "case_number",
    "birthdate",
    "name",
)

#: Swedish explanations shown next to a finding on the form.
KIND_LABELS = {
    "personnummer": "Personnummer eller samordningsnummer",
    "phone": "Telefonnummer",
    "email": "E-postadress",
    "address": "Adress (gata och nummer)",
    "postcode": "Postnummer med ort",
    "case_number": "Diarie-, ärende- eller anmälningsnummer",
    "birthdate": "Födelsedatum",
    "name": "Troligt personnamn",
}

BLOCKING_KINDS = frozenset(k for k in KINDS if k != "name")

# When two candidate spans overlap, blocking kinds beat warnings, then the
# longer span wins, then this order.
_KIND_RANK = {
    "personnummer": 0,
    "address": 1,
    "email": 2,
    "phone": 3,
    "case_number": 4,
    "birthdate": 5,
    "postcode": 6,
    "name": 7,
}

DATA_DIR = Path(__file__).with_name("anonymity_data")


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifier found in a text: ``text[start:end]`` is the span."""

    kind: str
    start: int
    end: int
    span_text: str = field(default="", repr=False, compare=False)

    @property
    def text(self) -> str:
        """The characters of the finding."""
        return self.span_text

    @property
    def blocking(self) -> bool:
        """True if the text must not be stored while this finding remains."""
        return self.kind in BLOCKING_KINDS

    @property
    def label(self) -> str:
        """Swedish explanation of the kind, for the form."""
        return KIND_LABELS[self.kind]

    def to_dict(self) -> dict:
        """JSON-friendly representation (for forms and API responses)."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.span_text,
            "blocking": self.blocking,
            "label": self.label,
        }


def blocking(findings) -> list[Finding]:
    """The findings that must stop the text from being stored."""
    return [f for f in findings if f.kind in BLOCKING_KINDS]


def warnings(findings) -> list[Finding]:
    """The findings that are only warnings (probable names)."""
    return [f for f in findings if f.kind not in BLOCKING_KINDS]


# ---------------------------------------------------------------------------
# Shared bits
# ---------------------------------------------------------------------------

_SP = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
_DASH = "[-\u2010\u2011\u2012\u2013]"
_UC = "A-ZÅÄÖÆØÜÉÈÇŠŽČĆĐ"
_LC = "a-zåäöæøüéèçšžčćđáíóúàâêîôûëïñ"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return day <= calendar.monthrange(year, month)[1]


def _full_year(yy: int, century: str | None = None) -> int:
    if century:
        return int(century) * 100 + yy
    return 2000 + yy if yy <= 30 else 1900 + yy


# ---------------------------------------------------------------------------
# Normalisation: Unicode look-alikes must not hide an identifier
# ---------------------------------------------------------------------------
#
# The detectors run on a normalised copy of the text; findings are mapped back
# to offsets into the ORIGINAL text. The copy is built from "clusters" (a
# character plus the combining marks after it), each replaced by:
#   * its NFKC form (fullwidth and mathematical digits and letters, ligatures,
#     exotic spaces, small/fullwidth hyphen-minus, composed diacritics);
#   * then any dash (U+2010-U+2015, U+2212 minus, U+2043, ...) as "-", any
#     fraction/division slash as "/", any decimal digit of another script as
#     its ASCII digit, any other space separator as " ";
#   * with invisible format characters (Cf: zero-width space/joiners, word
#     joiner, BOM, soft hyphen, bidi controls) dropped, and combining marks
#     dropped when they sit on a digit, a punctuation mark or a Latin letter
#     they cannot combine with.
# Finally, inside digit-heavy tokens, letters that look like digits (O/o and
# their Cyrillic/Greek twins as 0, l/I and twins as 1) become digits
# ("O7O-123 45 67"). That replacement keeps the length.
#
# Fast path: a text that is pure ASCII and has no letter touching a digit is
# used as it is; otherwise only the non-ASCII clusters are looked at, and the
# index map (normalised position -> original span) is built only when some
# replacement changes the length.

_DASH_CHARS = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\u02d7\u2e3a\u2e3b\u058a\u1806\ufe31\ufe32")
_SLASH_CHARS = frozenset("\u2044\u2215\u29f8")
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Characters that normalisation never changes: ASCII, the Latin-1 letters
# (å, ä, ö, é, ü, ...) and common typographic quotes and bullets.
_STABLE = "\x00-\x7f\u00c0-\u00ff’‘“”„«»•·§°"
# A character outside that set with the combining marks after it, or a stable
# character that carries combining marks.
_CLUSTER_RE = re.compile("[" + _STABLE + "]?[" + _MARKS + "]+|[^" + _STABLE + "][" + _MARKS + "]*", re.S)
_UNSTABLE_RE = re.compile("[^" + _STABLE + "]")

_ZERO_LIKE = "OoОоΟοՕ"  # Latin, Cyrillic, Greek, Armenian O
_ONE_LIKE = "IlІіΙӏǀ"  # Latin I/l, Cyrillic І/і/ӏ, Greek Ι, click ǀ
_CONFUSABLE_MAP = str.maketrans({**{c: "0" for c in _ZERO_LIKE}, **{c: "1" for c in _ONE_LIKE}})
_CONF = "[" + _ZERO_LIKE + _ONE_LIKE + "]"
_CONF_OR_DIGIT = "[0-9" + _ZERO_LIKE + _ONE_LIKE + "]"
_CONFUSABLE_HINT_RE = re.compile("[0-9]" + _CONF + "|" + _CONF + "[0-9]")
# A number written with separators ("O7O-123 45 67"), bounded by non-letters.
_NUMBER_CHUNK_RE = re.compile(
    r"(?<![^\W_])" + _CONF_OR_DIGIT + r"+(?:[ \u00a0\-/.+()]{1,3}" + _CONF_OR_DIGIT + r"+)*(?![^\W_])"
)
_CHUNK_RUN_RE = re.compile(_CONF_OR_DIGIT + "+")


@lru_cache(maxsize=8192)
def _norm_cluster(cluster: str) -> str:
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", cluster):
        if ch in _DASH_CHARS:
            out.append("-")
            continue
        if ch in _SLASH_CHARS:
            out.append("/")
            continue
        if ch < "\x80":
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue  # invisible: zero-width space/joiners, BOM, soft hyphen, bidi controls
        if cat == "Nd":
            out.append(str(unicodedata.digit(ch)))
        elif cat == "Zs":
            out.append(" ")
        elif cat in ("Mn", "Me"):
            # A mark left over after NFKC could not combine: drop it on digits,
            # punctuation and Latin letters (it only hides the character).
            if out and out[-1].isalpha() and not _is_latin(out[-1]):
                out.append(ch)
        else:
            out.append(ch)
    return "".join(out)


def _map_confusables(norm: str) -> str:
    """Replace digit look-alike letters in digit-heavy tokens (same length)."""
    pieces = []
    pos = 0
    for m in _NUMBER_CHUNK_RE.finditer(norm):
        chunk = m.group()
        digits = sum(ch.isdigit() for ch in chunk)
        if digits < 4:
            continue
        runs = [r for r in _CHUNK_RUN_RE.finditer(chunk) if any(ch.isdigit() for ch in r.group())]
        letters = sum(not ch.isdigit() for r in runs for ch in r.group())
        if not letters or letters * 2 > digits:
            continue  # "Il 2019": letters in runs without digits are words, left alone
        new = list(chunk)
        for r in runs:
            for k in range(r.start(), r.end()):
                if not new[k].isdigit():
                    new[k] = new[k].translate(_CONFUSABLE_MAP)
        pieces.append(norm[pos:m.start()])
        pieces.append("".join(new))
        pos = m.end()
    if not pieces:
        return norm
    pieces.append(norm[pos:])
    return "".join(pieces)


def _normalise(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """(normalised text, starts, ends): normalised character i comes from
    ``text[starts[i]:ends[i]]``. ``starts``/``ends`` are None when every
    character maps to the same position (the common case)."""
    starts = ends = None
    norm = text
    if not text.isascii() and _UNSTABLE_RE.search(text):
        repl = []
        for m in _CLUSTER_RE.finditer(text):
            cluster = m.group()
            r = _norm_cluster(cluster)
            if r != cluster:
                repl.append((m.start(), m.end(), r))
        if repl:
            parts: list[str] = []
            pos = 0
            if all(len(r) == e - s for s, e, r in repl):
                for s, e, r in repl:
                    parts.append(text[pos:s])
                    parts.append(r)
                    pos = e
                parts.append(text[pos:])
                norm = "".join(parts)
            else:
                starts, ends = [], []
                for s, e, r in repl:
                    if s > pos:
                        parts.append(text[pos:s])
                        starts.extend(range(pos, s))
                        ends.extend(range(pos + 1, s + 1))
                    parts.append(r)
                    starts.extend([s] * len(r))
                    ends.extend([e] * len(r))
                    pos = e
                if pos < len(text):
                    parts.append(text[pos:])
                    starts.extend(range(pos, len(text)))
                    ends.extend(range(pos + 1, len(text) + 1))
                norm = "".join(parts)
    if _CONFUSABLE_HINT_RE.search(norm):
        norm = _map_confusables(norm)
    return norm, starts, ends


# ---------------------------------------------------------------------------
# personnummer / samordningsnummer
# ---------------------------------------------------------------------------

_PNR_RE = re.compile(
    r"(?<![\w+/.,\-])"
    # date part, optionally grouped by spaces: "850314", "85 03 14", "19850314"
    r"(?P<c>18|19|20)?(?P<y>\d\d)(?P<ds>" + _SP + r"?)(?P<m>\d\d)(?P=ds)(?P<d>\d\d)"
    # separator: dash, plus (over 100 years), underscore, dot or a space
    r"(?P<sep>" + _SP + r"?[-+_.\u2010\u2011\u2013]" + _SP + r"?|" + _SP + r")?"
    # last four digits, optionally grouped two and two: "1239", "12 39"
    r"(?P<last>\d{4}|\d\d" + _SP + r"\d\d)"
    r"(?!\w|[-/.,:]\d)"
)
# Cue words that make a date-shaped 10/12-digit number a personnummer even
# when its check digit is wrong (people mistype): "personnummer 050314-1235".
_PNR_STRONG_CUE_RE = re.compile(
    r"(?i)(?<![\w])(?:personnummer|personnumret|personnumer|personnr|pers\.?" + _SP + r"?nr|"
    r"p-?nr|p\.nr|pnr|samordningsnummer|samordningsnumret|samordningsnr|samordn\.?" + _SP + r"?nr|"
    r"födelsenummer|födelsenumret|födelsenr|född|f\.)"
    r"[\s:=#(),.\-]*(?:(?:är|var|blir|blev|uppges|uppgavs|nr)\b[\s:=#(),.\-]*)?$"
)


def _find_personnummer(text: str, out: list) -> None:
    for m in _PNR_RE.finditer(text):
        month = int(m["m"])
        day = int(m["d"])
        if day > 60:  # samordningsnummer: day + 60
            day -= 60
        century = m["c"]
        last = m["last"][:2] + m["last"][-2:]
        cue = None
        if m["ds"] and not (m["sep"] or "").strip(" \u00a0\u202f"):
            # Only spaces ("85 03 14 12 39") look like any list of small
            # numbers: that form needs a cue word.
            cue = _PNR_STRONG_CUE_RE.search(text, max(0, m.start() - 40), m.start())
            if not cue:
                continue
        if _luhn_ok(m["y"] + m["m"] + m["d"] + last):
            year = _full_year(int(m["y"]), century) if century else None
            if _valid_date(year, month, day):
                out.append(("personnummer", m.start(), m.end()))
        elif 1 <= month <= 12 and 1 <= day <= 31 and (
            cue or _PNR_STRONG_CUE_RE.search(text, max(0, m.start() - 40), m.start())
        ):
            # date-shaped, right after "personnummer", "pnr", ...: a mistyped one
            out.append(("personnummer", m.start(), m.end()))


# ---------------------------------------------------------------------------
# phone
# ---------------------------------------------------------------------------

_PHONE_SEP = "(?:" + _SP + "?" + _DASH + _SP + "?|" + _SP + "?/" + _SP + "?|" + _SP + "|\\.)"
_PHONE_RE = re.compile(
    r"(?<![\w+/.,:\-])"
    r"(?:"
    r"(?P<intl>\+" + _SP + r"?46|0046)" + _SP + r"?(?:" + _DASH + _SP + r"?)?"
    r"(?:\(0\)" + _SP + r"?)?(?P<fi>[1-9]\d{0,9})"
    r"|(?P<paren>\(0\)" + _SP + r"?[1-9]\d{0,2}|\(0[1-9]\d{0,2}\))"
    r"|(?P<fn>0[1-9]\d{0,9})"
    r")"
    r"(?P<rest>(?:" + _PHONE_SEP + r"\d{1,8}){0,5})"
    r"(?!\d)"
)
_DIGITS_RE = re.compile(r"\d+")


def _phone_ok(national: str, first_len: int, groups: int, slash: bool, next_len: int = 0) -> bool:
    """``national`` starts with 0; ``first_len`` counts digits of the area part
    as written (with its leading 0); ``groups`` is the number of further
    digit groups; ``next_len`` the length of the first of them."""
    n = len(national)
    if not 8 <= n <= 10 or national[1] == "0":
        return False
    if national.startswith("07") and n != 10:
        return False
    if groups:
        # When the number is split, its first group is an area code: 08 or
        # 0xx/0xxx (or the whole number followed by a stray group).
        if first_len == 2:
            # "08/123 456 78" is Stockholm; "08/12" (a day and month) is not.
            if national[1] != "8" or (slash and next_len < 3):
                return False
        elif 5 <= first_len <= 7:
            return False
    return True


# Public service numbers are not personal data: Kvinnofridslinjen, BRIS,
# Polisen, 1177 Vårdguiden and similar short or toll-free numbers. (Short
# numbers such as 112 or 114 14 never match the phone pattern anyway.)
_PUBLIC_NUMBERS = frozenset({"020505050", "0771141400", "0771112233", "0771464646"})


def _find_phones(text: str, out: list) -> None:
    for m in _PHONE_RE.finditer(text):
        rest = m["rest"]
        rest_start = m.start("rest")
        groups = [(g.start() + rest_start, g.end() + rest_start, g.group()) for g in _DIGITS_RE.finditer(rest)]
        if m["intl"]:
            first = "0" + m["fi"]
        elif m["paren"]:
            first = "0" + "".join(ch for ch in m["paren"] if ch.isdigit()).lstrip("0")
        else:
            first = m["fn"]
        first_end = m.end("fi") if m["intl"] else m.end("paren") if m["paren"] else m.end("fn")
        for k in range(len(groups), -1, -1):
            national = first + "".join(g[2] for g in groups[:k])
            end = groups[k - 1][1] if k else first_end
            written = text[first_end:end]
            slash = "/" in written
            if "." in written and (len(first) < 3 or written.count(".") != k or any(
                sep.strip() for sep in re.split(r"[\d.]+", written)
            )):
                continue  # dots only as "070.123.45.67", never in dates such as 08.03.2018
            if _phone_ok(national, len(first), k, slash, len(groups[0][2]) if k else 0):
                if national not in _PUBLIC_NUMBERS:
                    out.append(("phone", m.start(), end))
                break


# ---------------------------------------------------------------------------
# e-mail
# ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+\-'])[\w.!#$%&'*+/=?^`{|}~\-]*\w"
    r"(?:@|" + _SP + r"?[\(\[]" + _SP + r"?(?:at|snabel-a)" + _SP + r"?[\)\]]" + _SP + r"?)"
    r"\w[\w\-]*(?:\.\w[\w\-]*)*\.[A-Za-z]{2,24}(?![\w@])",
    re.IGNORECASE,
)


def _find_emails(text: str, out: list) -> None:
    for m in _EMAIL_RE.finditer(text):
        out.append(("email", m.start(), m.end()))


# ---------------------------------------------------------------------------
# address and postcode
# ---------------------------------------------------------------------------

# Suffixes that (almost) only occur in street names: allowed in lower case too.
_STREET_SAFE = (
    "gatan|vägen|gränd|gränden|stigen|backen|torget|allén|allen|alléen|leden|"
    "stråket|esplanaden|promenaden|slingan|kajen|gången|liden|höjden|svängen|"
    "gata|väg"
)
# Suffixes that are also ordinary nouns ("handlingsplan 2"): capitalised only.
_STREET_RISKY = "plan|torg|ringen|bron|stranden|udden|kroken|parken|platsen|backe|plats|vall|hagen|gärdet"
_RISKY_COMMON = re.compile(
    r"(?i)(?:handlings|åtgärds|vård|genomförande|säkerhets|skydds|studie|vecko|arbets|"
    r"behandlings|insats|samordnings|besöks|utvecklings|lektions|verksamhets|beredskaps|"
    r"krisplan|ungdoms|nationella|kommun|ekonomi)plan$"
)
_TOWN = (
    "(?:(?:Norra|Södra|Östra|Västra|Stora|Lilla|Upplands|Sankt)" + _SP + "[" + _UC + "][" + _LC + "]+"
    "|[" + _UC + "][" + _LC + "]+(?:-[" + _UC + "][" + _LC + "]+)?"
    "|[" + _UC + "]{3,}(?:-[" + _UC + "]{3,})?)"
)
# Country prefix: "SE-803 20", "SE 80320", and the older "S-803 20".
_PC_PREFIX = "(?:SE" + _DASH + "?" + _SP + "?|S" + _DASH + _SP + "?)"
_POSTCODE_CORE = _PC_PREFIX + "?[1-9]\\d{2}" + _SP + "?\\d{2}(?!\\d)"
_ADDR_NUMBER_GUARD = (
    r"(?![.,:]\d)(?!" + _SP + r"*(?:%|procent|kr\b|kronor|år\b|års|åring|gånger|ggr|st\b|stycken|"
    r"timmar|tim\b|h\b|min\b|minuter|sekunder|dagar|dygn|veckor|månader|km\b|m\b|meter|mil\b|"
    r"elever|barn\b|personer|deltagare|§|kap\b))"
)
# Words that cannot begin a lower-case multi-word street name ("i hans gata 5").
_NOT_STREET_WORD = (
    r"(?!(?:i|på|till|från|vid|om|mot|med|av|för|hans|hennes|hens|deras|dess|vars|ens|sin|min|din|"
    r"vår|er|en|ett|den|det|och|eller|att|som)" + _SP + ")"
)
_ADDR_RE = re.compile(
    r"(?<![\w\-])"
    # Fast rejection: one to four words, then a number (the street part has
    # no digits and is followed by spaces and the house number).
    r"(?=(?:[^\s\d]+" + _SP + r"+){1,4}[1-9])"
    r"(?P<street>"
    r"(?:(?:Norra|Södra|Östra|Västra|Stora|Lilla|Gamla|Nya|Övre|Nedre|Yttre|Inre|Sankt|S:t|St\.|[NSÖV]\.|"
    r"norra|södra|östra|västra|stora|lilla|gamla|nya|övre|nedre)" + _SP + r")?"
    r"(?:"
    r"(?P<cap>[" + _UC + r"][" + _LC + r"]+(?:-[" + _LC + r"]+)?(?:" + _STREET_SAFE + "|" + _STREET_RISKY + r"))"
    r"|[" + _LC + r"]{2,}(?:" + _STREET_SAFE + r")"
    r"|[" + _UC + r"][" + _LC + r"]{2,}[gv]\.(?=" + _SP + r"?\d)"  # "Storg. 3", "Skolv. 12"
    r"|(?:" + _NOT_STREET_WORD + r"[" + _LC + r"]+" + _SP + r")?" + _NOT_STREET_WORD + r"[" + _LC + r"]{2,}s"
    r"" + _SP + r"(?:väg|gata|gränd|backe|allé|plats|torg|stig)"  # lower case: "olof palmes gata"
    r"|(?:[" + _UC + r"][" + _LC + r"]+" + _SP + r"){1,2}(?:[vV]äg|[vV]ägen|[gG]ata|[gG]atan|[gG]ränd|[bB]acke|[aA]llé|[pP]lats|[tT]org|[sS]tig|[lL]ed|[pP]ark|[sS]trand)"
    r")"
    r")"
    r"(?P<num>" + _SP + r"+[1-9]\d{0,2}(?!\d)(?:" + _SP + r"?[A-H](?![\w])|[a-h](?![\w]))?"
    r"(?:" + _SP + r"?" + _DASH + _SP + r"?\d{1,3}[A-Ha-h]?)?)"
    + _ADDR_NUMBER_GUARD +
    r"(?P<extra>(?:"
    r",?" + _SP + r"*(?:lgh|lägenhet|lägenhetsnummer|lgh\.?" + _SP + r"?nr)\.?" + _SP + r"*(?:nr\.?" + _SP + r"*)?\d{3,4}(?!\d)"
    r"|,?" + _SP + r"*\d{1,2}" + _SP + r"?(?:tr\b\.?|trappor\b|trappa\b|vån\b\.?|våningen\b)"
    r"|,?" + _SP + r"*(?:ög|nb|bv)\b"
    r"|,?" + _SP + r"*" + _POSTCODE_CORE + r"(?:,?" + _SP + r"+" + _TOWN + r")?"
    r"){0,4})",
)
_NOT_TOWN = frozenset(
    "kr kronor sek st år dagar veckor timmar elever barn personer kl och eller samt men the".split()
)
_POSTCODE_RE = re.compile(
    r"(?<![\w\-+])(?<!\d" + _SP + r")"
    r"(?P<se>" + _PC_PREFIX + r")?(?P<pc>[1-9]\d{2}" + _SP + r"?\d{2})(?!\d|[-/.,:]\d)"
    r"(?:,?" + _SP + r"+(?P<town>" + _TOWN + r"))?"
)
_POSTCODE_CUE_RE = re.compile(r"(?i)(?:postnummer|postnr|postadress|post\.?nr)\.?:?" + _SP + r"*$")


def _find_addresses(text: str, out: list) -> None:
    for m in _ADDR_RE.finditer(text):
        cap = m["cap"]
        if cap and _RISKY_COMMON.search(cap):
            continue
        end = m.end()
        # Trim a trailing comma/space the optional extras may have eaten.
        while end > m.start() and text[end - 1] in ", \u00a0":
            end -= 1
        out.append(("address", m.start(), end))


def _find_postcodes(text: str, out: list) -> None:
    for m in _POSTCODE_RE.finditer(text):
        town = m["town"]
        if town and town.lower() in _NOT_TOWN:
            town = None
        if town:
            out.append(("postcode", m.start(), m.end()))
        elif m["se"] or _POSTCODE_CUE_RE.search(text, max(0, m.start() - 20), m.start()):
            out.append(("postcode", m.start(), m.end("pc")))


# ---------------------------------------------------------------------------
# case numbers
# ---------------------------------------------------------------------------

_CASE_ID = (
    r"(?P<id>"
    r"(?P<code>(?:[" + _UC + r"]{1,6}(?:[ /\-]|(?=\d)))?(?:[" + _UC + r"]{1,5}[ /\-])?)"
    r"\d+(?:[-/.:][A-Z]{0,2}\d+){0,3}(?:[-/][A-Z]{1,3}(?![\w]))?"
    r")(?![\w]|[-/.:]\d)"
)
_CASE_CUE_RE = re.compile(
    # (the lookahead on the first letter only makes the scan faster)
    r"(?=[dDäÄaAkKmMlLrRpP])(?<![\w])(?:"
    r"dnr|d\.nr|d-nr|d\." + _SP + r"?nr|diarienummer|diarienumret|diarienr|diarie-nr|"
    r"ärendenummer|ärendenumret|ärendenr|ärende-nr|ärende-?id|ärende" + _SP + r"id|ärende" + _SP + r"+(?:nr|nummer)|"
    r"aktnummer|aktnr|akt" + _SP + r"+nr|referensnummer|referensnr|ref\.?" + _SP + r"?nr|"
    r"anmälningsnummer|anmälningsnr|anmälan" + _SP + r"+nr|polisanmälan" + _SP + r"+nr|"
    r"k-?nummer|k-?nr|målnummer|mål" + _SP + r"+nr|löpnummer|"
    r"diarieförd[a-z]*" + _SP + r"+(?:under|som|med)|registrerad[a-z]*" + _SP + r"+under|"
    # Weak cues: ordinary nouns that are followed by a case number only
    # sometimes ("ärende 2023/145", "akt 2023-145"); checked in the code.
    r"(?P<weak>ärende|ärendet|akt|akten|mål|målet|anmälan|anmälningen|polisanmälan|polisanmälningen)"
    r")(?![^\W\d_])\.?" + _SP + r"*[:#]?" + _SP + r"*(?:nr\.?" + _SP + r"*)?" + _CASE_ID,
    re.IGNORECASE,
)
# Words that the (case-insensitive) unit-code part of a case number may pick
# up between the cue and the number: "Dnr är 2018/1234", "diarienummer hos
# oss 2019/12". They are never part of the span.
_CASE_FILLER = frozenset("är var blev blir hos oss er dem nr nummer har hade som med och på i för av till vid id".split())
_DATE_RE = re.compile(r"(?:19|20)\d\d(?P<s>[-/.])\d{1,2}(?P=s)\d{1,2}$")
_POLICE_RE = re.compile(
    r"(?<![\w\-])(?:\d{4}-)?K(?:" + _SP + r"|-)?\d{3,7}-\d{2}(?![\w]|[-/]\d)"
)
_LETTER_CASE_RE = re.compile(
    r"(?<![\w\-])(?P<code>[A-ZÅÄÖ]{1,4})(?P<sep>-|" + _SP + r")(?P<a>\d{4,7})-(?P<b>\d{2})(?![\w]|[-/]\d)"
)
_UNIT_CASE_RE = re.compile(
    r"(?<![\w/\-])(?P<code>[A-ZÅÄÖ]{2,5}(?:[ /\-][A-ZÅÄÖ]{2,5})?)" + _SP + r"?[/\-]?" + _SP + r"?"
    r"(?P<y>(?:19|20)?\d{2})(?P<sep>[/\-])(?P<n>\d{1,6})(?![\w/]|[-:.]\d)"
)
_NOT_CASE_CODES = frozenset(
    "SFS SOSFS HSLF AFS BFS FS SKOLFS HT VT LVU LVM SOL LSS HVB SIS EU FN EES GDPR COVID".split()
)


_COUNT_GUARD_RE = re.compile(_ADDR_NUMBER_GUARD)


def _year_range(first: str, second: str) -> bool:
    """"2018/19", "2018-2019", "18/19": a school or budget year, not a number."""
    if len(first) not in (2, 4) or len(second) not in (2, 4):
        return False
    if len(first) == 4 and not first.startswith(("19", "20")):
        return False
    return int(second[-2:]) == (int(first[-2:]) + 1) % 100


def _find_case_numbers(text: str, out: list) -> None:
    pos = 0
    while (m := _CASE_CUE_RE.search(text, pos)) is not None:
        # After a weak cue, scan on from the cue word itself, so that a strong cue
        # inside what it took in is still seen ("Ärendet har Dnr 2018/1234").
        pos = m.end("weak") if m["weak"] else m.end()
        ident = m["id"]
        start = m.start("id")
        code = m["code"]
        if code:
            # Drop filler words and lower-case Swedish words the unit-code
            # part took in ("Dnr är 2018/1234" -> "2018/1234"). After a weak
            # cue the number must follow at once ("ärendet inkom 2019-02-14"
            # is no case number).
            words = list(re.finditer(r"[^\s/\-\u00a0\u202f]+", code))
            if m["weak"] and any(not w.group().isupper() for w in words):
                continue
            for w in words:
                word = w.group()
                lw = word.lower()
                if not word.isupper() and (
                    lw in _CASE_FILLER or lw in _HARD_STOP or _data().lexicon.is_word(lw)
                ):
                    start = m.start("id") + w.end()
            while start < m.end("id") and text[start] in " /-\u00a0\u202f":
                start += 1
            ident = text[start:m.end("id")]
        if sum(ch.isdigit() for ch in ident) < 3:
            continue
        if m["weak"]:
            # After an ordinary noun, a short number, a date, a time, a bare
            # year, a year range, an amount or a count is what it looks like,
            # not a case number.
            number = ident[re.search(r"\d", ident).start():]  # without a unit code
            parts = re.split(r"[-/.:]", number)
            if sum(ch.isdigit() for ch in number) < 4:
                continue  # "ärende 3 av 5", "akten 3:12"
            if _DATE_RE.match(number) or re.fullmatch(r"(?:19|20)\d\d", number):
                continue
            dm = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](?:19|20)?\d\d)?", number)
            if dm and _valid_date(None, int(dm[2]), int(dm[1])):
                continue  # "anmälan 13/10", "ärendet 12/9-23": a day and month
            hm = re.fullmatch(r"(\d{1,2})[.:](\d\d)", number)
            if hm and int(hm[1]) <= 24 and int(hm[2]) < 60:
                continue  # "mål 12.30": a time
            if len(parts) == 2 and _year_range(parts[0], parts[1]):
                continue
            if not _COUNT_GUARD_RE.match(text, m.end("id")):
                continue  # "anmälan 4500 kr", "ärende 1200 elever": an amount or a count
        out.append(("case_number", start, m.end("id")))
    for m in _POLICE_RE.finditer(text):
        out.append(("case_number", m.start(), m.end()))
    for m in _LETTER_CASE_RE.finditer(text):
        if m["sep"] != "-" and (m["code"] in _NOT_CASE_CODES or _year_range(m["a"], m["b"])):
            continue  # "VT 2019-20", "LVU 2018-19"
        out.append(("case_number", m.start(), m.end()))
    for m in _UNIT_CASE_RE.finditer(text):
        code = m["code"].upper()
        if code in _NOT_CASE_CODES or code.split()[0] in _NOT_CASE_CODES:
            continue
        y, n = m["y"], m["n"]
        yi = int(y[-2:])
        if len(n) in (2, 4) and int(n[-2:]) == (yi + 1) % 100:
            continue  # a year range such as "2018/19", "2018-2019"
        out.append(("case_number", m.start(), m.end()))


# ---------------------------------------------------------------------------
# birth dates
# ---------------------------------------------------------------------------

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3,
    "april": 4, "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "augusti": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_BIRTH_RE = re.compile(
    r"(?<![\w])(?:född|födda|föddes|födelsedatum|födelsedatumet|födelsedag|födelsedagen|föd\.|"
    r"f\.|f(?=" + _SP + r"+\d)|fd\.?(?=" + _SP + r"*\d))"
    r"" + _SP + r"*:?" + _SP + r"*(?:(?:den|är|år|på)" + _SP + r"+)?"
    r"(?:i" + _SP + r"+[" + _UC + r"][\w\-]+,?" + _SP + r"+(?:den" + _SP + r"+)?)?"
    r"(?P<date>"
    r"(?P<iso>(?:19|20)\d{2}(?P<s1>[-/. ]?)\d{2}(?P=s1)\d{2})"
    r"|(?P<six>\d{6})"
    r"|(?P<dmy>\d{1,2}[/.\-]\d{1,2}(?:[/.\-]" + _SP + r"?|" + _SP + r")(?:19|20)?\d{2})"
    r"|(?P<dmy6>\d{2}-\d{2}-\d{2})"
    r"|(?P<txt>\d{1,2}(?::[ea])?" + _SP + r"+(?:" + _MONTH_ALT + r")\.?(?:,?" + _SP + r"+(?:19|20)?\d{2}(?!\d)|" + _SP + r"?-\d{2}(?!\d))?)"
    r")"
    r"(?!\d|[-+]" + _SP + r"?\d|" + _SP + r"\d{4}(?!\d))",
    re.IGNORECASE,
)
_NUM_RE = re.compile(r"\d+")


def _birthdate_ok(m) -> bool:
    if m["iso"]:
        ds = "".join(_NUM_RE.findall(m["iso"]))
        return _valid_date(int(ds[:4]), int(ds[4:6]), int(ds[6:8]))
    if m["six"] or m["dmy6"]:
        ds = "".join(_NUM_RE.findall(m["six"] or m["dmy6"]))
        if m["six"]:
            yy, mm, dd = int(ds[:2]), int(ds[2:4]), int(ds[4:6])
        else:  # 14-03-05 (d-m-y) or 05-03-14 (y-m-d): accept either reading
            a, b, c = int(ds[:2]), int(ds[2:4]), int(ds[4:6])
            return _valid_date(_full_year(c), b, a) or _valid_date(_full_year(a), b, c)
        return _valid_date(_full_year(yy), mm, dd)
    if m["dmy"]:
        nums = _NUM_RE.findall(m["dmy"])
        day, month, year = int(nums[0]), int(nums[1]), nums[2]
        y = int(year) if len(year) == 4 else _full_year(int(year))
        return _valid_date(y, month, day)
    txt = m["txt"]
    nums = _NUM_RE.findall(txt)
    day = int(nums[0])
    month = _MONTHS[re.search(_MONTH_ALT, txt, re.IGNORECASE).group().lower()]
    year = None
    if len(nums) > 1:
        year = int(nums[1]) if len(nums[1]) == 4 else _full_year(int(nums[1]))
    return _valid_date(year, month, day)


def _find_birthdates(text: str, out: list) -> None:
    for m in _BIRTH_RE.finditer(text):
        if _birthdate_ok(m):
            out.append(("birthdate", m.start("date"), m.end("date")))


# ---------------------------------------------------------------------------
# names: dictionaries
# ---------------------------------------------------------------------------

# Swedish function words and very frequent words. They are never reported as
# names in lower case or at the start of a sentence, whatever the dictionaries
# say ("Alla", "Vi", "Mitt", "Kan", "Vill", "Bra", "Men", "Eller", ...); in
# the middle of a sentence a capitalised one is a name only if the name
# dictionary has it ("träffade Mina").
_HARD_STOP = frozenset("""
jag du han hon hen den det vi ni de dem mig dig sig oss er henne honom henom varandra min mitt mina din ditt dina sin sitt
sina hennes hens dess deras vår vårt våra ert era man någon något några ingen inget inga alla allt
varje vem vad vilken vilket vilka själv själva denna detta dessa andra annan annat samma båda bägge
en ett i på till från med om för av hos vid under över efter före mot utan genom mellan bland
enligt inom utanför kring runt sedan via trots åt ur bakom framför bredvid och eller men att som
när då eftersom så samt fast medan innan tills inte också bara redan nu där här hit dit sen snart
ofta alltid aldrig ibland mycket lite mer mest ännu än igen även dock ju väl nog kanske ja nej
tillbaka hem hemma ut in upp ner fram bort iväg idag igår imorgon är var varit vara blir blev bli
har hade haft ha kan kunde vill ville ska skall skulle måste får fick bör borde går gick kom kommer
gör gjorde tar tog ger gav ser såg mår vet visste tror tycker bra dålig stor liten små ny nya
gammal gamla hel hela egen egna första sista fin glad ledsen rädd orolig full lång kort hög låg
ung unga äldre yngre svår lätt viktig trygg klar två tre fyra fem sex sju åtta nio tio elva tolv
hej tack okej ok samtal möte mötet vecka veckan år året annars veta
""".split())

# Swedish words that are also common given names; with hunspell-sv these are
# detected automatically, but a few are listed explicitly because they are so
# frequent or because the lexicon lacks them in lower case.
_SOFT_STOP = frozenset("""
per bo hans tom max kim mark dag sten stig björn ulf rut ros sol vera viktor alma ida maj juni
april augusti bill will may rose hope grace joy mist säde etter jade bann tex sec
""".split())

# Words right before a token that make it a name ("heter X", "kallad X").
_NAMING_CUES = frozenset("heter hette kallas kallad kallade kallar namnet namn döpt döptes".split())
# Relational nouns and titles right before a capitalised token ("flickan X").
_RELATION_CUES = frozenset("""
flickan pojken eleven eleverna dottern sonen mamma mamman pappa pappan mor modern far fadern
bror brodern brorsan syster systern syrran kusin kusinen maken make frun fru hustrun mannen
pojkvännen flickvännen sambon vännen väninnan kompisen klasskompisen killen tjejen kvinnan
ungdomen barnet farbror farbrodern morbror morbrodern faster moster farmor mormor farfar morfar
styvpappan styvmamman svågern svägerskan svärmor svärfar fästmannen fästmön herr dr doktor imam
imamen shejk sheikh onkel tant elev flicka pojke dotter son tjej kille kvinna brudgummen bruden
partnern pojkvän flickvän maka makan handläggaren handläggare kuratorn kurator rektorn rektor
läraren mentorn socialsekreteraren socialsekreterare tolken kontaktpersonen systrarna bröderna
""".split())
# Verbs right after a token that is used as a name ("Per berättar", "fatima sa").
_SPEECH_VERBS = frozenset("""
berättar berättade berättat säger sa sade sagt uppger uppgav uppgett förklarar förklarade
beskriver beskrev menar menade hävdar hävdade uttrycker uttryckte
""".split())
# Verbs after an unknown capitalised word at the start of a sentence ("Yonas söker stöd").
_SUBJECT_VERBS = _SPEECH_VERBS | frozenset("""
vill ville har hade är var mår mådde bor bodde går gick kommer kom ringde ringer skriver skrev
önskar önskade känner kände söker sökte behöver behövde får fick ska skulle kan kunde tycker
tyckte tror trodde vet visste blev tog åkte flyttade saknar arbetar jobbar studerar pratar
pratade skickade träffade lämnade vägrar vägrade nekar nekade förnekar upplever upplevde
""".split())
# Verbs before a lower-case word that then is a person ("träffade nimco").
_PERSON_OBJECT_VERBS = frozenset("""
träffat träffade träffar träffa pratat pratade ringt ringde mött mötte hjälpt hjälpte
kontaktat kontaktade intervjuat intervjuade stöttat stöttade hotat hotade slagit slog
""".split())
# Nouns after a genitive that make the genitive a person ("Hibos bror").
_KIN_NOUNS = frozenset("""
mamma pappa mor far bror syster föräldrar familj familjen man fru make maka kusin kusiner
farbror morbror faster moster farmor mormor farfar morfar pojkvän flickvän släkt släktingar
kompis kompisar vänner klass lärare mentor telefon mobil rum skola barn son dotter döttrar
söner styvpappa styvmamma situation berättelse
""".split())
_CLOSE_KIN = frozenset("""
mamma pappa mor far bror syster föräldrar kusin farbror morbror faster moster farmor mormor farfar
morfar pojkvän flickvän fru make maka styvpappa styvmamma son dotter
""".split())
# Prepositions after which an unknown capitalised word is rather a place.
_PLACE_PREPS = frozenset("i på från till vid inom utanför nära genom runt över via ur".split())
_NAME_PARTICLES = frozenset("al el ul abu abd bin ibn bint ben van von der de da di del la le".split())

# Tokens of the Faker lists that are not names at all.
_NOT_NAMES = frozenset("unknown the none null doe van von der den de la le da di del".split())
# English words among first names, not recognised in lower case.
_ENGLISH_WORDS = frozenset("""
baby will may hope joy grace faith chase hunter page rich mark bill art guy chance summer river sky
king case link field read add made team mail chat date cool love star rose lily daisy honey angel
dawn eve ivy jewel major prince queen rocky sandy sunny storm win
""".split())

_LATIN_OK = re.compile(r"^[^\W\d_]+$")
_FOLD_EXTRA = str.maketrans({"ı": "i", "ə": "a", "đ": "d", "ß": "ss", "ø": "o", "æ": "ae", "ł": "l", "ð": "d", "þ": "th"})


# Cyrillic -> Latin, in two common styles: the South Slavic one ("Драган" ->
# "Dragan", "Жељко" -> "Željko") and the English-style one used in passports
# ("Олександр" -> "Oleksandr", "Юлія" -> "Yuliia"), so the Macedonian,
# Bulgarian, Russian and Ukrainian Faker locales contribute names too.
_CYR_SOUTH = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "й": "j", "я": "ja", "ю": "ju", "щ": "šč", "ъ": "", "ь": "", "ы": "y",
    "э": "e", "ё": "jo", "є": "je", "ї": "ji", "і": "i", "ґ": "g",
})
_CYR_ENGLISH = str.maketrans({
    "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "й": "y", "я": "ya", "ю": "yu",
    "ё": "yo", "є": "ye", "ї": "yi", "и": "y", "і": "i", "ь": "", "ъ": "",
})


def _cyrillic_variants(word: str) -> list[str]:
    lw = word.lower()
    if not any("\u0400" <= ch <= "\u04ff" for ch in lw):
        return [word]
    south = lw.translate(_CYR_SOUTH)
    english = lw.translate(_CYR_ENGLISH).translate(_CYR_SOUTH)
    return [v for v in {south, english} if not any("\u0400" <= ch <= "\u04ff" for ch in v)]


def _is_latin(word: str) -> bool:
    return all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF for ch in word)


def _fold(word: str) -> str:
    """ASCII-fold foreign letters but keep Swedish å, ä, ö."""
    word = word.translate(_FOLD_EXTRA)
    out = []
    for ch in word:
        if ch in "åäö":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def _read_list(path: Path) -> list[str]:
    items = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                items.append(line)
    return items


def _faker_name_tokens() -> dict[str, tuple[set[str], set[str]]]:
    """(first names, last names) per Faker locale, from every person provider."""
    import faker.providers.person as person_pkg

    per_locale: dict[str, tuple[set[str], set[str]]] = {}
    for mod in pkgutil.iter_modules(person_pkg.__path__):
        module = importlib.import_module(f"faker.providers.person.{mod.name}")
        provider = getattr(module, "Provider", None)
        if provider is None:
            continue
        firsts: set[str] = set()
        lasts: set[str] = set()
        for attr in dir(provider):
            if not attr.startswith(("first_name", "last_name")):
                continue
            tokens = firsts if attr.startswith("first_name") else lasts
            value = getattr(provider, attr, None)
            if isinstance(value, dict):
                value = list(value.keys())
            if not isinstance(value, (list, tuple, set, frozenset)):
                continue
            stack = list(value)
            while stack:
                item = stack.pop()
                if isinstance(item, (list, tuple)):
                    stack.extend(item)
                elif isinstance(item, str):
                    tokens.add(item)
        per_locale[mod.name] = (firsts, lasts)
    return per_locale


def _hunspell_paths() -> tuple[Path, Path]:
    """Locate sv_SE.dic/sv_SE.aff from the hunspell-sv package."""
    candidates = []
    env = os.environ.get("ANONYMITY_HUNSPELL_DIR")
    if env:
        candidates.append(Path(env))
    try:
        from importlib import metadata

        dist = metadata.distribution("hunspell-sv")
        for f in dist.files or ():
            if str(f).endswith("sv_SE.dic"):
                candidates.append(Path(dist.locate_file(f)).resolve().parent)
    except Exception:  # package metadata missing: fall back to known prefixes
        pass
    for base in {sys.prefix, sys.base_prefix, sysconfig.get_path("data") or sys.prefix}:
        candidates.append(Path(base) / "share" / "hunspell")
    candidates += [Path("/usr/local/share/hunspell"), Path("/usr/share/hunspell")]
    for d in candidates:
        if (d / "sv_SE.dic").is_file() and (d / "sv_SE.aff").is_file():
            return d / "sv_SE.dic", d / "sv_SE.aff"
    raise RuntimeError(
        "coordinator.anonymity needs the Swedish Hunspell dictionary: "
        "pip install hunspell-sv (or set ANONYMITY_HUNSPELL_DIR)"
    )


class _Lexicon:
    """Minimal Hunspell reader: lower-case stems with their affix flags plus
    single-suffix stripping. Enough to decide whether a lower-case token is an
    ordinary Swedish word (no full compounding, no prefixes)."""

    def __init__(self, dic_path: Path, aff_path: Path) -> None:
        stems: dict[str, str] = {}
        places: set[str] = set()
        plain: set[str] = set()
        with open(dic_path, encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                word, _, flags = line.rstrip("\n").partition("/")
                if not word or word[0].isdigit():
                    continue
                if word[0].isupper():
                    # Places and other non-person proper nouns carry compound
                    # or inflection flags ("Gävle/AeX", "Sandviken/eX");
                    # given names and surnames carry at most the genitive "A".
                    if set(flags) - set("A!%"):
                        places.add(word.lower())
                    continue
                if not flags:
                    # Flag-less lower-case entries mix real words ("henne",
                    # "deras") with lower-cased names ("erik", "peter",
                    # "najma"): they count as words for unknown tokens but do
                    # not make a dictionary name ambiguous.
                    plain.add(word)
                    continue
                stems[word] = stems.get(word, "") + flags
        self.stems = stems
        self.places = frozenset(places)
        self.plain = frozenset(plain)
        self.suffixes: dict[str, list[tuple[str, str, re.Pattern]]] = {}
        self.max_add = 0
        with open(aff_path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 5 or parts[0] != "SFX":
                    continue
                flag, strip, add, cond = parts[1], parts[2], parts[3], parts[4]
                add, _, continuation = add.partition("/")
                if "Z" in continuation:
                    continue  # a form that only occurs inside compounds
                add = "" if add == "0" else add
                strip = "" if strip == "0" else strip
                cond_re = re.compile("(?:" + cond + ")$") if cond != "." else re.compile("")
                self.suffixes.setdefault(add, []).append((flag, strip, cond_re))
                self.max_add = max(self.max_add, len(add))

    @staticmethod
    def _usable(flags: str | None) -> bool:
        # ¤ needs an affix, Z only in compounds, % forbidden, ! not suggested
        # (used for misspellings and for surnames such as "ågren").
        return flags is not None and not any(f in flags for f in "¤Z%!")

    def is_word(self, w: str, plain: bool = True) -> bool:
        """True if lower-case ``w`` is a Swedish word form. With ``plain`` false,
        flag-less dictionary entries do not count."""
        if plain and w in self.plain:
            return True
        flags = self.stems.get(w)
        if flags is not None and self._usable(flags):
            return True
        for n in range(0, min(self.max_add, len(w) - 1) + 1):
            rules = self.suffixes.get(w[len(w) - n:] if n else "")
            if not rules:
                continue
            base = w[: len(w) - n]
            for flag, strip, cond_re in rules:
                stem = base + strip
                flags = self.stems.get(stem)
                if flags is not None and flag in flags and "%" not in flags and "!" not in flags and cond_re.search(stem):
                    return True
        return False

    def is_compound(self, w: str) -> bool:
        """True if ``w`` ends in a Swedish word of at least 5 letters
        ("sätraskolan" -> "skolan", "integrationsforum" -> "forum")."""
        for i in range(2, len(w) - 4):
            if self.is_word(w[i:]):
                return True
        return False


class _NameData:
    def __init__(self) -> None:
        lexicon = _Lexicon(*_hunspell_paths())
        self.lexicon = lexicon
        names: set[str] = set()
        # Names that are also recognised in lower case ("fatima berättade"):
        # first names, and surnames except those of English and Dutch
        # locales, which are mostly English/Dutch words ("case", "field").
        lower_ok: set[str] = set()
        nordic = {"sv_SE", "da_DK", "no_NO", "fi_FI", "is_IS"}
        wordy_surnames = {"en", "en_US", "en_GB", "en_IE", "en_NZ", "ga_IE", "nl_NL", "nl_BE"}
        for locale, (firsts, lasts) in _faker_name_tokens().items():
            for is_first, entries in ((True, firsts), (False, lasts)):
                for entry in entries:
                    for part in entry.split():
                        pieces = [part] + (part.split("-") if "-" in part else [])
                        pieces = [v for p in pieces for v in _cyrillic_variants(p)]
                        for piece in pieces:
                            if not piece or not _is_latin(piece) or not _LATIN_OK.match(piece.replace("-", "")):
                                continue
                            if len(piece) < 2 or (len(piece) == 2 and locale not in nordic):
                                continue
                            lw = piece.lower()
                            names.add(lw)
                            if is_first or locale not in wordy_surnames:
                                lower_ok.add(lw)
        self.supplement = frozenset(w.lower() for w in _read_list(DATA_DIR / "name_supplement.txt"))
        names |= self.supplement
        lower_ok |= self.supplement
        names |= {_fold(n) for n in names}
        lower_ok |= {_fold(n) for n in lower_ok}
        names -= _NOT_NAMES
        self.names = frozenset(names)
        self.lower_ok = frozenset(lower_ok - _NOT_NAMES - _ENGLISH_WORDS)
        # allowed_terms.txt: a one-word line allows that word. A line of
        # several words ("Sharaf Hjältar", "Länsstyrelsen Gävleborg") allows
        # the whole phrase; each of its words is also allowed on its own
        # unless it is a person name ("Sharaf" alone stays a name).
        allowed: set[str] = set()
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for line in _read_list(DATA_DIR / "allowed_terms.txt"):
            words = line.lower().split()
            if len(words) > 1:
                for variant in {tuple(words), tuple(_fold(w) for w in words)}:
                    phrases.setdefault(variant[0], set()).add(variant)
            for word in words:
                if len(words) > 1 and (word in names or _fold(word) in names):
                    continue
                allowed.add(word)
                allowed.add(_fold(word))
        self.allowed = frozenset(allowed)
        self.phrases = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()}
        # Acronyms that a name dictionary also has ("NOA", "IVO", "ICA"):
        # not names when written in capitals, still names as "Noa", "Ivo".
        self.acronyms = frozenset(w.lower() for w in _read_list(DATA_DIR / "acronyms.txt"))
        # Name tokens that are also ordinary Swedish words ("per", "linnea", "berg").
        self.ambiguous = frozenset(
            n for n in self.names if n in _SOFT_STOP or n in _HARD_STOP or lexicon.is_word(n, plain=False)
        )
        self._unknown_cache = lru_cache(maxsize=50_000)(self._looks_like_unknown_name)

    def _looks_like_unknown_name(self, lw: str, capitalised: bool) -> bool:
        """A word outside the name dictionary that is no Swedish word,
        compound, or known non-person proper noun (place, organisation,
        brand) of the lexicon. Flag-less lexicon entries count as words only
        for lower-case tokens (they include lower-cased names)."""
        lex = self.lexicon
        if lw in lex.places or lw in self.allowed or lw in _HARD_STOP or lw in _SOFT_STOP:
            return False
        plain = not capitalised
        if lex.is_word(lw, plain) or lex.is_compound(lw):
            return False
        if lw.endswith("s") and (
            lw[:-1] in lex.places or lw[:-1] in self.allowed or lex.is_word(lw[:-1], plain)
        ):
            return False
        return True

    def unknown_name(self, lw: str, capitalised: bool = True) -> bool:
        return self._unknown_cache(lw, capitalised)


_DATA: _NameData | None = None
_DATA_LOCK = threading.Lock()


def _data() -> _NameData:
    global _DATA
    if _DATA is None:
        with _DATA_LOCK:
            if _DATA is None:
                _DATA = _NameData()
    return _DATA


def preload() -> None:
    """Load the dictionaries now (e.g. at application start-up)."""
    _data()


# ---------------------------------------------------------------------------
# names: detection
# ---------------------------------------------------------------------------

# A word, with hyphenated or apostrophed parts, and with a Swedish inflection
# ending written after a colon ("CVE:s", "sms:ade", "mejl:ar", "Zeynep:s"):
# the ending belongs to the word, it is never a word (or a name) of its own.
_COLON_ENDINGS = (
    "s|n|en|et|ar|er|or|na|ns|ens|ets|ers|ars|ors|arna|erna|orna|arnas|ernas|ornas|"
    "ade|ades|ad|at|ats|ande|are|ares|a|as|e|es|t|ts|de|te"
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?::(?:" + _COLON_ENDINGS + r")(?![\w]))?")
_SENTENCE_END = frozenset(".!?…\n\r\t•·*–—-;")
_OPENERS = frozenset("\"'“”„«»([")
_AGE_AFTER_RE = re.compile(r",?" + _SP + r"*\(?\d{1,2}" + _SP + r"*(?:år|åring)\b")


def _sentence_start(text: str, start: int) -> bool:
    """True at the start of the text, a sentence, a line or a list item, or
    after an opening quote there. A colon does not start a sentence:
    "Kontaktperson: Mehari" is treated like running text."""
    i = start - 1
    while i >= 0 and text[i] in " \u00a0":
        i -= 1
    if i < 0:
        return True
    ch = text[i]
    if ch in _OPENERS:
        return True  # direct speech or a parenthesis starts afresh
    if ch == ".":
        # "ang. Hanad", "t.ex. Sara", "kl. 14": a period after an abbreviation
        # does not end the sentence.
        j = i
        while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
            j -= 1
        if text[j:i].lower() in _ABBREVIATIONS:
            return False
    return ch in _SENTENCE_END


_ABBREVIATIONS = frozenset(
    "ang angående bl.a t.ex tex enl resp jfr dvs d.v.s p.g.a pga fr.o.m t.o.m o.s.v osv m.m mm ca "
    "kl nr tel tfn obs ev s.k sk inkl exkl f.d fd ref mob".split()
)


def _name_kind(data: _NameData, lw: str, lower: bool = False) -> int:
    """0 = not in the name dictionary, 1 = name, 2 = name that is also a
    Swedish word (needs context). ``lower``: the token is written in lower
    case, so only names eligible in lower case count."""
    names = data.lower_ok if lower else data.names
    if lw in names:
        return 2 if lw in data.ambiguous else 1
    if len(lw) > 3 and lw[-1] == "s" and lw[:-1] in names:  # genitive "Ahmeds"
        return 2 if lw[:-1] in data.ambiguous or data.lexicon.is_word(lw, plain=False) else 1
    if "-" in lw or "'" in lw or "’" in lw:
        parts = [p for p in re.split(r"[-'’]", lw) if p]
        if parts and any(len(p) >= 3 and p in data.names for p in parts) and all(
            p in data.names or p in _NAME_PARTICLES for p in parts
        ):
            return 1
    return 0


def _allowed_phrases(data: "_NameData", text: str, tokens: list, lowers: list) -> list[bool]:
    """Tokens inside a multi-word allowed term ("Sharaf Hjältar", "Region
    Gävleborg"), matched word by word across single spaces; the last word may
    carry a genitive -s ("Sharaf Hjältars")."""
    inside = [False] * len(tokens)
    phrases = data.phrases
    for i in [i for i, lw in enumerate(lowers) if lw in phrases]:
        lw = lowers[i]
        for phrase in phrases[lw]:
            j = i + len(phrase)
            if j > len(tokens):
                continue
            ok = True
            for k in range(1, len(phrase)):
                w = lowers[i + k]
                if text[tokens[i + k - 1][1]:tokens[i + k][0]] not in (" ", "\u00a0"):
                    ok = False
                elif not (w == phrase[k] or (k == len(phrase) - 1 and w in (phrase[k] + "s", phrase[k] + ":s"))):
                    ok = False
                if not ok:
                    break
            if ok:
                for k in range(i, j):
                    inside[k] = True
                break
    return inside


def _find_names(text: str, out: list) -> None:
    data = _data()
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    if not tokens:
        return
    n = len(tokens)
    lowers = [t[2].lower() for t in tokens]
    # "Zeynep:s" is the genitive of a name; any other ending after a colon
    # ("sms:ade", "mejl:ar") marks an inflected abbreviation, never a name.
    bases = [(lw[:-2] if lw.endswith(":s") else lw.split(":")[0]) if ":" in lw else lw for lw in lowers]
    inflected = [":" in lw and not lw.endswith(":s") for lw in lowers]
    flagged = [False] * n
    candidate = [False] * n  # could be a name if a neighbour is one ("Hibo och Sayed")
    place = [False] * n  # taken as a place ("till London och Paris")
    acronym = [False] * n  # "CVE", "BUP": capitals that are no name
    allowed_phrase = _allowed_phrases(data, text, tokens, lowers)
    for i, (start, end, word) in enumerate(tokens):
        lw = bases[i]
        # Capitals, also with a plural/genitive ending: "CVE", "CVE:s", "POSTs".
        core = word.split(":")[0] if ":" in word else word
        if len(core) > 2 and core[-1] == "s" and core[:-1].isupper():
            core = core[:-1]
        allcaps = len(core) > 1 and core.isupper()
        acronym[i] = allcaps  # until shown to be a name
        if not 2 <= len(lw) <= 40 or inflected[i]:
            continue
        if end + 1 < len(text) and text[end] == "." and text[end + 1].isalpha():
            continue  # an abbreviation: "org.nr", "t.ex", "bl.a"
        cap = word[0].isupper()
        if lw in _HARD_STOP and (not cap or lw not in data.names or _sentence_start(text, start)):
            continue
        prev = lowers[i - 1] if i else ""
        # The next word counts as a verb cue only if it is written in lower
        # case right after this one ("Per berättar", not "klass SA").
        nxt = ""
        if i + 1 < n and tokens[i + 1][2].islower() and text[end:tokens[i + 1][0]] in (" ", "\u00a0"):
            nxt = lowers[i + 1]
        naming_cue = prev in _NAMING_CUES
        if (lw in data.allowed or allowed_phrase[i]) and not naming_cue:
            continue
        if "-" in lw and not naming_cue:
            # "Newroz-fest", "Sensus-cirkeln": an allowed proper noun joined
            # to ordinary words is no name either.
            head, _, rest = lw.partition("-")
            if head in data.allowed and all(data.lexicon.is_word(p) or p in data.allowed for p in rest.split("-")):
                continue
        relation_cue = prev in _RELATION_CUES
        age_after = _AGE_AFTER_RE.match(text, end) is not None
        # "Hibos bror": a genitive before a kinship noun. "Hans mamma" is no
        # cue: "hans" is itself a word (the pronoun), not a name + s.
        genitive_cue = (
            lw.endswith(("s", "x", "z")) and lw not in _SOFT_STOP and lw not in _HARD_STOP and nxt in _KIN_NOUNS
        )
        # Even a Swedish word is a name in "Linas mamma", "Ammars pappa":
        # capitalised, genitive, before a close relative, and not the genitive
        # of a definite noun ("Flickans mamma", "Barnets pappa").
        base = lw[:-1]
        person_genitive = (
            cap
            and genitive_cue
            and nxt in _CLOSE_KIN
            and lw.endswith("s")
            and not (base.endswith(("n", "t", "na")) and data.lexicon.is_word(base))
        )
        # A capitalised word right after an acronym or an allowed proper noun
        # belongs to that name: "ICA Maxi", "Gävle Strand", "Brynäs IF".
        in_org_name = (
            i > 0
            and text[tokens[i - 1][1]:start] == " "
            and (
                (acronym[i - 1] and prev not in _HARD_STOP)
                or (tokens[i - 1][2][0].isupper() and prev in data.allowed and prev not in _RELATION_CUES)
            )
        )
        speech_after = nxt in _SPEECH_VERBS
        kind = _name_kind(data, lw, lower=not cap)
        if allcaps:
            # Capitals: an acronym (CVE, RFSL, BUP), unless it is a dictionary
            # name and no known acronym ("AHMED har inte kommit"). Capitals
            # say nothing about the word, so only names that are recognised in
            # lower case count (not English surnames such as "KEY", "LONG"),
            # and a name that is also a Swedish word ("MAX", "BO") needs a cue.
            kind = _name_kind(data, lw, lower=True)
            if (
                len(re.split(r"[-'’]", core)[0]) >= 3
                and kind
                and (naming_cue or core.lower() not in data.acronyms)
                and not (lw in data.lexicon.places and prev in _PLACE_PREPS)
                and (kind == 1 or naming_cue or speech_after or age_after or relation_cue or person_genitive)
            ):
                flagged[i] = True
                acronym[i] = False
            continue
        if cap and in_org_name and not naming_cue and kind != 1:
            continue
        if cap and not _sentence_start(text, start):
            if kind:
                # "bor i Lund", "till London och Paris": a known place after a
                # preposition, or listed with one.
                if lw in data.lexicon.places and (
                    prev in _PLACE_PREPS
                    or (i >= 2 and place[i - 2] and prev in ("och", "eller", "samt"))
                    or (i >= 1 and place[i - 1] and text[tokens[i - 1][1]:start] == ", ")
                ):
                    place[i] = True
                    continue
                flagged[i] = True
            elif person_genitive:
                flagged[i] = True
            elif len(lw) >= 3 and not (word.endswith(":s") and len(lw) <= 3) and data.unknown_name(lw):
                # (":s" after a short word marks an abbreviation: "Brå:s")
                flagged[i] = (
                    prev not in _PLACE_PREPS or naming_cue or relation_cue or age_after or genitive_cue
                )
                candidate[i] = True
        elif cap:  # start of a sentence, line or quote
            if kind == 1:
                flagged[i] = True
            elif kind == 2:
                flagged[i] = naming_cue or speech_after or age_after or genitive_cue
                candidate[i] = True
            elif person_genitive:
                flagged[i] = True
            elif len(lw) >= 3 and not (word.endswith(":s") and len(lw) <= 3) and data.unknown_name(lw):
                flagged[i] = naming_cue or age_after or genitive_cue or nxt in _SUBJECT_VERBS
                candidate[i] = True
        elif len(lw) >= 3:  # lower case
            if kind == 1:
                flagged[i] = True
            elif kind == 2:
                flagged[i] = naming_cue or speech_after
            elif data.unknown_name(lw, False):
                flagged[i] = naming_cue or speech_after or age_after or prev in _PERSON_OBJECT_VERBS
                candidate[i] = True
    # Coordination: "Hibo och Sayed", "Sayed och Hibo", and "Donya och hennes
    # syster": someone with a sister is a person.
    for i in range(n):
        if flagged[i] or not candidate[i]:
            continue
        for j, link in ((i + 2, i + 1), (i - 2, i - 1)):
            if 0 <= j < n and flagged[j] and lowers[link] in ("och", "eller", "samt"):
                flagged[i] = True
                break
        if (
            i + 3 < n
            and lowers[i + 1] == "och"
            and lowers[i + 2] in ("hans", "hennes", "hens", "sin", "sitt", "sina")
            and (lowers[i + 3] in _KIN_NOUNS or lowers[i + 3] in _RELATION_CUES)
        ):
            flagged[i] = True
    # Merge full names: "Fatima Ali Hassan", "Anna Stenbäck", "Omar al Bakr".
    i = 0
    while i < n:
        if not flagged[i]:
            i += 1
            continue
        first = i
        # At the start of a sentence a first name that is also a word
        # ("Linnea", "Viktor") or an unknown word needs a cue; a surname found
        # right after it is that cue: "Linnea Berg har ringt" is one name.
        if (
            i > 0
            and not flagged[i - 1]
            and tokens[i][2][0].isupper()
            and text[tokens[i - 1][1]:tokens[i][0]] in (" ", "\u00a0")
            and tokens[i - 1][2][0].isupper()
            and not acronym[i - 1]
            and not inflected[i - 1]
            and not allowed_phrase[i - 1]
            and bases[i - 1] not in data.allowed
            and bases[i - 1] not in _HARD_STOP
            and bases[i - 1] not in _RELATION_CUES
            and bases[i - 1] not in _SUBJECT_VERBS
            and (candidate[i - 1] or _name_kind(data, bases[i - 1]))
            and _sentence_start(text, tokens[i - 1][0])
        ):
            first = i - 1
        j = i
        while j + 1 < n:
            gap = text[tokens[j][1]:tokens[j + 1][0]]
            if gap not in (" ", "\u00a0", "-"):
                break
            nxt_word = tokens[j + 1][2]
            nl = bases[j + 1]
            if flagged[j + 1]:
                j += 1
                continue
            if (
                nxt_word[0].isupper()
                and not nxt_word.isupper()
                and nl not in data.allowed
                and not allowed_phrase[j + 1]
                and not inflected[j + 1]
                and nl not in _HARD_STOP
                and nl not in _SUBJECT_VERBS
                and not data.lexicon.is_word(nl)
            ):
                j += 1
                continue
            if nl in _NAME_PARTICLES and j + 2 < n and tokens[j + 2][2][0].isupper() and (
                flagged[j + 2] or _name_kind(data, bases[j + 2])
            ):
                j += 2
                continue
            break
        out.append(("name", tokens[first][0], tokens[j][1]))
        i = j + 1


# ---------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------

_PHONE_CUE_RE = re.compile(
    r"(?i)(?:tel|telefon|telefonnummer|tfn|mobil|mobilnummer|mobilnr|nummer|nr|ring|ringa|ringer|nås|sms|sms:a|whatsapp)\b[^\d]{0,12}$"
)
_PNR_CUE_RE = re.compile(
    r"(?i)(?:(?:personnummer|personnr|pnr|p-nr|samordningsnummer|samordningsnr|född|födelse\w*)\b|\bf\.)[^\d]{0,12}$"
)


def _resolve(text: str, cands: list) -> list[tuple[str, int, int]]:
    # A 10-digit run can be both a valid personnummer and a phone number
    # ("0701234567"): decide by the words just before it.
    spans = {}
    for kind, s, e in cands:
        spans.setdefault((s, e), set()).add(kind)
    for (s, e), kinds in spans.items():
        if {"personnummer", "phone"} <= kinds:
            before = text[max(0, s - 40):s]
            if _PHONE_CUE_RE.search(before) and not _PNR_CUE_RE.search(before):
                cands = [c for c in cands if not (c[0] == "personnummer" and c[1] == s and c[2] == e)]
            else:
                cands = [c for c in cands if not (c[0] == "phone" and c[1] == s and c[2] == e)]
    cands.sort(key=lambda c: (c[0] == "name", -(c[2] - c[1]), _KIND_RANK[c[0]], c[1]))
    taken: list[tuple[str, int, int]] = []
    for kind, s, e in cands:
        if e <= s:
            continue
        if any(s < te and ts < e for _, ts, te in taken):
            continue
        taken.append((kind, s, e))
    taken.sort(key=lambda c: c[1])
    return taken


_HAS_DIGIT = re.compile(r"\d")
_AT_WORD = re.compile(r"(?i)[\(\[]" + _SP + r"?(?:at|snabel-a)" + _SP + r"?[\)\]]")


def find_identifiers(text: str) -> list[Finding]:
    """Find identifiers in ``text``.

    Returns findings sorted by start, non-overlapping; ``text[f.start:f.end]``
    is each finding's span. Blocking kinds win over names on overlap, then the
    longer span. Detection runs on a normalised copy (see :func:`_normalise`:
    NFKC, dashes, invisible characters, digit look-alikes), but the offsets
    and ``Finding.text`` always refer to the original ``text``.
    """
    if not text:
        return []
    norm, starts, ends = _normalise(text)
    cands: list = []
    if _HAS_DIGIT.search(norm):
        _find_personnummer(norm, cands)
        _find_phones(norm, cands)
        _find_addresses(norm, cands)
        _find_postcodes(norm, cands)
        _find_case_numbers(norm, cands)
        _find_birthdates(norm, cands)
    if "@" in norm or _AT_WORD.search(norm):
        _find_emails(norm, cands)
    _find_names(norm, cands)
    resolved = _resolve(norm, cands)
    if starts is None:
        return [Finding(kind, s, e, text[s:e]) for kind, s, e in resolved]
    findings = []
    last_end = 0
    for kind, s, e in resolved:
        # Map back to the original text; a cluster that became several
        # characters ("½" -> "1/2") is never split between two findings.
        os_, oe = max(starts[s], last_end), ends[e - 1]
        if oe <= os_:
            continue
        findings.append(Finding(kind, os_, oe, text[os_:oe]))
        last_end = oe
    return findings
