"""The bad-input suite: whatever a user hands `build`, the run ends in one clear line (exit 2)
or a sensible episode (exit 0), never a traceback, and leaves no partial file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefcast.cli import cli

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "e2e-article.md"

SCRIPTS_HTML = (
    "<html><head><title>Scripts everywhere</title>"
    + "<script>var x = 'not speech';</script>" * 200
    + "</head><body><script>document.write('no')</script>"
    + "<p>The council approved the new harbour wall on Monday after a long debate.</p>"
    + "<p>Work starts in spring and should take two years to finish.</p>"
    + "<noscript>Enable JavaScript</noscript><style>p{color:red}</style></body></html>"
)
SENTENCE = " ".join(["the", "harbour", "wall", "was", "repaired", "again", "and"] * 715) + "."

CASES = {
    "empty.txt": b"",
    "whitespace.md": b" \n\t\n   \n",
    "binary.txt": bytes(range(256)) * 64,
    "nul.txt": b"Harbour news.\n" + b"\0" * 4000,
    "furniture.txt": b"Share\nSubscribe\nAdvertisement\nCookie settings\nSign in\n",
    "scripts.html": SCRIPTS_HTML.encode(),
    "sentence.txt": f"One Long Sentence\n\n{SENTENCE}\n".encode(),
}


def run(*args) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def assert_line_or_episode(code: int, out: str, err: str, out_dir: Path) -> None:
    if code == 2:
        assert out == "" and len(err.splitlines()) == 1 and err.startswith("Error: "), err
        assert not out_dir.exists() or not any(out_dir.iterdir())
    else:
        assert code == 0, err
        files = [Path(p) for p in out.split()]
        assert files and all(p.stat().st_size > 1000 for p in files)
    names = [p.name for p in out_dir.iterdir()] if out_dir.exists() else []
    assert not [n for n in names if ".part" in n or n.startswith(".briefcast")], names


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input(tmp_path, name):
    source = tmp_path / name
    source.write_bytes(CASES[name])
    out_dir = tmp_path / "out"
    code, out, err = run("build", source, "-o", out_dir, "--words", "60", "-q")
    assert_line_or_episode(code, out, err, out_dir)
    expected = {"empty.txt": 2, "whitespace.md": 2, "binary.txt": 2, "nul.txt": 2}
    if name in expected:
        assert code == expected[name]


def test_output_path_that_is_a_file(tmp_path):
    target = tmp_path / "out"
    target.write_text("mine")
    code, out, err = run("build", ARTICLE, "-o", target, "--words", "60")
    assert (code, out) == (2, "") and err.startswith("Error: cannot write to output folder")
    assert target.read_text() == "mine"


def test_two_builds_into_one_folder_at_once(tmp_path):
    out_dir = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "briefcast", "build", str(ARTICLE), "-o", str(out_dir)]
            + ["--words", "60", "--title", title, "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for title in ("First", "Second")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert "Traceback" not in err
        assert_line_or_episode(proc.returncode, out, err, out_dir)
    assert sorted(p.name for p in out_dir.glob("*.mp3")) == ["first.mp3", "second.mp3"]


@pytest.mark.slow
def test_ten_megabytes_of_text_make_a_five_minute_episode(tmp_path):
    """Condensed from its leading part, with a line saying so (its speed is in `make bench`)."""
    paragraphs = (DATA / "tram-talks.txt").read_text().split("\n\n")
    text, count = ["Ten Megabytes"], 0
    while sum(map(len, text)) < 10_000_000:
        count += 1
        text.append(f"{paragraphs[count % len(paragraphs)]} (Part {count}.)")
    source = tmp_path / "big.txt"
    source.write_text("\n\n".join(text))
    out_dir = tmp_path / "out"
    code, out, err = run("build", source, "-o", out_dir, "--minutes", "5")
    assert_line_or_episode(code, out, err, out_dir)
    assert code == 0 and re.search(r"WARNING: the article has \d+ words; the episode is made", err)
    assert re.search(r"built: [45]:\d\d\.\d", err), err
