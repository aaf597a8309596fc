"""The one cache root: each stage asks it for its own folder, and it alone clears and measures.

``$BRIEFCAST_CACHE_DIR`` overrides the user's cache folder (platformdirs). Every entry is written
with the atomic writer, so a cache is never seen half-written; a reader still checks what it
reads and treats a corrupt entry as missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_cache_dir

KINDS = ("segments", "calibration", "covers", "scripts", "pages", "models")
"""The cache's folders: rendered WAVs, measured speaking rates, generated cover art, scripts
fitted to a length, fetched web pages, and the content digests of voice model files."""


def cache_root() -> Path:
    """``$BRIEFCAST_CACHE_DIR`` or the user's cache folder."""
    override = os.environ.get("BRIEFCAST_CACHE_DIR")
    return Path(override).expanduser() if override else Path(user_cache_dir("briefcast"))


def cache_folder(kind: str, root: Path | None = None) -> Path:
    """The folder of one kind of entry (not created until something is written there)."""
    if kind not in KINDS:
        raise ValueError(f"unknown cache kind {kind!r}; add it to KINDS")
    return (root if root is not None else cache_root()) / kind


def cache_files(root: Path | None = None) -> Iterator[Path]:
    """Every file in the cache's own folders (the root may hold other things)."""
    for kind in KINDS:
        folder = cache_folder(kind, root)
        if folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.is_file())


def cache_size(root: Path | None = None) -> int:
    """Bytes used by every entry."""
    return sum(p.stat().st_size for p in cache_files(root))


def clear_cache(root: Path | None = None) -> int:
    """Delete every entry; return the bytes freed."""
    freed = cache_size(root)
    for kind in KINDS:
        shutil.rmtree(cache_folder(kind, root), ignore_errors=True)
    return freed
