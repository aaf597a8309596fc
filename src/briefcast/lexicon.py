"""The word lists every stage shares (month names, stopwords, recap headings), kept as data in
``data/lexicon/``.

One file a list, one word a line, so a list is extended without touching code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The words of ``data/lexicon/NAME.txt`` in file order (blank lines and ``#`` lines skipped)."""
    text = (
        resources.files("briefcast").joinpath("data", "lexicon", f"{name}.txt").read_text("utf-8")
    )
    return tuple(w for w in (line.strip() for line in text.splitlines()) if w and w[0] != "#")


MONTHS: tuple[str, ...] = word_list("months-en")
"""English month names, lower case, January first."""

STOPWORDS: frozenset[str] = frozenset(word_list("stopwords-en"))
"""English words that carry no content, for comparing and ranking sentences."""

RECAP_HEADINGS: tuple[str, ...] = word_list("recap-headings-en")
"""Headings that announce a recap ("key points", "at a glance"), lower case."""
