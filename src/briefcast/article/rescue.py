"""What other readings of a page find that trafilatura's main text lacks: full sentences of
readability's main text, and the standfirst a page shows that its description repeats."""

from __future__ import annotations

import re

from ..lazy import lazy_import
from .sections import Block

# loaded by the first web page read, as in html.py
trafilatura = lazy_import("trafilatura")

RESCUE_WORDS = 15
"""Words: a paragraph a second extractor finds that trafilatura's main text lacks is added when
it is a sentence this long; shorter lines are too often teasers, captions or menus."""
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")


def rescued(html: str, blocks: list[Block], description: str | None = None) -> list[Block]:
    """The main text united with what trafilatura skipped: the page's standfirst, then
    readability's full sentences. Our furniture rules clean them after."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return blocks
    blocks = _with_standfirst(tree, blocks, description)
    return _with_readability(tree, blocks)


def _with_readability(tree, blocks: list[Block]) -> list[Block]:
    """A full sentence of a paragraph readability (trafilatura's own port of it) finds and
    trafilatura skipped (a lede after an ad label) goes in after the last paragraph both found
    before it."""
    texts = [_normal(" ".join([block.text, *block.rows])) for block in blocks]
    everything = " ".join(texts)
    united, position = list(blocks), 0
    for paragraph in trafilatura.external.try_readability(tree).iter("p"):
        text = _paragraph_text(paragraph)
        key = _normal(text)
        if not key:
            continue
        if key in everything:
            # a paragraph both found: what readability adds after it goes after it
            found = next((i for i, t in enumerate(texts) if i >= position and key in t), None)
            position = position if found is None else found + 1
        elif _is_sentence(text):
            united.insert(position, Block("para", text))
            texts.insert(position, key)
            position += 1
    return united


def _with_standfirst(tree, blocks: list[Block], description: str | None) -> list[Block]:
    """The page's description as its first paragraph when the page shows it as text (a
    standfirst set apart from the body, often as a heading) and the main text lacks it."""
    if not description or not _is_sentence(description):
        return blocks
    key = _normal(description)
    if key in _normal(" ".join(" ".join([b.text, *b.rows]) for b in blocks)):
        return blocks
    shown = tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
    if key not in _normal(" ".join(shown)):
        return blocks  # only in the page's metadata: a summary, not the article's words
    first = next((i for i, block in enumerate(blocks) if block.kind != "heading"), len(blocks))
    return [*blocks[:first], Block("para", " ".join(description.split())), *blocks[first:]]


def _is_sentence(text: str) -> bool:
    return len(text.split()) >= RESCUE_WORDS and bool(SENTENCE_END.search(text))


def _paragraph_text(paragraph) -> str:
    """A paragraph's text as it reads: inline elements joined as they are ("Polarized</em>,"
    gives "Polarized,"), a line break as a space."""
    for line_break in paragraph.iter("br"):
        line_break.tail = " " + (line_break.tail or "")
    return " ".join("".join(paragraph.itertext()).split())


def _normal(text: str) -> str:
    """The text compared: without whitespace, which the two extractors set differently around
    inline elements ("Polarized ," or "Polarized,"), so one paragraph is never taken for two."""
    return "".join(text.split()).casefold()
