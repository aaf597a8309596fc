"""Sections as future chapters: tiny ones merged, a long heading-less text cut in parts, and
the one part that may be read as the recap."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Article
from .clean import is_recap_heading

MIN_SECTION_WORDS = 30  # shorter sections are merged into a neighbour before condensing
LONG_UNTITLED_WORDS = 900  # a heading-less article longer than this gets key-term chapters


@dataclass
class Part:
    """A future chapter: one section, or several merged, with its title."""

    title: str | None
    kind: str
    paragraphs: list[str] = field(default_factory=list)


def the_recap(parts: list[Part]) -> int | None:
    """The one part that may become a recap chapter: the first key-points table, else the first
    summary-like section. Any other recap would say the same facts once more."""
    tables = [p for p, part in enumerate(parts) if part.kind == "keypoints"]
    recaps = [
        p for p, part in enumerate(parts) if part.kind == "prose" and is_recap_heading(part.title)
    ]
    return (tables or recaps or [None])[0]


def article_parts(article: Article) -> list[Part]:
    """Sections as future chapters: tiny ones merged, a long heading-less text cut in parts."""
    parts: list[Part] = []
    for section in article.sections:
        words = sum(len(p.split()) for p in section.paragraphs)
        mergeable = section.kind == "prose" and words < MIN_SECTION_WORDS
        if mergeable and parts and parts[-1].kind == "prose":
            parts[-1].paragraphs += section.paragraphs
            continue
        parts.append(Part(section.title, section.kind, list(section.paragraphs)))
    # A short first section (title-less lead) joins the next prose section.
    if (
        len(parts) > 1
        and parts[0].kind == parts[1].kind == "prose"
        and sum(len(p.split()) for p in parts[0].paragraphs) < MIN_SECTION_WORDS
    ):
        parts[1].paragraphs = parts[0].paragraphs + parts[1].paragraphs
        parts[1].title = parts[1].title or parts[0].title
        del parts[0]
    if len(parts) == 1 and parts[0].title is None:
        return _split_long(parts[0])
    return parts


def _split_long(part: Part) -> list[Part]:
    words = sum(len(p.split()) for p in part.paragraphs)
    if words <= LONG_UNTITLED_WORDS or len(part.paragraphs) < 4:
        return [part]
    count = min(6, max(2, round(words / 600)))
    size = words / count
    chunks: list[Part] = [Part(None, "prose")]
    seen = 0
    for paragraph in part.paragraphs:
        if seen >= size * len(chunks) and len(chunks) < count:
            chunks.append(Part(None, "prose"))
        chunks[-1].paragraphs.append(paragraph)
        seen += len(paragraph.split())
    return chunks
