"""MP3 chapters: ID3v2.3 CHAP frames under one top-level, ordered CTOC (mutagen)."""

from __future__ import annotations

import struct
from pathlib import Path

from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags, ID3NoHeaderError

from ...models import ChapterMark

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
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    tags.save(path, v2_version=3)
    order_chapter_frames(path)


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
        chapters.append(ChapterMark(str(title) if title else "", chap.start_time, chap.end_time))
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
