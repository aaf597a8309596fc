"""Plain text into blocks: paragraphs (hard-wrapped or one a line), headings told by their
shape, key-point tables pasted as text, and code or shell sessions set aside."""

from __future__ import annotations

import re

from .furniture import DATE_WORDS, TERMINAL, is_code, is_furniture
from .sections import Block

SMALL_WORDS = {"of", "and", "the", "in", "for", "on", "to", "a", "&"}


def text_blocks(text: str) -> list[Block]:
    """The blocks of a plain-text article, its first title-like line marked as the title."""
    lowercase = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        raw = [line for line in chunk.split("\n") if line.strip()]
        if not raw:
            continue
        if all(line.startswith(("    ", "\t")) for line in raw) or is_code(raw) or is_menu(raw):
            blocks.append(Block("dropped"))  # indented code, a shell session, a page's menu
            continue
        blocks += _chunk_blocks([line.strip() for line in raw], lowercase)
    _mark_headings(blocks)
    if blocks and blocks[0].kind == "para" and title_like(blocks[0].text):
        blocks[0].kind = "title"
    return blocks


MENU_LINES = 4
"""A run of this many one-to-three-word lines with nothing else is a page's menu."""


def is_menu(lines: list[str]) -> bool:
    """True for the lines of a captured page's menu ("Home / News / Sport / Weather") or of
    its archive ("01-17-2011 Winter digging", one dated link a line)."""
    lines = [line.strip() for line in lines]
    if len(lines) < MENU_LINES:
        return False
    dated = sum(bool(DATE_WORDS.match(line)) for line in lines)
    if dated >= 0.6 * len(lines):
        return True
    return all(
        len(line.split()) <= 3 and not line.endswith(TERMINAL) and not re.search(r"\d", line)
        for line in lines
    )


def _chunk_blocks(lines: list[str], lowercase: set[str]) -> list[Block]:
    """One blank-line-separated chunk: a Markdown-style heading, a table, or paragraphs."""
    marked = re.match(r"(#{1,6})\s+(.+?)\s*#*$", lines[0])
    if marked:  # "## Heading" typed in a .txt file: the marks are not part of the heading
        rest = _chunk_blocks(lines[1:], lowercase) if lines[1:] else []
        return [Block("heading", marked.group(2), level=len(marked.group(1))), *rest]
    content = [line for line in lines if not is_furniture(line)]
    if len(content) > 2:
        rows = table_rows(content, lowercase)
        if rows:
            header = content[0] if not content[0].endswith(TERMINAL) else ""
            return [Block("keypoints", header, rows=rows)]
    if len(lines) == 1:
        return [Block("para", lines[0])]
    if sum(line.endswith(TERMINAL) for line in lines) >= len(lines) / 2 or (
        max(len(line) for line in lines) < 50 and all(line[0].isupper() for line in lines)
    ):
        return [Block("para", line) for line in lines]  # one paragraph per line
    blocks = []
    first, rest = lines[0], lines[1:]
    if heading_like(first) and len(first) < 0.6 * max(len(r) for r in rest):
        blocks.append(Block("heading", first))
        lines = rest
    blocks.append(Block("para", " ".join(lines)))
    return blocks


def _mark_headings(blocks: list[Block]) -> None:
    """A short line without final punctuation followed by prose is a heading."""
    for i, block in enumerate(blocks[1:], start=1):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            block.kind == "para"
            and heading_like(block.text)
            and nxt is not None
            and (nxt.kind == "keypoints" or (nxt.kind == "para" and not heading_like(nxt.text)))
        ):
            block.kind = "heading"


def title_like(line: str) -> bool:
    """A line short enough, and without final punctuation, to be a title."""
    return 0 < len(line.split()) <= 20 and not line.rstrip().endswith((".", ",", ";", ":", "?"))


def heading_like(line: str) -> bool:
    """A short capitalised line without final punctuation."""
    words = line.split()
    return (
        0 < len(words) <= 14
        and not line.endswith((".", ",", ";", ":", "?", "!", '"', "”"))
        and (line[0].isupper() or line[0].isdigit())
    )


def split_table_row(line: str, lowercase_words: set[str]) -> tuple[str, str] | None:
    """Split a key-point row pasted as text ("Location of Talks Negotiating teams may meet…")
    into its Title Case label and its sentence; None when the line is not such a row.

    The sentence starts at the last capitalised word before the first lower-case word, moved
    back over a proper-noun run ("Russia continues") and a leading article ("The US seeks").
    """
    if "|" in line or "\t" in line:
        cells = [c.strip() for c in re.split(r"\s*\|\s*|\t+", line.strip().strip("|")) if c.strip()]
        return (cells[0], " ".join(cells[1:])) if len(cells) >= 2 else None
    tokens = line.split()
    # "US-brokered" is an adjective: a word with a lower-case part after a hyphen counts as lower.
    first_lower = next(
        (
            i
            for i, t in enumerate(tokens)
            if (t[0].islower() or re.search(r"-[a-z]", t)) and t.lower() not in SMALL_WORDS
        ),
        None,
    )
    if first_lower is None or first_lower < 2:
        return None
    start = _sentence_start(tokens, first_lower - 1, lowercase_words)
    label, detail = " ".join(tokens[:start]), " ".join(tokens[start:])
    if not all(t[0].isupper() or t in SMALL_WORDS for t in tokens[:start]):
        return None
    if len(label.split()) > 6 or len(detail.split()) < 4 or not detail.endswith(TERMINAL):
        return None
    return label, detail


def _sentence_start(tokens: list[str], start: int, lowercase_words: set[str]) -> int:
    def proper(tok: str) -> bool:
        bare = re.sub(r"[’']s$|\W", "", tok).lower()
        return len(bare) > 1 and tok[0].isupper() and bare not in lowercase_words

    # Only a text with a real vocabulary can tell a name ("Abu Dhabi") from a label word.
    while (
        len(lowercase_words) >= 300
        and start - 1 >= 1
        and proper(tokens[start])
        and proper(tokens[start - 1])
    ):
        start -= 1
    if start - 1 >= 1 and tokens[start - 1] in (
        "The",
        "A",
        "An",
        "Many",
        "Some",
        "Most",
        "Several",
    ):
        start -= 1
    return start


def table_rows(lines: list[str], lowercase_words: set[str]) -> list[str] | None:
    """Rows "label | detail" when ``lines`` (one block of text) read as a table, else None.

    A first line without final punctuation is taken as the column header and dropped.
    """
    body = lines[1:] if lines and not lines[0].rstrip().endswith(TERMINAL) else lines
    if len(body) < 3:
        return None
    rows = [split_table_row(line, lowercase_words) for line in body]
    if sum(r is not None for r in rows) < 0.7 * len(body):
        return None
    return [f"{r[0]} | {r[1]}" if r else line for r, line in zip(rows, body)]
