"""One speaking level for every engine and voice: each rendered segment is brought to the same
loudness, so an espeak-ng host, a Piper narrator and a Kokoro voice sit together in an episode.

Rendered as they come, the voices differ by several LU (measured on one passage: espeak-ng
narrator −21.0 and host −18.0 LUFS, Piper joe −21.2, Kokoro af_heart −22.5 and am_michael −24.6),
and the audio stage only sets the loudness of the episode as a whole. Here each segment's
integrated loudness (ITU-R BS.1770: K-weighted, gated) is set to ``REFERENCE_LUFS`` plus the
profile's ``volume`` in dB. The K-weighting is applied to the spectrum of each 100 ms step (its
energy by Parseval), which needs no filter state and agrees with the time-domain filters within
a few hundredths of a LU on speech.
"""

from __future__ import annotations

import functools
import math
import wave
from pathlib import Path

from ..lazy import lazy_import
from .wav import write_wav

np = lazy_import("numpy")

REFERENCE_LUFS = -23.0
"""Where every segment is put (EBU R128's reference, which leaves the peaks of every voice
measured here room below full scale); the episode's own target (−16 LUFS) is the audio stage's."""
LEVEL_VERSION = "1"
"""Changes when the levelling does: part of what a rendered segment's cache key should hold."""
PEAK_CEILING = 0.98
"""The gain never pushes a sample past this fraction of full scale (the WAV is 16-bit)."""
BLOCK_SECONDS = 0.4
STEP_SECONDS = 0.1
ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0


def _biquad_power(b: tuple[float, ...], a: tuple[float, ...], w: np.ndarray) -> np.ndarray:
    """|H(e^jw)|² of one biquad."""
    z = np.exp(-1j * w)
    return np.abs(np.polyval(b[::-1], z) / np.polyval(a[::-1], z)) ** 2


@functools.cache
def k_weight_power(rate: int, size: int) -> np.ndarray:
    """BS.1770's K-weighting (high shelf, then high-pass) as power gains on ``rfft`` bins of
    a ``size``-sample block, designed for ``rate`` the way libebur128 does."""
    w = 2 * np.pi * np.fft.rfftfreq(size, 1 / rate) / rate
    k = math.tan(math.pi * 1681.974450955533 / rate)
    q = 0.7071752369554196
    vh = 10 ** (3.999843853973347 / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = _biquad_power(
        ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0),
        (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0),
        w,
    )
    k = math.tan(math.pi * 38.13547087602444 / rate)
    q = 0.5003270373238773
    a0 = 1 + k / q + k * k
    high_pass = _biquad_power(
        (1.0, -2.0, 1.0), (1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0), w
    )
    return shelf * high_pass


def loudness(samples: np.ndarray, rate: int) -> float | None:
    """Integrated loudness (LUFS) of mono float samples in [-1, 1]; None for silence."""
    size = round(BLOCK_SECONDS * rate)
    step = round(STEP_SECONDS * rate)
    if samples.size < size:  # shorter than one gating block: measure it whole
        samples = np.concatenate([samples, np.zeros(size - samples.size, samples.dtype)])
    # Each step's K-weighted energy once; a gating block's is the sum over the steps it spans.
    # A quarter of the FFT work of weighting every overlapping block (and within 0.05 LU of it
    # on 300 segments of espeak-ng, Piper and Kokoro).
    count = samples.size // step
    steps = samples[: count * step].reshape(count, step).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(steps, axis=1)) ** 2
    # Parseval for a real signal: interior bins count twice.
    spectrum[:, 1 : (step + 1) // 2] *= 2
    summed = np.concatenate([[0.0], np.cumsum((spectrum * k_weight_power(rate, step)).sum(axis=1))])
    per_block = size // step
    energy = (summed[per_block:] - summed[:-per_block]) / (per_block * step * step)
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(energy)
    gated = energy[levels > ABSOLUTE_GATE]
    if gated.size == 0:
        return None
    relative = -0.691 + 10 * np.log10(gated.mean()) + RELATIVE_GATE
    gated = energy[levels > max(ABSOLUTE_GATE, relative)]
    return float(-0.691 + 10 * np.log10(gated.mean()))


def match_level(path: Path, volume: float = 1.0) -> float | None:
    """Set the rendering at ``path`` (mono 16-bit WAV) to ``REFERENCE_LUFS`` + ``volume`` in dB,
    rewritten atomically; return the gain applied in dB (None: silence, left as it is)."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    samples = pcm.astype(np.float32) / 32768
    measured = loudness(samples, rate)
    peak = float(np.abs(samples).max(initial=0.0))
    if measured is None or peak == 0:
        return None
    wanted = REFERENCE_LUFS + 20 * math.log10(max(volume, 1e-3))
    gain_db = min(wanted - measured, 20 * math.log10(PEAK_CEILING / peak))
    if abs(gain_db) < 0.01:
        return 0.0
    scaled = np.clip(samples * 10 ** (gain_db / 20) * 32768, -32768, 32767)
    write_wav(path, np.round(scaled).astype("<i2").tobytes(), rate)
    return gain_db
