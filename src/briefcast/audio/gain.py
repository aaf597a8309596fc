"""Loudness targeting: the gain and limiter ceiling that bring each codec's file to −16 LUFS and
−1 dBTP, solved once from pass A's measurements, and corrected when an encoded file missed.

Each codec gets its own settings, solved for it alone, so an MP3 is made byte for byte the same
whether or not an M4B is built with it, and every format lands on the target. Measured on the
audio tests' episode by ffmpeg's ebur128: MP3 −16.1 and M4B −16.0 LUFS; when the codecs shared
one aim between their losses (and the lower ceiling), −16.3 and −15.8, and the MP3 alone −16.1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import AudioError
from ..lazy import lazy_import
from ..models import Loudness
from . import limiter
from . import loudness as lu

np = lazy_import("numpy")

LIMITER_CEILING_DBTP = {"mp3": -3.0, "aac": -2.0}
"""True-peak ceiling of the limiter, per codec: encoding raises true peaks (measured on espeak
speech at 64 kbps mono, 22.05 kHz: ffmpeg's fast AAC coder by 0.18–0.60 dB on 14 episodes;
LAME by 0.35–0.76 dB on the same, but by 1.1–1.5 dB on six 8-minute builds of the seed
article, so its ceiling leaves 2 dB)."""
CODEC_LOSS_LU = {"mp3": 0.41, "aac": 0.06}
"""Integrated loudness each codec takes away (same measurements: LAME 0.41–0.42 LU, it cuts
the highest frequencies; AAC 0.05–0.06 LU); the joined audio is aimed that much louder."""
CORRECTIONS = 3
"""Re-encodes allowed for a format that missed its target; each lowers the ceiling by what the
last one overshot (LAME's overshoot varies from one encode to the next)."""
CORRECTION_MARGIN_DB = 0.3
"""How far under −1 dBTP a corrected encode aims its true peak."""


@dataclass(frozen=True)
class Levels:
    """What pass B applies for one codec."""

    gain_db: float = 0.0
    ceiling_dbtp: float | None = None
    """The limiter's ceiling; None: no limiting."""


def target_levels(
    meter: lu.LoudnessMeter, level_energy: np.ndarray, codecs: Iterable[str]
) -> dict[str, Levels]:
    """Per codec, the gain and ceiling aimed at −16 LUFS and −1 dBTP in its encoded file, from
    the joined speech's loudness (``meter``) and energy by peak level (``level_energy``).

    The gain is solved for with the limiter's loss foreseen (``limiter.limited_loss_db``,
    within 0.02 LU of the real limiter on speech) and the codec's loss measured once.
    """
    measured = meter.integrated()
    if measured < lu.SILENT_LUFS:
        raise AudioError(
            f"the joined speech is silent ({measured:.1f} LUFS): "
            "check that the TTS engine produced audible audio"
        )
    levels = {}
    for codec in dict.fromkeys(codecs):
        ceiling = LIMITER_CEILING_DBTP[codec]
        aim = lu.TARGET_LUFS + CODEC_LOSS_LU[codec]

        def reached(gain: float, ceiling: float = ceiling) -> float:  # rises ever more slowly
            return measured + gain + limiter.limited_loss_db(level_energy, gain, ceiling)

        low, high = aim - measured, aim - measured + 20.0
        for _ in range(30):  # bisection to 0.0001 dB
            middle = (low + high) / 2
            low, high = (middle, high) if reached(middle) < aim else (low, middle)
        levels[codec] = Levels(min((low + high) / 2, lu.MAX_GAIN_DB), ceiling)
    return levels


def corrected(levels: Levels, measured: Loudness) -> Levels:
    """``levels`` adjusted by what the file encoded with them measured."""
    gain = min(levels.gain_db + lu.TARGET_LUFS - measured.integrated_lufs, lu.MAX_GAIN_DB)
    overshoot = measured.true_peak_dbtp - (lu.MAX_TRUE_PEAK_DBTP - CORRECTION_MARGIN_DB)
    return Levels(gain, levels.ceiling_dbtp - max(0.0, overshoot))
