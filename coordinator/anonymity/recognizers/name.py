"""Probable person names (a warning: the officer decides).

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

Context that makes a word a name (word lists in ``data/words/``):
* before it: a naming cue ("heter"), a greeting or sign-off ("Hej", "Mvh"),
  a header label with a colon ("Till:", "Ansv:"), a role title ("rektor
  Berg", "kurator johan": even a Swedish word or a lower-case name), a
  relation ("mormor Maj", "flickan X");
* after it: a speech or subject verb, an age, a birth date, a personnummer
  cue, a relation in brackets or after a comma, a school class ("Liv i 8A"),
  a workplace ("Bo på fritidsgården", "ringa lena på soc", "glöm inte: stig
  från frälsningsarmén"), a kinship or identity noun after a genitive
  ("Yusras pnr", "Jockes farsa"), the name in brackets after a nickname
  ("abbe (abdirahman)"), an age in brackets ("jonte (nyss 16)");
* in lower-case notes: "fam X", and a note's subject at a sentence start
  ("obs! hodan har bytt nr"), unless it is a clipped compound;
* a word taken as a name once is a name wherever it occurs in the text;
and never names: role and kinship words themselves, months and weekdays
(when used as such), mixed-case acronyms ("BoU"), abbreviations before a
colon ("Pat:"), endings after a number ("9:orna"), compounds of a proper
noun or acronym with an ordinary word ("SSPF-möte"), a capitalised word
before an institution noun ("Stenbergska skolan"), English words next to
English words ("My dad", "the girl who ran away"; ``english_context.txt``).

Speed: a text whose whitespace-separated chunks are all known to be quiet is
done after one split and one lookup per chunk; otherwise it is tokenised once
(:mod:`..tokens`) and only the tokens that could be names in some context
(memoised per word: one dict or set lookup) get a closer look.
"""

from __future__ import annotations

import re

from ..lexicon import COMMON_WORDS, HARD_STOP, SOFT_STOP, NameData, data
from ..patterns import SP
from ..tokens import Tokens
from ..wordlists import words
from .base import Context, Recognizer

NAMING_CUES = words("naming_cues")
RELATION_CUES = words("relation_cues")
SPEECH_VERBS = words("speech_verbs")
SUBJECT_VERBS = SPEECH_VERBS | words("subject_verbs")
PERSON_OBJECT_VERBS = words("person_object_verbs")
KIN_NOUNS = words("kin_nouns") | words("identity_nouns")
ROLE_TITLES = words("role_titles")
CALENDAR = words("calendar_words")
INSTITUTIONS = words("institution_nouns")
# Words for people's roles and relations are never names themselves ("Polis
# träffade ...", "bror 22 år"), nor are their genitives ("Mormors").
PERSON_NOUNS = ROLE_TITLES | RELATION_CUES | words("kin_nouns")
# ... and with a genitive -s, in one set.
_PERSON_NOUN_FORMS = PERSON_NOUNS | {w + "s" for w in PERSON_NOUNS}
GREETINGS = words("greetings")
LABELS = words("label_cues")
# Words right before a name that can make even an allowed word one ("mormor Maj").
_PERSON_CUES = ROLE_TITLES | RELATION_CUES
_AT_ORG = frozenset("på från vid hos".split())
# Words before "X på <workplace>" that make X a caller, not a verb ("ringde per på polisen").
_CONTACT = words("contact_verbs")
CLOSE_KIN = words("close_kin")
PLACE_PREPS = words("place_prepositions")
NAME_PARTICLES = words("name_particles")
ABBREVIATIONS = words("abbreviations")
ENGLISH = words("english_context")
_AND = ("och", "eller", "samt")
_POSSESSIVES = ("hans", "hennes", "hens", "sin", "sitt", "sina")
_SPACE = (" ", "\u00a0")
_SENTENCE_END = frozenset(".!?…\n\r\t•·*–—-;")
_OPENERS = frozenset("\"'“”„«»([")
# What right after a word says it is a person: an age ("Fiyori, 15 år",
# "Tom (15)"), a birth date or personnummer ("Haben, f. 2009", "Hibaq, pnr",
# "kasia (f. 2009-10-12)"), a relation in brackets or after a comma
# ("Warsame (pappa)", "wojtek (bror 17 år)", "warsan, lillasyster"), a school
# class ("Liv i 8A").
_KIN_ALT = "|".join(sorted(words("identity_relations"), key=len, reverse=True))
# An age in brackets, also "(nyss 16)", "(snart 15 år)", "(ca 17)".
_BRACKETED_AGE = (
    SP + r"*\((?:(?:nyss|snart|ca\.?|cirka|typ|knappt|drygt|bara)" + SP + r"+)?\d{1,2}(?:" + SP + r"*år)?\)"
)
_AGE_RE = re.compile(r",?" + SP + r"*\(?\d{1,2}" + SP + r"*(?:år|åring)\b|" + _BRACKETED_AGE)
_AGE_AFTER_RE = re.compile(
    r",?" + SP + r"*\(?\d{1,2}" + SP + r"*(?:år|åring)\b"
    r"|" + _BRACKETED_AGE
    + r"|" + SP + r"+(?:f\." + SP + r"*|född" + SP + r"+)\d"
    r"|" + SP + r"*\((?:f\.|född|pnr|(?:" + _KIN_ALT + r")\b)"
    r"|," + SP + r"*(?:f\." + SP + r"*\d|född\b|pnr\b|personnummer\b|(?:" + _KIN_ALT + r")\b(?!" + SP + r"+\w))"
    r"|" + SP + r"+i" + SP + r"+[1-9][A-Fa-f]\b"
)
_PARTS_RE = re.compile(r"[-'’]")


