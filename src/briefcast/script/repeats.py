"""SEO filler phrases: runs of content words a page repeats far more than prose would.

A page written for search engines stuffs its keyword phrase ("Zelensky US Peace Talks") into
the title, the headings, the questions and sentence after sentence. Such a phrase is found as a
run of three to five consecutive content words (no stopword inside, so ordinary phrases such as
"the Bank of England" do not count) that occurs in ``SEO_REPEATS`` or more of the page's texts;
the script says each at most ``PHRASE_LIMIT`` times in all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..lexicon import STOPWORDS

SEO_REPEATS = 4  # texts (title, headings, questions, sentences) a phrase is in to be filler
PHRASE_LIMIT = 2  # times a filler phrase may be said in the whole script
SHORTEST, LONGEST = 3, 5  # words in a phrase
WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)


def _runs(text: str) -> list[list[str]]:
    """The text's runs of consecutive content words, lowercased. An all-capitals word ("US")
    is a name, never the stopword it spells."""
    runs: list[list[str]] = [[]]
    for word in WORD.findall(text):
        lower = word.lower()
        if lower in STOPWORDS and not (word.isupper() and len(word) > 1):
            runs.append([])
        else:
            runs[-1].append(lower)
    return [run for run in runs if len(run) >= SHORTEST]


def phrases_in(text: str) -> frozenset[tuple[str, ...]]:
    """Every run of three to five consecutive content words in ``text``."""
    found = set()
    for run in _runs(text):
        for n in range(SHORTEST, LONGEST + 1):
            found.update(tuple(run[k : k + n]) for k in range(len(run) - n + 1))
    return frozenset(found)


def filler_phrases(texts: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """The phrases of ``texts`` found in ``SEO_REPEATS`` or more of them."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(phrases_in(text))
    return frozenset(p for p, c in counts.items() if c >= SEO_REPEATS)


def said_phrases(text: str, filler: frozenset[tuple[str, ...]]) -> Counter:
    """The filler phrases ``text`` says (each once per text)."""
    return Counter(phrases_in(text) & filler) if filler else Counter()


def page_phrases(labels: list[str], sentences: list[str], questions: list[str]) -> Phrases:
    """The filler phrases of a page (title and headings in ``labels``, its ``sentences`` and
    FAQ ``questions``), with what each sentence and question says of them."""
    filler = filler_phrases([*labels, *sentences])
    return Phrases(
        [said_phrases(t, filler) for t in sentences],
        [said_phrases(q, filler) for q in questions],
        filler=filler,
    )


def without_phrases(text: str, filler: frozenset[tuple[str, ...]]) -> str:
    """``text`` with its filler phrases taken out (for titles made from a chapter's terms)."""
    for phrase in sorted(filler, key=len, reverse=True):
        pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in phrase) + r"(?!\w)"
        text = re.sub(pattern, " ", text, flags=re.I)
    return text


@dataclass
class Phrases:
    """The filler phrases each unit and question says, and how often each was said so far."""

    units: Sequence[Counter] = ()
    questions: Sequence[Counter] = ()
    said: Counter = field(default_factory=Counter)
    """Times said already (the framing's title counts)."""
    filler: frozenset = frozenset()
    """The page's filler phrases."""

    def of(self, group: list[int], asked: set[int]) -> Counter:
        """The phrases the group's units and the questions asked with them say."""
        found: Counter = Counter()
        for g in group:
            found.update(self.units[g] if self.units else ())
        for q in asked:
            found.update(self.questions[q] if self.questions else ())
        return found

    def allows(self, spoken: Counter) -> bool:
        """True when saying ``spoken`` keeps every phrase within the limit."""
        return all(self.said[p] + n <= PHRASE_LIMIT for p, n in spoken.items())
