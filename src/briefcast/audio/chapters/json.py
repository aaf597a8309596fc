"""Podcasting 2.0 JSON chapters (``<slug>.chapters.json``)."""

from __future__ import annotations

import json
from pathlib import Path

from ...files import write_text_atomic
from ...models import ChapterMark

VERSION = "1.2.0"


def chapters_document(chapters: list[ChapterMark]) -> dict:
    """The JSON chapters document: ``{"version", "chapters": [{"startTime", "title"}]}``, and
    ``url`` in each chapter that links somewhere."""
    entries = []
    for chapter in chapters:
        entry = {"startTime": chapter.start_ms / 1000, "title": chapter.title}
        if chapter.url:
            entry["url"] = chapter.url
        entries.append(entry)
    return {"version": VERSION, "chapters": entries}


def write_json_chapters(path: Path, chapters: list[ChapterMark]) -> None:
    """Write the JSON chapters file (UTF-8, indented, newline-terminated)."""
    text = json.dumps(chapters_document(chapters), ensure_ascii=False, indent=2) + "\n"
    write_text_atomic(path, text)


def read_json_chapters(path: Path, *, duration_ms: int | None = None) -> list[ChapterMark]:
    """Read a JSON chapters file; each end is the next start (the last's: ``duration_ms``)."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    starts = [round(float(c["startTime"]) * 1000) for c in doc["chapters"]]
    titles = [str(c.get("title", "")) for c in doc["chapters"]]
    urls = [c.get("url") for c in doc["chapters"]]
    ends = starts[1:] + [duration_ms if duration_ms is not None else (starts[-1] if starts else 0)]
    return [ChapterMark(*fields) for fields in zip(titles, starts, ends, urls)]
