"""Acronyms for the ear: which are said as words (NATO), which letter by letter (FBI), and how.

The known exceptions are data (``data/lexicon/acronyms-*-en.txt``); the rest follow a
pronounceability rule on English onsets and codas.
"""

from __future__ import annotations

import re

from ..lazy import lazy_import
from ..lexicon import word_list

num2words_lib = lazy_import("num2words")  # its language tables load on first use (0.07 s)

SAID_AS_WORDS = frozenset(word_list("acronyms-said-en"))
SPELLED = frozenset(word_list("acronyms-spelled-en"))
ROMAN = {"II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "XI": 11, "XII": 12}
VOWELS = set("AEIOUY")
# Consonant clusters that may open (ONSETS) or close (CODAS) a spoken English syllable.
ONSETS = frozenset(
    "BL BR CH CL CR DR FL FR GL GR KL KR PL PR QU SC SH SK SL SM SN SP ST SW TH TR TW WH WR".split()
)
CODAS = frozenset(
    "CH CK CT DS FT GS KS LD LF LK LL LM LP LS LT MP MS ND NG NK"
    " NS NT PS PT RB RC RD RK RM RN RP RS RT SH SK SP SS ST TH TS".split()
)


def said_as_word(acronym: str) -> bool:
    """Whether people say an all-capitals acronym as a word (NATO) rather than letters (FBI)."""
    if acronym in SAID_AS_WORDS:
        return True
    if acronym in SPELLED or len(acronym) < 4:
        return False
    if sum(ch in VOWELS for ch in acronym) < 2:
        return False
    runs = re.findall(r"[^AEIOUY]+", acronym)
    if any(len(r) > 2 for r in runs):
        return False
    head = re.match(r"[^AEIOUY]*", acronym).group(0)
    tail = re.search(r"[^AEIOUY]*$", acronym).group(0)
    return (len(head) < 2 or head in ONSETS) and (len(tail) < 2 or tail in CODAS)


def spell_letters(acronym: str) -> str:
    """Letters an engine spells one by one; an "A" is hyphen-joined since espeak reads a lone A as "uh"."""
    if "A" in acronym:
        return "-".join(acronym)
    return " ".join(acronym)


def spoken_acronyms(text: str) -> str:
    def roman(m: re.Match) -> str:
        name, numeral = m.group(1), m.group(2)
        if name in ("War", "Phase", "Part", "Chapter", "Act", "Volume", "Type"):
            return f"{name} {num2words_lib.num2words(ROMAN[numeral])}"
        return f"{name} the {num2words_lib.num2words(ROMAN[numeral], to='ordinal')}"

    text = re.sub(rf"\b([A-Z][a-z]+) ({'|'.join(ROMAN)})\b", roman, text)

    def acronym(m: re.Match) -> str:
        word, tail = m.group(1), m.group(2) or ""
        if said_as_word(word):
            return word.capitalize() + tail
        spelled = spell_letters(word)
        if tail == "s":
            tail = "'s"  # "CEOs" → "C E O's" (an engine reads a lone "Os" as "oss")
        return spelled + tail

    text = re.sub(r"\b([A-Z]{2,})('s|s)?\b", acronym, text)
    # "U S-brokered": the hyphen after spelled letters only glues a letter to a word.
    return re.sub(r"\b([A-Z]) ?-(?=[a-z])", r"\1 ", text)
