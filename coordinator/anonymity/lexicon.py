"""The lexicon: person names (Faker + supplement) and Swedish vocabulary (hunspell-sv).

* person names: the person providers of the Faker package (all locales;
  Latin-script names as they are, Cyrillic ones transliterated, Arabic,
  Persian and other scripts skipped; sv_SE is built from Skatteverket's and
  Isof's name statistics), about 54 000 tokens with ASCII-folded variants,
  plus a small, documented hand-written supplement in
  ``data/name_supplement.txt`` for Somali, Eritrean, Kurdish, Afghan, Iranian
  and Balkan names that Faker lacks;
* Swedish vocabulary: the hunspell-sv dictionary (``sv_SE.dic``/``.aff``),
  used to tell names from ordinary Swedish words ("per", "bo", "tom",
  "linnea", "berg") and to recognise Swedish compounds (place and
  organisation names such as "Sätraskolan");
* ``data/allowed_terms.txt``: organisations, places, roles and other words
  that must never be reported as names; a line of several words ("Sharaf
  Hjältar") allows that phrase;
* ``data/acronyms.txt``: acronyms that a name dictionary also has ("NOA",
  "IVO"), never names when written in capitals.

Loading takes about one second and ~80 MB; :func:`preload` loads it at
start-up (before forking workers, so they share the memory), otherwise the
first call that needs it does. The hunspell-sv files are found through the
package's metadata, or in ``$ANONYMITY_HUNSPELL_DIR``. After loading, the
lexicon is only read (its caches are filled under the GIL with pure results),
so it is safe to share between threads.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import sys
import sysconfig
import threading
import unicodedata
from pathlib import Path

from .normalise import is_latin
from .wordlists import DATA_DIR, read_list, words

HARD_STOP = words("hard_stop")
SOFT_STOP = words("soft_stop")
NOT_NAMES = words("not_names")
ENGLISH_WORDS = words("english_words")
COMMON_WORDS = words("common_words")

_LATIN_OK = re.compile(r"^[^\W\d_]+$")
_FOLD_EXTRA = str.maketrans(
    {"ı": "i", "ə": "a", "đ": "d", "ß": "ss", "ø": "o", "æ": "ae", "ł": "l", "ð": "d", "þ": "th"}
)


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


def cyrillic_variants(word: str) -> list[str]:
    """Latin spellings of a Cyrillic name (both transliteration styles)."""
    lw = word.lower()
    if not any("\u0400" <= ch <= "\u04ff" for ch in lw):
        return [word]
    south = lw.translate(_CYR_SOUTH)
    english = lw.translate(_CYR_ENGLISH).translate(_CYR_SOUTH)
    return [v for v in {south, english} if not any("\u0400" <= ch <= "\u04ff" for ch in v)]


def fold(word: str) -> str:
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


class Lexicon:
    """Minimal Hunspell reader: lower-case stems with their affix flags plus
    single-suffix stripping. Enough to decide whether a lower-case token is an
    ordinary Swedish word (no full compounding, no prefixes)."""

    def __init__(self, dic_path: Path, aff_path: Path) -> None:
        self._read_dic(dic_path)
        self._read_aff(aff_path)
        self._cache: dict[tuple[str, bool], bool] = {}

    def _read_dic(self, dic_path: Path) -> None:
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

    def _read_aff(self, aff_path: Path) -> None:
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
        flag-less dictionary entries do not count. (Memoised: the answer
        depends on ``w`` alone; the memo is bounded.)"""
        key = (w, plain)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._is_word(w, plain)
            if len(self._cache) < 200_000:
                self._cache[key] = hit
        return hit

    def _is_word(self, w: str, plain: bool) -> bool:
        if plain and w in self.plain:
            return True
        flags = self.stems.get(w)
        if flags is not None and self._usable(flags):
            return True
        for n in range(min(self.max_add, len(w) - 1) + 1):
            rules = self.suffixes.get(w[len(w) - n:] if n else "")
            if not rules:
                continue
            base = w[: len(w) - n]
            for flag, strip, cond_re in rules:
                stem = base + strip
                flags = self.stems.get(stem)
                if flags is None or flag not in flags or "%" in flags or "!" in flags:
                    continue
                if cond_re.search(stem):
                    return True
        return False

    def is_compound(self, w: str) -> bool:
        """True if ``w`` ends in a Swedish word of at least 5 letters
        ("sätraskolan" -> "skolan", "integrationsforum" -> "forum"), or is
        two Swedish words of at least 4 letters each, with or without a
        linking s ("lägesbild" -> "läge" + s + "bild")."""
        for i in range(2, len(w) - 4):
            if self.is_word(w[i:]):
                return True
        for i in range(4, len(w) - 3):
            if self.is_word(w[i:], plain=False) and (
                self.is_word(w[:i], plain=False) or (w[i - 1] == "s" and self.is_word(w[:i - 1], plain=False))
            ):
                return True
        return False


