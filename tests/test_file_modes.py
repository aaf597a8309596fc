"""Every output honours the user's umask: 0644 under umask 022, as any other program's files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = Path(__file__).parent / "data" / "e2e-article.md"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_every_output_and_cache_file_gets_the_umask_mode(tmp_path, umask, mode):
    out, cache = tmp_path / "out", tmp_path / "cache"
    subprocess.run(
        [sys.executable, "-m", "briefcast", "build", str(ARTICLE), "-o", str(out), "-q"]
        + ["--words", "40", "--format", "mp3,m4b"],
        env={**os.environ, "BRIEFCAST_CACHE_DIR": str(cache)},
        preexec_fn=lambda: os.umask(umask),
        check=True,
        capture_output=True,
    )
    files = [p for p in [*out.iterdir(), *cache.rglob("*")] if p.is_file()]
    assert len(files) > 8  # audio, script, chapters, transcripts, manifest, segments, cover
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: mode for p in files}
