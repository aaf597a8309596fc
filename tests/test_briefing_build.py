"""A briefing end to end: several inputs on the command line make one episode, a chapter a story."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from mutagen.mp3 import MP3

from briefcast.cli import cli
from briefcast.pipeline import BuildOptions, build, render_script_file
from briefcast.script import script_from_markdown

STORIES = sorted((Path(__file__).parent / "data" / "briefing").glob("*.md"))


def test_script_command_takes_several_inputs():
    result = CliRunner().invoke(cli, ["script", *map(str, STORIES[:3]), "--words", "60", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"].startswith("Briefing, ")
    assert [c["source"] for c in data["chapters"]] == [
        "Porthleven Gazette",
        "Property Weekly",
        "Valley Echo",
    ]


def test_a_briefing_builds_one_episode_whose_chapters_keep_their_stories(tmp_path):
    options = BuildOptions(out_dir=tmp_path / "out", words=40, progress=False, title="Morning")
    result = build(STORIES[:2], options)
    script = script_from_markdown(result.script_path.read_text(encoding="utf-8"))
    assert script.title == "Morning"
    assert [c.source for c in script.chapters] == ["Porthleven Gazette", "Property Weekly"]
    assert [m.title for m in result.episode.chapters] == [c.title for c in script.chapters]
    assert MP3(result.episode.path).info.length * 1000 >= result.episode.duration_ms * 0.99
    # An edited script that links its stories is rendered with the links on its chapter marks.
    text = result.script_path.read_text(encoding="utf-8").replace(
        "<!-- source: Property Weekly -->",
        "<!-- source: Property Weekly -->\n<!-- url: https://news.example/homes -->",
    )
    edited = tmp_path / "edited.script.md"
    edited.write_text(text, encoding="utf-8")
    options = BuildOptions(out_dir=tmp_path / "again", progress=False)
    again = render_script_file(edited, options, given={"out_dir"})
    assert [m.url for m in again.episode.chapters] == [None, "https://news.example/homes"]
    kept = script_from_markdown((tmp_path / "again" / "edited.script.md").read_text("utf-8"))
    assert kept.chapters[1].url == "https://news.example/homes"


def test_one_bad_input_among_several_writes_nothing(tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "gone.md"
    result = CliRunner().invoke(cli, ["build", str(STORIES[0]), str(missing), "-o", str(out)])
    assert result.exit_code == 2
    # one line naming the input (its wording is the reader's)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert str(missing) in result.stderr
    assert not out.exists()


FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour News</title><link>http://127.0.0.1:9/</link>
<description>Local news</description>
<item><title>Harbour wall repairs begin</title><link>http://127.0.0.1:9/a</link><guid>a</guid>
<description>Repairs to the harbour wall at Porthleven began on Monday after the winter storms
damaged a long section of it. The council said the work would cost 1.2 million pounds.
</description></item>
<item><title>New ferry timetable announced</title><link>http://127.0.0.1:9/b</link><guid>b</guid>
<description>A new ferry timetable starts in April with two extra sailings a day to the islands.
The operator said demand had grown by a fifth since last year.</description></item>
</channel></rss>
"""


def test_a_source_feed_is_its_new_items_and_tomorrow_brings_only_new_ones(tmp_path):
    # The items' pages cannot be had (nothing listens on port 9): their summaries are read.
    feed = tmp_path / "news.xml"
    feed.write_text(FEED, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(feed), "--words", "40", "-o", str(out), "-q", "--items", "2"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    (script_path,) = out.glob("*.script.md")
    script = script_from_markdown(script_path.read_text(encoding="utf-8"))
    assert [c.url for c in script.chapters] == ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]
    assert "Porthleven" in " ".join(s.text for s in script.chapters[0].segments)

    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2
    assert "no new stories" in again.output and "--again" in again.output
    assert CliRunner().invoke(cli, [*args, "--again"]).exit_code == 0
