"""A content-addressed cache of rendered segments, so a rebuild renders only what changed.

An entry's key is a digest of the engine's name and version, the voice settings and the text;
its value is the WAV file. Entries are written under a temporary name and renamed into place,
and checked on every read: a truncated or empty file is treated as missing and re-rendered.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from ..cache import cache_root
from ..files import write_text_atomic
from .base import wav_seconds

CACHE_FORMAT = 1
"""Bump when the way segments are rendered changes, to retire every old entry."""


KINDS = ("segments", "calibration", "covers", "scripts")
"""The cache's sub-folders: rendered WAVs, measured speaking rates, generated cover art, and
scripts fitted to a length (so an unchanged rebuild need not plan and measure again)."""


def default_cache_dir() -> Path:
    """``$BRIEFCAST_CACHE_DIR`` or the user's cache folder (``platformdirs``)."""
    return cache_root()


def segment_key(engine: str, engine_version: str, settings: dict[str, Any], text: str) -> str:
    """The content address of one rendering."""
    payload = json.dumps(
        [CACHE_FORMAT, engine, engine_version, settings, text],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class SegmentCache:
    """Rendered segments on disk, by key (see ``segment_key``)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir()

    def path_for(self, key: str) -> Path:
        """Where the WAV for ``key`` lives (whether or not it exists yet)."""
        return self.root / "segments" / key[:2] / f"{key}.wav"

    def get(self, key: str) -> tuple[Path, float] | None:
        """The cached WAV and its seconds; None if absent or corrupt (corrupt ones are removed)."""
        path = self.path_for(key)
        if not path.exists():
            return None
        seconds = wav_seconds(path)
        if seconds is None:
            path.unlink(missing_ok=True)
            return None
        return path, seconds

    def prepare(self, key: str) -> Path:
        """The final path for ``key``, its folder created; the renderer writes a temporary
        file beside it and renames it into place."""
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def get_value(self, kind: str, key: str) -> dict[str, Any] | None:
        """A small cached JSON value (such as a measured rate), or None."""
        try:
            return json.loads((self.root / kind / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put_value(self, kind: str, key: str, value: dict[str, Any]) -> None:
        """Store a small JSON value atomically."""
        path = self.root / kind / f"{key}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(value))

    def _files(self):
        # Only our own folders: BRIEFCAST_CACHE_DIR may point at a folder holding other things.
        for kind in KINDS:
            folder = self.root / kind
            if folder.is_dir():
                yield from (p for p in folder.rglob("*") if p.is_file())

    def count(self) -> int:
        """Number of cached segments."""
        folder = self.root / "segments"
        return sum(1 for _ in folder.rglob("*.wav")) if folder.is_dir() else 0

    def size_bytes(self) -> int:
        """Bytes used by everything in the cache."""
        return sum(p.stat().st_size for p in self._files())

    def clear(self) -> int:
        """Delete every entry; return the bytes freed."""
        freed = self.size_bytes()
        for kind in KINDS:
            shutil.rmtree(self.root / kind, ignore_errors=True)
        return freed
