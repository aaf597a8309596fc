"""The feed folder: creating it, publishing an episode into it, listing, removing and keeping
the newest N, all under one lock so that concurrent builds both land.

Everything is written with the atomic writer, new episode files before the record and the
feed that name them, and old files removed last: a publish killed at any moment leaves the
previous ``feed.xml`` whole, and every file it names still there.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import os
import re
import secrets
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from mutagen.id3 import ID3, ID3NoHeaderError

from ..errors import FeedError
from ..files import atomic_path, write_bytes_atomic, write_text_atomic
from ..models import Episode, Script
from .page import render_page
from .records import (
    EPISODES_DIR,
    FeedChannel,
    FeedItem,
    FeedRecord,
    read_record,
    write_record,
)
from .rss import render_feed

LOCK_NAME = ".lock"
TOKEN_NAME = ".token"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""The Podcasting 2.0 namespace for ``podcast:guid`` (a UUIDv5 of the feed's address)."""
SIDECARS = (".chapters.json", ".vtt", ".srt")


@contextmanager
def feed_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's lock: one publisher (or remover) at a time; the kernel drops it when a
    process dies, so a killed build never leaves the folder locked."""
    fd = os.open(Path(folder) / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def check_base_url(base_url: str | None) -> str | None:
    """``base_url`` ending in ``/``, or an error when it is not an http(s) address."""
    if base_url is None:
        return None
    if not re.match(r"^https?://[^/\s]+", base_url):
        raise FeedError(f"--base-url must be an http:// or https:// address, not {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


def init_feed(
    folder: Path, title: str, author: str | None = None, base_url: str | None = None
) -> FeedRecord:
    """Create a feed folder (or update the settings of an existing one, keeping its episodes)."""
    folder = Path(folder)
    base_url = check_base_url(base_url)
    if not title.strip():
        raise FeedError("give the feed a --title")
    try:
        (folder / EPISODES_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FeedError(f"cannot create the feed folder {folder}: {exc.strerror}") from exc
    with feed_lock(folder):
        try:
            record = read_record(folder)
        except FeedError:
            seed = base_url or f"briefcast:{title}:{secrets.token_hex(8)}"
            guid = str(uuid.uuid5(PODCAST_GUID_NAMESPACE, re.sub(r"^\w+://", "", seed)))
            record = FeedRecord(FeedChannel(title=title, guid=guid))
        channel = record.channel
        channel.title = title
        channel.author = author or channel.author
        channel.base_url = base_url or channel.base_url
        feed_token(folder)
        write_record(folder, record)
        render_outputs(folder, record)
    return record


def feed_token(folder: Path, new: bool = False) -> str:
    """The folder's secret (made on first use; ``new`` replaces it)."""
    path = Path(folder) / TOKEN_NAME
    if not new and path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    token = secrets.token_urlsafe(24)
    write_text_atomic(path, token + "\n")
    os.chmod(path, 0o600)
    return token


def render_outputs(folder: Path, record: FeedRecord) -> None:
    """Write ``feed.xml`` and ``index.html`` for the folder's own base URL."""
    write_bytes_atomic(Path(folder) / "feed.xml", render_feed(record))
    write_text_atomic(Path(folder) / "index.html", render_page(record))


def list_episodes(folder: Path) -> list[FeedItem]:
    """The folder's episodes, newest first."""
    return read_record(folder).newest_first()


def remove_episode(folder: Path, name: str) -> FeedItem:
    """Remove the episode whose slug, GUID or file name is ``name``; returns it."""
    with feed_lock(folder):
        record = read_record(folder)
        found = [i for i in record.items if name in (i.slug, i.guid, Path(i.audio).name)]
        if not found:
            known = ", ".join(i.slug for i in record.items) or "none"
            raise FeedError(f"no episode {name!r} in {folder} (episodes: {known})")
        record.items.remove(found[0])
        save(folder, record)
    return found[0]


def save(folder: Path, record: FeedRecord) -> None:
    """Record, feed and page, then the files nothing names any more."""
    write_record(folder, record)
    render_outputs(folder, record)
    named = {Path(n).name for item in record.items for n in item.files()}
    for path in (Path(folder) / EPISODES_DIR).iterdir():
        if path.is_file() and path.name not in named:
            path.unlink()  # an old version, a dropped episode, or what a killed publish left


def check_publishable(folder: Path, formats: tuple[str, ...]) -> None:
    """Fail early, before a build, when it could not be published into ``folder``."""
    read_record(folder)
    if "mp3" not in formats:
        raise FeedError("a feed needs the MP3; add mp3 to --format")