def sentence_start(text: str, start: int) -> bool:
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
        if text[j:i].lower() in ABBREVIATIONS:
            return False
    return ch in _SENTENCE_END


def name_kind(d: NameData, lw: str, lower: bool = False) -> int:
    """0 = not in the name dictionary, 1 = name, 2 = name that is also a
    Swedish word (needs context). ``lower``: the token is written in lower
    case, so only names eligible in lower case count."""
    names = d.lower_ok if lower else d.names
    if lw in COMMON_WORDS:
        return 0
    if lw in names:
        return 2 if lw in d.ambiguous else 1
    if len(lw) > 3 and lw[-1] == "s" and lw[:-1] in names:  # genitive "Ahmeds"
        return 2 if lw[:-1] in d.ambiguous or d.lexicon.is_word(lw, plain=False) else 1
    if "-" in lw or "'" in lw or "’" in lw:
        parts = [p for p in _PARTS_RE.split(lw) if p]
        if parts and any(len(p) >= 3 and p in d.names for p in parts) and all(
            p in d.names or p in NAME_PARTICLES for p in parts
        ):
            return 1
    return 0


# What a word needs, whatever its context (memoised per word as written):
_LOOK = 1  # a closer look, always
_UNLESS_NAMING = 2  # nothing, unless a naming cue comes before ("heter Alma")
_UNLESS_KIN = 3  # nothing, unless a naming cue before or a close relative after ("Linas mamma")
_LOWER_CUED = 4  # a lower-case name that is also a word: only with a cue right next to it


def _word_class(d: NameData, word: str, lw: str, inflected: bool) -> int:
    """0 when no context can make ``word`` (part of) a name, else one of the
    classes above."""
    if not word[0].isupper():
        if inflected or lw in CALENDAR or not 3 <= len(lw) <= 40 or lw in HARD_STOP:
            return 0
        if lw in d.acronyms or lw in d.allowed:
            return 0  # "bou", "ica", "ifo": an acronym written in lower case
        kind = name_kind(d, lw, True)
        if kind == 2:
            return _LOWER_CUED  # "per", "bror", "dag": only a cue next to it makes it a name
        # a lower-case word of three letters outside the name dictionary is
        # an abbreviation ("vbe", "brb", "osl"), not a name
        return _LOOK if kind or (len(lw) > 3 and d.unknown_name(lw, False)) else 0
    if inflected:
        return _LOOK
    if allcaps(word):
        # only a name that is recognised in lower case can be one in capitals
        return _LOOK if name_kind(d, lw, lower=True) else 0
    if lw in HARD_STOP and lw not in d.names:
        return 0  # "Hon", "Vi", "Alla": never names when capitalised either
    if mixed_acronym(word):
        return _UNLESS_NAMING
    if lw in d.allowed:
        # an allowed term that is also a name ("Alma", "Sol", "Maj") needs a
        # closer look: a cue before or after can make it a name
        return _LOOK if lw in d.names else _UNLESS_NAMING
    if name_kind(d, lw) or (len(lw) >= 3 and d.unknown_name(lw)):
        return _LOOK
    return _UNLESS_KIN if lw[-1] == "s" else _UNLESS_NAMING


