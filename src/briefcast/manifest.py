"""The build manifest: what one build wrote into its output folder and with which settings, kept
beside the episode as ``.<slug>.build.json`` so that a rebuild or a ``render`` never goes stale.

It holds the key of everything that shaped the outputs (an unchanged rebuild does nothing), the
files written (a format no longer asked for is removed), and the settings a ``render`` of the
build's script reuses unless told otherwise: formats, voices and cover.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import unicodedata
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .files import write_text_atomic
from .models import ChapterMark, Episode, Loudness

log = logging.getLogger(__name__)

SCRIPT_SUFFIX = ".script.md"
"""The spoken script beside the audio: ``<slug>.script.md``."""
REUSED = ("formats", "voice", "host", "single_voice", "voices_dir", "cover", "artist", "album")
"""The build options a ``render`` of the build's script takes from its manifest."""


@dataclass
class Manifest:
    """One build's record: its key, its outputs and the options that made them."""

    key: str
    episode: Episode
    settings: dict[str, Any] = field(default_factory=dict)
    """The ``REUSED`` build options, as JSON values (paths as strings, formats as a list)."""


def slugify(title: str, fallback: str = "episode") -> str:
    """A file-name-safe slug: lower case ASCII words joined by hyphens, at most 60 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


def manifest_path(out_dir: Path, slug: str) -> Path:
    """Where the build of ``slug`` into ``out_dir`` keeps its manifest."""
    return Path(out_dir) / f".{slug}.build.json"


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``; None when there is none. A damaged one is reported on stderr and
    treated as missing, so the build is simply done again (and the manifest rewritten)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read the build manifest %s (%s); building again", path, exc)
        return None
    try:
        data = json.loads(text)
        episode = Episode(
            files=[Path(p) for p in data["files"]],
            duration_ms=int(data["duration_ms"]),
            chapters=[ChapterMark(**c) for c in data["chapters"]],
            loudness=Loudness(**data["loudness"]) if data.get("loudness") else None,
            sidecars=[Path(p) for p in data["sidecars"]],
        )
        return Manifest(str(data["key"]), episode, dict(data.get("settings") or {}))
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("the build manifest %s is damaged (%s); building again", path, exc)
        return None


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write ``manifest`` to ``path`` (atomically)."""
    episode = manifest.episode
    data = {
        "key": manifest.key,
        "files": [str(p) for p in episode.files],
        "sidecars": [str(p) for p in episode.sidecars],
        "duration_ms": episode.duration_ms,
        "chapters": [asdict(c) for c in episode.chapters],
        "loudness": asdict(episode.loudness) if episode.loudness else None,
        "settings": manifest.settings,
    }
    write_text_atomic(path, json.dumps(data, indent=1))


def settings_of(options: Any) -> dict[str, Any]:
    """The ``REUSED`` fields of a BuildOptions, as JSON values."""
    settings = {}
    for name in REUSED:
        value = getattr(options, name)
        if isinstance(value, Path):
            value = str(value.resolve())
        elif isinstance(value, tuple):
            value = list(value)
        settings[name] = value
    return settings


def reuse_settings(options: Any, manifest: Manifest | None, given: Collection[str]) -> Any:
    """``options`` with each ``REUSED`` field the caller did not give taken from ``manifest``."""
    if manifest is None:
        return options
    changes: dict[str, Any] = {}
    for name in REUSED:
        if name in given or name not in manifest.settings:
            continue
        value = manifest.settings[name]
        if name in ("voices_dir", "cover") and value is not None:
            value = Path(value)
        elif name == "formats":
            value = tuple(value)
        changes[name] = value
    return dataclasses.replace(options, **changes)


def remove_stale(previous: Manifest | None, episode: Episode) -> list[Path]:
    """Delete the files ``previous`` recorded that this build did not write again (a format no
    longer asked for), each with a line on stderr; return them."""
    if previous is None:
        return []
    current = {p.resolve() for p in [*episode.files, *episode.sidecars]}
    removed = []
    for path in [*previous.episode.files, *previous.episode.sidecars]:
        if path.resolve() in current or not path.is_file():
            continue
        path.unlink()
        log.warning("removed %s: its format is no longer built", path)
        removed.append(path)
    return removed
