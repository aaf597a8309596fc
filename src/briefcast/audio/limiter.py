"""A true-peak limiter, and what limiting will take away foreseen before it runs (numpy).

Limiting: the gain each sample needs so that neither it nor the interpolated peaks next to it
exceed the ceiling, spread by a minimum filter and smoothed by a moving average half as wide —
the smoothed gain is never above what any sample near it needs, and it is computed only around
the few places that need it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lazy import lazy_import
from .loudness import LIMITING

np = lazy_import("numpy")

LOOKAHEAD_SECONDS = 0.004
"""The limiter's attack and release: gain changes are spread over about this long."""


def running_extreme(
    reduce: np.ufunc, values: np.ndarray, size: int, edge: float | None
) -> np.ndarray:
    """``reduce`` (np.minimum / np.maximum) over a centred window of odd ``size``; beyond the
    ends the edge values repeat (``edge`` None) or ``edge`` is assumed. Van Herk / Gil-Werman:
    prefix and suffix running extremes in blocks of ``size``, three passes whatever the size."""
    half = size // 2
    extra = -(values.size + 2 * half) % size
    if edge is None:
        padded = np.pad(values, (half, half + extra), mode="edge")
    else:
        padded = np.pad(values, (half, half + extra), constant_values=edge)
    blocks = padded.reshape(-1, size)
    prefix = reduce.accumulate(blocks, axis=1).reshape(-1)
    suffix = reduce.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    return reduce(suffix[: values.size], prefix[size - 1 : size - 1 + values.size])


def moving_mean(values: np.ndarray, size: int) -> np.ndarray:
    """Mean over a centred window of odd ``size``, the edge values repeated beyond the ends."""
    half = size // 2
    padded = np.pad(values.astype(np.float64), (half + 1, half), mode="edge")
    padded[0] = 0.0
    sums = np.cumsum(padded)
    return ((sums[size:] - sums[:-size]) / size).astype(values.dtype)


def lookahead_samples(sample_rate: int) -> int:
    """The limiter's lookahead L in samples (even, so the smoothing mean is centred)."""
    return 2 * max(1, round(LOOKAHEAD_SECONDS * sample_rate / 2))


_CURVE_GAP = 4096
"""Samples between two reductions below which ``_smoothed`` gives them one curve."""


def _smoothed(need: np.ndarray, lookahead: int) -> list[tuple[int, np.ndarray]]:
    """Smooth gain curves ``(start, gains)`` around the samples whose ``need`` is below 1.

    h = minimum of ``need`` within ±L; g = mean of h over L + 1 samples (centred). Every
    g[n] is at most ``need`` anywhere within L / 2 of n (each h averaged is the minimum over a
    window holding that sample), so the interpolated points near a sample get no more gain than
    they need either; and g moves from 1 to its lowest over L + 1 samples, smoothly.
    """
    low = np.flatnonzero(need < 1.0)
    if low.size == 0:
        return []
    # one curve per stretch of peaks: numpy's per-call cost, not the samples, is what a curve
    # costs, and between peaks the curve is 1 anyway (merging changes no gain)
    breaks = np.flatnonzero(np.diff(low) > max(3 * lookahead, _CURVE_GAP))
    firsts = low[np.concatenate([[0], breaks + 1])]
    lasts = low[np.concatenate([breaks, [low.size - 1]])]
    curves = []
    for first, last in zip(firsts, lasts):
        start = max(0, int(first) - 2 * lookahead)
        stop = min(need.size, int(last) + 2 * lookahead + 1)
        held = running_extreme(np.minimum, need[start:stop], 2 * lookahead + 1, None)
        curves.append((start, moving_mean(held, lookahead + 1)))
    return curves


LEVEL_FLOOR_DB = -70.0
LEVEL_STEP_DB = 0.1
LEVEL_BINS = 820
"""Peak levels from −70 to +12 dBFS in 0.1 dB steps (``peak_level_energy``)."""
_ENVELOPE_BLOCK = 32


def peak_level_energy(samples: np.ndarray, weighted: np.ndarray, sample_rate: int) -> np.ndarray:
    """K-weighted energy of ``samples`` binned by the peak level the limiter sees around it
    (the largest sample within its lookahead): enough to foresee what limiting any gain to any
    ceiling takes away (``limited_loss_db``), without running the limiter."""
    block = _ENVELOPE_BLOCK
    count = -(-samples.size // block)
    padded = np.zeros(count * block, dtype=np.float64)
    padded[: samples.size] = np.abs(samples)
    envelope = padded.reshape(count, block).max(axis=1)
    reach = -(-lookahead_samples(sample_rate) // block)
    envelope = running_extreme(np.maximum, envelope, 2 * reach + 1, 0.0)
    padded[:] = 0.0
    used = min(weighted.size, padded.size)
    padded[:used] = weighted[:used]
    energy = np.einsum("ij,ij->i", padded.reshape(count, block), padded.reshape(count, block))
    with np.errstate(divide="ignore"):
        levels = 20 * np.log10(envelope)
    bins = np.clip(np.rint((levels - LEVEL_FLOOR_DB) / LEVEL_STEP_DB), 0, LEVEL_BINS - 1)
    return np.bincount(bins.astype(np.intp), weights=energy, minlength=LEVEL_BINS)


def limited_loss_db(level_energy: np.ndarray, gain_db: float, ceiling_dbtp: float) -> float:
    """Loudness (dB, ≤ 0) that limiting to ``ceiling_dbtp`` would take from audio whose
    ``peak_level_energy`` this is, after ``gain_db``; an estimate a little short of the truth
    (the limiter's gain also ramps around each peak)."""
    total = level_energy.sum()
    if total <= 0:
        return 0.0
    levels = LEVEL_FLOOR_DB + LEVEL_STEP_DB * np.arange(LEVEL_BINS) + gain_db
    kept = 10 ** (np.minimum(0.0, ceiling_dbtp - levels) / 10)
    return float(10 * np.log10((level_energy * kept).sum() / total))


@dataclass
class LimiterReport:
    """What limiting did to one piece of audio."""

    limited_samples: int = 0
    peak: float = 0.0
    """True peak after limiting (linear, as the limiter's interpolator sees it)."""


def limit_true_peak(samples: np.ndarray, ceiling: float, sample_rate: int) -> LimiterReport:
    """Lower ``samples`` (floats, full scale 1.0) in place so that no sample or interpolated
    peak exceeds ``ceiling`` (linear), with smooth gain changes around each reduction."""
    lookahead = lookahead_samples(sample_rate)
    half = LIMITING.half
    report = LimiterReport()
    regions = [(0, samples.size)]  # where peaks may be over: everywhere, then what was lowered
    for attempt in range(5):  # one pass nearly always suffices; the next one checks it
        need = None
        for start, stop in regions:
            lo, hi = max(0, start - half), min(samples.size, stop + half)
            where, peaks = LIMITING.interval_peaks(samples[lo:hi], ceiling)
            over = peaks > ceiling
            report.peak = max(report.peak, float(peaks[~over].max(initial=0.0)))
            if over.any() and attempt < 4:
                if need is None:
                    need = np.ones(samples.size, dtype=samples.dtype)
                need[lo + where[over]] = ceiling / peaks[over] * (1 - 1e-4)
            elif over.any():  # never seen; the encoded file is measured anyway
                report.peak = max(report.peak, float(peaks.max()))
        if need is None:
            break
        regions = []
        for start, gains in _smoothed(need, lookahead):
            samples[start : start + gains.size] *= gains
            regions.append((start, start + gains.size))
            if attempt == 0:
                report.limited_samples += int(np.count_nonzero(gains < 1))
    return report
