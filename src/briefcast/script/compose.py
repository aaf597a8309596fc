"""The spoken frame around the condensed article: intro, transitions, outro, chapter titles."""

from __future__ import annotations

import math
import re
from collections import Counter

from num2words import num2words

from ..models import PauseRules, Script, Segment
from .speech import MONTHS, to_speech

MAX_TITLE = 60
TRANSITIONS = ("Next: {}.", "Now, {}.", "Moving on: {}.", "Turning to {}.")
TITLE_STOP = set("""a an the and or of to in on for with at by from as is are was were be been has
have had it its this that these those their his her they he she we you our your not but also
said says will would could should can may more most new one two than then there here into about
after before over under up out what which who when where how why""".split())


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


def key_terms_title(texts: list[str], document_frequency: Counter, documents: int) -> str:
    """A title from the chapter's most distinctive words, proper nouns first ("Miami, June and talks")."""
    counts: Counter = Counter()
    surface: dict[str, str] = {}
    for text in texts:
        # Runs of capitalised words are one term ("United States"), other words count alone.
        for match in re.finditer(r"[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)*|[a-z][\w'’-]+", text):
            token = re.sub(r"['’]s$", "", match.group(0))
            first = token.split()[0].lower()
            if " " not in token and (first in TITLE_STOP or len(first) < 3):
                continue
            if " " in token and first in TITLE_STOP:
                token = token.split(" ", 1)[1]
            key = token.lower()
            counts[key] += 1
            if key not in surface or token[0].isupper():
                surface[key] = token
    if not counts:
        return "The main points"

    def weight(key: str) -> float:
        idf = math.log((documents + 1) / (document_frequency.get(key, 0) + 1)) + 1
        return counts[key] * idf * (1.5 if surface[key][0].isupper() else 1.0)

    best = sorted(counts, key=weight, reverse=True)[:3]
    words = [surface[k] for k in best]
    title = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return short_title(title[0].upper() + title[1:])


def spoken_minutes(seconds: float) -> str:
    minutes = seconds / 60
    if minutes < 1.5:
        return "about a minute"
    return f"about {num2words(round(minutes))} minutes"


def spoken_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def intro_texts(title: str, source: str | None, date: str | None, chapter_titles: list[str],
                seconds: float, language: str = "en") -> list[str]:
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
        lines.append(f"In {length}: {spoken_list(chapter_titles)}.")
    else:
        lines.append(f"Here are the main points, in {length}.")
    return [to_speech(line, language) for line in lines]


def date_words(iso: str) -> str:
    """"2025-03-12" → "12 March 2025" (speech.py then says it)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return iso
    return f"{int(match.group(3))} {MONTHS[int(match.group(2)) - 1]} {match.group(1)}"


def transition_text(chapter_title: str, index: int, last: bool, language: str = "en") -> str:
    """A short spoken bridge naming the next chapter."""
    template = "Finally, {}." if last and index > 1 else TRANSITIONS[(index - 1) % len(TRANSITIONS)]
    return to_speech(template.format(chapter_title.rstrip(".")), language)


def outro_text(title: str, source: str | None, language: str = "en") -> str:
    origin = f", from {source}" if source else ""
    return to_speech(f"That was {title.rstrip('.')}{origin}. Thanks for listening.", language)


def estimate_seconds(script: Script, wpm: float, pauses: PauseRules = PauseRules()) -> float:
    """Spoken length of ``script`` at ``wpm`` words per minute, with the pauses between segments."""
    segments: list[tuple[Segment, bool]] = []
    for c, chapter in enumerate(script.chapters):
        for s, segment in enumerate(chapter.segments):
            last_in_chapter = s == len(chapter.segments) - 1
            segments.append((segment, last_in_chapter and c < len(script.chapters) - 1))
    words = sum(len(seg.text.split()) for seg, _ in segments)
    silence = sum(pauses.after(seg, new) for seg, new in segments[:-1]) + 2 * pauses.edge
    return words * 60.0 / wpm + silence
