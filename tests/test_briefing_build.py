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
    again = render_script_file(edited, BuildOptions(out_dir=tmp_path / "again", progress=False))
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
