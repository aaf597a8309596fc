"""The feed XML of a fixed record, against the expected file beside it (a golden file): every tag,
attribute and escape as a podcast app receives them. Regenerate with BRIEFCAST_REGOLD=1."""

from __future__ import annotations

import os
from pathlib import Path

from briefcast import __version__
from briefcast.feed import FeedChannel, FeedItem, FeedRecord
from briefcast.feed.rss import render_feed

GOLDEN = Path(__file__).parent.parent / "data" / "feed-briefing.xml"

RECORD = FeedRecord(
    FeedChannel(title="Morning <brief> & co", guid="3a5d4e2c-0000-5000-8000-000000000001",
                author="Ann & Bo", base_url="https://pods.example.org/p/"),
    [
        FeedItem(
            slug="tuesday", guid="0b9e0c1e-1111-4111-8111-111111111111",
            title='Rates "hold" <for now>', published="2026-12-01T07:00:00+00:00",
            duration_ms=3_725_500, description="Rates hold. In this episode: Rates; Rail.",
            audio="episodes/tuesday-0123456789.mp3", audio_bytes=29_804_032,
            chapters_json="episodes/tuesday-0123456789.chapters.json",
            vtt="episodes/tuesday-0123456789.vtt", srt="episodes/tuesday-0123456789.srt",
            cover="episodes/tuesday-0123456789.png",
            chapters=[
                {"title": "Rates", "start_ms": 0, "url": "https://news.example/rates?a=1&b=2"},
                {"title": "Rail & <roads>", "start_ms": 1_830_250},
            ],
            sources=[{"title": "Rates", "url": "https://news.example/rates?a=1&b=2",
                      "source": "The Paper"}],
        ),
    ],
)  # fmt: skip


def test_feed_xml_matches_the_golden_file():
    xml = render_feed(RECORD).decode().replace(f"briefcast {__version__}", "briefcast VERSION")
    if os.environ.get("BRIEFCAST_REGOLD"):
        GOLDEN.write_text(xml, encoding="utf-8")
    assert xml == GOLDEN.read_text(encoding="utf-8")