def _active(tk: Tokens, d: NameData) -> list[int]:
    """The tokens worth a closer look: capitalised ones that could be names
    in their context, and lower-case ones that are names or unknown words.
    Lower-case words that can never be names are remembered in
    ``d.inert_lower`` and skipped with one set lookup (both memos are
    bounded, and only ever hold pure answers, so threads may share them)."""
    inert, classes = d.inert_lower, d.word_class
    words, n = tk.words, tk.n
    out: list[int] = []
    lowers = None
    for i in [i for i, w in enumerate(words) if w not in inert]:
        w = words[i]
        cls = classes.get(w)
        if cls is None:
            base = tk.base(i)
            cls = _word_class(d, w, base, i in tk.inflected)
            if cls == 0 and w == base and len(inert) < 200_000:
                inert.add(w)
            elif len(classes) < 100_000:
                classes[w] = cls
        if cls == _LOOK:
            out.append(i)
        elif cls == _LOWER_CUED:
            if _lower_cue_near(tk, i):
                out.append(i)
        elif cls:
            if lowers is None:
                lowers = tk.lowers  # (one lower() of the whole text, kept for the rules)
            prev = lowers[i - 1] if i else ""
            if (
                prev in NAMING_CUES
                or (prev in _PERSON_CUES and tk.gaps[i] in _SPACE)
                or (cls == _UNLESS_KIN and i + 1 < n and lowers[i + 1] in CLOSE_KIN)
            ):
                out.append(i)
    return out


# The words before and after a lower-case ambiguous name that a rule looks at.
_LOWER_PREV_CUES = NAMING_CUES | GREETINGS | LABELS | ROLE_TITLES | _CONTACT
_LOWER_NEXT_CUES = SPEECH_VERBS | _AT_ORG | KIN_NOUNS | {"i"}


def _lower_cue_near(tk: Tokens, i: int) -> bool:
    """Could any rule for a lower-case ambiguous name fire here? (A cheap
    superset of the cues that _classify_lower looks at.)"""
    if i and tk.lower(i - 1) in _LOWER_PREV_CUES:
        return True
    if i + 1 >= tk.n:
        return False
    after = tk.gaps[i + 1]
    return tk.lower(i + 1) in _LOWER_NEXT_CUES or after[:1] in ",(" or after[:2] == " (" or after[1:2].isdigit()


def allcaps(word: str) -> bool:
    """Capitals, also with a plural/genitive ending: "CVE", "CVE:s", "POSTs"."""
    core = word.split(":")[0] if ":" in word else word
    if len(core) > 2 and core[-1] == "s" and core[:-1].isupper():
        core = core[:-1]
    return len(core) > 1 and core.isupper()


class _State:
    """What the classification of one text has decided so far."""

    __slots__ = ("flagged", "candidate", "place", "phrase")

    def __init__(self, phrase: set[int]) -> None:
        self.flagged: set[int] = set()
        self.candidate: set[int] = set()  # a name if a neighbour is one ("Hibo och Sayed")
        self.place: set[int] = set()  # taken as a place ("till London och Paris")
        self.phrase = phrase  # inside a multi-word allowed term

    def acronym(self, tk: Tokens, i: int) -> bool:
        """"CVE", "BUP": capitals that are no name."""
        return allcaps(tk.words[i]) and i not in self.flagged


def allowed_phrases(d: NameData, tk: Tokens) -> set[int]:
    """Tokens inside a multi-word allowed term ("Sharaf Hjältar", "Region
    Gävleborg"), matched word by word across single spaces; the last word may
    carry a genitive -s ("Sharaf Hjältars")."""
    inside: set[int] = set()
    lowers = tk.lowers
    for head in d.phrase_heads.intersection(lowers):  # (usually none; the positions by list.index)
        i = -1
        while True:
            try:
                i = lowers.index(head, i + 1)
            except ValueError:
                break
            for phrase in d.phrases[head]:
                if _phrase_at(tk, i, phrase):
                    inside.update(range(i, i + len(phrase)))
                    break
    return inside


def _phrase_at(tk: Tokens, i: int, phrase: tuple[str, ...]) -> bool:
    if i + len(phrase) > tk.n:
        return False
    last = len(phrase) - 1
    for k in range(1, len(phrase)):
        w = tk.lowers[i + k]
        if tk.gaps[i + k] not in _SPACE:
            return False
        if not (w == phrase[k] or (k == last and (w in (phrase[k] + "s", phrase[k] + ":s") or w.startswith(phrase[k] + "-")))):
            return False
    return True


def _label_before(prev: str, gap: str) -> bool:
    """"Hej Mats!", "Mvh\nKarin", "Till: Ida": a greeting or a label."""
    if prev in GREETINGS:
        return gap.strip(" ,\n\r\u00a0") == ""
    return prev in LABELS and ":" in gap and gap.strip(": \n\u00a0") == ""