def publish_episode(
    folder: Path, episode: Episode, script: Script, keep: int | None = None
) -> FeedItem:
    """Copy a built episode into the feed folder and republish the feed; keep the newest
    ``keep`` episodes. A rebuilt episode (same slug) keeps its GUID and date."""
    folder = Path(folder)
    audio = next((p for p in episode.files if p.suffix == ".mp3"), None)
    if audio is None:
        raise FeedError("a feed needs the MP3; add mp3 to --format")
    with feed_lock(folder):
        record = read_record(folder)
        item = copy_episode(folder, episode, audio, script)
        old = next((i for i in record.items if i.slug == item.slug), None)
        if old is not None:
            item.guid, item.published = old.guid, old.published
            record.items.remove(old)
        record.items.append(item)
        if keep is not None:
            record.items = record.newest_first()[: max(keep, 1)]
        save(folder, record)
    return item


def copy_episode(folder: Path, episode: Episode, audio: Path, script: Script) -> FeedItem:
    """Copy the episode's files under content-addressed names into ``episodes/``."""
    slug = audio.stem
    stem = f"{EPISODES_DIR}/{slug}-{file_digest(audio)[:10]}"
    names: dict[str, str] = {"audio": copy_into(folder, audio, f"{stem}.mp3")}
    m4b = next((p for p in episode.files if p.suffix == ".m4b"), None)
    if m4b is not None:
        names["m4b"] = copy_into(folder, m4b, f"{stem}.m4b")
    for key, suffix in zip(("chapters_json", "vtt", "srt"), SIDECARS):
        found = next((p for p in episode.sidecars if p.name.endswith(suffix)), None)
        if found is not None:
            names[key] = copy_into(folder, found, stem + suffix)
    cover = read_cover(audio)
    if cover is not None:
        data, suffix = cover
        names["cover"] = f"{stem}{suffix}"
        write_bytes_atomic(folder / names["cover"], data)
    vtt = folder / names["vtt"] if "vtt" in names else None
    return FeedItem(
        slug=slug,
        guid=str(uuid.uuid4()),
        title=script.title,
        published=datetime.now(UTC).isoformat(timespec="seconds"),
        duration_ms=episode.duration_ms,
        description=rundown(script),
        audio_bytes=(folder / names["audio"]).stat().st_size,
        author=script.author or "briefcast",
        language=script.language,
        chapters=chapter_list(episode, script),
        sources=source_list(script),
        transcript=read_vtt(vtt) if vtt else [],
        **names,
    )


def copy_into(folder: Path, source: Path, name: str) -> str:
    """Copy ``source`` to ``folder/name`` atomically; returns ``name``."""
    with atomic_path(folder / name) as tmp:
        shutil.copyfile(source, tmp)
    return name


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's content, read in blocks (an hour of audio is ~30 MB)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_cover(mp3: Path) -> tuple[bytes, str] | None:
    """The cover art embedded in the MP3, with the suffix of its type."""
    try:
        pictures = ID3(mp3).getall("APIC")
    except ID3NoHeaderError:
        return None
    if not pictures:
        return None
    return pictures[0].data, ".png" if pictures[0].mime == "image/png" else ".jpg"


def rundown(script: Script) -> str:
    """The description: title, where it comes from, and its chapters in order."""
    text = f"{script.title}."
    if script.source and not script.source.startswith(("http://", "https://")):
        text += f" From {script.source}."
    return text + " In this episode: " + "; ".join(c.title for c in script.chapters) + "."


def chapter_list(episode: Episode, script: Script) -> list[dict]:
    """Each chapter's title, start and (for a briefing's story) its link and source."""
    marks = []
    for i, mark in enumerate(episode.chapters):
        chapter = script.chapters[i] if i < len(script.chapters) else None
        entry: dict = {"title": mark.title, "start_ms": mark.start_ms}
        url = mark.url or (chapter.url if chapter else None)
        if url:
            entry["url"] = url
        if chapter is not None and chapter.source:
            entry["source"] = chapter.source
        marks.append(entry)
    return marks


def source_list(script: Script) -> list[dict]:
    """The stories' pages: each chapter's URL, else the article's own when it is one."""
    sources = [
        {"title": c.title, "url": c.url, "source": c.source} for c in script.chapters if c.url
    ]
    if not sources and script.source and script.source.startswith(("http://", "https://")):
        sources.append({"title": script.title, "url": script.source, "source": None})
    return sources


CUE_TIME = re.compile(r"^(\d+):(\d\d):(\d\d)[.,](\d{3})\s+-->")


def read_vtt(path: Path) -> list[dict]:
    """The cues of a WebVTT file as ``start_ms`` and ``text``."""
    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        for n, line in enumerate(lines):
            match = CUE_TIME.match(line)
            if match:
                h, m, s, ms = (int(g) for g in match.groups())
                text = html.unescape(" ".join(lines[n + 1 :]).strip())  # VTT cue text is markup
                cues.append({"start_ms": ((h * 60 + m) * 60 + s) * 1000 + ms, "text": text})
                break
    return cues
