"""The article a page carries as data in its scripts (schema.org JSON-LD, a framework's page
state, a ``var article = {…}``), as blocks: the text of pages that draw it with JavaScript."""

from __future__ import annotations

import html
import re

from ..lazy import lazy_import
from .sections import Block

# chompjs parses the JavaScript objects of a script, JSON or not; both load with the first page
chompjs = lazy_import("chompjs")
trafilatura = lazy_import("trafilatura")

MARKUP = re.compile(r"<(?:p|h[1-6]|li)\b", re.I)
"""A string that holds paragraphs, headings or list items of HTML (after unescaping)."""
BODY_KEYS = ("articleBody", "text")
"""schema.org's properties for an article's plain text (Article, CreativeWork)."""
BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li")


def embedded_blocks(scripts: list[str], title: str | None, longer_than: int) -> list[Block]:
    """The blocks of the longest article a script's data holds, when one holds more than
    ``longer_than`` characters of text: an object that names the page's ``title`` and carries
    HTML paragraphs or an ``articleBody``. Empty when none does."""
    if not title:
        return []
    key = _normal(title)
    best: list[Block] = []
    most = longer_than
    for script in scripts:
        if len(script) <= most:
            continue  # too short to hold more text than we have
        for data in _objects(script):
            for article in _titled(data, key):
                blocks = _blocks(article)
                size = sum(len(block.text) for block in blocks)
                if size > most:
                    best, most = blocks, size
    return best


def _objects(script: str) -> list:
    try:
        return list(chompjs.parse_js_objects(script))
    except ValueError:
        return []


def _titled(data, key: str):
    """The objects within ``data`` that have a string value equal to the page's title."""
    if isinstance(data, dict):
        if any(isinstance(v, str) and _normal(html.unescape(v)) == key for v in data.values()):
            yield data
            return  # its parts are part of it
        data = list(data.values())
    if isinstance(data, list):
        for item in data:
            yield from _titled(item, key)


def _blocks(data) -> list[Block]:
    """Every paragraph, heading and list item of ``data``'s HTML strings and plain-text
    bodies, in the order the data gives them."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = ((None, item) for item in data)
    else:
        return []
    blocks: list[Block] = []
    for name, value in items:
        if isinstance(value, str):
            text = html.unescape(value)
            if MARKUP.search(text):
                blocks += _markup_blocks(text)
            elif name in BODY_KEYS:
                blocks += [Block("para", p) for p in _lines(text)]
        else:
            blocks += _blocks(value)
    return blocks


def _markup_blocks(fragment: str) -> list[Block]:
    # a whole document: trafilatura refuses a fragment of one element as "not HTML"
    root = trafilatura.load_html(f"<html><body>{fragment}</body></html>")
    if root is None:
        return []
    blocks = []
    for element in root.iter(*BLOCK_TAGS):
        if next(element.iterancestors("li"), None) is not None:
            continue  # a paragraph or list within a list item: the item is read whole
        text = " ".join("".join(element.itertext()).split())
        if not text:
            continue
        if element.tag.startswith("h"):
            blocks.append(Block("heading", text, level=int(element.tag[1])))
        else:
            blocks.append(Block("para", text))
    return blocks


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()