class _Cues:
    """The context of token i that the rules look at. The costlier cues
    (what follows the word) are computed when a rule first asks."""

    __slots__ = ("tk", "d", "i", "lw", "cap", "prev", "nxt", "naming", "relation", "role", "_lazy")

    def __init__(self, tk: Tokens, d: NameData, i: int) -> None:
        self.tk, self.d, self.i = tk, d, i
        self.lw = tk.bases[i]
        self.cap = tk.words[i][0].isupper()
        prev = self.prev = tk.lowers[i - 1] if i else ""
        # The next word counts as a verb cue only if it is written in lower
        # case right after this one ("Per berättar", not "klass SA").
        nxt = ""
        if i + 1 < tk.n and tk.gaps[i + 1] in _SPACE and tk.words[i + 1].islower():
            nxt = tk.lowers[i + 1]
        self.nxt = nxt
        gap = tk.gaps[i]
        self.naming = prev in NAMING_CUES or ((prev in GREETINGS or prev in LABELS) and _label_before(prev, gap))
        self.role = prev in ROLE_TITLES and gap in _SPACE
        self.relation = self.role or prev in RELATION_CUES
        self._lazy: dict = {}

    @property
    def age_after(self) -> bool:
        """An age, birth date, relation or class right after the word."""
        hit = self._lazy.get("age")
        if hit is None:
            hit = self._lazy["age"] = _AGE_AFTER_RE.match(self.tk.text, self.tk.ends[self.i]) is not None
        return hit

    @property
    def age_only(self) -> bool:
        """An age right after the word ("Fiyori, 15 år"), nothing else."""
        return self.age_after and _AGE_RE.match(self.tk.text, self.tk.ends[self.i]) is not None

    @property
    def at_org(self) -> bool:
        """"Bo på fritidsgården ringde", "ebba på BoU": a person at a place
        of work (a capitalised word or a definite noun after "på", "från")."""
        tk, i = self.tk, self.i
        if self.nxt not in _AT_ORG or i + 2 >= tk.n or tk.gaps[i + 2] not in _SPACE:
            return False
        if self.prev in _CONTACT:
            return True  # "ringa lena på soc"
        return (tk.words[i + 2][0].isupper() or tk.words[i + 2].endswith(("en", "n", "et"))) and (
            sentence_start(tk.text, tk.starts[i]) or tk.gaps[i].rstrip(" ").endswith(":")
        )  # "Bo på fritidsgården ringde", "glöm inte: stig från frälsningsarmén"

    @property
    def genitive(self) -> bool:
        """"Hibos bror": a genitive before a kinship noun. "Hans mamma" is no
        cue: "hans" is itself a word (the pronoun), not a name + s."""
        lw = self.lw
        return self.nxt in KIN_NOUNS and lw.endswith(("s", "x", "z")) and lw not in SOFT_STOP and lw not in HARD_STOP

    @property
    def person_genitive(self) -> bool:
        """Even a Swedish word is a name in "Linas mamma", "Ammars pappa":
        capitalised, genitive, before a close relative, and not the genitive
        of a definite noun ("Flickans mamma", "Barnets pappa")."""
        lw = self.lw
        base = lw[:-1]
        return (
            self.cap
            and self.nxt in CLOSE_KIN
            and self.genitive
            and lw.endswith("s")
            and not (base.endswith(("n", "t", "na")) and self.d.lexicon.is_word(base))
        )


def _skipped(tk: Tokens, d: NameData, st: _State, i: int) -> bool:
    """Tokens that are never names whatever their context."""
    lw = tk.bases[i]
    text = tk.text
    end = tk.ends[i]
    if not 2 <= len(lw) <= 40 or i in tk.inflected:
        return True
    if end + 1 < len(text) and text[end] == "." and text[end + 1].isalpha():
        return True  # an abbreviation: "org.nr", "t.ex", "bl.a"
    gap = tk.gaps[i]
    if gap.endswith((":", "-")) and tk.starts[i] >= 2 and text[tk.starts[i] - 2].isdigit():
        return True  # an ending after a number: "9:orna", "1:an", "14-åring"
    if lw in HARD_STOP and (
        not tk.words[i][0].isupper()
        or lw not in d.names
        or sentence_start(text, tk.starts[i])
        or gap.rstrip(" \u00a0").endswith(":")  # "Ämne: Nya rutiner", "Till: Alla"
    ):
        return True
    return False


def mixed_acronym(word: str) -> bool:
    """"BoU", "SoN", "BrB", "SiS": a short abbreviation with a capital inside."""
    return 3 <= len(word) <= 5 and word[0].isupper() and not word.isupper() and any(ch.isupper() for ch in word[1:])


