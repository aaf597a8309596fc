"""Source feeds (RSS and Atom, as URLs or files) stand for their newest items; each item's
page is read, or its own text where the page cannot be had; a record keeps what was used."""

from __future__ import annotations

import json

from click.testing import CliRunner

from briefcast.article import read_sources, record_used
from briefcast.cli import cli

from .conftest import DATA


def story_page(title: str, sentence: str) -> str:
    return (
        f"<html><head><title>{title} | Valley News</title></head><body><article>"
        f"<h1>{title}</h1><p>{sentence}</p><p>More of it was said on the day.</p>"
        "</article></body></html>"
    )


def rss(site, items: list[tuple[str, str, str, str]]) -> str:
    entries = "".join(
        f"<item><title>{title}</title><link>{site.url}{path}</link>"
        f"<guid>{site.url}{path}</guid><pubDate>{date}</pubDate>"
        f"<description>&lt;p&gt;{summary}&lt;/p&gt;</description></item>"
        for title, path, date, summary in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Valley News</title><link>{site.url}</link>{entries}</channel></rss>"
    )


def serve_feed(site) -> str:
    site.add("/mill", story_page("Mill Reopens", "The old mill reopened as a bakery on Monday."))
    site.add("/bridge", story_page("Bridge Closed", "The river bridge closed for repairs today."))
    items = [
        ("Bridge Closed", "/bridge", "Tue, 03 Jun 2025 09:00:00 GMT", "The bridge closed."),
        (
            "Fair Cancelled",
            "/gone",
            "Wed, 04 Jun 2025 09:00:00 GMT",
            "The summer fair was called off because of the floods.",
        ),
        ("Mill Reopens", "/mill", "Mon, 02 Jun 2025 09:00:00 GMT", "The mill reopened."),
    ]
    return site.add("/rss.xml", rss(site, items), Content_Type="application/rss+xml")


def test_a_feed_stands_for_its_newest_items_read_from_their_pages(site):
    stories = read_sources([serve_feed(site)], items=2)
    assert [s.title for s in stories] == ["Fair Cancelled", "Bridge Closed"]
    gone, bridge = stories
    # /gone answers 404: the item's own summary is read instead
    assert gone.sections[0].paragraphs == ["The summer fair was called off because of the floods."]
    assert bridge.sections[0].paragraphs[0] == "The river bridge closed for repairs today."
    assert (bridge.source, bridge.date, bridge.url) == (
        "Valley News",
        "2025-06-03",
        site.url + "/bridge",
    )


def test_the_record_brings_only_new_items_and_again_ignores_it(site, tmp_path):
    feed = serve_feed(site)
    first = read_sources([feed], items=2, record_dir=tmp_path)
    record_used(tmp_path, first)
    assert [s.title for s in read_sources([feed], items=2, record_dir=tmp_path)] == ["Mill Reopens"]
    again = read_sources([feed], items=2, record_dir=tmp_path, again=True)
    assert [s.title for s in again] == ["Fair Cancelled", "Bridge Closed"]
    record = json.loads((tmp_path / "briefcast-items.json").read_text())
    assert record == {"used": [site.url + "/gone", site.url + "/bridge"]}


def test_read_takes_files_urls_and_feeds_together(site, tmp_path):
    feed = tmp_path / "news.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Parish Notes</title><entry><title>Hall Repainted</title><id>urn:hall</id>"
        '<updated>2025-06-01T10:00:00Z</updated><content type="html">&lt;p&gt;The village hall '
        "was repainted by volunteers over the weekend.&lt;/p&gt;</content></entry></feed>",
        encoding="utf-8",
    )
    url = site.add(
        "/mill", story_page("Mill Reopens", "The old mill reopened as a bakery on Monday.")
    )
    args = ["read", "--json", str(DATA / "read-skip-link.md"), url, str(feed)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["title"], d["site"]) for d in data] == [
        ("Council Opens New Library in Old Post Office", None),
        ("Mill Reopens", "Valley News"),
        ("Hall Repainted", "Parish Notes"),
    ]
    assert data[2]["sections"][0]["paragraphs"] == [
        "The village hall was repainted by volunteers over the weekend."
    ]


def test_a_feed_given_to_read_article_is_pointed_at_read(tmp_path):
    from briefcast.article import read_article
    from briefcast.errors import InputError

    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    )
    try:
        read_article(feed)
    except InputError as exc:
        assert "is a news feed" in str(exc)
    else:
        raise AssertionError("a feed read as an article")
