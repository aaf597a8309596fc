"""The output formats, the codec behind each, and the sample rate an episode is encoded at."""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("mp3", "m4b", "m4a")
"""Output formats: MP3 (ID3 chapters) and AAC in MP4 as an audiobook (.m4b) or plain (.m4a)."""

ENCODER_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
"""Rates both LAME and AAC-LC encode as they are. TTS engines render at one of these (espeak-ng
22050 Hz; speech has nothing above 11 kHz), so the episode keeps its own rate: resampling to
44.1 kHz would add nothing audible and cost 40 % more encoding time (measured)."""
FALLBACK_ENCODER_RATE = 44100


def codec_of(fmt: str) -> str:
    """``mp3`` or ``aac``."""
    return "mp3" if fmt == "mp3" else "aac"


def encoder_rate(sample_rate: int) -> int:
    """The rate an episode joined at ``sample_rate`` is encoded at."""
    return sample_rate if sample_rate in ENCODER_RATES else FALLBACK_ENCODER_RATE
