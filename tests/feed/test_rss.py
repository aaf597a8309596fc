"""The feed read back by real parsers: feedparser (no bozo, every field) and podcastparser
(gPodder's), from the feed ``briefcast serve`` serves."""

from __future__ import annotations

import html
import io
import json
import urllib.request
import xml.etree.ElementTree as ET

import feedparser
import httpx
import podcastparser
import pytest
from PIL import Image

from briefcast.feed import publish_episode, read_record
from briefcast.feed.rss import PODCAST_NS, PSC_NS

from .conftest import STORY_URL, TRICKY_TITLE

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


@pytest.fixture(scope="module")
def parsed(server):
    url, _ = server
    return feedparser.parse(url)


def test_channel_fields(parsed, feed_dir):
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert channel.title == 'Home & "Away" <news>'
    assert channel.author == "Ann & Bo"
    assert channel.podcast_guid == read_record(feed_dir).channel.guid
    assert channel.podcast_locked == "yes"
    assert channel.itunes_type == "episodic"
    assert [t.term for t in channel.tags] == ["News"]
    assert channel.image.href.endswith((".png", ".jpg"))


def test_items_newest_first_with_every_field(parsed, built, feed_dir):
    record = read_record(feed_dir)
    titles = [e.title for e in parsed.entries]
    assert titles == [TRICKY_TITLE, "The Harbour Ferry Returns"]
    for entry, result in zip(parsed.entries, reversed(built)):
        item = next(i for i in record.items if i.title == entry.title)
        assert entry.id == item.guid and not entry.guidislink
        assert not entry.id.startswith("http")
        assert entry.published_parsed is not None
        assert entry.itunes_episodetype == "full"
        seconds = result.episode.duration_ms // 1000
        assert entry.itunes_duration == f"00:{seconds // 60:02d}:{seconds % 60:02d}"
        (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == (feed_dir / item.audio).stat().st_size
        assert (feed_dir / item.audio).read_bytes() == result.episode.path.read_bytes()
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        assert [c["title"] for c in entry.psc_chapters["chapters"]] == [
            c.title for c in result.episode.chapters
        ]
        assert "In this episode:" in entry.summary
        assert entry.image.href.endswith((".png", ".jpg"))


def test_no_m4b_enclosure(parsed):
    hrefs = [link.href for e in parsed.entries for link in e.links]
    assert not [h for h in hrefs if h.endswith(".m4b")]


def test_story_sources_are_in_the_item(parsed):
    market = parsed.entries[0]
    for text in (market.summary, market.content[0].value):
        assert html.unescape(text).startswith(f"<p>{TRICKY_TITLE}. In this episode:")
        assert f'<a href="{html.escape(STORY_URL)}">' in text
    assert market.psc_chapters["chapters"][0]["href"] == STORY_URL


def test_every_linked_file_answers_with_its_type(server):
    """Every enclosure, chapters, transcript and image URL answers 200 with its MIME type."""
    url, _ = server
    root = ET.fromstring(httpx.get(url).content)
    links = [(e.get("url"), e.get("type")) for e in root.iter("enclosure")]
    for tag in ("chapters", "transcript"):
        links += [(e.get("url"), e.get("type")) for e in root.iter(f"{{{PODCAST_NS}}}{tag}")]
    types = {t for _, t in links}
    assert types == {"audio/mpeg", "application/json+chapters", "text/vtt", "application/x-subrip"}
    for link, mime in links:
        response = httpx.get(link)
        assert response.status_code == 200, link
        assert response.headers["content-type"].split(";")[0] == mime
    images = [e.get("href") for e in root.iter("{http://www.itunes.com/dtds/podcast-1.0.dtd}image")]
    assert images and all(httpx.head(i).headers["content-type"] == "image/png" for i in images)
    chapters = [u for u, t in links if t == "application/json+chapters"]
    assert json.loads(httpx.get(chapters[0]).content)["chapters"]


def test_cover_is_a_podcast_directory_image(parsed):
    image = Image.open(io.BytesIO(httpx.get(parsed.feed.image.href).content))
    assert image.format in ("PNG", "JPEG")
    assert 1400 <= image.width == image.height <= 3000


def test_both_transcripts_and_podlove_chapters_in_the_xml(server):
    url, _ = server
    root = ET.fromstring(httpx.get(url).content)
    explicit = [e.text for e in root.iter(f"{{{ITUNES}}}explicit")]
    assert explicit == ["false"] * (1 + len(root.findall("channel/item")))
    for item in root.iter("item"):
        kinds = [t.get("type") for t in item.iter(f"{{{PODCAST_NS}}}transcript")]
        assert kinds == ["text/vtt", "application/x-subrip"]
        (chapters,) = item.iter(f"{{{PSC_NS}}}chapters")
        assert chapters.get("version") == "1.2"
        assert chapters[0].get("start") == "00:00:00.000"


def test_podcastparser_reads_it(server, built):
    url, _ = server
    podcast = podcastparser.parse(url, urllib.request.urlopen(url))
    assert podcast["title"] == 'Home & "Away" <news>'
    assert podcast["cover_url"].startswith(url.rsplit("/", 1)[0])
    assert podcast["itunes_categories"] == [["News"]]
    assert podcast["explicit"] is False
    for episode, result in zip(podcast["episodes"], reversed(built)):
        (enclosure,) = episode["enclosures"]
        assert enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["file_size"] == result.episode.path.stat().st_size
        assert episode["total_time"] == result.episode.duration_ms // 1000
        assert episode["episode_art_url"]
        assert [c["title"] for c in episode["chapters"]] == [
            c.title for c in result.episode.chapters
        ]
        starts = [c["start"] for c in episode["chapters"]]
        assert starts == [c.start_ms // 1000 for c in result.episode.chapters]
        assert episode["type"] == "full"
        assert episode["guid"] and not episode["guid"].startswith("http")


def test_republishing_keeps_guid_and_date(feed_copy, built):
    before = {i.slug: (i.guid, i.published) for i in read_record(feed_copy).items}
    publish_episode(feed_copy, built[0].episode, built[0].script)
    after = {i.slug: (i.guid, i.published) for i in read_record(feed_copy).items}
    assert after == before
    assert not feedparser.parse((feed_copy / "feed.xml").read_bytes()).bozo
