"""Rebuilds and `render` never go stale: the build's manifest remembers its formats, voices and
cover; render writes beside its script; a format no longer asked for is removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from briefcast.cli import cli

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "e2e-article.md"
SLUG = "the-harbour-ferry-returns"


def run(*args) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def voices_dir(tmp_path) -> Path:
    """A folder with one extra profile, so that a render must find the build's --voices-dir."""
    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "deep.toml").write_text(
        'name = "deep"\nengine = "pyttsx3"\nvoice_id = "gmw/en-us+m3"\nlanguage = "en"\n'
        "wpm = 150\npitch = 20\n"
    )
    return folder


@pytest.fixture
def built(tmp_path, voices_dir) -> Path:
    """A two-format build with a voice from an extra folder, in ``tmp_path/pods``."""
    pods = tmp_path / "pods"
    code, out, err = run(
        *("build", ARTICLE, "-o", pods, "--words", "40", "--single-voice", "-q"),
        *("--format", "mp3,m4b", "--voice", "deep", "--voices-dir", voices_dir),
    )
    assert code == 0, err
    assert out == f"{pods / SLUG}.mp3\n{pods / SLUG}.m4b\n"
    return pods


def test_render_writes_beside_the_script_with_the_builds_settings(built, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    script = built / f"{SLUG}.script.md"
    script.write_text(script.read_text().replace("## ", "## Edited: ", 1))
    before = {p.name: p.stat().st_mtime_ns for p in built.iterdir()}
    code, out, err = run("render", script, "-q")  # no -o, no --format, no --voices-dir
    assert (code, out, err) == (0, f"{built / SLUG}.mp3\n{built / SLUG}.m4b\n", "")
    assert list(elsewhere.iterdir()) == []  # nothing in ./output
    for name in (f"{SLUG}.mp3", f"{SLUG}.m4b", f"{SLUG}.chapters.json", f"{SLUG}.vtt"):
        assert (built / name).stat().st_mtime_ns != before[name], f"{name} left stale"
    chapters = [c.sub_frames["TIT2"].text[0] for c in ID3(built / f"{SLUG}.mp3").getall("CHAP")]
    assert any(t.startswith("Edited: ") for t in chapters)
    assert script.read_text().count("## Edited: ") == 1  # the user's file is not rewritten


def test_rebuild_with_fewer_formats_removes_the_others(built):
    code, out, err = run("build", ARTICLE, "-o", built, "--words", "40", "--single-voice")
    assert code == 0 and out == f"{built / SLUG}.mp3\n"
    assert f"WARNING: removed {built / SLUG}.m4b: its format is no longer built\n" in err
    assert not (built / f"{SLUG}.m4b").exists()


def test_render_options_override_the_manifest(built, tmp_path):
    out_dir = tmp_path / "other"
    script = built / f"{SLUG}.script.md"
    code, out, err = run("render", script, "-o", out_dir, "--format", "m4a", "-q")
    assert (code, out, err) == (0, f"{out_dir / SLUG}.m4a\n", "")
    assert (built / f"{SLUG}.m4b").exists()  # another folder's files are not touched


def test_a_manifest_that_is_not_json_is_rebuilt(built):
    manifest = built / f".{SLUG}.build.json"
    manifest.write_text("{ not json")
    code, out, err = run("build", ARTICLE, "-o", built, "--words", "40", "--single-voice")
    assert code == 0, err
    assert f"WARNING: the build manifest {manifest} is damaged" in err
    assert err.count("\n") >= 2 and err.splitlines()[-1].startswith("built: ")
    assert json.loads(manifest.read_text())["settings"]["formats"] == ["mp3"]


def test_render_of_a_moved_script_without_manifest_uses_the_defaults(built, tmp_path):
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.copy(built / f"{SLUG}.script.md", moved / "mine.script.md")
    code, out, err = run(
        "render", moved / "mine.script.md", "--voices-dir", built.parent / "voices"
    )
    assert code == 0, err
    assert out == f"{moved / 'mine'}.mp3\n"
