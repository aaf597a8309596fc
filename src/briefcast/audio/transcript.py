"""Transcripts: WebVTT and SRT, one cue per rendered segment, timed from the joined audio."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ..files import write_text_atomic
from ..models import Cue

LINE_WIDTH = 64
"""Cue lines are wrapped for players that do not wrap themselves."""


def _timestamp(ms: int, separator: str) -> str:
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _lines(text: str) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), LINE_WIDTH) or [""]


def _vtt_escape(line: str) -> str:
    # WebVTT cue text is markup: '&' and '<' start entities and tags; "-->" ends nothing but
    # confuses parsers, so it gets an entity as well.
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(cues: list[Cue]) -> str:
    """The WebVTT document for ``cues``."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, 1):
        timing = f"{_timestamp(cue.start_ms, '.')} --> {_timestamp(cue.end_ms, '.')}"
        blocks.append("\n".join([str(number), timing, *map(_vtt_escape, _lines(cue.text))]))
    return "\n\n".join(blocks) + "\n"


def srt_text(cues: list[Cue]) -> str:
    """The SubRip document for ``cues``."""
    blocks = []
    for number, cue in enumerate(cues, 1):
        timing = f"{_timestamp(cue.start_ms, ',')} --> {_timestamp(cue.end_ms, ',')}"
        blocks.append("\n".join([str(number), timing, *_lines(cue.text)]))
    return "\n\n".join(blocks) + "\n"


def write_vtt(cues: list[Cue], path: Path) -> None:
    """Write ``cues`` as WebVTT (UTF-8)."""
    write_text_atomic(path, vtt_text(cues))


def write_srt(cues: list[Cue], path: Path) -> None:
    """Write ``cues`` as SRT (UTF-8)."""
    write_text_atomic(path, srt_text(cues))