def _faker_tokens() -> tuple[set[str], set[str]]:
    """(all name tokens, tokens that are names also in lower case), lower-cased."""
    names: set[str] = set()
    # Names that are also recognised in lower case ("fatima berättade"):
    # first names, and surnames except those of English and Dutch locales,
    # which are mostly English/Dutch words ("case", "field").
    lower_ok: set[str] = set()
    nordic = {"sv_SE", "da_DK", "no_NO", "fi_FI", "is_IS"}
    wordy_surnames = {"en", "en_US", "en_GB", "en_IE", "en_NZ", "ga_IE", "nl_NL", "nl_BE"}
    for locale, (firsts, lasts) in _faker_name_tokens().items():
        for is_first, entries in ((True, firsts), (False, lasts)):
            for piece in _name_pieces(entries):
                if len(piece) == 2 and locale not in nordic:
                    continue
                lw = piece.lower()
                names.add(lw)
                if is_first or locale not in wordy_surnames:
                    lower_ok.add(lw)
    return names, lower_ok


def _name_pieces(entries):
    """The Latin-script tokens of Faker name entries ("Anna-Karin" gives
    "Anna-Karin", "Anna" and "Karin"; Cyrillic ones transliterated)."""
    for entry in entries:
        for part in entry.split():
            pieces = [part] + (part.split("-") if "-" in part else [])
            for piece in (v for p in pieces for v in cyrillic_variants(p)):
                if len(piece) >= 2 and is_latin(piece) and _LATIN_OK.match(piece.replace("-", "")):
                    yield piece


class NameData:
    """Everything the name recognizer (and the case-number recognizer's
    filler check) looks up. Built once per process; read-only afterwards."""

    def __init__(self) -> None:
        lexicon = Lexicon(*_hunspell_paths())
        self.lexicon = lexicon
        names, lower_ok = _faker_tokens()
        self.supplement = frozenset(w.lower() for w in read_list(DATA_DIR / "name_supplement.txt"))
        names |= self.supplement
        lower_ok |= self.supplement
        names |= {fold(n) for n in names}
        lower_ok |= {fold(n) for n in lower_ok}
        names -= NOT_NAMES
        self.names = frozenset(names)
        self.lower_ok = frozenset(lower_ok - NOT_NAMES - ENGLISH_WORDS - COMMON_WORDS)
        self._read_allowed()
        # Acronyms that a name dictionary also has ("NOA", "IVO", "ICA"):
        # not names when written in capitals, still names as "Noa", "Ivo".
        self.acronyms = frozenset(w.lower() for w in read_list(DATA_DIR / "acronyms.txt"))
        # Name tokens that are also ordinary Swedish words ("per", "linnea", "berg").
        self.ambiguous = frozenset(
            n for n in self.names if n in SOFT_STOP or n in HARD_STOP or lexicon.is_word(n, plain=False)
        )
        self._unknown: dict[tuple[str, bool], bool] = {}
        #: memos of the name recognizer (words that need no closer look)
        self.inert_lower: set[str] = set()
        self.word_class: dict[str, int] = {}
        self.chunk_kinds: dict[str, int] = {}

    def _read_allowed(self) -> None:
        """allowed_terms.txt: a one-word line allows that word. A line of
        several words ("Sharaf Hjältar", "Länsstyrelsen Gävleborg") allows the
        whole phrase; each of its words is also allowed on its own unless it
        is a person name ("Sharaf" alone stays a name)."""
        allowed: set[str] = set()
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for line in read_list(DATA_DIR / "allowed_terms.txt"):
            words_ = line.lower().split()
            if len(words_) > 1:
                for variant in {tuple(words_), tuple(fold(w) for w in words_)}:
                    phrases.setdefault(variant[0], set()).add(variant)
            for word in words_:
                if len(words_) > 1 and (word in self.names or fold(word) in self.names):
                    continue
                allowed.add(word)
                allowed.add(fold(word))
        self.allowed = frozenset(allowed)
        self.phrases = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in phrases.items()}
        self.phrase_heads = frozenset(self.phrases)

    def unknown_name(self, lw: str, capitalised: bool = True) -> bool:
        """A word outside the name dictionary that is no Swedish word,
        compound, or known non-person proper noun (place, organisation,
        brand) of the lexicon. Flag-less lexicon entries count as words only
        for lower-case tokens (they include lower-cased names). Memoised."""
        key = (lw, capitalised)
        hit = self._unknown.get(key)
        if hit is None:
            hit = self._looks_like_unknown_name(lw, capitalised)
            if len(self._unknown) < 100_000:
                self._unknown[key] = hit
        return hit

    def _looks_like_unknown_name(self, lw: str, capitalised: bool) -> bool:
        lex = self.lexicon
        if lw in lex.places or lw in self.allowed or lw in HARD_STOP or lw in SOFT_STOP or lw in COMMON_WORDS:
            return False
        plain = not capitalised
        if lex.is_word(lw, plain) or lex.is_compound(lw):
            return False
        if lw.endswith("s") and (
            lw[:-1] in lex.places or lw[:-1] in self.allowed or lex.is_word(lw[:-1], plain)
        ):
            return False
        return True


_DATA: NameData | None = None
_DATA_LOCK = threading.Lock()


def data() -> NameData:
    """The process-wide lexicon, loaded on first use (thread-safe)."""
    global _DATA
    if _DATA is None:
        with _DATA_LOCK:
            if _DATA is None:
                _DATA = NameData()
    return _DATA
