"""``read_article``: one file or URL into a cleaned Article, whatever its format and encoding.

Each format turns its input into blocks (``text``, ``markdown``, ``html``); furniture removal,
FAQ and key-point recognition and sectioning (``sections``) are then the same for all.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .decode import decode_text
from .feed import is_feed
from .fetch import fetch_page, is_url
from .html import html_blocks
from .language import detect_language
from .markdown import markdown_blocks
from .metadata import Meta, find_metadata
from .sections import Block, clean_blocks, sections_of
from .text import text_blocks, title_like

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
CONTENT_TYPES = {
    "text/plain": "txt",
    "text/markdown": "md",
    "text/x-markdown": "md",
}


def read_article(source: str | Path, *, refresh: bool = False) -> Article:
    """Read an article file (.txt, .md, .html; others sniffed) or an http(s) URL into an
    Article whose furniture is gone and whose FAQ and key-point sections are marked.

    ``refresh`` fetches a URL anew instead of taking it from the page cache."""
    if is_url(source):
        return _read_url(str(source), refresh)
    path = Path(source)
    text = read_file_text(path)
    fmt = FORMATS.get(path.suffix.lower()) or sniff_format(text)
    if is_feed(text):
        raise InputError(
            f"{path} is a news feed; give it to `briefcast read` or `build` as a source"
        )
    article = parse_article(text, fmt, name=path.stem)
    article.path = path
    return _checked(article, str(path))


def read_file_text(path: Path) -> str:
    """The text of an input file in whatever encoding it has; one clear line when it cannot be."""
    if not path.exists():
        raise InputError(f"input file not found: {path}; check the path")
    if path.is_dir():
        raise InputError(f"{path} is a folder; pass an article file (.txt, .md or .html)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}; check its permissions") from exc
    if not data.strip():
        raise InputError(f"{path} is empty; pass a file with article text")
    text = decode_text(data, str(path))
    if not text.strip():
        raise InputError(f"{path} has only whitespace; pass a file with article text")
    return text


def _read_url(url: str, refresh: bool) -> Article:
    page = fetch_page(url, refresh=refresh)
    text = decode_text(page.body, url, hint=page.charset)
    if not text.strip():
        raise InputError(f"{url} is an empty page; pass an article's URL")
    if is_feed(text):
        raise InputError(
            f"{url} is a news feed; give it to `briefcast read` or `build` as a source"
        )
    fmt = CONTENT_TYPES.get(page.content_type) or sniff_format(text)
    name = re.sub(r"\.\w+$", "", page.url.rstrip("/").rsplit("/", 1)[-1]) or "page"
    article = parse_article(text, fmt, name=name, url=page.url)
    return _checked(article, url)


def _checked(article: Article, name: str) -> Article:
    if not article.sections:
        raise InputError(
            f"{name} has no article text once page furniture is removed; pass the article itself"
        )
    return article


def sniff_format(text: str) -> str:
    """Guess "html", "md" or "txt" from the content of a file with an unknown extension."""
    head = text[:4000].lower()
    if re.search(r"<(?:!doctype html|html|body|p|div|h1|article)\b", head):
        return "html"
    if re.search(r"^#{1,3} \S|^\s*[-*] \S|\[[^\]]+\]\([^)]+\)|^\|.*\|\s*$", text[:4000], re.M):
        return "md"
    return "txt"


def parse_article(
    text: str, fmt: str = "txt", name: str | None = None, url: str | None = None
) -> Article:
    """Parse article text in format ``fmt`` ("txt", "md" or "html") into a cleaned Article."""
    meta = Meta()
    if fmt == "html":
        blocks = html_blocks(text, meta, url=url)
    elif fmt == "md":
        blocks = markdown_blocks(text, meta)
    elif fmt == "txt":
        blocks = text_blocks(text)
    else:
        raise InputError(f"unknown article format {fmt!r}; use txt, md or html")
    find_metadata(blocks, meta)
    blocks = clean_blocks(blocks)
    title = _title_block(blocks, meta.title) or _prettify(name or "Untitled article")
    sections = sections_of(blocks)
    body_text = " ".join(p for s in sections for p in s.paragraphs)
    return Article(
        title=title,
        sections=sections,
        source=meta.source,
        date=meta.date,
        author=meta.author,
        language=detect_language(body_text),
        url=meta.url or url,
    )


def _prettify(stem: str) -> str:
    words = re.sub(r"[-_.]+", " ", stem).split()
    return " ".join(words).capitalize() if words else "Untitled article"


def _title_block(blocks: list[Block], known: str | None) -> str | None:
    """The title: the one the page states (its repeat as a first heading removed), else the
    first heading or title-like line, removed from the blocks."""
    if known:
        for i, block in enumerate(blocks[:3]):
            if block.kind in ("heading", "title") and block.text.casefold() == known.casefold():
                del blocks[i]
                break
        return known
    for i, block in enumerate(blocks[:3]):
        if block.kind == "title" or (block.kind == "heading" and block.level == 1):
            del blocks[i]
            return block.text
    for i, block in enumerate(blocks[:1]):
        if block.kind in ("para", "heading") and title_like(block.text):
            del blocks[i]
            return block.text
    return None
