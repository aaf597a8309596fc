"""An article's metadata (title, author, date, site) where a page or a file states it: bylines
near the top, Markdown front matter, dates in any common form."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import MONTHS
from .sections import Block


@dataclass
class Meta:
    """What a reader finds out about an article besides its text."""

    title: str | None = None
    source: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None


BY = re.compile(
    r"\b[Bb]y\s+((?:[A-Z][\w.'’-]*\s?)(?:[A-Za-z][\w.'’-]*\s?){0,4}?)(?=\s*(?:[,.|;]|$|\s(?:and|in|for|on)\s))"
)


def find_metadata(blocks: list[Block], meta: Meta) -> None:
    """Author, date and source from byline-like lines near the top (they are furniture later)."""
    for block in blocks[:12]:
        if block.kind in ("keypoints", "title", "heading"):
            continue  # a headline such as "Bills Fall by a Third" names no author
        text = block.text.strip("*_ ")
        if len(text.split()) > 30:
            continue
        if meta.author is None:
            by = BY.search(text)
            if by and (
                text.lower().startswith(("by ", "written by", "words by"))
                or len(text.split()) <= 12
            ):
                meta.author = by.group(1).strip()
                rest = text[by.end() :].lstrip(" ,|")
                site = re.match(r"([A-Z][\w&]*(?:\s[A-Z][\w&]*){0,3})\s*$", rest)
                if site and meta.source is None:
                    meta.source = site.group(1)
        if meta.date is None and (
            re.search(r"\b(?:published|updated|posted|date)\b", text, re.I)
            or len(text.split()) <= 8
        ):
            meta.date = iso_date(text)
        source = re.match(
            r"(?:source|via|originally published (?:in|on|by))\s*:?\s+(.{2,60}?)\.?$", text, re.I
        )
        if source and meta.source is None:
            meta.source = source.group(1)


def front_matter(text: str, meta: Meta) -> str:
    """Take title, author, source and date from a leading ``---`` block; return the rest."""
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not match:
        return text
    for line in match.group(1).split("\n"):
        key, _, value = line.partition(":")
        value = value.strip().strip("'\"")
        key = key.strip().lower()
        if key == "title" and value:
            meta.title = value
        elif key in ("author", "source") and value:
            setattr(meta, key, value)
        elif key == "date" and value:
            meta.date = iso_date(value)
    return text[match.end() :]


def iso_date(text: str) -> str | None:
    """The first date in ``text`` as YYYY-MM-DD, or None."""
    month_re = "(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?"
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return iso.group(0)
    dmy = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month_re},?\s+(\d{{4}})\b", text, re.I
    )
    if dmy:
        return _ymd(dmy.group(3), dmy.group(2), dmy.group(1))
    mdy = re.search(rf"\b{month_re}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", text, re.I)
    if mdy:
        return _ymd(mdy.group(3), mdy.group(1), mdy.group(2))
    return None


def _ymd(year: str, month: str, day: str) -> str | None:
    number = next((i + 1 for i, m in enumerate(MONTHS) if m.startswith(month.lower()[:3])), None)
    if number is None or not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


def split_site_title(title: str) -> tuple[str, str | None]:
    """ "Headline | Site name" → ("Headline", "Site name"); the site is not part of the title."""
    parts = re.split(r"\s[|–—]\s|\s-\s", title, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) == 2 else None)
