"""Page furniture, FAQ and key-point tables: recognised by rule, not by lists of exact strings.

Furniture is what a web page wraps around an article (image file names, "Listen to this
article", share and navigation lines, cookie banners, bylines, advertisements). FAQ sections
and key-point tables are real content, but page structures rather than prose to read as is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..models import Article, Section

# Words of a page's user interface. A short line made mostly of them is furniture.
UI_WORDS = set(
    """
listen listening audio article articles story stories share shares sharing follow subscribe
subscribed subscription unsubscribe scroll top back skip jump content contents menu search sign
log login logout register newsletter newsletters advertisement advert advertising ad ads
sponsored promoted print email e-mail tweet facebook twitter linkedin whatsapp pinterest reddit
instagram youtube telegram tiktok copy link links read more related comment comments click tap
here next previous prev home page cookie cookies accept reject settings privacy policy terms
conditions min mins minute minutes play watch video videos loading image images photo photos
picture pictures credit credits gallery caption save saved bookmark donate recommended trending
latest viewed toggle navigation nav breadcrumb download rss feed contact copyright reserved
rights reading print-friendly x
""".split()
)
STOP = set(
    """
a an the to this that these those of on in at for with by and or our your my we you it is be
now via from all
""".split()
)
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif|bmp|tiff?)\b", re.I)
MEDIA_CREDIT = re.compile(
    r"^(?:image|photo|picture|illustration|video)\b.*(?:credit|getty|reuters"
    r"|afp|ap\b|shutterstock|alamy|pa media|epa)|^(?:getty images|reuters|afp)"
    r"\b",
    re.I,
)
BYLINE = re.compile(
    r"^\W*(?:by|written by|words by|reporting by|published|updated|last updated|"
    r"posted|first published|modified)\b",
    re.I,
)
DATE_WORDS = re.compile(
    r"\b(?:\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}"
    r"|\d{4}-\d{2}-\d{2}|\d+\s+(?:hours?|minutes?|days?|mins?)\s+ago)\b",
    re.I,
)
FAQ_HEADING = re.compile(
    r"\b(?:faqs?|frequently asked questions|questions and answers|q\s?&\s?a|"
    r"common questions)\b",
    re.I,
)
RECAP_HEADING = re.compile(
    r"\b(?:key (?:points?|facts|takeaways)|at a glance|in brief|summary|"
    r"tl;?dr|in short|what we know|takeaways)\b",
    re.I,
)
TERMINAL = tuple(".!?\"'”’)")


def words_of(line: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", line.lower())


def is_furniture(line: str) -> bool:
    """True for a line that belongs to the page around the article, not to the article."""
    text = line.strip().strip("*_#>|-• ").strip()
    if not text:
        return True
    words = text.split()
    if not re.search(r"[A-Za-z0-9]", text):
        return True  # rules, bullets, emoji rows
    if IMAGE_FILE.search(text) and len(words) <= 15:
        return True
    if re.fullmatch(r"(?:https?://|www\.)\S+", text):
        return True
    if "cookie" in text.lower() and re.search(
        r"\b(?:use|accept|consent|privacy|browsing)\b", text, re.I
    ):
        return True
    if len(words) <= 14 and (MEDIA_CREDIT.search(text) or _is_byline(text)):
        return True
    if len(words) <= 10 and re.search(r"©|\(c\)|all rights reserved", text, re.I):
        return True
    if _is_breadcrumb(text):
        return True
    content = [w for w in words_of(text) if w not in STOP]
    if not content or len(words) > 12:
        return False
    ui = sum(w.strip("'’-") in UI_WORDS for w in content)
    return ui / len(content) >= 0.6 and not text.endswith("?")


def _is_byline(text: str) -> bool:
    if BYLINE.search(text):
        return True
    # A line that is only a date or a "5 hours ago" stamp.
    rest = DATE_WORDS.sub("", text)
    return bool(DATE_WORDS.search(text)) and len(words_of(rest)) <= 2 and not text.endswith("?")


def _is_breadcrumb(text: str) -> bool:
    parts = [p.strip() for p in re.split(r"\s[>›»|/]\s|\s·\s", text)]
    return len(parts) >= 3 and all(0 < len(p.split()) <= 3 for p in parts) and text[-1] not in ".!?"


def is_faq_heading(title: str | None) -> bool:
    return bool(title and FAQ_HEADING.search(title))


def is_recap_heading(title: str | None) -> bool:
    return bool(title and RECAP_HEADING.search(title))


def is_question(paragraph: str) -> bool:
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


INLINE_QUESTION = re.compile(
    r"^\W*(?:q\s*[:.)]\s*)?((?:how|what|why|when|where|who|which|can|do|does|"
    r"is|are|will|should|could|would|has|have|did)\b[^?]{0,200}\?)\W*\s+(\S.*)$",
    re.I | re.S,
)


def _split_inline_question(paragraph: str) -> list[str]:
    """ "How long does it take? About five years." → question and answer as two paragraphs."""
    if is_question(paragraph):
        return [paragraph]
    match = INLINE_QUESTION.match(paragraph)
    return [match.group(1), match.group(2)] if match else [paragraph]


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
            if (t[0].islower() or re.search(r"-[a-z]", t))
            and t.lower() not in {"of", "and", "the", "in", "for", "on", "to", "a", "&"}
        ),
        None,
    )
    if first_lower is None or first_lower < 2:
        return None
    start = first_lower - 1

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
    label, detail = " ".join(tokens[:start]), " ".join(tokens[start:])
    if not all(
        t[0].isupper() or t in ("of", "and", "the", "in", "for", "on", "to", "&")
        for t in tokens[:start]
    ):
        return None
    if len(label.split()) > 6 or len(detail.split()) < 4 or not detail.endswith(TERMINAL):
        return None
    return label, detail


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


def row_detail(row: str) -> str:
    """What a table row says, for the ear: its sentence, or "label: value, value"."""
    cells = [c.strip() for c in row.split("|") if c.strip()]
    if len(cells) >= 2 and len(cells[-1].split()) >= 5:
        return cells[-1]
    if len(cells) >= 2:
        return f"{cells[0]}: {', '.join(cells[1:])}."
    return row


def classify_section(section: Section) -> Section:
    """Mark a prose section that reads as a FAQ as kind "faq" (paragraphs: question, answer…)."""
    if section.kind != "prose":
        return section
    pairs = faq_pairs(section.paragraphs)
    if pairs and (is_faq_heading(section.title) or len(pairs) >= 6):
        return replace(section, kind="faq", paragraphs=pairs)
    return section


def clean_article(article: Article) -> Article:
    """The article with furniture paragraphs removed and FAQ sections recognised (idempotent)."""
    sections = []
    for section in article.sections:
        paragraphs = section.paragraphs
        if section.kind != "keypoints":
            paragraphs = [p for p in paragraphs if not is_furniture(p)]
        if paragraphs:
            sections.append(classify_section(replace(section, paragraphs=paragraphs)))
    return replace(article, sections=sections)
