"""The feed folder through the CLI and the library: init, list, remove, keep N; bad input as one
line; two publishers at once both land; a publish killed at any moment leaves a whole feed."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from test_cli import assert_clean_failure

from briefcast.cli import cli
from briefcast.feed import init_feed, list_episodes, publish_episode, read_record
from briefcast.feed.rss import PODCAST_NS

from .conftest import DATA

FORK = multiprocessing.get_context("fork")


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def named_files(folder: Path) -> list[Path]:
    """Every file ``feed.xml`` names (its URLs are relative without a base URL)."""
    root = ET.fromstring((folder / "feed.xml").read_bytes())
    urls = [e.get("url") for e in root.iter("enclosure")]
    for tag in ("chapters", "transcript"):
        urls += [e.get("url") for e in root.iter(f"{{{PODCAST_NS}}}{tag}")]
    return [folder / u for u in urls]


def test_init_writes_an_empty_valid_feed(tmp_path):
    result = run("feed", "init", tmp_path / "pod", "--title", "Mine", "--author", "Me")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'pod' / 'feed.xml'}\n"
    parsed = feedparser.parse((tmp_path / "pod" / "feed.xml").read_bytes())
    assert not parsed.bozo and parsed.feed.title == "Mine" and parsed.entries == []
    assert "No episodes yet" in (tmp_path / "pod" / "index.html").read_text()
    assert run("feed", "list", tmp_path / "pod").stdout == ""


def test_init_again_keeps_guid_token_and_episodes(feed_copy):
    before = read_record(feed_copy)
    token = (feed_copy / ".token").read_text()
    result = run("feed", "init", feed_copy, "--title", "Renamed", "--base-url", "https://x.org/p")
    assert result.exit_code == 0, result.output
    after = read_record(feed_copy)
    assert after.channel.guid == before.channel.guid and after.items == before.items
    assert after.channel.base_url == "https://x.org/p/"
    assert (feed_copy / ".token").read_text() == token
    parsed = feedparser.parse((feed_copy / "feed.xml").read_bytes())
    assert parsed.feed.title == "Renamed"
    assert parsed.entries[0].enclosures[0].href.startswith("https://x.org/p/episodes/")


def test_list_and_remove(feed_copy):
    lines = run("feed", "list", feed_copy).stdout.splitlines()
    slugs = [line.split("\t")[0] for line in lines]
    assert slugs == ["prices-rise-fall-at-the-market", "the-harbour-ferry-returns"]
    assert lines[0].split("\t")[3] == 'Prices <rise> & "fall" at the market'
    gone = read_record(feed_copy).items[0]
    result = run("feed", "remove", feed_copy, "the-harbour-ferry-returns")
    assert result.exit_code == 0 and result.stdout == "removed the-harbour-ferry-returns\n"
    assert [i.slug for i in list_episodes(feed_copy)] == ["prices-rise-fall-at-the-market"]
    assert not [n for n in gone.files() if (feed_copy / n).exists()]
    assert all(p.exists() for p in named_files(feed_copy))
    assert len(feedparser.parse((feed_copy / "feed.xml").read_bytes()).entries) == 1


def test_build_into_a_feed_keeps_the_newest(tmp_path):
    pod = tmp_path / "pod"
    assert run("feed", "init", pod, "--title", "Kept").exit_code == 0
    for title in ("First story", "Second story"):
        result = run(
            "build", DATA / "e2e-article.md", "--words", "40", "--title", title,
            "-o", tmp_path / "out", "--feed", pod, "--keep", "1",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert f"published into {pod / 'feed.xml'}" in result.stderr
        assert result.stdout.strip().endswith(".mp3")
    assert [i.title for i in list_episodes(pod)] == ["Second story"]
    assert len(list((pod / "episodes").glob("*.mp3"))) == 1
    assert all(p.exists() for p in named_files(pod))


@pytest.mark.parametrize(
    "args, words",
    [
        (["feed", "list", "{tmp}/nowhere"], ["not a feed folder", "feed init"]),
        (["feed", "remove", "{pod}", "no-such-episode"], ["no episode", "no-such-episode"]),
        (["feed", "init", "{tmp}/new", "--title", "T", "--base-url", "ftp://x"], ["base-url"]),
        (["build", "{article}", "--feed", "{tmp}/nowhere", "-o", "{tmp}/out"], ["feed init"]),
        (["build", "{article}", "--feed", "{pod}", "--format", "m4b", "-o", "{tmp}/out"], ["mp3"]),
        (["build", "{article}", "--keep", "2", "-o", "{tmp}/out"], ["--feed"]),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, feed_copy, args, words):
    values = {"tmp": tmp_path, "pod": feed_copy, "article": DATA / "e2e-article.md"}
    before = sorted(feed_copy.rglob("*"))
    result = run(*[a.format(**values) for a in args])
    assert_clean_failure(result, *words)
    assert not (tmp_path / "out").exists() and not (tmp_path / "new").exists()
    assert sorted(feed_copy.rglob("*")) == before


def test_two_publishers_at_once_both_land(built, tmp_path):
    for round_ in range(3):
        pod = tmp_path / f"pod{round_}"
        init_feed(pod, "Race")
        go = FORK.Event()

        workers = [FORK.Process(target=publish_when, args=(go, pod, r)) for r in built]
        for worker in workers:
            worker.start()
        go.set()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        assert len(list_episodes(pod)) == 2
        parsed = feedparser.parse((pod / "feed.xml").read_bytes())
        assert not parsed.bozo and len(parsed.entries) == 2


def publish_when(go, pod: Path, result) -> None:
    """Publish ``result`` into ``pod`` once ``go`` is set (so that two publishers race)."""
    go.wait()
    publish_episode(pod, result.episode, result.script)


def publish_forever(pod: Path, built) -> None:
    """Publish the two episodes in turn, keeping one, until killed."""
    for n in range(10**6):
        result = built[n % 2]
        publish_episode(pod, result.episode, result.script, keep=1)


def test_a_killed_publish_leaves_the_previous_feed_intact(built, tmp_path):
    pod = tmp_path / "pod"
    init_feed(pod, "Killed")
    publish_episode(pod, built[0].episode, built[0].script)
    rng = random.Random(7)
    for _ in range(8):
        worker = FORK.Process(target=publish_forever, args=(pod, built))
        worker.start()
        time.sleep(rng.uniform(0.02, 0.4))
        os.kill(worker.pid, signal.SIGKILL)
        worker.join()
        parsed = feedparser.parse((pod / "feed.xml").read_bytes())
        assert not parsed.bozo and len(parsed.entries) == 1
        for path in named_files(pod):
            assert path.is_file() and path.stat().st_size > 0, path
        (enclosure,) = parsed.entries[0].enclosures
        assert int(enclosure.length) == (pod / enclosure.href).stat().st_size
    # the next publish cleans up whatever the killed ones left
    publish_episode(pod, built[1].episode, built[1].script, keep=1)
    left = sorted(p.name for p in (pod / "episodes").iterdir())
    assert left == sorted(Path(n).name for n in read_record(pod).items[0].files())
