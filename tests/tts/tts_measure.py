"""Measurements on rendered WAV files, for the TTS tests."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Mono samples as floats in [-1, 1], and the sample rate."""
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data.astype(np.float64) / 32768, w.getframerate()


def mean_pitch(path: Path, low: float = 60, high: float = 400) -> float:
    """Median fundamental frequency (Hz) over voiced 40 ms frames, by autocorrelation.

    A frame counts as voiced when it is loud enough and its autocorrelation peak within
    ``low``-``high`` Hz reaches half its energy.
    """
    x, rate = read_wav(path)
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    min_lag, max_lag = int(rate / high), int(rate / low)
    loudness = np.sqrt(np.mean(x**2)) if len(x) else 0
    found = []
    for start in range(0, len(x) - frame, hop):
        f = x[start : start + frame] - x[start : start + frame].mean()
        if np.sqrt(np.mean(f**2)) < 0.5 * loudness:
            continue
        ac = np.correlate(f, f, "full")[frame - 1 :]
        if ac[0] <= 0:
            continue
        ac = ac / ac[0]
        lag = min_lag + int(np.argmax(ac[min_lag:max_lag]))
        if ac[lag] > 0.5:
            found.append(rate / lag)
    assert len(found) > 20, f"too few voiced frames in {path}"
    return float(np.median(found))
