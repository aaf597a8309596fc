"""Page furniture: the lines a web page or a capture wraps around an article, found by rule.

Furniture is image file names, "Listen to this article", share and navigation lines, cookie
banners, bylines, dates on their own line, advertisements, skip links, shell commands and
box-drawing tables: nothing a listener wants read out, recognised by shape, not by lists of
exact strings.
"""

from __future__ import annotations

import re

from ..lexicon import MONTHS, word_list

UI_WORDS = frozenset(word_list("ui-words-en") + word_list("ui-words-de"))
"""Words of a page's user interface. A short line made mostly of them is furniture."""
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
_MONTH = "(?:" + "|".join(m[:3] for m in MONTHS) + ")"
DATE_WORDS = re.compile(
    rf"\b(?:\d{{1,2}}\s+{_MONTH}\w*|{_MONTH}\w*\s+\d{{1,2}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d+\s+(?:hours?|minutes?|days?|mins?)\s+ago)\b",
    re.I,
)
BOX_DRAWING = re.compile(r"[\u2500-\u257f]")
"""Box-drawing characters (─│┌┐└┘├┤): a table drawn in text, never prose."""
SHELL_LINE = re.compile(r"^(?:\$|>>>|PS>|C:\\>)\s+\S")
"""A command typed at a prompt, as captured pages and READMEs show them."""
CODE_LINE = re.compile(
    r"[{}]\s*$|[)\]'\"]\s*;\s*$"
    r"|^\s*(?:import|from|def|class|function|var|let|const|return|sudo|pip|npm|git)\s"
    r"|^\s*[\w.]+\(.*\)\s*;?\s*$|^\s*[\w.\[\]'\"]+\s*[+\-*/]?=\s*\S"
)
"""The shapes of a line of code: statement ends, keywords, bare calls, assignments."""


INTRODUCER_WORDS = 8
"""A line ending in ":" this short only points at what follows; a longer one says something."""


CALL_TO_ACTION = re.compile(
    r"^\W*(?:subscribe|sign up|signing up|follow|download|join|support|donate|get|click|tap|"
    r"share|unterstütze|abonnieren|folgen sie)\b(?:\W+\w+){0,3}?\W+(?:us|our|newsletters?|"
    r"apps?|edition|twitter|facebook|instagram|this article|inbox|uns|unser\w*|abo)\b"
    r"|^\W*(?:we want to hear|we['’]d love to hear|let us know what|tell us what|send us your|"
    r"never miss (?:the latest|a story|an update)|don['’]t miss (?:the latest|a story|out))\b",
    re.I,
)
"""A line that asks the reader to do something for the site (subscribe, follow, download),
naming the site or its channels within the next few words, or asking for their views."""
TEASER = re.compile(
    r"^\W*(?:read more|read also|also read|see also|related(?: story| article)?|more|"
    r"recommended|auch lesen|lesen sie auch|mehr dazu|mehr zum thema|weiterlesen)\s*:",
    re.I,
)
"""A link to another story, set in the text ("Also read: …")."""
LABEL_LINE = re.compile(
    r"^\W*(?:(?:news )?date|category|categories|tags?|tagged|filed under|posted in|topics?|"
    r"last modified|created|veröffentlichung|veröffentlicht|aktualisiert|kategorie|"
    r"schlagwörter|stand)\s*:",
    re.I,
)
"""A line of page metadata ("Category: Press releases", "Last modified: …")."""
STAMP_WORDS = re.compile(r"\b(?:created|modified|updated|published|posted)\b", re.I)


TERMINAL = tuple(".!?\"'”’)")
LONGEST = 80
"""Words: no furniture line is longer (a cookie notice or a drawn table's row may come close)."""


def words_of(line: str) -> list[str]:
    """The words of ``line``, lower case, punctuation removed."""
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", line.lower())


def is_furniture(line: str) -> bool:
    """True for a line that belongs to the page around the article, not to the article."""
    text = line.strip().strip("*_#>|-• ").strip()
    if not text:
        return True
    words = text.split()
    if not re.search(r"[^\W_]", text) or SHELL_LINE.match(text):
        return True  # rules, bullets, emoji rows, shell commands
    if len(words) > LONGEST:
        return False
    if BOX_DRAWING.search(text) or _is_cookie_notice(text):
        return True  # a table drawn in text; a cookie banner (they run long)
    if len(words) > 30:
        return False
    if CALL_TO_ACTION.search(text) or TEASER.search(text):
        return True
    if len(words) <= 15 and (IMAGE_FILE.search(text) or LABEL_LINE.search(text)):
        return True
    if re.fullmatch(r"(?:https?://|www\.)\S+", text):
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


def _is_cookie_notice(text: str) -> bool:
    return "cookie" in text.lower() and bool(
        re.search(r"\b(?:use|accept|consent|privacy|browsing)\b", text, re.I)
    )


def is_code(lines: list[str]) -> bool:
    """True when a block of lines reads as program code or a shell session, not prose."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        return False
    code = sum(bool(CODE_LINE.search(line) or SHELL_LINE.match(line.strip())) for line in lines)
    return code >= max(1, 0.6 * len(lines)) and not all(
        line.rstrip().endswith((".", "?", "!")) for line in lines
    )


COMMENT = re.compile(r"(?:^|\s)(?:#|//)\s+(\S.*?)\s*$|/\*+\s*(\S.*?)\s*\*+/")
"""A comment in a line of code: after "# " or "// " (with a space before, so never a URL's
"//" or "#include"), or between "/*" and "*/"."""
PROSE_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[,.;:!?)]*|\(?[A-Za-z][A-Za-z'’-]*")
COMMENT_WORDS = 4
"""Words: a comment this long that reads as a sentence says what the code does."""


def prose_comments(lines: list[str]) -> list[str]:
    """The comments of a block of code that are prose ("# the list is kept between calls"):
    words, most of them plain, with the small words of a sentence; never commented-out code or
    a root prompt's command ("# apt install curl")."""
    said = []
    for line in lines:
        match = COMMENT.search(line)
        comment = match and (match.group(1) or match.group(2))
        if not comment or comment.endswith(":") or CODE_LINE.search(comment):
            continue  # code commented out ("# or if not bar:", "// x = 1")
        words = comment.split()
        plain = sum(bool(PROSE_WORD.fullmatch(word)) for word in words)
        small = STOP.intersection(words_of(comment))
        if len(words) >= COMMENT_WORDS and plain >= 0.75 * len(words) and small:
            said.append(comment)
    return said


def introduces(paragraph: str) -> bool:
    """True for a short line that only introduces what follows ("Here's what we see:", "run:")."""
    return paragraph.rstrip().endswith(":") and len(paragraph.split()) <= INTRODUCER_WORDS


def _is_byline(text: str) -> bool:
    if BYLINE.search(text):
        return True
    if STAMP_WORDS.search(text) and DATE_WORDS.search(text) and not text.endswith(TERMINAL):
        return True  # "page.html - Created 03-10-2004 - Last modified: …"
    # A line that is only a date or a "5 hours ago" stamp.
    rest = DATE_WORDS.sub("", text)
    return bool(DATE_WORDS.search(text)) and len(words_of(rest)) <= 2 and not text.endswith("?")


def _is_breadcrumb(text: str) -> bool:
    parts = [p.strip() for p in re.split(r"\s[>›»|/]\s|\s·\s", text)]
    return len(parts) >= 3 and all(0 < len(p.split()) <= 3 for p in parts) and text[-1] not in ".!?"