def _allowed(tk: Tokens, d: NameData, st: _State, i: int, c: _Cues) -> bool:
    """An allowed term (place, organisation, role) or a compound of one with
    ordinary words ("Newroz-fest"), unless a naming cue says otherwise."""
    lw = c.lw
    if lw in _PERSON_NOUN_FORMS or mixed_acronym(tk.words[i]):
        return True  # "Mvh\nMentor, åk 8", "Polis i Andersberg", "Mormors", "BoU"
    if c.naming:
        return False  # "heter Alma"
    if lw in LABELS and tk.gaps[i + 1].startswith(":"):
        return True  # "Pat: Amani Saleh", "Ansv: Lena"
    if lw in d.names and (c.role or c.relation or c.age_after):
        return False  # "kurator Lund", "mormor Maj", "Sol (14)"
    if lw in d.allowed or i in st.phrase:
        return True
    if c.cap and i + 1 < tk.n and tk.gaps[i + 1] in _SPACE and tk.words[i + 1] in INSTITUTIONS and not c.relation:
        return True  # "Stenbergska skolan", "Gävle kommun"
    if "-" in lw:
        head, _, rest = lw.partition("-")
        tail = rest.split("-")
        if all(d.lexicon.is_word(p) or p in d.allowed for p in tail):
            # "Newroz-fest", "SSPF-möte", "K-nr", "Boss-tröjor": a proper noun,
            # an acronym or a letter joined to an ordinary word
            if head in d.allowed or len(head) == 1 or tk.words[i].split("-")[0].isupper():
                return True
            if head not in d.names and len(tail[-1]) >= 3 and tail[-1] not in d.names:
                return True
    return False


def _in_org_name(tk: Tokens, d: NameData, st: _State, i: int, prev: str) -> bool:
    """A capitalised word right after an acronym or an allowed proper noun
    belongs to that name: "ICA Maxi", "Gävle Strand", "Brynäs IF"."""
    if i == 0 or tk.gaps[i] != " ":
        return False
    if st.acronym(tk, i - 1) and prev not in HARD_STOP:
        return True
    return tk.words[i - 1][0].isupper() and prev in d.allowed and prev not in RELATION_CUES


def _english(tk: Tokens, i: int) -> bool:
    """An English word next to another one: English text ("My dad", "the
    girl who ran away"), not a name."""
    return tk.lowers[i] in ENGLISH and (tk.lower(i - 1) in ENGLISH or tk.lower(i + 1) in ENGLISH)


def _classify(tk: Tokens, d: NameData, st: _State, i: int) -> None:
    if _skipped(tk, d, st, i) or _english(tk, i):
        return
    c = _Cues(tk, d, i)
    if _allowed(tk, d, st, i, c):
        return
    word = tk.words[i]
    if allcaps(word):
        _classify_capitals(tk, d, st, i, c)
        return
    kind = name_kind(d, c.lw, lower=not c.cap)
    if not c.cap:
        if len(c.lw) >= 3:
            _classify_lower(d, st, i, c, kind)
        return
    if c.lw in CALENDAR and not (c.naming or c.relation) and _calendar_use(tk, i):
        return  # "Jan. och Aug.", "10 Jan", "Tors 14/3"
    if not c.role and _in_org_name(tk, d, st, i, c.prev) and not c.naming and kind != 1:
        return
    if sentence_start(tk.text, tk.starts[i]):
        _classify_sentence_start(d, st, i, c, kind, word)
    else:
        _classify_running(tk, d, st, i, c, kind, word)


def _calendar_use(tk: Tokens, i: int) -> bool:
    """A month or weekday used as one: at a sentence start, before a period
    or a number, or after a number."""
    text, end = tk.text, tk.ends[i]
    after = text[end:end + 2].lstrip(" ")
    return (
        sentence_start(text, tk.starts[i])
        or after[:1] in (".", "")
        or after[:1].isdigit()
        or tk.gaps[i].strip(" ").isdigit()
        or (i > 0 and tk.gaps[i].strip(" \u00a0,") == "" and tk.bases[i - 1] in CALENDAR)
    )


def _classify_capitals(tk: Tokens, d: NameData, st: _State, i: int, c: _Cues) -> None:
    """Capitals: an acronym (CVE, RFSL, BUP), unless it is a dictionary name
    and no known acronym ("AHMED har inte kommit"). Capitals say nothing
    about the word, so only names that are recognised in lower case count
    (not English surnames such as "KEY", "LONG"), and a name that is also a
    Swedish word ("MAX", "BO") needs a cue."""
    word = tk.words[i]
    core = word.split(":")[0] if ":" in word else word
    if len(core) > 2 and core[-1] == "s" and core[:-1].isupper():
        core = core[:-1]
    kind = name_kind(d, c.lw, lower=True)
    if (
        len(_PARTS_RE.split(core)[0]) >= 3
        and kind
        and (c.naming or core.lower() not in d.acronyms)
        and not (c.lw in d.lexicon.places and c.prev in PLACE_PREPS)
        and (kind == 1 or c.naming or c.nxt in SPEECH_VERBS or c.age_after or c.relation or c.person_genitive)
    ):
        st.flagged.add(i)


