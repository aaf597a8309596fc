"""MP4 (M4B/M4A) chapters through ffmpeg and tags through mutagen, ``finish_mp4`` writing both
in that order; and reading any file's chapters back through ffmpeg.

ffmpeg's ``ipod`` muxer writes both chapter forms players read: a QuickTime chapter (text) track
(Apple) and a Nero ``chpl`` box (most others). The audio is copied, never re-encoded. Neither
form carries a chapter's URL as ffmpeg writes them (Nero's holds a start and a title; a link
would need an HREF box on each text sample, which no ffmpeg muxer writes): an M4B's chapter
links are in the Podcasting 2.0 JSON beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

from ...errors import AudioError
from ...files import atomic_path
from ...models import ChapterMark, EpisodeMeta, Loudness
from ...system import run_ffmpeg
from ..cover import Cover
from ..loudness import describe


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
    meta.write_text(ffmetadata(chapters), encoding="utf-8")  # ffmpeg's input, removed below
    args = ["-y", "-i", str(path), "-f", "ffmetadata", "-i", str(meta), "-map", "0", "-c", "copy"]
    args += ["-map_metadata", "0", "-map_chapters", "1", "-movflags", "+faststart", "-f", "ipod"]
    try:
        with atomic_path(path) as tmp:
            run_ffmpeg([*args, str(tmp)], what="writing MP4 chapters")
    finally:
        meta.unlink(missing_ok=True)


def finish_mp4(
    path: Path,
    meta: EpisodeMeta,
    cover: Cover,
    loudness: Loudness,
    chapters: list[ChapterMark],
    *,
    audiobook: bool,
) -> None:
    """Write the encoded MP4's chapters, then its tags: the chapter writer remuxes the file,
    and mutagen's tags go on last so that nothing of ffmpeg's replaces them."""
    write_mp4_chapters(path, chapters)
    write_mp4_tags(path, meta, cover, loudness, audiobook=audiobook)


def write_mp4_tags(
    path: Path, meta: EpisodeMeta, cover: Cover, loudness: Loudness, *, audiobook: bool
) -> None:
    """Title, artist, album, date, description, cover, loudness and language; with
    ``audiobook`` the audiobook media kind."""
    mp4 = MP4(path)
    if mp4.tags is None:
        mp4.add_tags()
    tags = mp4.tags
    tags["\xa9nam"] = [meta.title]
    tags["\xa9ART"] = [meta.artist]
    tags["\xa9alb"] = [meta.album]
    if meta.date:
        tags["\xa9day"] = [meta.date]
    if meta.description:
        tags["desc"] = [meta.description]
        tags["\xa9cmt"] = [meta.description]
    if audiobook:
        tags["stik"] = [2]  # media kind "audiobook": Apple's players remember the position
    image_format = MP4Cover.FORMAT_PNG if cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
    tags["covr"] = [MP4Cover(cover.data, imageformat=image_format)]
    tags["----:com.apple.iTunes:LOUDNESS"] = [MP4FreeForm(describe(loudness).encode("utf-8"))]
    tags["----:com.apple.iTunes:LANGUAGE"] = [MP4FreeForm(meta.language.encode("utf-8"))]
    mp4.save()


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
