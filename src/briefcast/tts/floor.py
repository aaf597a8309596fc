"""The benchmark's floor: a whole text rendered by ONE espeak-ng call, the least work any
espeak-based build can do."""

from __future__ import annotations

import ctypes
from pathlib import Path

from ..system import load_espeak
from .base import split_for_engine
from .engines import get_engine
from .profile import VoiceProfile
from .pyttsx3 import SAMPLE_RATE, Pyttsx3Engine
from .wav import write_wav

FLOOR_MAX_WORDS = 4000
"""With an honest buffer size espeak renders a long text in one call; beyond this many
words the text is still split at sentence ends, as a precaution."""


def render_floor_wav(text: str, profile: VoiceProfile, path: Path) -> float:
    """Render a whole text with ONE espeak-ng call (no pyttsx3 loop); return its seconds.

    The benchmark's floor: the least work any espeak-based build can do. Uses this process's
    espeak (initialised through the pyttsx3 engine so both can share it) with its own
    callback, then hands the callback back to pyttsx3.
    """
    load_espeak()  # before pyttsx3's _espeak module looks for the library
    from pyttsx3.drivers import _espeak  # only once the library is loaded (see pyttsx3.py)

    engine = get_engine("pyttsx3")
    assert isinstance(engine, Pyttsx3Engine)
    engine._driver()  # noqa: SLF001 - same module family: initialises espeak once
    engine._wait_idle()  # noqa: SLF001
    engine._apply(profile)  # noqa: SLF001
    chunks: list[bytes] = []

    def collect(wav, numsamples, events):  # noqa: ARG001 - espeak's callback signature
        if numsamples > 0:
            chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    _espeak.SetSynthCallback(collect)
    try:
        for part in split_for_engine(text, FLOOR_MAX_WORDS):
            data = part.encode("utf-8")
            _espeak.cSynth(
                data,
                len(data) + 1,
                0,
                _espeak.POS_CHARACTER,
                0,
                _espeak.CHARS_UTF8 | _espeak.ENDPAUSE,
                None,
                None,
            )
            _espeak.Synchronize()
    finally:
        _espeak.SetSynthCallback(engine._callback)  # noqa: SLF001
    write_wav(Path(path), b"".join(chunks), SAMPLE_RATE)
    return sum(len(c) for c in chunks) / 2 / SAMPLE_RATE