def _classify_running(tk: Tokens, d: NameData, st: _State, i: int, c: _Cues, kind: int, word: str) -> None:
    """A capitalised word in running text."""
    lw, prev = c.lw, c.prev
    if kind:
        # "bor i Lund", "till London och Paris": a known place after a
        # preposition, or listed with one.
        if lw in d.lexicon.places and not c.age_after and not c.role and tk.text[tk.ends[i]:tk.ends[i] + 1] != ":" and (
            prev in PLACE_PREPS
            or (i >= 2 and (i - 2) in st.place and prev in _AND)
            or (i >= 1 and (i - 1) in st.place and tk.gaps[i] == ", ")
        ):
            st.place.add(i)
            return
        st.flagged.add(i)
    elif c.person_genitive or (
        (c.role or (c.relation and c.age_after))
        and lw not in d.lexicon.places
        and lw not in CALENDAR
        and not d.lexicon.is_compound(lw)
    ):
        st.flagged.add(i)  # "Linas mamma", "rektor Berg", "kommunpolis Hed", "Eleven Tuba (18 år)"
    elif len(lw) >= 3 and not (word.endswith(":s") and len(lw) <= 3) and d.unknown_name(lw):
        # (":s" after a short word marks an abbreviation: "Brå:s")
        # after a place preposition only a clear cue makes it a person (not
        # "på Stenbergska, född 2007": the birth date is someone else's)
        if prev not in PLACE_PREPS or c.naming or c.relation or c.age_only or c.genitive:
            st.flagged.add(i)
        st.candidate.add(i)


def _classify_sentence_start(d: NameData, st: _State, i: int, c: _Cues, kind: int, word: str) -> None:
    """A capitalised word at the start of a sentence, line or quote."""
    lw = c.lw
    if kind == 1 or c.person_genitive:
        st.flagged.add(i)
    elif kind == 2:
        if c.naming or c.nxt in SUBJECT_VERBS or c.age_after or c.genitive or c.at_org:
            st.flagged.add(i)  # "Per berättar", "Bo har pratat", "Tom (15)", "Bo på fritidsgården"
        st.candidate.add(i)
    elif len(lw) >= 3 and not (word.endswith(":s") and len(lw) <= 3) and d.unknown_name(lw):
        if c.naming or c.age_after or c.genitive or c.nxt in SUBJECT_VERBS:
            st.flagged.add(i)
        st.candidate.add(i)


def _classify_lower(d: NameData, st: _State, i: int, c: _Cues, kind: int) -> None:
    """A word in lower case."""
    if kind == 1:
        st.flagged.add(i)
    elif kind == 2:
        # "fatima berättar", "kurator lisa", "ringde per på polisen", "tom (15)"
        speech = c.nxt in SPEECH_VERBS and c.prev not in PLACE_PREPS and c.prev != "om"  # not "i dag berättat"
        if c.naming or speech or c.role or c.at_org or c.age_after or c.genitive:
            st.flagged.add(i)
    elif d.unknown_name(c.lw, False):
        if (
            c.naming or c.nxt in SPEECH_VERBS or c.age_after or c.prev in PERSON_OBJECT_VERBS
            or (c.relation and c.tk.gaps[i] in _SPACE) or c.genitive or c.prev == "enligt"
            # "obs! hodan har bytt nr": a note's subject (not a clipped
            # compound such as "ungdomsmott ringde")
            or (
                c.nxt in SUBJECT_VERBS
                and sentence_start(c.tk.text, c.tk.starts[i])
                and not _clipped_compound(d, c.lw)
            )
        ):
            st.flagged.add(i)
        st.candidate.add(i)


def _clipped_compound(d: NameData, lw: str) -> bool:
    """A Swedish word of at least four letters begins it: an abbreviated
    compound of a telegraphic note ("ungdomsmott", "socsekr")."""
    return any(d.lexicon.is_word(lw[:k], plain=False) for k in range(4, len(lw) - 1))


