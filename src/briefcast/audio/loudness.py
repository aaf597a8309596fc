"""Loudness: measure with ffmpeg's ebur128; bring speech to −16 LUFS, true peaks ≤ −1 dBTP.

Raw espeak-ng speech sits near −20 LUFS with true peaks above 0 dBFS, so a plain gain would clip
and ffmpeg's loudnorm falls back to its dynamic mode (landing near −17). Instead: a static gain
plus a limiter running at four times the sample rate (so it catches inter-sample peaks), the
gain found by measured trials; the caller encodes through that chain and measures the encoded
file again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import AudioError
from ..models import Loudness
from ..system import run_ffmpeg

TARGET_LUFS = -16.0
"""Integrated loudness podcast platforms ask for (mono)."""
TOLERANCE_LU = 1.0
"""How far the encoded file may land from the target."""
MAX_TRUE_PEAK_DBTP = -1.0
"""Highest true peak allowed in the encoded file."""
LIMITER_CEILING_DBTP = -2.0
"""Ceiling before encoding: MP3/AAC encoding raises true peaks by a few tenths of a dB."""
AIM_LU = 0.3
"""Tighter than the tolerance: a file this close to the target is left alone."""
MAX_GAIN_DB = 40.0
SILENT_LUFS = -60.0

_SUMMARY = re.compile(r"Summary:(.*)", re.S)
_INTEGRATED = re.compile(r"I:\s+(-?[\d.]+|-inf)\s+LUFS")
_LRA = re.compile(r"LRA:\s+(-?[\d.]+)\s+LU")
_PEAK = re.compile(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf)\s+dBFS")


@dataclass(frozen=True)
class Processing:
    """The static gain and limiter ceiling applied to the joined speech."""

    gain_db: float
    ceiling_dbtp: float = LIMITER_CEILING_DBTP
    slope: float = 0.6
    """LU of output per dB of gain, as last measured: limiting takes more the more gain is given."""

    def filter(self, sample_rate: int, out_rate: int, *, oversample: int = 4) -> str:
        """The ffmpeg filter chain: gain, limiter at ``oversample``× the rate (so it sees the
        peaks between samples), then ``out_rate``."""
        limit = 10 ** (self.ceiling_dbtp / 20)
        return (
            f"volume={self.gain_db:.2f}dB,aresample={oversample * sample_rate},"
            f"alimiter=limit={limit:.4f}:attack=1:release=60:level=disabled,"
            f"aresample={out_rate}"
        )

    def plus(self, loudness_lu: float) -> Processing:
        """The same processing aiming ``loudness_lu`` louder (or quieter, when negative)."""
        return replace(self, gain_db=min(self.gain_db + loudness_lu / self.slope, MAX_GAIN_DB))


def _parse_ebur128(stderr: str, *, true_peak: bool) -> Loudness:
    match = _SUMMARY.search(stderr)
    if not match:
        raise AudioError("ffmpeg's ebur128 printed no summary: cannot measure loudness")
    summary = match.group(1)
    integrated = _INTEGRATED.search(summary)
    lra = _LRA.search(summary)
    peak = _PEAK.search(summary) if true_peak else None
    if not integrated or (true_peak and not peak):
        raise AudioError(f"cannot read ffmpeg's loudness summary:\n{summary.strip()}")

    def number(text: str) -> float:
        return float("-inf") if text == "-inf" else float(text)

    return Loudness(
        integrated_lufs=number(integrated.group(1)),
        true_peak_dbtp=number(peak.group(1)) if peak else float("nan"),
        lra=float(lra.group(1)) if lra else None,
    )


def measure_loudness(path: Path, *, true_peak: bool = True) -> Loudness:
    """Integrated loudness, loudness range and (optionally) true peak of a file (EBU R128)."""
    mode = "peak=true:" if true_peak else ""
    proc = run_ffmpeg(
        ["-nostats", "-i", str(path), "-map", "0:a:0", "-af",
         f"ebur128={mode}framelog=quiet", "-f", "null", "-"],
        what="loudness measurement",
    )
    return _parse_ebur128(proc.stderr, true_peak=true_peak)


def within_target(loudness: Loudness, *, tolerance: float = TOLERANCE_LU) -> bool:
    """True when the loudness is within ``tolerance`` of the target and the peak low enough."""
    return (
        abs(loudness.integrated_lufs - TARGET_LUFS) <= tolerance
        and loudness.true_peak_dbtp <= MAX_TRUE_PEAK_DBTP
    )


def initial_gain(measured: Loudness) -> float:
    """Gain (dB) that would bring ``measured`` to the target; raises AudioError on silence."""
    if measured.integrated_lufs < SILENT_LUFS:
        raise AudioError(
            f"the joined speech is silent ({measured.integrated_lufs} LUFS): "
            "check that the TTS engine produced audible audio"
        )
    return min(TARGET_LUFS - measured.integrated_lufs, MAX_GAIN_DB)


def trial(src: Path, processing: Processing, *, sample_rate: int) -> Loudness:
    """Integrated loudness ``processing`` would give ``src`` (limiter at 1×: quick, ±0.1 LU)."""
    chain = processing.filter(sample_rate, sample_rate, oversample=1) + ",ebur128=framelog=quiet"
    proc = run_ffmpeg(["-nostats", "-i", str(src), "-af", chain, "-f", "null", "-"],
                      what="loudness trial")
    return _parse_ebur128(proc.stderr, true_peak=False)


def find_processing(src: Path, *, sample_rate: int, target: float = TARGET_LUFS,
                    tries: int = 3) -> Processing:
    """Gain (with the limiter) that brings ``src`` to ``target``, found by measured trials.

    The limiter takes away more loudness the more gain it is given, so the gain is found by
    the secant method from measurements, starting from the plain gain of an unlimited file.
    """
    plain = measure_loudness(src, true_peak=False)
    processing = Processing(initial_gain(plain))
    points: list[tuple[float, float]] = []
    for _ in range(tries):
        result = trial(src, processing, sample_rate=sample_rate).integrated_lufs
        points.append((processing.gain_db, result))
        if len(points) >= 2:
            (g0, l0), (g1, l1) = points[-2:]
            if g1 != g0 and 0.05 < (l1 - l0) / (g1 - g0) <= 1.0:
                processing = replace(processing, slope=(l1 - l0) / (g1 - g0))
        if abs(result - target) <= AIM_LU / 2:
            break
        processing = processing.plus(target - result)
    return processing


def corrected(processing: Processing, measured: Loudness, *,
              target: float = TARGET_LUFS) -> Processing:
    """The processing adjusted by what a measurement of its encoded result showed."""
    adjusted = processing.plus(target - measured.integrated_lufs)
    margin = MAX_TRUE_PEAK_DBTP - 0.3
    if measured.true_peak_dbtp > margin:
        # the codec overshot by this much: lower the ceiling so the next encode lands below −1
        overshoot = measured.true_peak_dbtp - margin
        adjusted = replace(adjusted, ceiling_dbtp=adjusted.ceiling_dbtp - overshoot)
    return adjusted


def describe(loudness: Loudness) -> str:
    """One line for tags and logs: ``-16.0 LUFS integrated, -1.6 dBTP true peak, LRA 3.1 LU``."""
    text = (f"{loudness.integrated_lufs:.1f} LUFS integrated, "
            f"{loudness.true_peak_dbtp:.1f} dBTP true peak")
    if loudness.lra is not None:
        text += f", LRA {loudness.lra:.1f} LU"
    return text
