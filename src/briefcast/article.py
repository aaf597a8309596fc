"""Reading inputs (plain text, Markdown, HTML) into an Article: title, sections, metadata.

Each format is first turned into a list of blocks (heading, paragraph, table); furniture
removal, table and FAQ recognition and sectioning are then the same for all formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError
from .models import Article, Section
from .script.clean import (
    TERMINAL,
    classify_section,
    is_faq_heading,
    is_furniture,
    is_question,
    table_rows,
)

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
STOPWORDS = {
    "en": "the and of to in is that it for was on are with as his they be at by this have from",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch",
    "fr": "le la les de des et en un une du est que pour dans qui pas sur au avec il elle",
    "es": "el la de que y en los del se las por un para con no una su al es lo como",
    "it": "il di che e la per un in non una sono del della le si da con gli al nel",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er ook als bij",
    "pt": "o a de que e do da em um para com não uma os no se na por mais as dos",
}
STOPWORDS = {lang: set(words.split()) for lang, words in STOPWORDS.items()}


@dataclass
class Block:
    """A unit of the page before sectioning."""

    kind: str  # "heading", "para", "keypoints", "title"
    text: str = ""
    level: int = 2
    rows: list[str] = field(default_factory=list)


@dataclass
class Meta:
    title: str | None = None
    source: str | None = None
    date: str | None = None
    author: str | None = None


def read_article(path: str | Path) -> Article:
    """Read an article file (.txt, .md, .html; others sniffed) into an Article."""
    path = Path(path)
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
    if _looks_binary(data):
        raise InputError(f"{path} is a binary file, not text; pass a .txt, .md or .html article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text; convert it to UTF-8 and try again") from exc
    if not text.strip():
        raise InputError(f"{path} has only whitespace; pass a file with article text")
    fmt = FORMATS.get(path.suffix.lower()) or sniff_format(text)
    article = parse_article(text, fmt, name=path.stem)
    article.path = path
    if not article.sections:
        raise InputError(
            f"{path} has no article text once page furniture is removed; pass the article itself"
        )
    return article


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(b < 32 and b not in (9, 10, 12, 13) for b in head)
    return control > len(head) * 0.05


def sniff_format(text: str) -> str:
    """Guess "html", "md" or "txt" from the content of a file with an unknown extension."""
    head = text[:4000].lower()
    if re.search(r"<(?:!doctype html|html|body|p|div|h1|article)\b", head):
        return "html"
    if re.search(r"^#{1,3} \S|^\s*[-*] \S|\[[^\]]+\]\([^)]+\)|^\|.*\|\s*$", text[:4000], re.M):
        return "md"
    return "txt"


def parse_article(text: str, fmt: str = "txt", name: str | None = None) -> Article:
    """Parse article text in format ``fmt`` ("txt", "md" or "html") into a cleaned Article."""
    parse = {"txt": _blocks_from_text, "md": _blocks_from_markdown, "html": _blocks_from_html}
    if fmt not in parse:
        raise InputError(f"unknown article format {fmt!r}; use txt, md or html")
    meta = Meta()
    blocks = parse[fmt](text, meta)
    _find_metadata(blocks, meta)
    blocks = [b for b in blocks if b.kind == "keypoints" or not is_furniture(b.text)]
    title = meta.title or _title_block(blocks) or _prettify(name or "Untitled article")
    sections = _sections(blocks)
    body_text = " ".join(p for s in sections for p in s.paragraphs)
    return Article(
        title=title,
        sections=sections,
        source=meta.source,
        date=meta.date,
        author=meta.author,
        language=detect_language(body_text),
    )


def _prettify(stem: str) -> str:
    words = re.sub(r"[-_.]+", " ", stem).split()
    return " ".join(words).capitalize() if words else "Untitled article"


def _title_block(blocks: list[Block]) -> str | None:
    """Take the first heading or title-like line as the title, removing it from the blocks."""
    for i, block in enumerate(blocks[:3]):
        if block.kind == "title" or (block.kind == "heading" and block.level == 1):
            del blocks[i]
            return block.text
    for i, block in enumerate(blocks[:1]):
        if block.kind in ("para", "heading") and _title_like(block.text):
            del blocks[i]
            return block.text
    return None


def _title_like(line: str) -> bool:
    return 0 < len(line.split()) <= 20 and not line.rstrip().endswith((".", ",", ";", ":", "?"))


# --- plain text --------------------------------------------------------------------------


def _blocks_from_text(text: str, meta: Meta) -> list[Block]:
    lowercase = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        content = [line for line in lines if not is_furniture(line)]
        if len(content) > 2:
            rows = table_rows(content, lowercase)
            if rows:
                header = content[0] if not content[0].endswith(TERMINAL) else ""
                blocks.append(Block("keypoints", header, rows=rows))
                continue
        if len(lines) == 1:
            blocks.append(Block("para", lines[0]))
        elif sum(line.endswith(TERMINAL) for line in lines) >= len(lines) / 2 or (
            max(len(line) for line in lines) < 50 and all(line[0].isupper() for line in lines)
        ):
            blocks += [Block("para", line) for line in lines]  # one paragraph per line
        else:
            first, rest = lines[0], lines[1:]
            if _heading_like(first) and len(first) < 0.6 * max(len(r) for r in rest):
                blocks.append(Block("heading", first))
                lines = rest
            blocks.append(Block("para", " ".join(lines)))
    # A short line without final punctuation followed by prose is a heading.
    for i, block in enumerate(blocks[1:], start=1):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            block.kind == "para"
            and _heading_like(block.text)
            and nxt is not None
            and (nxt.kind == "keypoints" or (nxt.kind == "para" and not _heading_like(nxt.text)))
        ):
            block.kind = "heading"
    if blocks and blocks[0].kind == "para" and _title_like(blocks[0].text):
        blocks[0].kind = "title"
    return blocks


def _heading_like(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 14
        and not line.endswith((".", ",", ";", ":", "?", "!", '"', "”"))
        and (line[0].isupper() or line[0].isdigit())
    )


# --- Markdown ----------------------------------------------------------------------------


def _blocks_from_markdown(text: str, meta: Meta) -> list[Block]:
    text = text.replace("\r\n", "\n")
    text = _front_matter(text, meta)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks: list[Block] = []
    para: list[str] = []
    table: list[str] = []
    in_code = False

    def flush() -> None:
        if para:
            blocks.append(Block("para", _md_inline(" ".join(para))))
            para.clear()
        if table:
            rows = [r for r in table if not re.fullmatch(r"\|?[\s:|-]+\|?", r)]
            cells = [" | ".join(c.strip() for c in r.strip().strip("|").split("|")) for r in rows]
            if cells:
                blocks.append(Block("keypoints", cells[0], rows=[_md_inline(c) for c in cells[1:]]))
            table.clear()

    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            flush()
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = re.match(r"(#{1,6})\s+(.*?)\s*#*\s*$", stripped)
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if heading:
            flush()
            blocks.append(
                Block("heading", _md_inline(heading.group(2)), level=len(heading.group(1)))
            )
        elif (
            stripped and para == [] and re.fullmatch(r"=+|-+", nxt) and not stripped.startswith("|")
        ):
            flush()
            blocks.append(Block("heading", _md_inline(stripped), level=1 if nxt[0] == "=" else 2))
        elif re.fullmatch(r"=+|-{3,}|\*{3,}|_{3,}", stripped):
            flush()
        elif stripped.startswith("|") or (table and "|" in stripped):
            if para:
                flush()
            table.append(stripped)
        elif not stripped:
            flush()
        elif re.match(r"([-*+]|\d+[.)])\s+", stripped):
            flush()
            para.append(re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped))
        else:
            if table:
                flush()
            para.append(re.sub(r"^>\s?", "", stripped))
    flush()
    return blocks


def _front_matter(text: str, meta: Meta) -> str:
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
            meta.date = _iso_date(value)
    return text[match.end() :]


def _md_inline(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1", r"\2", text)
    return " ".join(text.split())


# --- HTML --------------------------------------------------------------------------------


class _PageParser(HTMLParser):
    SKIP = {
        "script",
        "style",
        "nav",
        "footer",
        "aside",
        "noscript",
        "svg",
        "form",
        "button",
        "figcaption",
        "template",
        "iframe",
        "select",
    }
    BLOCKS = {
        "p",
        "li",
        "blockquote",
        "div",
        "section",
        "article",
        "main",
        "header",
        "dd",
        "dt",
        "pre",
        "br",
        "figure",
        "ul",
        "ol",
        "body",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self._skip = 0
        self._text: list[str] = []
        self._heading: int | None = None
        self._in_title = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._rows: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if attrs.get("content"):
                self.meta[key] = attrs["content"]
            return
        if tag in self.SKIP or self._hidden(attrs):
            if tag not in ("br",):
                self._skip += 1
            return
        if self._skip:
            return
        if tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._heading = int(tag[1])
        elif tag == "table":
            self._flush()
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag in self.BLOCKS:
            self._flush()

    @staticmethod
    def _hidden(attrs: dict) -> bool:
        marks = " ".join(str(attrs.get(k) or "") for k in ("class", "id", "role")).lower()
        return (
            bool(
                re.search(
                    r"\b(?:share|social|cookie|newsletter|advert|promo|related|"
                    r"breadcrumb|navigation|sidebar)\b",
                    marks,
                )
            )
            or attrs.get("hidden") is not None
        )

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag == "title":
            self._in_title = False
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            text = " ".join("".join(self._text).split())
            if text:
                self.blocks.append(Block("heading", text, level=self._heading))
            self._text.clear()
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._rows is not None:
            if any(self._row):
                self._rows.append(" | ".join(self._row))
            self._row = None
        elif tag == "table" and self._rows is not None:
            if self._rows:
                self.blocks.append(Block("keypoints", self._rows[0], rows=self._rows[1:]))
            self._rows = None
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title += data
        elif self._cell is not None:
            self._cell.append(data)
        elif self._rows is None:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(Block("para", text))
        self._text.clear()

    def close(self):
        super().close()
        self._flush()


def _blocks_from_html(text: str, meta: Meta) -> list[Block]:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    m = parser.meta
    meta.source = m.get("og:site_name") or None
    meta.author = m.get("author") or m.get("article:author") or None
    published = m.get("article:published_time") or m.get("date") or m.get("dc.date")
    meta.date = _iso_date(published) if published else None
    h1 = next((b for b in parser.blocks if b.kind == "heading" and b.level == 1), None)
    title = " ".join(parser.title.split())
    if h1 is None and title:
        # "Headline | Site name": the site name is the source, not part of the title.
        parts = re.split(r"\s[|–—]\s|\s-\s", title, maxsplit=1)
        meta.title = parts[0].strip()
        if len(parts) == 2 and not meta.source:
            meta.source = parts[1].strip()
    return parser.blocks


# --- metadata, sections, language --------------------------------------------------------


def _find_metadata(blocks: list[Block], meta: Meta) -> None:
    """Author, date and source from byline-like lines near the top (they are furniture later)."""
    for block in blocks[:12]:
        if block.kind == "keypoints":
            continue
        text = block.text.strip("*_ ")
        if len(text.split()) > 30:
            continue
        if meta.author is None:
            by = re.search(
                r"\b[Bb]y\s+((?:[A-Za-z][\w.'’-]*\s?){1,5}?)(?=\s*(?:[,.|;]|$|\s(?:and|in|for|on)\s))",
                text,
            )
            if by and (
                text.lower().startswith(("by ", "written by", "words by"))
                or len(text.split()) <= 12
            ):
                meta.author = by.group(1).strip()
                rest = text[by.end() :].lstrip(" ,|")
                site = re.match(r"([A-Z][\w&]*(?:\s[A-Z][\w&]*){0,3})\s*$", rest)
                if site and meta.source is None:
                    meta.source = site.group(1)
        if (
            meta.date is None
            and re.search(r"\b(?:published|updated|posted|date)\b", text, re.I)
            or (meta.date is None and len(text.split()) <= 8)
        ):
            meta.date = meta.date or _iso_date(text)
        source = re.match(
            r"(?:source|via|originally published (?:in|on|by))\s*:?\s+(.{2,60}?)\.?$", text, re.I
        )
        if source and meta.source is None:
            meta.source = source.group(1)


def _iso_date(text: str) -> str | None:
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


def _sections(blocks: list[Block]) -> list[Section]:
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
            title = current.title if not current.paragraphs else None
            if current.paragraphs:
                close(current)
            table_title = title or (block.text if block.text and "|" not in block.text else None)
            sections.append(
                Section(
                    title=table_title, paragraphs=block.rows, kind="keypoints", level=current.level
                )
            )
            current = Section(title=None)
        else:
            if (
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


def detect_language(text: str) -> str:
    """The language whose common words are most frequent in ``text``; "en" when unsure."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if not words:
        return "en"
    counts = {lang: sum(w in stop for w in words) for lang, stop in STOPWORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] > max(3, counts["en"] * 1.2) or best == "en" else "en"
