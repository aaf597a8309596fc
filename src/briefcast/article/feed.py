"""RSS and Atom source feeds, recognised by their content and parsed by feedparser: a feed
stands for its newest items, each with its link and its own content or summary."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..lazy import lazy_import

feedparser = lazy_import("feedparser")  # loaded by the first feed read

FEED_START = re.compile(
    r"^(?:\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*|<!DOCTYPE[^>]*>\s*)*"
    r"<(?:rss|feed|rdf:RDF)\b",
    re.S | re.I,
)


@dataclass
class FeedItem:
    """One story a feed offers."""

    key: str
    """What identifies it in the record of items used: its link, else its id, else its title."""
    title: str
    link: str | None
    feed_title: str | None
    date: str | None
    """Its date as YYYY-MM-DD, when the feed gives one."""
    content: str
    """Its own HTML content, or its summary: what is read when its page cannot be had."""
    published: float
    """Seconds since the epoch (0 when undated), to sort the newest first."""


def is_feed(text: str) -> bool:
    """True for the text of an RSS or Atom document."""
    return bool(FEED_START.match(text[:4000]))


def feed_items(text: str) -> list[FeedItem]:
    """The items of a feed, newest first (a feed's own order where it gives no dates)."""
    parsed = feedparser.parse(text)
    feed_title = parsed.feed.get("title") or None
    items = []
    for entry in parsed.entries:
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content") or []
        body = content[0].get("value", "") if content else ""
        link = entry.get("link") or None
        title = " ".join((entry.get("title") or "").split())
        items.append(
            FeedItem(
                key=link or entry.get("id") or title,
                title=title,
                link=link,
                feed_title=feed_title,
                date=f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
                if stamp
                else None,
                content=body or entry.get("summary", ""),
                published=calendar.timegm(stamp) if stamp else 0.0,
            )
        )
    # A stable sort: undated items keep the feed's order, which is newest first by convention.
    return sorted(items, key=lambda item: -item.published)
