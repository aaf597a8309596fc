"""Feed test set-up: two short real episodes built once per session, published into a feed
folder, and that folder served by a real ``briefcast serve`` process."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefcast.feed import init_feed, publish_episode
from briefcast.pipeline import BuildOptions, build

DATA = Path(__file__).parent.parent / "data"
TRICKY_TITLE = 'Prices <rise> & "fall" at the market'
STORY_URL = "https://example.org/story?id=1&from=<feed>"

MARKET = """# Market Prices

## Stalls

Traders at the covered market say prices rose again this month. Bread and fish cost more.

## Shoppers

Shoppers told the paper they now buy less. Some travel to the supermarket in the next town.
"""


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Two built episodes (the first with an M4B beside its MP3), as BuildResults."""
    root = tmp_path_factory.mktemp("feed-builds")
    ferry = build(
        DATA / "e2e-article.md",
        BuildOptions(out_dir=root / "ferry", words=90, formats=("mp3", "m4b"), progress=False),
    )
    article = root / "market.md"
    article.write_text(MARKET, encoding="utf-8")
    market = build(
        article,
        BuildOptions(out_dir=root / "market", words=30, title=TRICKY_TITLE, progress=False),
    )
    # the market episode as a briefing's story would be: a link and source on its chapters
    market.script = copy.deepcopy(market.script)
    for chapter in market.script.chapters:
        chapter.url = STORY_URL
        chapter.source = "The <Market> Times"
    return [ferry, market]


@pytest.fixture(scope="session")
def feed_dir(built, tmp_path_factory):
    """A feed folder holding both episodes (tests copy it before changing it)."""
    folder = tmp_path_factory.mktemp("feed") / "pod"
    init_feed(folder, 'Home & "Away" <news>', author="Ann & Bo")
    for result in built:
        publish_episode(folder, result.episode, result.script)
    return folder


@pytest.fixture
def feed_copy(feed_dir, tmp_path):
    """A private copy of the published feed folder."""
    target = tmp_path / "pod"
    shutil.copytree(feed_dir, target)
    return target


def start_server(folder: Path, log: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """``briefcast serve`` on a free port; returns the process and its first stdout line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefcast", "serve", str(folder), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    url = process.stdout.readline().strip()
    for _ in range(100):  # then the QR code and a ready line on stderr
        if "Ctrl-C stops" in log.read_text() or not url:
            break
        time.sleep(0.05)
    if not url:
        process.kill()
        raise RuntimeError(f"serve printed no URL: {log.read_text()}")
    return process, url


@pytest.fixture(scope="session")
def server(feed_dir, tmp_path_factory):
    """The feed folder served on 127.0.0.1: (subscribe URL, stderr log path)."""
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    process, url = start_server(feed_dir, log)
    yield url, log
    process.terminate()
    process.wait(10)
