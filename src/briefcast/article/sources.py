"""``read_sources``: a list of inputs (files, URLs, RSS/Atom feeds) into the list of stories a
briefing is made of, with a record in the output folder of the feed items already used."""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path

from ..errors import BriefcastError, InputError
from ..files import write_text_atomic
from ..models import Article
from .decode import decode_text
from .feed import FeedItem, feed_items, is_feed
from .fetch import fetch_page, is_url
from .read import parse_article, read_article, read_file_text

log = logging.getLogger(__name__)

RECORD_NAME = "briefcast-items.json"
"""The record, in the output folder, of the feed items a briefing there has already used."""
DEFAULT_ITEMS = 5


BLOCK_TAG = re.compile(r"<(?:p|div|br|li|h[1-6]|blockquote|table)\b", re.I)
"""A feed item's content with one of these is HTML with paragraphs; without, it is one."""


def read_sources(
    inputs: list[str | Path],
    *,
    items: int = DEFAULT_ITEMS,
    record_dir: Path | None = None,
    again: bool = False,
    refresh: bool = False,
) -> list[Article]:
    """The stories of ``inputs`` in order: a file or URL is one story, a feed its ``items``
    newest items not yet in the record of ``record_dir`` (all of them with ``again``).

    An item's page is fetched and read; where it cannot be, the item's own content or summary
    is read instead. The record is not written here: call ``record_used`` once the briefing is
    made, so a failed build uses nothing up."""
    used = set() if again or record_dir is None else set(used_items(record_dir))
    stories: list[Article] = []
    for source in inputs:
        text = _feed_text(source, refresh)
        if text is None:  # an article; a URL was fetched just now, so the cache has it
            stories.append(read_article(source, refresh=refresh and not is_url(source)))
            continue
        offered = feed_items(text)
        if not offered:
            raise InputError(f"{source} is a feed without items; check that it is the right one")
        fresh = [item for item in offered if item.key not in used]
        if not fresh:
            log.warning("%s has no items not used before; --again reads them again", source)
        stories += [_read_item(item, refresh) for item in fresh[:items]]
    if not stories:
        raise InputError("no new stories: every feed item was used before; pass --again")
    return stories


def _feed_text(source: str | Path, refresh: bool) -> str | None:
    """The text of ``source`` when it is a feed, else None (it is then read as an article)."""
    if is_url(source):
        page = fetch_page(str(source), refresh=refresh)
        text = decode_text(page.body, str(source), hint=page.charset)
    else:
        path = Path(source)
        if path.suffix.lower() in (".txt", ".md", ".html", ".htm"):
            return None
        text = read_file_text(path)
    return text if is_feed(text) else None


def _read_item(item: FeedItem, refresh: bool) -> Article:
    """An item's story: its page when it can be read, else its own content from the feed."""
    article = None
    if item.link and is_url(item.link):
        try:
            article = read_article(item.link, refresh=refresh)
        except BriefcastError as exc:
            log.warning("%s; reading the feed's own text of it instead", exc)
    if article is None:
        title = html.escape(item.title)
        page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        body = item.content
        if not BLOCK_TAG.search(body):  # a plain-text summary, as most feeds give: one paragraph
            body = f"<p>{body}</p>"
        page += f"{body}</article></body></html>"
        article = parse_article(page, "html", name=item.title)
        if not article.sections:
            raise InputError(f"feed item {item.title!r} has no text and its page cannot be read")
    article.title = item.title or article.title
    article.source = item.feed_title or article.source
    article.date = article.date or item.date
    article.url = item.link or article.url
    article.path = None
    return article


def used_items(record_dir: Path) -> list[str]:
    """The keys of the feed items already used in ``record_dir`` (none when no record)."""
    try:
        data = json.loads((Path(record_dir) / RECORD_NAME).read_text("utf-8"))
        return [str(key) for key in data.get("used", [])]
    except (OSError, ValueError, AttributeError):
        return []


def record_used(record_dir: Path, stories: list[Article]) -> None:
    """Add the stories read from the web to the record in ``record_dir``, by URL (a feed item
    without a link cannot be recorded, and comes again)."""
    keys = [story.url for story in stories if story.url]
    if not keys:
        return
    known = used_items(record_dir)
    record = {"used": known + [k for k in keys if k not in known]}
    write_text_atomic(Path(record_dir) / RECORD_NAME, json.dumps(record, indent=1) + "\n")
