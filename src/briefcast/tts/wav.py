"""WAV files as the TTS stage writes and checks them: mono 16-bit PCM, written atomically, and
a rendering's length checked against what its text predicts."""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

from ..errors import EngineError
from ..files import write_bytes_atomic

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
    return check_seconds(seconds, text, wpm)


def check_seconds(seconds: float, text: str, wpm: float) -> float:
    """``seconds`` if a rendering of ``text`` could last that long at ``wpm``; else raise."""
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
    """Write mono 16-bit ``pcm`` to ``path`` atomically (through a temporary name beside it)."""
    # The canonical 44-byte header, packed here rather than by the wave module: a Ctrl-C landing
    # inside wave.open leaves a half-made writer whose __del__ prints a traceback at exit.
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        *(b"RIFF", 36 + len(pcm), b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2, 16),
        *(b"data", len(pcm)),
    )
    write_bytes_atomic(path, header + pcm)
