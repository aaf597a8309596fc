"""Listening to rendered speech: faster-whisper transcribes it, and the words heard are scored
against the words meant (word error rate, and whether each segment's words come in order).
Numbers are left out of the scoring: Whisper writes "1.2" where the script says the words."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np

RATE = 16000
"""Whisper listens at 16 kHz."""


def words(text: str) -> list[str]:
    """Lower-case words without punctuation or digits (``"Don't stop, 2024!"`` → don't, stop)."""
    return [w for w in re.findall(r"[a-z']+", text.lower().replace("’", "'")) if w.strip("'")]


def read_wav(path: Path) -> np.ndarray:
    """Mono 16-bit WAV → float32 samples at 16 kHz (linear resampling is enough for Whisper)."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
    samples /= 32768
    if rate != RATE:
        times = np.arange(0, len(samples) / rate, 1 / RATE)
        samples = np.interp(times, np.arange(len(samples)) / rate, samples).astype(np.float32)
    return samples


def joined(paths: list[Path], gap: float = 0.4) -> np.ndarray:
    """The WAVs one after the other with ``gap`` seconds of silence between, at 16 kHz."""
    silence = np.zeros(int(gap * RATE), dtype=np.float32)
    parts = []
    for path in paths:
        parts += [read_wav(path), silence]
    return np.concatenate(parts)


def load_whisper(model_dir: Path):
    """A faster-whisper model from a local folder, on the CPU with int8 weights."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(model_dir), device="cpu", compute_type="int8")


def transcribe(model, audio: np.ndarray) -> str:
    """What Whisper hears in ``audio`` (English, greedy decoding, no voice-activity filter)."""
    segments, _ = model.transcribe(audio, language="en", beam_size=1, vad_filter=False)
    return " ".join(s.text.strip() for s in segments)


def wer(reference: str, heard: str) -> float:
    """Word error rate of ``heard`` against ``reference``, both as :func:`words`."""
    import jiwer

    return jiwer.wer(" ".join(words(reference)), " ".join(words(heard)) or "<nothing>")


def heard_in_order(segment_texts: list[str], heard: str) -> list[float]:
    """For each segment in turn, the share of its content words (four letters or more) found,
    in order, after those found for the segments before it: a lost, swapped or cut-short segment
    scores low."""
    heard_words = words(heard)
    position = 0
    shares = []
    for text in segment_texts:
        wanted = [w for w in words(text) if len(w) >= 4]
        found = 0
        for word in wanted:
            # Look a little way ahead only, so a word cannot be matched from a later segment.
            window = heard_words[position : position + 8]
            if word in window:
                position += window.index(word) + 1
                found += 1
        shares.append(found / max(len(wanted), 1))
    return shares
