"""The feed XML: RSS 2.0 with the iTunes tags, the ``podcast:`` namespace and Podlove chapters.

feedgen writes the RSS and iTunes parts; the small extension here adds what it lacks
(``podcast:guid``/``locked``/``chapters``/``transcript``, ``psc:chapters``, and
``itunes:explicit`` as the ``false`` Apple asks for, where feedgen only knows yes/no).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .. import __version__
from .records import FeedItem, FeedRecord, mime_type

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


EMPTY_DATE = datetime(2000, 1, 1, tzinfo=UTC)
"""The build date of a feed without episodes (any fixed date: nothing in it is new)."""


def file_url(base_url: str | None, name: str) -> str:
    """The URL of a file of the folder: absolute under ``base_url``, else relative."""
    return (base_url or "") + quote(name)


def clock(ms: int, fraction: bool = False) -> str:
    """``HH:MM:SS`` (``.mmm`` with ``fraction``) for a time in milliseconds."""
    seconds, millis = divmod(int(ms), 1000)
    text = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{text}.{millis:03d}" if fraction else text


class ChannelTags(BaseExtension):
    """``podcast:guid``, ``podcast:locked`` and ``itunes:explicit`` of the channel."""

    def __init__(self):
        self.guid: str | None = None

    def extend_ns(self):
        return {"podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        xml_elem(f"{{{PODCAST_NS}}}locked", channel).text = "yes"
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "false"
        return rss_feed


class ItemTags(BaseEntryExtension):
    """Per item: ``podcast:chapters``, ``podcast:transcript``, ``psc:chapters``, explicit."""

    def __init__(self):
        self.chapters_url: str | None = None
        self.transcripts: list[tuple[str, str]] = []
        self.marks: list[dict] = []
        self.language = "en"

    def extend_rss(self, entry):
        xml_elem(f"{{{ITUNES_NS}}}explicit", entry).text = "false"
        if self.chapters_url:
            tag = xml_elem(f"{{{PODCAST_NS}}}chapters", entry)
            tag.attrib.update({"url": self.chapters_url, "type": "application/json+chapters"})
        for url, mime in self.transcripts:
            tag = xml_elem(f"{{{PODCAST_NS}}}transcript", entry)
            tag.attrib.update({"url": url, "type": mime, "language": self.language})
        if self.marks:
            chapters = xml_elem(f"{{{PSC_NS}}}chapters", entry)
            chapters.attrib["version"] = "1.2"
            for mark in self.marks:
                chapter = xml_elem(f"{{{PSC_NS}}}chapter", chapters)
                chapter.attrib.update(
                    {"start": clock(mark["start_ms"], True), "title": mark["title"]}
                )
                if mark.get("url"):
                    chapter.attrib["href"] = mark["url"]
        return entry


def item_html(item: FeedItem) -> str:
    """The description as HTML (what RSS readers take it for), each source a link."""
    parts = [f"<p>{html.escape(item.description)}</p>"]
    if item.sources:
        links = "".join(
            f'<li><a href="{html.escape(s["url"])}">{html.escape(s["title"])}</a></li>'
            for s in item.sources
        )
        parts.append(f"<p>Sources:</p><ul>{links}</ul>")
    return "".join(parts)


def render_feed(record: FeedRecord, base_url: str | None = None) -> bytes:
    """The feed XML of ``record`` with every URL under ``base_url`` (the folder's own when
    None)."""
    channel = record.channel
    base = base_url if base_url is not None else channel.base_url
    items = record.newest_first()
    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("briefcast", ChannelTags, ItemTags, atom=False)
    fg.title(channel.title)
    fg.link(href=file_url(base, "index.html"))
    fg.description(channel.description)
    fg.language(channel.language)
    fg.generator(f"briefcast {__version__}")
    # the same record renders the same bytes: push sees no change and ETags hold
    fg.lastBuildDate(datetime.fromisoformat(items[0].published) if items else EMPTY_DATE)
    fg.podcast.itunes_author(channel.author)
    fg.podcast.itunes_category(channel.category)
    fg.podcast.itunes_type("episodic")
    fg.briefcast.guid = channel.guid
    cover = next((i.cover for i in items if i.cover), None)
    if cover:
        fg.podcast.itunes_image(file_url(base, cover))
        fg.image(url=file_url(base, cover), title=channel.title, link=file_url(base, "index.html"))
    for item in reversed(items):  # feedgen prepends each entry: newest ends up first
        add_item(fg, item, base)
    return fg.rss_str(pretty=True)


def add_item(fg: FeedGenerator, item: FeedItem, base: str | None) -> None:
    """One ``<item>``: guid, date, description, enclosure, durations, chapters, transcripts."""
    entry = fg.add_entry()
    entry.title(item.title)
    entry.guid(item.guid, permalink=False)
    entry.pubDate(datetime.fromisoformat(item.published))
    entry.link(href=file_url(base, "index.html") + f"#{item.slug}")
    entry.description(item_html(item))
    entry.content(item_html(item), type="CDATA")
    entry.enclosure(file_url(base, item.audio), str(item.audio_bytes), mime_type(item.audio))
    entry.podcast.itunes_duration(clock(item.duration_ms))
    entry.podcast.itunes_episode_type("full")
    entry.podcast.itunes_author(item.author)
    if item.cover:
        entry.podcast.itunes_image(file_url(base, item.cover))
    tags = entry.briefcast
    if item.chapters_json:
        tags.chapters_url = file_url(base, item.chapters_json)
    tags.transcripts = [(file_url(base, n), mime_type(n)) for n in (item.vtt, item.srt) if n]
    tags.marks = item.chapters
    tags.language = item.language
