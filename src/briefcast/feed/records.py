"""What a feed folder knows: its channel settings and its episodes, kept in ``.feed.json``.

The record file is hidden (never served or pushed) and rewritten whole, atomically, under the
folder's lock; ``feed.xml`` and ``index.html`` are rendered from it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import FeedError
from ..files import write_text_atomic

RECORD_NAME = ".feed.json"
EPISODES_DIR = "episodes"

MIME_TYPES = {
    ".xml": "application/rss+xml",
    ".mp3": "audio/mpeg",
    ".m4b": "audio/mp4",
    ".json": "application/json+chapters",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
}
"""The explicit type of every kind of file a feed folder holds (guessing differs by platform)."""


def mime_type(path: str | Path) -> str:
    """The MIME type a feed file is served and uploaded with."""
    return MIME_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")


@dataclass
class FeedChannel:
    """The podcast as a whole."""

    title: str
    guid: str
    """``podcast:guid``: fixed when the folder is created, whatever host serves it later."""
    author: str = "briefcast"
    base_url: str | None = None
    """The public address of the folder (ending in ``/``); None writes relative URLs."""
    language: str = "en"
    category: str = "News"
    description: str = "Articles read aloud, made with briefcast."


@dataclass
class FeedItem:
    """One published episode, with its files relative to the feed folder."""

    slug: str
    guid: str
    """Never changes once published, even when the episode is rebuilt."""
    title: str
    published: str
    """ISO 8601 UTC time of its first publication."""
    duration_ms: int
    description: str
    audio: str
    """The MP3 (the enclosure)."""
    audio_bytes: int
    author: str = "briefcast"
    language: str = "en"
    m4b: str | None = None
    chapters_json: str | None = None
    vtt: str | None = None
    srt: str | None = None
    cover: str | None = None
    chapters: list[dict] = field(default_factory=list)
    """``title``, ``start_ms`` and, when known, ``url`` and ``source`` of each chapter."""
    sources: list[dict] = field(default_factory=list)
    """``title``, ``url`` and ``source`` of each story the episode tells."""
    transcript: list[dict] = field(default_factory=list)
    """``start_ms`` and ``text`` of each transcript cue."""

    def files(self) -> list[str]:
        """Every file of this episode in the folder."""
        names = [self.audio, self.m4b, self.chapters_json, self.vtt, self.srt, self.cover]
        return [n for n in names if n]


@dataclass
class FeedRecord:
    """The whole content of ``.feed.json``."""

    channel: FeedChannel
    items: list[FeedItem] = field(default_factory=list)

    def newest_first(self) -> list[FeedItem]:
        """The items by publication time; of two in the same second, the later added first."""
        order = sorted(enumerate(self.items), key=lambda p: (p[1].published, p[0]), reverse=True)
        return [item for _, item in order]


def read_record(folder: Path) -> FeedRecord:
    """The record of an initialised feed folder."""
    path = Path(folder) / RECORD_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return FeedRecord(
            FeedChannel(**data["channel"]), [FeedItem(**i) for i in data.get("items", [])]
        )
    except FileNotFoundError:
        raise FeedError(
            f"{folder} is not a feed folder; create it with `briefcast feed init {folder} --title T`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise FeedError(f"{path} is unreadable ({exc}); restore it or run feed init again") from exc


def write_record(folder: Path, record: FeedRecord) -> None:
    """Replace ``.feed.json`` atomically."""
    write_text_atomic(Path(folder) / RECORD_NAME, json.dumps(asdict(record), indent=1) + "\n")
