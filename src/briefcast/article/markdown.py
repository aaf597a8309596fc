"""Markdown (a written article or a read-later capture of a page) into blocks, parsed by
markdown-it-py: headings, paragraphs, list items and tables kept; code, images, raw HTML, lone
links and lists of links (a page's navigation) set aside."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..lazy import lazy_import
from .furniture import is_code, is_furniture
from .metadata import Meta, front_matter
from .sections import Block, code_blocks

if TYPE_CHECKING:
    from markdown_it.token import Token

markdown_it = lazy_import("markdown_it")  # loaded by the first Markdown file read
LINK_LIST_SHARE = 0.6
"""A list whose items are this much bare links is navigation ("past posts", "more stories")."""


def markdown_blocks(text: str, meta: Meta) -> list[Block]:
    """The blocks of a Markdown text; front matter goes into ``meta``."""
    text = front_matter(text.replace("\r\n", "\n"), meta)
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        end = _closing(tokens, i)
        if token.type == "heading_open":
            line = _inline_text(tokens[i + 1])
            blocks.append(Block("heading", line, level=int(token.tag[1])))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            blocks += _list_blocks(tokens[i + 1 : end])
        elif token.type == "table_open":
            blocks.append(_table_block(tokens[i + 1 : end]))
        elif token.type in ("fence", "code_block"):
            blocks += code_blocks(token.content.split("\n"))
        elif token.type == "paragraph_open":
            blocks.append(_paragraph(tokens[i + 1]))
        i = end + 1 if token.type != "blockquote_open" else i + 1
    return blocks


@functools.cache
def _parser():
    """One CommonMark parser with tables, made on first use."""
    return markdown_it.MarkdownIt("commonmark").enable("table")


def _closing(tokens: list[Token], i: int) -> int:
    """The index of the token that closes ``tokens[i]`` (itself when it opens nothing)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _paragraph(inline: Token) -> Block:
    lines = inline.content.split("\n")
    if is_code(lines) or _is_bare_link(inline):
        return Block("dropped")
    return Block("para", _inline_text(inline))


def _list_blocks(tokens: list[Token]) -> list[Block]:
    """One paragraph per item of a list (nested lists too), or nothing for a list of links."""
    items = [t for t in tokens if t.type == "inline"]
    linked = sum(_is_bare_link(t) for t in items)
    if len(items) >= 2 and linked >= LINK_LIST_SHARE * len(items):
        return [Block("dropped")]
    return [_paragraph(t) for t in items]


def _table_block(tokens: list[Token]) -> Block:
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_inline_text(token))
    cells = [" | ".join(c for c in row) for row in rows if any(row)]
    if not cells:
        return Block("dropped")
    return Block("keypoints", cells[0], rows=cells[1:])


def _is_bare_link(inline: Token) -> bool:
    """A line that is a link and little else: "[Skip to content](#main)", "01-17-2011 [Post](…)"."""
    children = inline.children or []
    if not any(c.type == "link_open" for c in children):
        return False
    outside, depth = [], 0
    for child in children:
        depth += child.type == "link_open"
        depth -= child.type == "link_close"
        if depth == 0 and child.type in ("text", "code_inline"):
            outside.append(child.content)
    rest = " ".join(outside).strip()
    return not re.search(r"[^\W_]", rest) or is_furniture(rest)


def _inline_text(inline: Token) -> str:
    """What a reader sees of a line: text and link text, no images, marks or raw HTML."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())
