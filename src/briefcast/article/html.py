"""Web pages into blocks and metadata through trafilatura: its main text (headings, paragraphs,
lists, tables) and its metadata (title, author, date, site name, canonical URL); what it marks
as code, and paragraphs that read as code, are set aside."""

from __future__ import annotations

import functools
import logging
import re
from configparser import ConfigParser
from urllib.parse import urlsplit

from ..lazy import lazy_import
from .embedded import embedded_blocks
from .furniture import is_code
from .metadata import Meta, split_site_title
from .rescue import rescued
from .sections import Block, code_blocks

# trafilatura logs a page it cannot parse; briefcast says so itself, in one line
logging.getLogger("trafilatura").addHandler(logging.NullHandler())

SHORT_PAGE = 500
"""Characters: below this trafilatura's own result is a flat fallback (it swaps in a baseline
extraction under 250 characters), so a short page is extracted again keeping its structure."""
# loaded by the first web page read (0.7 s of imports no build of a text file needs)
trafilatura = lazy_import("trafilatura")


@functools.cache
def _config(short: bool) -> ConfigParser:
    """trafilatura's settings; for a short page, any main text at all is kept."""
    config = trafilatura.settings.use_config()
    # htmldate's extensive search loads every dateparser locale on first use (3-4 s in a fresh
    # process, for a date the page's metadata nearly always states)
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    if short:
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def html_blocks(html: str, meta: Meta, url: str | None = None) -> list[Block]:
    """The main text of a page as blocks; its metadata goes into ``meta`` (empty when
    trafilatura finds no main text)."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return []
    # trafilatura drops a title's "| Site name": read it first, as the fallback site name.
    _, site = split_site_title(" ".join((tree.findtext(".//title") or "").split()))
    scripts = [script.text for script in tree.iter("script") if script.text]
    document = _extract(tree, url, _config(short=False))
    if document is None or len(document.text or "") < SHORT_PAGE:
        # a note or a press release: its headings and paragraphs, not one flat paragraph
        document = _extract(trafilatura.load_html(html), url, _config(short=True)) or document
    if document is None or document.body is None:
        return []
    meta.title = document.title or None
    # trafilatura names a site by its host when the page does not say; a title's is better
    hosts = {document.hostname, urlsplit(document.url or url or "").netloc}
    host = document.sitename in hosts
    meta.source = (site if host else None) or document.sitename or site
    meta.author = document.author
    meta.date = document.date
    meta.url = document.url or url
    blocks = _joined([block for element in document.body for block in _element_blocks(element)])
    found = sum(len(block.text) for block in blocks)
    blocks = embedded_blocks(scripts, document.title, EMBEDDED_SHARE * found) or blocks
    return rescued(html, blocks, document.description)


EMBEDDED_SHARE = 2
"""An article in a script's data this many times longer than the main text replaces it: the
page draws its text with JavaScript, and its HTML held a teaser or one page of a slideshow."""


QUANTITY = re.compile(r"(?=.*\d)[\d/½¼¾⅓⅔⅛.,\s-]+")
STEP_NUMBER = re.compile(r"^(\d{1,2})(?=[A-Z][a-z])")
GLUED_QUANTITY = re.compile(r"(?<=\d)(?=[a-z]{3,}\b)")
"""A number run into its word by adjacent spans ("4eggs", "1/2cup"); units such as "225g" or
"10am" stay as they are."""


def _joined(blocks: list[Block]) -> list[Block]:
    """Mend what a page's markup splits or glues: a quantity set apart from its ingredient
    ("1/4" and "cup butter") or run into it ("4eggs"), a step's number glued to its first word
    ("1Heat the oven")."""
    mended: list[Block] = []
    for block in blocks:
        if block.kind == "para":
            block.text = GLUED_QUANTITY.sub(" ", STEP_NUMBER.sub(r"\1. ", block.text))
            last = mended[-1] if mended else None
            if last is not None and last.kind == "para" and QUANTITY.fullmatch(last.text):
                last.text = f"{last.text} {block.text}"
                continue
        mended.append(block)
    return mended


def _extract(tree, url: str | None, config: ConfigParser):
    """trafilatura's main text and metadata of a parsed page (None when it finds none)."""
    return trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_tables=True,
        include_formatting=False,
        include_comments=False,
        config=config,
    )


def _element_blocks(element) -> list[Block]:
    """The blocks of one element of trafilatura's output (head, p, list, table, quote, code)."""
    tag = element.tag
    if tag == "head":
        level = int((element.get("rend") or "h2").lstrip("h") or 2)
        return [Block("heading", _text(element), level=min(max(level, 1), 6))]
    if tag == "list":
        return [block for item in element.iter("item") for block in _paragraph(_own_text(item))]
    if tag == "table":
        return _table(element)
    if tag == "code":
        return code_blocks(_text(element, keep_lines=True).split("\n"))
    if tag == "graphic":
        return []
    return _paragraph(_text(element, keep_lines=True))


def _paragraph(text: str) -> list[Block]:
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return []
    if is_code(lines):
        return code_blocks(lines)
    return [Block("para", " ".join(" ".join(lines).split()))]


LAYOUT_CELL_WORDS = 40
"""A cell this long holds prose: its table lays out the page, it is not a table of data."""


def _table(table) -> list[Block]:
    """A table as one keypoints block, or, for a table that only lays a page out (one row, or
    cells of prose), the blocks of what its cells hold."""
    rows = [[cell for cell in row.iter("cell")] for row in table.iter("row")]
    texts = [[_text(cell) for cell in row] for row in rows]
    if len(rows) < 2 or any(len(t.split()) > LAYOUT_CELL_WORDS for row in texts for t in row):
        return [block for row in rows for cell in row for block in _cell_blocks(cell)]
    lines = [" | ".join(t for t in row if t) for row in texts if any(row)]
    return [Block("keypoints", lines[0], rows=lines[1:])] if lines else []


def _cell_blocks(cell) -> list[Block]:
    if len(cell) and all(child.tag in ("p", "head", "list", "quote") for child in cell):
        # text between the cell's paragraphs (a tail) belongs to the one before it
        blocks = _paragraph(cell.text or "")
        for child in cell:
            blocks += _element_blocks(child) + _paragraph(child.tail or "")
        return blocks
    return _paragraph(_text(cell, keep_lines=True))


def _text(element, keep_lines: bool = False) -> str:
    """The element's text; line breaks (``lb``) kept as newlines when asked."""
    if not keep_lines:
        return " ".join("".join(element.itertext()).split())
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _text(child, keep_lines=True))
        parts.append(child.tail or "")
    return "".join(parts)


def _own_text(item) -> str:
    """A list item's text without the text of lists nested in it (they are items of their own)."""
    parts = [item.text or ""]
    for child in item:
        if child.tag != "list":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())
