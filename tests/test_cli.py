"""The command line: help on every command, and bad input as one clear line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from briefcast.cli import cli

DATA = Path(__file__).parent / "data"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_every_command_has_help_text():
    for path, command in all_commands(cli):
        assert command.help, f"briefcast {' '.join(path)} has no help text"
        result = run(*path, "--help")
        assert result.exit_code == 0
        assert "Usage:" in result.output


def assert_clean_failure(result, *words: str) -> None:
    """One line on stderr naming the problem; exit 2; no traceback."""
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for word in words:
        assert word in lines[0].lower()
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return tmp_path / "out"


@pytest.mark.parametrize("command", ["build", "script"])
def test_missing_input(tmp_path, out_dir, command):
    args = [command, str(tmp_path / "nope.txt")] + (
        ["-o", str(out_dir)] if command == "build" else []
    )
    assert_clean_failure(run(*args), "not found")
    assert not out_dir.exists()


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("empty.txt", b"", ("empty",)),
        ("blank.md", b"  \n\n\t \n", ("empty",)),
        ("image.txt", bytes(range(256)) * 40, ("binary",)),
        ("zeros.txt", b"\x00" * 5000, ("binary",)),
    ],
)
def test_bad_input_writes_nothing(tmp_path, out_dir, name, content, words):
    src = tmp_path / name
    src.write_bytes(content)
    assert_clean_failure(run("build", str(src), "-o", str(out_dir)), *words)
    assert not out_dir.exists()


def test_folder_as_input(tmp_path, out_dir):
    assert_clean_failure(run("build", str(tmp_path), "-o", str(out_dir)))
    assert not out_dir.exists()


def test_unwritable_output_folder(tmp_path):
    # Tests may run as root, so a read-only mode proves nothing; a file in the way always fails.
    blocker = tmp_path / "taken"
    blocker.write_text("a file, not a folder")
    result = run("build", str(DATA / "e2e-article.md"), "-o", str(blocker / "out"))
    assert_clean_failure(result, "output folder")
    assert blocker.read_text() == "a file, not a folder"


def test_minutes_and_words_together_is_an_error():
    assert_clean_failure(
        run("script", str(DATA / "e2e-article.md"), "--minutes", "2", "--words", "90")
    )


def test_unknown_format_names_the_formats_there_are(out_dir):
    result = run("build", str(DATA / "e2e-article.md"), "-o", str(out_dir), "--format", "ogg")
    assert_clean_failure(result)
    assert result.stderr == "Error: unknown format ogg; choose from mp3, m4b, m4a\n"
    assert not out_dir.exists()


def test_unknown_voice(out_dir):
    result = run("build", str(DATA / "e2e-article.md"), "-o", str(out_dir), "--voice", "nobody")
    assert_clean_failure(result, "nobody")


def test_render_missing_script(tmp_path, out_dir):
    assert_clean_failure(
        run("render", str(tmp_path / "x.script.md"), "-o", str(out_dir)), "not found"
    )


def test_script_prints_markdown_with_title_and_chapters():
    result = run("script", str(DATA / "e2e-article.md"), "--words", "60")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# The Harbour Ferry Returns")
    assert "## " in result.stdout


def test_cache_info_and_clear_print_exact_lines(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(root))
    assert run("cache", "info").stdout == f"{root}\t0 segments\t0.0 MB\n"
    wav = root / "segments" / "ab" / "abcd.wav"
    wav.parent.mkdir(parents=True)
    wav.write_bytes(b"\0" * 250_000)
    assert run("cache", "info").stdout == f"{root}\t1 segments\t0.2 MB\n"
    assert run("cache", "clear").stdout == f"cleared 1 segments (0.2 MB) from {root}\n"
    assert not wav.exists()
    assert run("cache", "info").stdout == f"{root}\t0 segments\t0.0 MB\n"


def test_voices_lists_the_profiles_first_in_aligned_columns(tmp_path):
    (tmp_path / "deep.toml").write_text(
        'name = "deep"\nengine = "pyttsx3"\nvoice_id = "gmw/en-us+m3"\nlanguage = "en"\nwpm = 150\n'
    )
    result = run("voices", "--voices-dir", str(tmp_path), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "KIND", "NAME", "ENGINE", "VOICE_ID", "LANGUAGE", "WPM", "MEASURED_WPM"
    ]  # fmt: skip
    profiles = [line.split()[:6] for line in lines[1:] if line.startswith("profile")]
    assert profiles == [
        ["profile", "deep", "pyttsx3", "gmw/en-us+m3", "en", "150"],
        ["profile", "heart", "kokoro", "af_heart", "en-us", "175"],
        ["profile", "host", "pyttsx3", "gmw/en+f2", "en", "180"],
        ["profile", "michael", "kokoro", "am_michael", "en-us", "175"],
        ["profile", "narrator", "pyttsx3", "gmw/en-us+m3", "en", "170"],
    ]
    assert lines[1 : 1 + len(profiles)] == [line for line in lines if line.startswith("profile")]
    column = lines[0].index("ENGINE")
    table = lines[1 : lines.index("")] if "" in lines else lines[1:]  # the packs follow
    assert all(line[column:].startswith(("pyttsx3 ", "kokoro ")) for line in table)
