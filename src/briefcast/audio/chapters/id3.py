"""The MP3's ID3v2.3 tag (mutagen): its tags, and chapters as CHAP frames (a WXXX link in each
that has a URL) under one top-level, ordered CTOC; ``finish_mp3`` writes both, in that order."""

from __future__ import annotations

import struct
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TXXX,
    WXXX,
    CTOCFlags,
    ID3NoHeaderError,
)

from ...models import ChapterMark, EpisodeMeta, Loudness
from ..cover import Cover
from ..iso639 import iso639_2
from ..loudness import describe

_UNUSED_OFFSET = 0xFFFFFFFF
"""CHAP byte offsets are optional; all ones means "not given" (players then use the times)."""


def write_id3_chapters(path: Path, chapters: list[ChapterMark]) -> None:
    """Replace any chapters in ``path``'s ID3 tag with ``chapters``; save as ID3v2.3."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        tags = ID3()
    tags.delall("CHAP")
    tags.delall("CTOC")
    ids = [f"chp{i}" for i in range(len(chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Chapters"])],
        )
    )
    for element_id, chapter in zip(ids, chapters):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=_UNUSED_OFFSET,
                end_offset=_UNUSED_OFFSET,
                sub_frames=_chapter_frames(chapter),
            )
        )
    tags.save(path, v2_version=3)
    order_chapter_frames(path)


def _chapter_frames(chapter: ChapterMark) -> list:
    """A chapter's sub-frames: its title, and its link as the ID3 chapter spec suggests (WXXX)."""
    frames = [TIT2(encoding=3, text=[chapter.title])]
    if chapter.url:
        frames.append(WXXX(encoding=3, desc="", url=chapter.url))
    return frames


def finish_mp3(
    path: Path, meta: EpisodeMeta, cover: Cover, loudness: Loudness, chapters: list[ChapterMark]
) -> None:
    """Tag the encoded MP3 and write its chapters: tags first, since the chapter writer
    rewrites the finished tag in place to put its CHAP frames in time order."""
    write_id3_tags(path, meta, cover, loudness)
    write_id3_chapters(path, chapters)


def read_id3_chapters(path: Path) -> list[ChapterMark]:
    """The chapters of ``path``'s ID3 tag, in the order its top-level CTOC lists them."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        return []
    tops = [toc for toc in tags.getall("CTOC") if toc.flags & CTOCFlags.TOP_LEVEL]
    if not tops:
        return []
    chapters = []
    for element_id in tops[0].child_element_ids:
        chap = tags.get(f"CHAP:{element_id}")
        if chap is None:
            continue
        title = chap.sub_frames.get("TIT2")
        links = [frame.url for key, frame in chap.sub_frames.items() if key.startswith("WXXX")]
        chapters.append(
            ChapterMark(
                str(title) if title else "",
                chap.start_time,
                chap.end_time,
                links[0] if links else None,
            )
        )
    return chapters


def order_chapter_frames(path: Path) -> None:
    """Rewrite the ID3v2.3 tag at the start of ``path`` with its CHAP frames in time order.

    mutagen stores frames sorted by size, so CHAP frames come out shuffled; the CTOC gives the
    order, but ffmpeg (ffprobe, mpv, VLC) and many simple readers list CHAP frames as stored.
    Only the CHAP frames trade places among their own slots; every byte else stays put.
    """
    with open(path, "r+b") as f:
        header = f.read(10)
        if len(header) < 10 or header[:3] != b"ID3" or header[3] != 3 or header[5] & 0xC0:
            return  # not a plain v2.3 tag (unsynchronised / extended header): leave it alone
        size = sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(header[6:10]))
        body = f.read(size)
        frames: list[tuple[int, bytes]] = []  # (offset, whole frame) for each frame in order
        offset = 0
        while offset + 10 <= len(body) and body[offset : offset + 4].strip(b"\0"):
            frame_size = struct.unpack(">I", body[offset + 4 : offset + 8])[0]
            frames.append((offset, body[offset : offset + 10 + frame_size]))
            offset += 10 + frame_size
        chaps = [frame for _, frame in frames if frame[:4] == b"CHAP"]

        def start_time(frame: bytes) -> int:
            id_end = frame.index(b"\0", 10)
            return struct.unpack(">I", frame[id_end + 1 : id_end + 5])[0]

        in_order = iter(sorted(chaps, key=start_time))
        rebuilt = b"".join(next(in_order) if frame[:4] == b"CHAP" else frame for _, frame in frames)
        if rebuilt != body[:offset]:
            f.seek(10)
            f.write(rebuilt)


def write_id3_tags(path: Path, meta: EpisodeMeta, cover: Cover, loudness: Loudness) -> None:
    """Title, artist, album, date, description, language, cover and measured loudness."""
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        tags = ID3()
    for frame_id in ("TIT2", "TPE1", "TALB", "TDRC", "COMM", "TLAN", "APIC", "TXXX"):
        tags.delall(frame_id)
    tags.add(TIT2(encoding=3, text=[meta.title]))
    tags.add(TPE1(encoding=3, text=[meta.artist]))
    tags.add(TALB(encoding=3, text=[meta.album]))
    if meta.date:
        tags.add(TDRC(encoding=3, text=[meta.date]))
    if meta.description:
        tags.add(COMM(encoding=3, lang=iso639_2(meta.language), desc="", text=[meta.description]))
    tags.add(TLAN(encoding=3, text=[iso639_2(meta.language)]))
    tags.add(APIC(encoding=3, mime=cover.mime, type=3, desc="Cover", data=cover.data))
    tags.add(TXXX(encoding=3, desc="loudness", text=[describe(loudness)]))
    # v2.3: the version most players' chapter support was written against (v2.4 TDRC is
    # translated to TYER/TDAT by mutagen).
    tags.save(path, v2_version=3)
