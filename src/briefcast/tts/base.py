"""The engine interface every TTS engine implements, with the optional hints a rendering worker
reads from it, and the text splitting engines share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from .profile import VoiceProfile


@dataclass(frozen=True)
class EngineVoice:
    """A voice an engine offers by itself (before any profile names it)."""

    id: str
    """What a profile's ``voice_id`` says to pick this voice."""
    name: str
    """A readable name."""
    language: str
    """BCP 47-ish language tag, e.g. ``en-us``."""
    engine: str
    """The engine's registered name."""


@runtime_checkable
class Engine(Protocol):
    """A TTS engine: lists its voices and renders a text to a WAV file with a voice profile.

    Besides these, an engine may offer hints that the rendering workers read (each has a
    default, see the functions below): ``threads`` (an attribute: compute threads for each
    session it loads, set by a worker before its first rendering; None means the library's
    default), ``peak_memory(profile)`` (bytes one process needs at its peak with that voice
    loaded, which bounds the number of workers), ``model_files(profile)`` (the files whose
    content shapes the sound, part of the voice's digest) and ``speaks_written`` (an attribute:
    the rewrite classes of ``briefcast.script.speech`` the engine says well from the written
    text, which its segments then keep as written; see ``written.py``).
    """

    name: str
    """The registered name a profile's ``engine`` field uses."""
    settable: frozenset[str]
    """Which of ``rate``, ``pitch``, ``volume`` a profile can set on this engine."""

    def version(self) -> str:
        """Engine and library versions; part of every cache key, so a new version re-renders."""
        ...

    def voices(self, search_dirs: Sequence[Path] = ()) -> list[EngineVoice]:
        """The voices this engine can speak with (model engines look in ``search_dirs``)."""
        ...

    def render(self, text: str, profile: VoiceProfile, path: Path) -> float:
        """Render ``text`` to a mono 16-bit WAV at ``path`` (atomically); return its seconds.

        Raises EngineError when the engine fails (the renderer retries once).
        """
        ...


def peak_memory(engine: Engine, profile: VoiceProfile) -> int:
    """Bytes a worker process needs at its peak with ``profile`` loaded; 0 when unknown or small."""
    hint = getattr(engine, "peak_memory", None)
    return int(hint(profile)) if hint is not None else 0


def model_files(engine: Engine, profile: VoiceProfile) -> list[Path]:
    """The files whose content shapes ``profile``'s sound (by default, the profile's model)."""
    hint = getattr(engine, "model_files", None)
    if hint is not None:
        return [Path(p) for p in hint(profile)]
    return [Path(profile.model)] if profile.model is not None else []


def limit_threads(engine: Engine, threads: int) -> None:
    """Ask ``engine`` to give each session it loads from now on ``threads`` compute threads."""
    if hasattr(engine, "threads"):
        engine.threads = threads


def split_for_engine(text: str, max_words: int) -> list[str]:
    """Split ``text`` at sentence (then clause, then word) ends into parts of ≤ ``max_words``."""
    if len(text.split()) <= max_words:
        return [text]
    parts: list[str] = []
    current: list[str] = []
    for sentence in re.split(r"(?<=[.!?;:,])\s+", text.strip()):
        words = sentence.split()
        while len(words) > max_words:  # one endless sentence: cut it at word boundaries
            if current:
                parts.append(" ".join(current))
                current = []
            parts.append(" ".join(words[:max_words]))
            words = words[max_words:]
        if current and len(current) + len(words) > max_words:
            parts.append(" ".join(current))
            current = []
        current.extend(words)
    if current:
        parts.append(" ".join(current))
    return parts
