"""Faults a real run meets: a full disk mid-write, Ctrl-C or SIGTERM at any moment, a damaged
cache entry, a script file that is not UTF-8. Each ends in one clear line (or a normal build),
never a traceback, and leaves no half-written file behind. Runs the real command in a process
of its own, as a user does."""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "e2e-article.md"
SLUG = "the-harbour-ferry-returns"


def briefcast(*args, tmp: Path, limit: int | None = None, **popen) -> subprocess.Popen:
    """Start ``python -m briefcast ARGS`` with its own temporary folder (to find leftovers) and,
    with ``limit``, a file-size limit in bytes (what a full disk looks like to a writer)."""
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp)}

    def set_limit():
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.Popen(
        [sys.executable, "-m", "briefcast", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=set_limit,
        **popen,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=300)
    assert "Traceback" not in err and "Exception ignored" not in err, err
    return proc.returncode, out, err


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def assert_nothing_half_written(out_dir: Path, tmp: Path) -> None:
    names = [p.name for p in out_dir.iterdir()] if out_dir.exists() else []
    assert not [n for n in names if ".part" in n or n.startswith(".briefcast")], names
    assert list(tmp.iterdir()) == [], "temporary files left behind"


def test_full_disk_mid_write_keeps_earlier_outputs(tmp_path):
    out_dir = tmp_path / "out"
    build = ("build", ARTICLE, "-o", out_dir, "--words", "60", "--single-voice", "-q")
    assert finish(briefcast(*build, tmp=tmp_path / "tmp"))[0] == 0
    before = digests(out_dir)
    for formats in ("mp3", "mp3,m4b"):  # LAME writing in-process, then ffmpeg writing the M4B
        again = (*build, "--title", f"Another {formats}", "--format", formats)
        code, out, err = finish(briefcast(*again, tmp=tmp_path / "tmp", limit=150_000))
        assert (code, out) == (2, "")
        assert len(err.splitlines()) == 1 and err.startswith("Error: cannot write "), err
        assert "free some space" in err
        assert digests(out_dir) == before  # every earlier output intact
        assert_nothing_half_written(out_dir, tmp_path / "tmp")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("after", [0.3, 1.5, 3.0])
def test_interrupt_at_any_moment(tmp_path, signum, after):
    """Ctrl-C reaches the whole process group (the workers too); SIGTERM comes from a service
    manager. Either way: one line, exit 128+signal, no half file, no stray warning."""
    out_dir = tmp_path / "out"
    proc = briefcast(
        *("build", ARTICLE, "-o", out_dir, "--minutes", "1", "--format", "mp3,m4b"),
        *("--title", f"Interrupted after {after}", "--no-cache"),
        tmp=tmp_path / "tmp",
        start_new_session=True,
    )
    time.sleep(after)
    if proc.poll() is None:
        os.killpg(proc.pid, signum)
    code, out, err = finish(proc)
    if code == 0:  # it finished first: then it is a whole episode
        assert [Path(p).suffix for p in out.split()] == [".mp3", ".m4b"]
    else:
        assert code == 128 + signum, err
        assert err.splitlines()[-1] == "Interrupted; nothing was left half-written."
        assert "WARNING" not in err and "Error" not in err, err
        assert out == ""
        if out_dir.exists():  # outputs are renamed into place last: all of them or none
            names = {p.name for p in out_dir.iterdir()}
            assert not {n for n in names if n.endswith((".mp3", ".m4b"))} - names
    assert_nothing_half_written(out_dir, tmp_path / "tmp")


def test_a_damaged_cache_entry_is_rendered_again(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(cache))
    out_dir = tmp_path / "out"
    build = ("build", ARTICLE, "-o", out_dir, "--words", "40", "--single-voice", "-q")
    assert finish(briefcast(*build, tmp=tmp_path / "tmp"))[0] == 0
    segments = sorted((cache / "segments").rglob("*.wav"))
    assert segments
    for i, wav in enumerate(segments):  # truncated, emptied, or replaced by noise
        wav.write_bytes([wav.read_bytes()[:100], b"", os.urandom(5000)][i % 3])
    for entry in (cache / "scripts").rglob("*"):
        if entry.is_file():
            entry.write_text("{ not json")
    code, out, err = finish(briefcast(*build, "--format", "m4b", tmp=tmp_path / "tmp"))
    assert (code, err) == (0, ""), err
    assert out == f"{out_dir / SLUG}.m4b\n"
    assert (out_dir / f"{SLUG}.m4b").stat().st_size > 10_000


def test_a_script_file_that_is_not_utf8(tmp_path):
    script = tmp_path / "latin.script.md"
    script.write_bytes("# Caf\xe9\n\n## One\n\nUne cr\xe8me br\xfbl\xe9e.\n".encode("latin-1"))
    code, out, err = finish(briefcast("render", script, tmp=tmp_path / "tmp"))
    assert (code, out) == (2, "")
    assert err == f"Error: {script} is not UTF-8 text; save it as UTF-8\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latin.script.md", "tmp"]
