"""MP4 (M4B/M4A) chapters through ffmpeg, and reading any file's chapters back through ffmpeg.

ffmpeg's ``ipod`` muxer writes both chapter forms players read: a QuickTime chapter (text) track
(Apple) and a Nero ``chpl`` box (most others). The audio is copied, never re-encoded.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ...errors import AudioError
from ...models import ChapterMark
from ...system import run_ffmpeg


def _escape(value: str) -> str:
    """FFMETADATA escaping: '=', ';', '#', '\\' and newlines take a backslash."""
    return re.sub(r"([=;#\\\n])", r"\\\1", value)


def ffmetadata(chapters: list[ChapterMark], tags: dict[str, str] | None = None) -> str:
    """An FFMETADATA1 document with ``tags`` and ``chapters`` (TIMEBASE=1/1000 always)."""
    lines = [";FFMETADATA1"]
    for key, value in (tags or {}).items():
        lines.append(f"{key}={_escape(value)}")
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={_escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def write_mp4_chapters(path: Path, chapters: list[ChapterMark]) -> None:
    """Remux ``path`` (audio copied, tags and cover kept) with ``chapters``, replacing old ones."""
    meta = path.with_name(path.name + ".ffmeta")
    tmp = path.with_name(path.name + ".chap.tmp")
    meta.write_text(ffmetadata(chapters), encoding="utf-8")
    args = [
        "-y",
        "-i",
        str(path),
        "-f",
        "ffmetadata",
        "-i",
        str(meta),
        "-map",
        "0",
        "-c",
        "copy",
        "-map_metadata",
        "0",
        "-map_chapters",
        "1",
        "-movflags",
        "+faststart",
        "-f",
        "ipod",
        str(tmp),
    ]
    try:
        run_ffmpeg(args, what="writing MP4 chapters")
        os.replace(tmp, path)
    finally:
        meta.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)


_SECTION = re.compile(r"^\[(\w+)\]$")


def read_ffmpeg_chapters(path: Path) -> list[ChapterMark]:
    """Chapters as ffmpeg's demuxer reads them (``ffmpeg -i FILE -f ffmetadata -``), in ms.

    ``-copyts`` keeps the stored times: otherwise ffmpeg shifts them by the stream's start time
    (an MP3's encoder delay, 25 ms), which is its output timeline, not what the file says.
    """
    proc = run_ffmpeg(
        ["-copyts", "-i", str(path), "-f", "ffmetadata", "-"], what="reading chapters"
    )
    return parse_ffmetadata_chapters(proc.stdout)


def parse_ffmetadata_chapters(text: str) -> list[ChapterMark]:
    """The [CHAPTER] sections of an FFMETADATA document, times rounded to whole ms."""
    chapters: list[ChapterMark] = []
    current: dict[str, str] | None = None

    def close() -> None:
        if current is None:
            return
        try:
            num, den = (int(x) for x in current.get("TIMEBASE", "1/1000").split("/"))
            start, end = int(current["START"]), int(current["END"])
        except (KeyError, ValueError) as exc:
            raise AudioError(f"ffmpeg printed a chapter without times: {current}") from exc
        chapters.append(
            ChapterMark(
                title=current.get("title", ""),
                start_ms=round(start * num * 1000 / den),
                end_ms=round(end * num * 1000 / den),
            )
        )

    for raw in text.splitlines():
        line = raw.strip()
        section = _SECTION.match(line)
        if section:
            close()
            current = {} if section.group(1) == "CHAPTER" else None
        elif current is not None and "=" in line and not line.startswith((";", "#")):
            key, _, value = line.partition("=")
            current[key] = re.sub(r"\\(.)", r"\1", value)
    close()
    return chapters
