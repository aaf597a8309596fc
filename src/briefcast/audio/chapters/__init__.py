"""Each container's chapters and tags, one module per container behind one call.

``finish_file`` tags an encoded file and writes its chapters, in the order its container needs;
``write_chapters`` writes the same ``ChapterMark`` list into an MP3 (ID3v2.3 CTOC + CHAP), an
MP4 (QuickTime chapter track + Nero chpl, through ffmpeg) or a Podcasting 2.0 JSON file;
``read_chapters`` reads any of them back (audio files through ffmpeg, an independent reader);
``read_stored_chapters`` reads an MP3's frames as stored, without starting an ffmpeg.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import AudioError
from ...models import ChapterMark, EpisodeMeta, Loudness
from ..cover import Cover
from .id3 import finish_mp3, read_id3_chapters, write_id3_chapters
from .json import read_json_chapters, write_json_chapters
from .mp4 import finish_mp4, read_ffmpeg_chapters, write_mp4_chapters

__all__ = [
    "container_of",
    "finish_file",
    "read_chapters",
    "read_stored_chapters",
    "write_chapters",
]

_CONTAINERS = {".mp3": "id3", ".m4b": "mp4", ".m4a": "mp4", ".mp4": "mp4", ".json": "json"}


def container_of(path: Path, container: str | None = None) -> str:
    """``id3``, ``mp4`` or ``json`` for ``path`` (by suffix unless given)."""
    if container:
        return container
    try:
        return _CONTAINERS[path.suffix.lower()]
    except KeyError:
        raise AudioError(
            f"no chapter writer for {path.name}: use .mp3, .m4b, .m4a or .json"
        ) from None


def write_chapters(
    path: Path, chapters: list[ChapterMark], *, container: str | None = None
) -> None:
    """Write ``chapters`` into ``path``; ``container`` overrides the guess from the file suffix."""
    kind = container_of(path, container)
    if kind == "id3":
        write_id3_chapters(path, chapters)
    elif kind == "mp4":
        write_mp4_chapters(path, chapters)
    else:
        write_json_chapters(path, chapters)


def finish_file(
    path: Path,
    fmt: str,
    meta: EpisodeMeta,
    cover: Cover,
    loudness: Loudness,
    chapters: list[ChapterMark],
) -> None:
    """Tag the encoded ``path`` of format ``fmt`` (its meta, cover and measured loudness) and
    write its ``chapters``."""
    if container_of(path) == "id3":
        finish_mp3(path, meta, cover, loudness, chapters)
    else:
        finish_mp4(path, meta, cover, loudness, chapters, audiobook=fmt == "m4b")


def read_chapters(path: Path, *, container: str | None = None) -> list[ChapterMark]:
    """Read chapters back: JSON parsed directly, audio files through ffmpeg's demuxers."""
    if container_of(path, container) == "json":
        return read_json_chapters(path)
    return read_ffmpeg_chapters(path)


def read_stored_chapters(path: Path, *, container: str | None = None) -> list[ChapterMark]:
    """``read_chapters``, but an MP3's ID3 frames are read as stored (mutagen: a build checks
    what it wrote in milliseconds; the tests read every file through ffmpeg as well)."""
    if container_of(path, container) == "id3":
        return read_id3_chapters(path)
    return read_chapters(path, container=container)
