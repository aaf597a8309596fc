"""Every voice at one loudness: BS.1770 loudness of rendered segments, set to one reference
whatever the engine, checked with ffmpeg's own ebur128 meter."""

from __future__ import annotations

import re
import subprocess
import wave

import numpy as np
import pytest

from briefcast.models import Segment
from briefcast.system import ffmpeg_exe
from briefcast.tts import SegmentCache, find_profile, render_segments
from briefcast.tts.level import REFERENCE_LUFS, loudness, match_level
from briefcast.tts.wav import write_wav

TEXT = "Repairs to the harbour wall began on Monday, after the winter storms had passed."


def ebur128(path) -> float:
    """Integrated loudness as ffmpeg measures it."""
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128"]
        + ["-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", proc.stderr)[-1])


@pytest.mark.parametrize("rate", [48000, 24000, 22050])
def test_a_sine_reads_as_the_standard_says(rate):
    # BS.1770: a 997 Hz sine at full scale reads -3.01 LUFS; at -20 dBFS, -23.01.
    t = np.arange(3 * rate) / rate
    assert loudness(0.1 * np.sin(2 * np.pi * 997 * t), rate) == pytest.approx(-23.01, abs=0.05)
    assert loudness(np.zeros(rate), rate) is None


def test_levelled_rendering_reads_the_reference_in_ffmpeg(tmp_path, profiles):
    voices = {"narrator": profiles["narrator"], "host": profiles["host"]}
    segments = [Segment(TEXT), Segment(TEXT, voice="host")]
    cache = SegmentCache(tmp_path / "cache")
    results = render_segments(segments, voices, tmp_path, jobs=1, cache=cache, progress=False)
    for r in results:
        assert ebur128(r.wav_path) == pytest.approx(REFERENCE_LUFS, abs=0.15)


def test_volume_is_relative_to_the_reference(tmp_path):
    rate = 22050
    t = np.arange(2 * rate) / rate
    tone = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2").tobytes()
    write_wav(tmp_path / "tone.wav", tone, rate)
    gain = match_level(tmp_path / "tone.wav", volume=0.5)
    assert ebur128(tmp_path / "tone.wav") == pytest.approx(REFERENCE_LUFS - 6.0, abs=0.15)
    assert gain < 0
    with wave.open(str(tmp_path / "tone.wav")) as w:
        assert (w.getframerate(), w.getnframes()) == (rate, 2 * rate)


def test_neural_and_espeak_voices_sit_within_one_lu(kokoro_installed, tmp_path):
    names = ["narrator", "host", "heart", "michael"]
    voices = {name: find_profile(name) for name in names}
    segments = [Segment(TEXT, voice=name) for name in names]
    cache = SegmentCache(tmp_path / "cache")
    results = render_segments(segments, voices, tmp_path, jobs=1, cache=cache, progress=False)
    levels = [ebur128(r.wav_path) for r in results]
    assert max(levels) - min(levels) <= 1.0, dict(zip(names, levels))
