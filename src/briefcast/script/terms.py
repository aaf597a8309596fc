"""Content terms of a sentence: stopwords dropped, words stemmed, one token per country and
month however written or spoken, digit groups joined — so that the same fact meets itself."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import MONTHS, STOPWORDS

MONTH_NAMES = list(MONTHS)
COMMON_SHARE = 0.2  # a term in more sentences than this share is the topic, not a fact
KEY_TERMS = 3  # a sentence's key terms: its terms the article repeats most
ALIASES = [
    # One token per country however it is written or spoken ("U.S.", "US", "U S", "America").
    (
        re.compile(
            r"\b(?:U\.?\s?S\.?\s?A\b\.?|U\.\s?S\.|U\s?S\b|United States(?: of America)?"
            r"|Americans?\b|America\b)"
        ),
        " usa ",
    ),
    (re.compile(r"\b(?:U\.\s?K\.|U\s?K\b|United Kingdom|Britain|British)"), " britain "),
    (re.compile(r"\b(?:E\.\s?U\.|E\s?U\b|European Union)"), " eu "),
    (re.compile(r"\b(?:U\.\s?N\.|U\s?N\b|United Nations)"), " un "),
]
MONTH_ABBREVIATIONS = {m[:3]: m for m in MONTH_NAMES} | {"sept": "september"}
WEEKDAYS = set("monday tuesday wednesday thursday friday saturday sunday".split())
TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
VOWEL = re.compile(r"[aeiouy]")
POSSESSOR = re.compile(r"\b([A-Za-z0-9]+)['’]s(?=\s+[A-Za-z])")
# Suffixes that derive one word from another ("negotiation" / "negotiate", "security" / "secure"),
# longest first; each needs a stem of at least the given length left. Bolder ones ("-al", "-ic",
# "-ise") merged unrelated words and cost the benchmark ROUGE.
DERIVATIONAL = [
    ("lution", "lve", 2),
    ("ation", "", 3),
    ("ition", "", 3),
    ("ution", "", 3),
    ("ement", "", 4),
    ("ment", "", 4),
    ("ness", "", 3),
    ("ical", "ic", 3),
    ("ial", "", 4),
    ("ian", "", 3),
    ("ity", "", 4),
    ("ive", "", 4),
    ("ous", "", 4),
    ("ful", "", 3),
    ("ion", "", 3),
    ("ate", "", 4),
    ("ia", "", 3),
    ("ly", "", 3),
]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper, so that the forms of one word meet: "talks"/"talk",
    "attacked"/"attacks", "resolution"/"resolve", "Ukrainian"/"Ukraine", "territorial"/"territories"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    else:
        for suffix in ("ing", "ed"):
            rest = w[: -len(suffix)]
            if w.endswith(suffix) and len(rest) >= 3 and VOWEL.search(rest):
                w = rest
                if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]  # "planned" → "plan"
                elif w.endswith(("at", "iz", "is")):
                    w += "e"  # "negotiating" → "negotiate"
                break
    for _ in range(2):  # "national" → "nation" → "nat"
        for suffix, replacement, keep in DERIVATIONAL:
            if w.endswith(suffix) and len(w) - len(suffix) >= keep:
                w = w[: -len(suffix)] + replacement
                break
        else:
            break
    if w.endswith(("e", "y")) and len(w) > 4:
        w = w[:-1]  # "resolve" / "resolv(ed)", "territory" / "territor(ies)"
    return w


def normalise(text: str) -> str:
    """``text`` with one spelling per country name ("U.S." = "United States" = "America") and
    digit groups joined ("5,000" → "5000")."""
    for pattern, replacement in ALIASES:
        text = pattern.sub(replacement, text)
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


def _term(token: str) -> str | None:
    word = token.lower().split("'")[0].split("’")[0]
    if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
        return None
    word = MONTH_ABBREVIATIONS.get(word, word) if len(word) <= 4 else word
    return word if word in MONTH_NAMES or word in WEEKDAYS else stem(word)


def content_terms(text: str) -> Counter:
    """Normalised, stemmed content words of ``text`` with their counts (numbers kept,
    stopwords dropped): the same fact written or spoken gives the same terms."""
    terms = (_term(t) for t in TOKEN.findall(normalise(text)))
    return Counter(t for t in terms if t)


def possessor_terms(text: str) -> set[str]:
    """Terms ``text`` uses only as a possessor ("the operator's chief executive"): they say whose
    thing the sentence is about, not what it is about."""
    owners = set(content_terms(" ".join(POSSESSOR.findall(text))))
    if not owners:
        return owners  # most sentences: no second pass over the text
    return owners - set(content_terms(POSSESSOR.sub(" ", text)))


def name_terms(text: str) -> set[str]:
    """Terms of ``text`` that are names, numbers or dates: capitalised words after the first,
    digits, months and weekdays — facts in themselves."""
    names = set()
    for k, match in enumerate(TOKEN.finditer(normalise(text))):
        token = match.group(0)
        term = _term(token)
        if not term:
            continue
        if (
            (k > 0 and token[0].isupper())
            or token[0].isdigit()
            or term in MONTH_NAMES
            or term in WEEKDAYS
            or term in ("usa", "britain", "eu", "un")
        ):
            names.add(term)
    return names


@dataclass
class Facts:
    """What each term is worth as a fact, for judging whether a sentence says something new."""

    weight: dict[str, float]
    """Rare terms much, topic words (in more than a fifth of the sentences) nothing, a plain word
    used once (wording, not a fact) half."""
    df: dict[str, int]
    """In how many sentences (and headings, labels, questions) each term occurs."""

    def novelty(self, words: frozenset, said: set[str]) -> float:
        """Share of a sentence's fact weight not yet said (1.0 for topic words only)."""
        new = old = 0.0
        for term in words:
            weight = self.weight.get(term, 1.0)
            if term in said:
                old += weight
            else:
                new += weight
        return new / (new + old) if new + old > 0 else 1.0

    def key_terms(self, words: frozenset, count: int = KEY_TERMS) -> list[str]:
        """The terms that carry a sentence's fact: those the article repeats most (its recurring
        facts: "June", "midterm", "leaders"), topic words and one-off wording left out."""
        ranked = sorted(
            (t for t in words if self.weight.get(t, 0.0) > 0 and self.df.get(t, 0) >= 2),
            key=lambda t: (-self.df[t], t),
        )
        return ranked[:count]


def term_facts(sentences: list[frozenset], names: frozenset, extra_texts: list[str] = ()) -> Facts:
    """The Facts of sentences given by their content terms; ``names`` are the terms that are
    names, numbers or dates (worth full weight even when used once)."""
    df: Counter = Counter()
    for words in sentences:
        df.update(words)
    for text in extra_texts:
        df.update(set(content_terms(text)))
    n = len(sentences) + len(extra_texts)
    weights = {}
    for term, count in df.items():
        if n >= 10 and count > COMMON_SHARE * n:
            weights[term] = 0.0
            continue
        weight = math.log((n + 1) / count)
        weights[term] = weight * (0.5 if count == 1 and term not in names else 1.0)
    return Facts(weights, dict(df))