def _coordinate(tk: Tokens, st: _State) -> None:
    """Coordination: "Hibo och Sayed", "Sayed och Hibo", and "Donya och
    hennes syster": someone with a sister is a person."""
    lowers, n = tk.lowers, tk.n
    for i in sorted(st.candidate - st.flagged):
        for j, link in ((i + 2, i + 1), (i - 2, i - 1)):
            if 0 <= j < n and j in st.flagged and lowers[link] in _AND:
                st.flagged.add(i)
                break
        if (
            i + 3 < n
            and lowers[i + 1] == "och"
            and lowers[i + 2] in _POSSESSIVES
            and (lowers[i + 3] in KIN_NOUNS or lowers[i + 3] in RELATION_CUES)
        ):
            st.flagged.add(i)
        if i + 1 < n and (i + 1) in st.flagged and tk.gaps[i + 1].strip(" ") == "(" and tk.gaps[i + 2][:1] == ")":
            st.flagged.add(i)  # "abbe (abdirahman)": a nickname and the name in brackets


def _repeat_names(tk: Tokens, d: NameData, st: _State) -> None:
    """A word taken as a name once is a name wherever it occurs in the text
    ("stig från frälsningsarmén ... stig mobil 0738...", "tindras mamma ...
    tindra f. 2012"), unless it is a common word or an allowed term; a name
    that is also an everyday word ("stig", "per") only where it is written
    the same way."""
    names: dict[str, str | None] = {}
    flagged_bases = {tk.bases[i] for i in st.flagged}
    for i in st.flagged:
        base, word = tk.bases[i], tk.words[i]
        for w in (base, base[:-1] if len(base) > 4 and base[-1] == "s" else ""):
            if len(w) >= 3 and w not in HARD_STOP and w not in COMMON_WORDS and w not in d.allowed:
                names[w] = word if w in SOFT_STOP else None
    bases = tk.bases
    names = {w: written for w, written in names.items() if bases.count(w) > (w in flagged_bases)}
    if not names:
        return  # (the common case: each name once; list.count is C-level)
    for j, base in enumerate(bases):
        if base in names and j not in st.flagged and j not in st.phrase and j not in tk.inflected:
            written = names[base]
            if written is None or tk.words[j] == written:
                st.flagged.add(j)


def _takes_word_before(tk: Tokens, d: NameData, st: _State, i: int) -> bool:
    """At the start of a sentence a first name that is also a word ("Linnea",
    "Viktor") or an unknown word needs a cue; a surname found right after it
    is that cue: "Linnea Berg har ringt" is one name."""
    if i == 0 or (i - 1) in st.flagged or not tk.words[i][0].isupper() or tk.gaps[i] not in _SPACE:
        return False
    prev_word, base = tk.words[i - 1], tk.bases[i - 1]
    return (
        prev_word[0].isupper()
        and not st.acronym(tk, i - 1)
        and (i - 1) not in tk.inflected
        and (i - 1) not in st.phrase
        and base not in d.allowed
        and base not in HARD_STOP
        and base not in RELATION_CUES
        and base not in SUBJECT_VERBS
        and ((i - 1) in st.candidate or bool(name_kind(d, base)))
        and sentence_start(tk.text, tk.starts[i - 1])
    )


def _surname_follows(tk: Tokens, d: NameData, st: _State, j: int) -> int:
    """How many tokens after token j still belong to the name: 1 for a
    capitalised non-word ("Anna Stenbäck"), 2 for a particle and a name
    ("Omar al Bakr"), 0 when the name ends."""
    if tk.gaps[j + 1] not in (" ", "\u00a0", "-"):
        return 0
    if (j + 1) in st.flagged:
        return 1
    word, base = tk.words[j + 1], tk.bases[j + 1]
    if (
        word[0].isupper()
        and not word.isupper()
        and base not in d.allowed
        and (j + 1) not in st.phrase
        and (j + 1) not in tk.inflected
        and base not in HARD_STOP
        and base not in SUBJECT_VERBS
        and not d.lexicon.is_word(base)
    ):
        return 1
    if base in NAME_PARTICLES and j + 2 < tk.n and tk.words[j + 2][0].isupper() and (
        (j + 2) in st.flagged or name_kind(d, tk.bases[j + 2])
    ):
        return 2
    return 0


def _merge(tk: Tokens, d: NameData, st: _State) -> list[tuple[int, int]]:
    """Merge full names: "Fatima Ali Hassan", "Anna Stenbäck", "Omar al Bakr"."""
    spans = []
    last = -1
    for i in sorted(st.flagged):
        if i <= last:
            continue
        first = i - 1 if _takes_word_before(tk, d, st, i) else i
        j = i
        while j + 1 < tk.n:
            step = _surname_follows(tk, d, st, j)
            if not step:
                break
            j += step
        spans.append((tk.starts[first], tk.ends[j]))
        last = j
    return spans


