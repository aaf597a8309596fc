"""From a page's blocks to an Article's sections: furniture dropped, FAQs and key-point tables
marked, and the line that introduced something dropped goes with it.

Every format (text, Markdown, HTML) is first turned into ``Block``s; what follows here is the
same for all of them, so a rule written once holds for every input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..lexicon import RECAP_HEADINGS
from ..models import Section
from .furniture import introduces, is_furniture, prose_comments

FAQ_HEADING = re.compile(
    r"\b(?:faqs?|frequently asked questions|questions and answers|q\s?&\s?a|"
    r"common questions)\b",
    re.I,
)
RECAP_HEADING = re.compile(r"\b(?:" + "|".join(map(re.escape, RECAP_HEADINGS)) + r")\b", re.I)
INLINE_QUESTION = re.compile(
    r"^\W*(?:q\s*[:.)]\s*)?((?:how|what|why|when|where|who|which|can|do|does|"
    r"is|are|will|should|could|would|has|have|did)\b[^?]{0,200}\?)\W*\s+(\S.*)$",
    re.I | re.S,
)


@dataclass
class Block:
    """A unit of the page before sectioning."""

    kind: str
    """"heading", "title", "para", "keypoints" (a table), or "dropped" (code, a data table,
    a nav list: not read, but it takes the line that introduced it along)."""
    text: str = ""
    level: int = 2
    rows: list[str] = field(default_factory=list)


def code_blocks(lines: list[str]) -> list[Block]:
    """A block of code, set aside; what its comments say in prose is read after it."""
    return [Block("dropped"), *(Block("para", said) for said in prose_comments(lines))]


def is_faq_heading(title: str | None) -> bool:
    """True for a heading that announces questions and answers ("FAQ", "Q&A")."""
    return bool(title and FAQ_HEADING.search(title))


def is_recap_heading(title: str | None) -> bool:
    """True for a heading that announces a recap ("Key points", "At a glance")."""
    return bool(title and RECAP_HEADING.search(title))


def is_question(paragraph: str) -> bool:
    """True for a short paragraph that asks a question (with or without a "Q:" mark)."""
    text = re.sub(r"^\W*(?:q\s*[:.)]\s*)", "", paragraph.strip(), flags=re.I)
    return text.endswith("?") and len(text.split()) <= 40


def faq_pairs(paragraphs: list[str]) -> list[str] | None:
    """The paragraphs as alternating question, answer when they read as a FAQ, else None."""
    paragraphs = [part for p in paragraphs for part in _split_inline_question(p)]
    pairs: list[str] = []
    i = 0
    while i < len(paragraphs):
        if not is_question(paragraphs[i]):
            return None
        answer = []
        j = i + 1
        while j < len(paragraphs) and not is_question(paragraphs[j]):
            answer.append(re.sub(r"^\W*a\s*[:.)]\s*", "", paragraphs[j], flags=re.I))
            j += 1
        if not answer:
            return None
        question = re.sub(r"^\W*q\s*[:.)]\s*", "", paragraphs[i], flags=re.I)
        pairs += [question, " ".join(answer)]
        i = j
    return pairs if len(pairs) >= 4 else None


def _split_inline_question(paragraph: str) -> list[str]:
    """ "How long does it take? About five years." → question and answer as two paragraphs."""
    if is_question(paragraph):
        return [paragraph]
    match = INLINE_QUESTION.match(paragraph)
    return [match.group(1), match.group(2)] if match else [paragraph]


def classify_section(section: Section) -> Section:
    """Mark a prose section that reads as a FAQ as kind "faq" (paragraphs: question, answer…)."""
    if section.kind != "prose":
        return section
    pairs = faq_pairs(section.paragraphs)
    if pairs and (is_faq_heading(section.title) or len(pairs) >= 6):
        return replace(section, kind="faq", paragraphs=pairs)
    return section


def reads_as_key_points(rows: list[str]) -> bool:
    """True for table rows that say something ("label | a sentence", "a sentence | 1-100"),
    not a grid of figures."""
    # any cell may hold the sentence: an option explained in its first cell, its range last
    said = [r for r in rows if any(len(cell.split()) >= 4 for cell in r.split("|"))]
    return bool(rows) and len(said) >= 0.5 * len(rows)


def clean_blocks(blocks: list[Block]) -> list[Block]:
    """Drop furniture, and a line that only introduced a block that is not read."""
    kept: list[Block] = []
    heading: str | None = None
    for block in blocks:
        if block.kind in ("heading", "title") and _reads_as_prose(block.text):
            block = replace(block, kind="para")  # a lede set in a heading's type
        if block.kind in ("heading", "title"):
            heading = block.text
        if block.kind == "keypoints" and not _is_read(block, heading):
            block = Block("dropped")
        if block.kind == "dropped":
            while kept and kept[-1].kind == "para" and introduces(kept[-1].text):
                kept.pop()
            continue
        if block.kind == "keypoints":
            rows = [r for r in block.rows if not is_furniture(r)]
            if rows:
                kept.append(replace(block, rows=rows))
        elif not is_furniture(block.text):
            kept.append(block)
    while kept and kept[-1].kind == "para" and introduces(kept[-1].text):
        kept.pop()  # "Sign up below:" with nothing below it
    return kept


def _reads_as_prose(heading: str) -> bool:
    """A "heading" that is a sentence or more: it ends with a full stop, or runs long."""
    return len(heading.split()) > 25 or (
        heading.rstrip().endswith((".", "!")) and len(heading.split()) > 6
    )


def _is_read(table: Block, heading: str | None) -> bool:
    """A table is read as key points when it is a recap or says something; a grid of figures
    is not read."""
    header = table.text if "|" not in table.text else None
    return is_recap_heading(heading) or is_recap_heading(header) or reads_as_key_points(table.rows)


def sections_of(blocks: list[Block]) -> list[Section]:
    """Group cleaned blocks under their headings; FAQs and key-point tables marked."""
    sections: list[Section] = []
    current = Section(title=None)
    faq: Section | None = None

    def close(section: Section) -> None:
        if section.paragraphs:
            sections.append(classify_section(section))

    for block in blocks:
        if (
            block.kind == "heading"
            and block.text.endswith("?")
            and (faq is not None or (current.title and is_faq_heading(current.title)))
        ):
            # FAQ written with one heading per question: fold questions into the FAQ section.
            faq = current if faq is None else faq
            current.paragraphs.append(block.text)
            continue
        if block.kind in ("heading", "title"):
            close(current)
            faq = None
            current = Section(title=block.text, level=max(block.level, 2))
        elif block.kind == "keypoints":
            current = _add_table(sections, current, block, close)
        elif (
            faq is not None
            and current.paragraphs
            and not is_question(current.paragraphs[-1])
            and not is_question(block.text)
        ):
            current.paragraphs[-1] += " " + block.text  # an answer in several paragraphs
        else:
            current.paragraphs.append(block.text)
    close(current)
    return sections


def _add_table(sections: list[Section], current: Section, block: Block, close) -> Section:
    """A table becomes a key-points section; returns the section that text after it goes into."""
    title = current.title if not current.paragraphs else None
    header = block.text if block.text and "|" not in block.text else None
    if current.paragraphs:
        close(current)
    sections.append(
        Section(title=title or header, paragraphs=block.rows, kind="keypoints", level=current.level)
    )
    return Section(title=None)
