"""The engine interface every TTS engine implements, the registry of engines by name, and
the check every rendered file must pass."""

from __future__ import annotations

import importlib
import os
import re
import struct
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..errors import EngineError, VoiceError
from ..files import atomic_path

if TYPE_CHECKING:
    from .voices import VoiceProfile


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
    """A TTS engine: lists its voices and renders a text to a WAV file with a voice profile."""

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

        Raises EngineError when the engine fails even after a retry.
        """
        ...


# name -> "module:Class"; modules import lazily so a missing optional extra only matters
# when its engine is used.
_REGISTRY: dict[str, str] = {
    "pyttsx3": "briefcast.tts.pyttsx3:Pyttsx3Engine",
    "piper": "briefcast.tts.piper:PiperEngine",
    "kokoro": "briefcast.tts.kokoro:KokoroEngine",
}
_INSTANCES: dict[str, Engine] = {}


def register_engine(name: str, target: str | type) -> None:
    """Register an engine class (or ``"module:Class"``) under ``name``; replaces an earlier one."""
    if isinstance(target, type):
        target = f"{target.__module__}:{target.__qualname__}"
    _REGISTRY[name] = target
    _INSTANCES.pop(name, None)


def engine_names() -> list[str]:
    """Names of the registered engines, the default first."""
    return list(_REGISTRY)


def get_engine(name: str) -> Engine:
    """The engine registered as ``name`` (one instance per process, created on first use)."""
    engine = _INSTANCES.get(name)
    if engine is not None:
        return engine
    target = _REGISTRY.get(name)
    if target is None:
        raise VoiceError(f"unknown engine {name!r}; use one of: {', '.join(engine_names())}")
    module_name, _, class_name = target.partition(":")
    module = importlib.import_module(module_name)
    engine = getattr(module, class_name)()
    _INSTANCES[name] = engine
    return engine


# -- checking rendered files ---------------------------------------------------------------

MIN_SECONDS = 0.08
"""Below this a rendering holds no speech at all."""


def wav_seconds(path: Path) -> float | None:
    """Seconds of audio in a complete, valid PCM WAV file; None when missing, truncated or empty.

    The data chunk's declared size must match the bytes present: a writer that died half-way
    leaves a header promising more than the file holds.
    """
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            riff, _, kind = struct.unpack("<4sI4s", f.read(12))
            if riff != b"RIFF" or kind != b"WAVE":
                return None
            block_align = rate = 0
            while True:
                header = f.read(8)
                if len(header) < 8:
                    return None
                chunk_id, chunk_size = struct.unpack("<4sI", header)
                if chunk_id == b"fmt ":
                    fmt = f.read(chunk_size)
                    _, _, rate, _, block_align = struct.unpack("<HHIIH", fmt[:14])
                    f.seek(chunk_size % 2, os.SEEK_CUR)
                elif chunk_id == b"data":
                    start = f.tell()
                    break
                else:
                    f.seek(chunk_size + chunk_size % 2, os.SEEK_CUR)
    except (OSError, struct.error):
        return None
    if not rate or not block_align or chunk_size < block_align or start + chunk_size > size:
        return None
    return chunk_size // block_align / rate


def count_words(text: str) -> int:
    """Words as a listener hears them; digits count per group (a year is several words)."""
    words = len(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text))
    numbers = re.findall(r"\d+", text)
    return words + sum(max(1, len(n) // 2) for n in numbers)


def plausible_range(text: str, wpm: float) -> tuple[float, float]:
    """Shortest and longest believable rendering of ``text`` at ``wpm`` words a minute."""
    words = max(count_words(text), 1)
    expected = words / max(wpm, 40) * 60
    shortest = max(MIN_SECONDS, 0.25 * expected) if words >= 3 else MIN_SECONDS
    # Long numbers, abbreviations spelled out and the engine's own end pause make speech run
    # long; a lost or swapped file is usually off by far more than that.
    longest = 3 * expected + 1.5
    return shortest, longest


def check_rendering(path: Path, text: str, wpm: float) -> float:
    """Seconds of ``path`` if it is a valid WAV lasting about what ``text`` predicts; else raise."""
    seconds = wav_seconds(path)
    if seconds is None:
        raise EngineError(f"no valid audio written for {excerpt(text)!r}")
    shortest, longest = plausible_range(text, wpm)
    if not shortest <= seconds <= longest:
        raise EngineError(
            f"rendering of {excerpt(text)!r} lasts {seconds:.2f} s, expected "
            f"{shortest:.2f}-{longest:.2f} s"
        )
    return seconds


def excerpt(text: str, limit: int = 60) -> str:
    """The start of ``text``, for error messages."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_wav(path: Path, pcm: bytes, rate: int) -> None:
    """Write mono 16-bit ``pcm`` to ``path`` through a temporary name in the same folder."""
    with atomic_path(path) as tmp, wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)


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
