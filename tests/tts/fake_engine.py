"""A fake engine for orchestration tests (ordering, caching, failures) — never proof of audio.

Its audio identifies its text: ``frames_for(text)`` samples of a tone. A profile's
``voice_id`` names a log file to which every render appends one line (so calls made in
worker processes can be counted); the texts "FAIL" and "CRASH" make it raise or die, "FLAKY"
fails only on its first attempt in a process, and a text starting "SLOW" takes 0.3 s.
"""

from __future__ import annotations

import math
import os
import time
import zlib
from pathlib import Path

from briefcast.errors import EngineError
from briefcast.tts.base import EngineVoice
from briefcast.tts.wav import write_wav

RATE = 16000


def frames_for(text: str) -> int:
    """Half a second plus a number of samples derived from the text."""
    return RATE // 2 + zlib.crc32(text.encode()) % 4000


class FakeEngine:
    name = "fake"
    settable = frozenset({"volume"})

    def __init__(self) -> None:
        self.failed: set[str] = set()

    def version(self) -> str:
        return "fake 1"

    def voices(self, search_dirs=()):
        return [EngineVoice(id="tone", name="Tone", language="en", engine=self.name)]

    def render(self, text, profile, path):
        if profile.voice_id:
            with open(profile.voice_id, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()}\t{text}\n")
        if text == "FAIL":
            raise EngineError("fake engine refuses FAIL")
        if text == "CRASH":
            os._exit(3)
        if text == "FLAKY" and text not in self.failed:
            self.failed.add(text)
            raise EngineError("fake engine fails FLAKY once")
        if text.startswith("SLOW"):
            time.sleep(0.3)
        n = frames_for(text)
        samples = bytearray()
        for i in range(n):
            value = int(8000 * profile.volume * math.sin(2 * math.pi * 220 * i / RATE))
            samples += value.to_bytes(2, "little", signed=True)
        write_wav(Path(path), bytes(samples), RATE)
        return n / RATE


def calls(log: Path) -> list[str]:
    """Texts rendered so far according to ``log``."""
    if not log.exists():
        return []
    return [line.split("\t", 1)[1] for line in log.read_text(encoding="utf-8").splitlines()]


class HeavyFakeEngine(FakeEngine):
    """The fake engine posing as a neural one: ``PEAK`` bytes per worker, a threads setting."""

    name = "heavy"
    PEAK = 10**6

    def __init__(self) -> None:
        super().__init__()
        self.threads: int | None = None

    def peak_memory(self, profile) -> int:
        return self.PEAK

    def render(self, text, profile, path):
        if profile.voice_id:  # what each session was given, beside the call log
            with open(profile.voice_id + ".threads", "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()}\t{self.threads}\n")
        return super().render(text, profile, path)
