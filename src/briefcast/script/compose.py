"""The spoken frame around the condensed article: intro, transitions, outro, chapter titles."""

from __future__ import annotations

import math
import re
from collections import Counter

from num2words import num2words

from ..lexicon import STOPWORDS
from ..models import PauseRules, Script
from .speech import MONTHS, spoken_words

MAX_TITLE = 60
TRANSITIONS = ("Next: {}.", "Now, {}.", "Moving on: {}.", "Turning to {}.")
TITLE_STOP = STOPWORDS  # words that never make a title term on their own


def short_title(text: str, limit: int = MAX_TITLE) -> str:
    """A chapter title of at most ``limit`` characters, cut at a colon or a word boundary."""
    text = " ".join(text.split()).strip(" .:;,-–—")
    if len(text) <= limit:
        return text
    head = re.split(r"\s*[:–—|]\s*|\s-\s", text)[0]
    if 12 <= len(head) <= limit:
        return head
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–—") if cut else text[:limit]


def heading_title(heading: str, article_title: str = "") -> str:
    """A chapter title from a heading, at most 60 characters. A lead the heading shares with the
    article title is dropped: under "Zelensky US Peace Talks: Key Developments", the heading
    "Zelensky US Peace Talks: A New Hope for Resolution" becomes "A New Hope for Resolution"."""
    head, colon, rest = heading.partition(":")
    if colon and len(rest.split()) >= 2 and article_title:
        lead = {w.lower() for w in re.findall(r"[\w'’]+", head)}
        title_words = {w.lower() for w in re.findall(r"[\w'’]+", article_title)}
        if lead and lead <= title_words:
            return short_title(rest)
    return short_title(heading)


def key_terms_title(texts: list[str], document_frequency: Counter, documents: int) -> str:
    """A title from the chapter's two most distinctive terms, names first ("Miami and the
    United States")."""
    counts: Counter = Counter()
    surface: dict[str, str] = {}
    run = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)*|[a-z][\w'’-]+")
    alone = Counter(
        m.group(0) for text in texts for m in run.finditer(text) if " " not in m.group(0)
    )
    for text in texts:
        # Runs of capitalised words are one term ("United States"), other words count alone;
        # a run of names that each stand alone elsewhere ("Ukraine Russia talks") is split.
        for match in run.finditer(text):
            tokens = match.group(0).split()
            if len(tokens) > 1 and all(alone[t] >= 1 for t in tokens if t != "of"):
                tokens = [t for t in tokens if t != "of"]
            else:
                tokens = [match.group(0)]
            for token in tokens:
                _count_term(token, counts, surface)
    if not counts:
        return "The main points"

    def weight(key: str) -> float:
        idf = math.log((documents + 1) / (document_frequency.get(key, 0) + 1)) + 1
        return counts[key] * idf * (1.5 if surface[key][0].isupper() else 1.0)

    picked: list[str] = []
    used: set[str] = set()
    for key in sorted(counts, key=weight, reverse=True):
        words = set(key.split())
        if words & used:
            continue  # "Ukraine" after "Ukraine Russia" says nothing new
        picked.append(_with_article(surface[key]))
        used |= words
        if len(picked) == 2:
            break
    title = " and ".join(picked)
    return short_title(title[0].upper() + title[1:])


def _count_term(token: str, counts: Counter, surface: dict[str, str]) -> None:
    token = re.sub(r"['’]s$", "", token)
    first = token.split()[0].lower()
    if " " not in token and (first in TITLE_STOP or len(first) < 3):
        return
    if " " in token and first in TITLE_STOP:
        token = token.split(" ", 1)[1]
    key = token.lower()
    counts[key] += 1
    if key not in surface or token[0].isupper():
        surface[key] = token


PLURAL_NAMES = {
    "states",
    "kingdom",
    "nations",
    "union",
    "republic",
    "netherlands",
    "philippines",
    "emirates",
    "government",
    "council",
    "commission",
    "parliament",
    "senate",
    "army",
}


def _with_article(term: str) -> str:
    """ "United States" → "the United States": names built on a common noun take "the"."""
    words = term.split()
    if len(words) > 1 and words[-1].lower() in PLURAL_NAMES:
        return "the " + term
    return term


def spoken_minutes(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 1.5:
        return "about a minute"
    return f"about {num2words(round(minutes))} minutes"


def spoken_list(items: list[str]) -> str:
    """Chapter titles as a spoken list; a title with "and" of its own is kept whole by "then"."""
    if len(items) <= 1:
        return "".join(items)
    joiner = ", then " if any(" and " in item for item in items) else " and "
    return ", ".join(items[:-1]) + joiner + items[-1]


def intro_texts(
    title: str,
    source: str | None,
    date: str | None,
    chapter_titles: list[str],
    seconds: float,
    language: str = "en",
) -> list[str]:
    """The spoken intro, one segment per sentence: title, source and date, chapters, length."""
    lines = [f"{title.rstrip('.')}."]
    when = f"published {date_words(date)}" if date else ""
    if source and when:
        lines.append(f"From {source}, {when}.")
    elif source:
        lines.append(f"From {source}.")
    elif when:
        lines.append(f"{when[0].upper()}{when[1:]}.")
    length = spoken_minutes(seconds)
    if len(chapter_titles) > 1:
        # An opening chapter named after the episode itself is no news to list: call it that.
        named = [t for t in chapter_titles if not title.lower().startswith(t.lower().rstrip("."))]
        listed = named if len(named) == len(chapter_titles) else ["an overview", *named]
        lines.append(f"In {length}: {spoken_list(listed)}.")
    else:
        lines.append(f"Here are the main points, in {length}.")
    return lines


def date_words(iso: str) -> str:
    """ "2025-03-12" → "12 March 2025" (speech.py then says it)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return iso
    return f"{int(match.group(3))} {MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def transition_text(chapter_title: str, index: int, last: bool, language: str = "en") -> str:
    """A short spoken bridge naming the next chapter."""
    template = "Finally, {}." if last and index > 1 else TRANSITIONS[(index - 1) % len(TRANSITIONS)]
    return template.format(chapter_title.rstrip("."))


def outro_text(title: str, source: str | None, language: str = "en") -> str:
    origin = f", from {source}" if source else ""
    return f"That was {title.rstrip('.')}{origin}. Thanks for listening."


def estimate_seconds(script: Script, wpm: float, pauses: PauseRules = PauseRules()) -> float:
    """Spoken length of ``script`` at ``wpm`` words per minute, with the pauses between segments
    (the words counted are those the voice says: "£8,000" is three)."""
    words = sum(spoken_words(s.text, script.language) for s in script.segments())
    return words * 60.0 / wpm + pauses.silence_in(script)