# What a chunk (a run of non-space characters) can do, whatever its context:
_QUIET = 0  # nothing (and it has no word)
_KIN_TAIL = 1  # ends with a word that a close relative right after it makes a name ("Linas")
_KIN_HEAD = 2  # begins with a close relative ("mamma"), which can make the word before it a name
_ROLE_TAIL = 4  # ends with a role title ("rektor"), which can make the next word a name
_UNLESS_HEAD = 8  # begins with a capitalised word that a role title before it makes a name
_LOUD = 16  # may be a name, or make one (a naming cue, or one of the pairs above inside it)
_WORDS = 32  # has a word (a chunk without words does not part a genitive from "mamma")
_PAIRS = ((_KIN_TAIL, _KIN_HEAD), (_ROLE_TAIL, _UNLESS_HEAD))
_PAIR_BITS = _KIN_TAIL | _KIN_HEAD | _ROLE_TAIL | _UNLESS_HEAD


def _chunk_kind(d: NameData, chunk: str) -> int:
    tk = Tokens(chunk)
    kind = _WORDS if tk.n else _QUIET
    last = tk.n - 1
    for i, w in enumerate(tk.words):
        base = tk.base(i)
        low = tk.lower(i)
        cls = _word_class(d, w, base, i in tk.inflected)
        if cls in (_LOOK, _LOWER_CUED) or base in NAMING_CUES or low in NAMING_CUES:
            return _LOUD
        if cls == _UNLESS_KIN:
            if i < last:
                if tk.lower(i + 1) in CLOSE_KIN:
                    return _LOUD  # "Linas,mamma": the pair inside the chunk
            else:
                kind |= _KIN_TAIL
        if i == 0 and (base in CLOSE_KIN or low in CLOSE_KIN):
            kind |= _KIN_HEAD
        if i == 0 and cls and tk.gaps[0] == "":
            kind |= _UNLESS_HEAD
        if i == last and (base in _PERSON_CUES or low in _PERSON_CUES) and tk.gaps[-1] == "":
            kind |= _ROLE_TAIL
    return kind


def _pair_adjacent(kinds: list[int]) -> bool:
    """True if a chunk that ends a pair ("Linas", "rektor") is followed by
    one that begins its other half ("mamma", "Berg"): across chunks without
    words for a close relative, right after it for a role title."""
    last_chunk = last_words = 0
    for kind in kinds:
        if kind & _UNLESS_HEAD and last_chunk & _ROLE_TAIL:
            return True
        if kind:
            if kind & _KIN_HEAD and last_words & _KIN_TAIL:
                return True
            last_words = kind
        last_chunk = kind
    return False


def _quiet(d: NameData, text: str) -> bool:
    """The fast path: True if no whitespace-separated chunk of the text can
    be a name or make one (then the text need not be tokenised). What a
    chunk can do is remembered (bounded; it depends on the chunk alone) and
    looked up for all chunks at once; the pairs of chunks that can make a
    name are looked for in order only when both halves occur."""
    chunks = text.split()
    memo = d.chunk_kinds
    kinds = list(map(memo.get, chunks))  # (C-level)
    if None in kinds:
        for k, chunk in enumerate(chunks):
            if kinds[k] is None:
                kind = kinds[k] = _chunk_kind(d, chunk)
                if len(memo) < 600_000:
                    memo[chunk] = kind
    seen = 0
    for kind in set(kinds):
        seen |= kind
    if seen & _LOUD:
        return False
    if seen & _PAIR_BITS and any(seen & tail and seen & head for tail, head in _PAIRS):
        return not _pair_adjacent(kinds)
    return True


# Longer texts seldom have only quiet chunks: there the chunk check costs more
# than it saves, and they are tokenised at once (the same result).
_QUIET_MAX_LEN = 150


def find(ctx: Context) -> list[tuple[int, int]]:
    """Name spans in the normalised text."""
    d = data()
    if len(ctx.text) <= _QUIET_MAX_LEN and _quiet(d, ctx.text):
        return []
    tk = ctx.extra.get("tokens")
    if tk is None:
        tk = ctx.extra["tokens"] = Tokens(ctx.text, ctx.latin1)
    active = _active(tk, d)
    if not active:
        return []
    tk = tk.complete()
    st = _State(allowed_phrases(d, tk))
    for i in active:
        _classify(tk, d, st, i)
    if not st.flagged and not st.candidate:
        return []
    _coordinate(tk, st)
    _repeat_names(tk, d, st)
    return _merge(tk, d, st)


RECOGNIZER = Recognizer(
    kind="name",
    label="Troligt personnamn",
    blocking=False,
    rank=7,
    find=find,
    uses_lexicon=True,
)
