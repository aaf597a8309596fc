"""The segment cache: rendered segments by content address, so a rebuild renders only what
changed, and the small measured values (a voice's pace, a fitted script) kept beside them.

An entry's key is a digest of the voice (``identity.voice_digest``) and the text; its value is
the WAV file. Entries are written atomically and checked on every read: a truncated or empty
file is treated as missing and rendered again. The folders are ``briefcast.cache``'s, which
alone measures and clears them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..cache import cache_folder, cache_root
from ..files import write_text_atomic
from .wav import wav_seconds

CACHE_FORMAT = 2
"""Bump when the way segments are rendered changes, to retire every old entry."""


def segment_key(voice: str, text: str) -> str:
    """The content address of one rendering of ``text`` by the voice whose digest is ``voice``."""
    payload = json.dumps([CACHE_FORMAT, voice, text], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class SegmentCache:
    """Rendered segments on disk, by key (see ``segment_key``), under one cache root."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else cache_root()

    def path_for(self, key: str) -> Path:
        """Where the WAV for ``key`` lives (whether or not it exists yet)."""
        return cache_folder("segments", self.root) / key[:2] / f"{key}.wav"

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
        """The final path for ``key``, its folder created; the engine writes it atomically."""
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def get_value(self, kind: str, key: str) -> dict[str, Any] | None:
        """A small cached JSON value (such as a measured rate), or None."""
        path = cache_folder(kind, self.root) / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put_value(self, kind: str, key: str, value: dict[str, Any]) -> None:
        """Store a small JSON value atomically."""
        path = cache_folder(kind, self.root) / f"{key}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(value))

    def count(self) -> int:
        """Number of cached segments."""
        folder = cache_folder("segments", self.root)
        return sum(1 for _ in folder.rglob("*.wav")) if folder.is_dir() else 0
