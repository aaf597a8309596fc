"""The landing page in headless Chromium (driven by playwright): players, chapters that seek,
transcript, sources, subscribe links and QR, phone width, no external resources, escaping."""

from __future__ import annotations

import shutil
from urllib.parse import quote, urlsplit

import pytest

from briefcast.feed import read_record

from .conftest import STORY_URL, TRICKY_TITLE

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium.new_context(viewport={"width": 360, "height": 740})
        chromium.close()


@pytest.fixture(scope="module")
def page(server, browser):
    """The served landing page open at a phone's width; yields (page, requested URLs)."""
    url, _ = server
    tab = browser.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(url.rsplit("/", 1)[0] + "/", wait_until="load")
    return tab, requested


def test_clicking_a_chapter_seeks_the_player(page, feed_dir, tmp_path):
    tab, _ = page
    ferry = next(i for i in read_record(feed_dir).items if i.m4b)
    assert len(ferry.chapters) >= 2
    player = tab.locator(f"#{ferry.slug} audio")
    player.evaluate("a => a.readyState > 0 || new Promise(r => a.onloadedmetadata = r)")
    assert player.evaluate("a => a.currentTime") == 0
    target = ferry.chapters[-1]
    tab.locator(f"#{ferry.slug} button.seek").last.click()
    tab.wait_for_function(
        "([a, t]) => document.querySelector(a).currentTime >= t",
        arg=[f"#{ferry.slug} audio", target["start_ms"] / 1000 - 0.05],
        timeout=10000,
    )
    shot = tmp_path / "landing.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_episodes_newest_first_with_transcript_and_sources(page, feed_dir):
    tab, _ = page
    titles = tab.locator("article h2").all_inner_texts()
    assert titles == [TRICKY_TITLE, "The Harbour Ferry Returns"]
    assert tab.evaluate("document.querySelector('rise') === null")  # escaped, not markup
    market = tab.locator("article").first
    assert market.locator("ul a").first.get_attribute("href") == STORY_URL
    ferry = next(i for i in read_record(feed_dir).items if i.m4b)
    transcript = tab.locator(f"#{ferry.slug} details")
    transcript.locator("summary").click()
    assert ferry.transcript[0]["text"] in transcript.inner_text()
    assert tab.locator(f"#{ferry.slug} a", has_text="M4B").get_attribute("href") == ferry.m4b


def test_subscribe_links_and_qr_code(page, server):
    tab, _ = page
    url, _ = server
    links = tab.locator(".subscribe a")
    hrefs = {links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(3)}
    assert hrefs["feed URL"] == url
    assert hrefs["Apple Podcasts"] == "podcast://" + url.split("://")[1]
    assert hrefs["AntennaPod"].endswith("?url=" + quote(url, safe=""))
    assert tab.locator(".subscribe svg").count() == 1


def test_fits_a_phone_and_loads_nothing_from_elsewhere(page, server):
    tab, requested = page
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    origin = urlsplit(server[0]).netloc
    assert requested and all(urlsplit(r).netloc == origin for r in requested)


def test_the_static_page_in_the_folder_plays_from_the_disk(browser, feed_dir):
    """index.html as written into the folder works from any host: here, from file://."""
    tab = browser.new_page()
    tab.goto((feed_dir / "index.html").as_uri(), wait_until="load")
    player = tab.locator("article audio").first
    duration = player.evaluate(
        "a => a.readyState > 0 ? a.duration : new Promise(r => a.onloadedmetadata = () => r(a.duration))"
    )
    assert duration > 5
    assert tab.locator(".subscribe svg").count() == 0  # no public address known: no QR
    assert tab.locator(".subscribe a").get_attribute("href") == "feed.xml"
    tab.close()
