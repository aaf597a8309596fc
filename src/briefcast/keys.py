"""The digests that decide when earlier work can be reused: a fitted script (``fitted_key``)
and a whole build (``build_key``); both name voices by their one digest (``voice_digest``)."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from . import __version__
from .models import Article, Script
from .options import BuildOptions
from .tts import VoiceProfile, speaks_written, voice_digest


def fitted_key(
    articles: list[Article], options: BuildOptions, profiles: dict[str, VoiceProfile]
) -> str:
    """A digest of all a script's condensing and fitting depend on: the articles, the length
    asked, the pauses, and the voices by name and digest (they set the pace)."""
    voices = {name: voice_digest(p) for name, p in sorted(profiles.items())}
    payload = {
        "version": __version__,
        "builder": builder_digest(),
        "articles": [{k: v for k, v in asdict(a).items() if k != "path"} for a in articles],
        "title": options.title,
        "minutes": options.minutes,
        "words": options.words,
        "pauses": asdict(options.pauses),
        "voices": voices,
        **written_classes(profiles),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def written_classes(profiles: dict[str, VoiceProfile]) -> dict[str, dict[str, list[str]]]:
    """``{"written": …}``: the voices whose engines keep some rewrite classes as written
    (``speaks_written``), or nothing when none does (so keys made before it stay valid)."""
    kept = {name: sorted(c) for name, c in speaks_written(profiles).items() if c}
    return {"written": kept} if kept else {}


@functools.cache
def builder_digest() -> str:
    """A digest of the code that reads, condenses and fits articles, so that a changed
    briefcast (a new release, or a developer's edit) never reuses a script the old one made."""
    package = Path(__file__).parent
    sources = ["models.py", "options.py", "pipeline.py"]
    digest = hashlib.sha256()
    code = [*(package / "article").glob("*.py"), *(package / "script").glob("*.py")]
    for path in sorted([*(package / s for s in sources), *code]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_key(
    script: Script,
    profiles: dict[str, VoiceProfile],
    formats: tuple[str, ...],
    options: BuildOptions,
) -> str:
    """A digest of everything that shapes the output files, to know when a rebuild can be skipped."""
    voice_settings = {name: voice_digest(p) for name, p in sorted(profiles.items())}
    cover = None
    if options.cover:
        cover = hashlib.sha256(Path(options.cover).read_bytes()).hexdigest()
    payload = {
        "version": __version__,
        "script": asdict(script),
        "voices": voice_settings,
        **written_classes(profiles),  # with the script, what each engine receives
        "formats": formats,
        "pauses": asdict(options.pauses),
        "cover": cover,
        "artist": options.artist,
        "album": options.album,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
