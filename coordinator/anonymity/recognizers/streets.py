"""Pattern parts shared by the address and postcode recognizers: street-name
suffixes and street-type words, towns, postcodes."""

from __future__ import annotations

from ..patterns import DASH, LC, SP, UC

# Suffixes that (almost) only occur in street names: allowed in lower case too.
STREET_SAFE = (
    "gatan|vägen|gränd|gränden|stigen|backen|torget|allén|allen|alléen|leden|"
    "stråket|esplanaden|promenaden|slingan|kajen|gången|liden|höjden|svängen|avenyn|aveny|"
    "gata|väg"
)
# Suffixes that are also ordinary nouns ("handlingsplan 2"): capitalised only.
STREET_RISKY = "plan|torg|ringen|bron|stranden|udden|kroken|parken|platsen|backe|plats|vall|hagen|gärdet"
# Street types written as a word of their own after one or two words
# ("Olof Palmes gata", "Gamla vägen").
STREET_TYPE_WORDS = (
    "väg|vägen|gata|gatan|gränd|gränden|backe|backen|allé|allén|plats|platsen|torg|torget|stig|stigen|"
    "led|leden|park|parken|strand|stranden|kaj|kajen|esplanaden|promenaden|aveny|avenyn|hage|hagen|"
    "gången|stråket|ringen|liden|höjden|slingan|udden|bron"
)
# Every ending the word right before a house number can have.
STREET_ENDINGS = tuple(
    sorted({*STREET_SAFE.split("|"), *STREET_RISKY.split("|"), *STREET_TYPE_WORDS.split("|"), "g.", "v."})
)

TOWN = (
    "(?:(?:Norra|Södra|Östra|Västra|Stora|Lilla|Upplands|Sankt)" + SP + "[" + UC + "][" + LC + "]+"
    "|[" + UC + "][" + LC + "]+(?:-[" + UC + "][" + LC + "]+)?"
    "|[" + UC + "]{3,}(?:-[" + UC + "]{3,})?)"
)
# Country prefix: "SE-803 20", "SE 80320", and the older "S-803 20".
PC_PREFIX = "(?:SE" + DASH + "?" + SP + "?|S" + DASH + SP + "?)"
POSTCODE_CORE = PC_PREFIX + "?[1-9]\\d{2}" + SP + "?\\d{2}(?!\\d)"
