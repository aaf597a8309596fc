"""Loudness measured in numpy against ffmpeg's ebur128; the limiter against its ceiling; one
encode per format for a typical episode."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from briefcast.audio import FORMATS, assemble_episode, limiter, speech_seconds, trim
from briefcast.audio import loudness as lu
from briefcast.audio.timeline import join_segments, plan_join, stream_joined
from briefcast.models import EpisodeMeta, PauseRules, RenderedSegment
from briefcast.system import ffmpeg_exe

from .conftest import ebur128, rendered_segments


def _wav(path: Path, samples: np.ndarray, rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(np.rint(samples * 32768), -32768, 32767).astype("<i2").tobytes())
    return path


def _measure(samples: np.ndarray, rate: int) -> tuple[float, float]:
    meter, peaks = lu.LoudnessMeter(rate), lu.TruePeakMeter()
    for at in range(0, samples.size, 1 << 16):  # as a stream, in chunks
        meter.feed(samples[at : at + (1 << 16)])
        peaks.feed(samples[at : at + (1 << 16)])
    return meter.integrated(), lu.db(peaks.finish())


def _limited(speech, tmp_path: Path, gain_db: float, ceiling_dbtp: float) -> Path:
    """The CHAPTERS speech joined, amplified and limited, written as a WAV."""
    rendered, _ = rendered_segments(speech)
    joined = plan_join(rendered, PauseRules(), tmp_path)
    path = tmp_path / "limited.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(joined.sample_rate)
        stream_joined(joined, out.writeframesraw, gain_db=gain_db, ceiling_dbtp=ceiling_dbtp)
    return path


def _samples(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data / 32768.0, w.getframerate()


def test_numpy_loudness_matches_ffmpeg_on_real_speech(speech, tmp_path):
    rendered, _ = rendered_segments(speech)
    joined = join_segments(rendered, PauseRules(), tmp_path / "joined.wav")
    for path in (joined.path, _limited(speech, tmp_path, 7.0, -2.0)):
        samples, rate = _samples(path)
        integrated, peak = _measure(samples, rate)
        reference_integrated, reference_peak = ebur128(path)
        assert abs(integrated - reference_integrated) <= 0.2, (path.name, integrated)
        assert abs(peak - reference_peak) <= 0.2, (path.name, peak)


def test_pass_a_measures_the_joined_audio_like_ffmpeg(speech, tmp_path):
    rendered, _ = rendered_segments(speech)
    planned = plan_join(rendered, PauseRules(), tmp_path)
    joined = join_segments(rendered, PauseRules(), tmp_path / "joined.wav")
    assert planned.spans == joined.spans and planned.total_samples == joined.total_samples
    assert abs(planned.meter.integrated() - ebur128(joined.path)[0]) <= 0.2


def test_measuring_an_mp3_from_a_pipe_gives_ffmpegs_figures(speech, tmp_path):
    path = _limited(speech, tmp_path, 6.0, -1.5)
    mp3 = tmp_path / "x.mp3"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-c:a",
            "libmp3lame",
            "-b:a",
            "64k",
            str(mp3),
        ],
        check=True,
    )
    decoded = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    integrated, peak = _measure(np.frombuffer(decoded, dtype="<f4"), 22050)
    reference_integrated, reference_peak = ebur128(mp3)
    assert abs(integrated - reference_integrated) <= 0.1
    assert abs(peak - reference_peak) <= 0.2


@pytest.mark.parametrize("ceiling", [-1.0, -3.0])
def test_limiter_never_exceeds_its_ceiling(speech, tmp_path, ceiling):
    """Speech pushed 10 dB over full scale comes out at the ceiling, by ffmpeg's reckoning."""
    path = _limited(speech, tmp_path, 10.0 + ceiling, ceiling)
    _, peak = ebur128(path)
    # within 0.05 dB: ffmpeg oversamples to 192 kHz, the limiter 4× (measured: 0.04 dB over);
    # the same bound as before, when ebur128's summary rounded the peak to 0.1 dB
    assert peak <= ceiling + 0.05
    assert peak >= ceiling - 0.5  # limited, not merely quietened


def test_limiter_catches_peaks_between_samples(tmp_path):
    """A tone at a quarter of the rate, sampled 45° off its crests: every sample is 3 dB under
    the true peak, which a sample-peak limiter would miss. (Faded in and out, as every joined
    segment is: a hard edge rings in any resampler.)"""
    rate = 22050
    n = np.arange(rate * 2)
    tone = 0.95 * np.sin(np.pi / 2 * n + np.pi / 4)
    assert abs(lu.db(np.abs(tone).max()) - lu.db(0.95 / np.sqrt(2))) < 0.01
    ramp = np.linspace(0.0, 1.0, rate // 50)
    tone[: ramp.size] *= ramp
    tone[-ramp.size :] *= ramp[::-1]
    samples = tone.astype(np.float32)
    limiter.limit_true_peak(samples, 10 ** (-6 / 20), rate)
    _, peak = ebur128(_wav(tmp_path / "tone.wav", samples, rate))
    assert -6.3 <= peak <= -6.0
    assert lu.db(np.abs(samples).max()) < -8.5  # the samples sit 3 dB under it


def test_limiter_leaves_quiet_audio_alone():
    samples = (0.2 * np.sin(np.arange(20000) / 7)).astype(np.float32)
    before = samples.copy()
    report = limiter.limit_true_peak(samples, 0.5, 22050)
    assert report.limited_samples == 0 and np.array_equal(samples, before)


def test_a_typical_episode_is_encoded_once_per_format(speech, tmp_path, monkeypatch):
    """The gain foreseen from pass A lands the files on target: no correction pass."""
    import briefcast.audio.aac as aac
    import briefcast.audio.encode as encode

    encoders: list[str] = []
    real_popen = subprocess.Popen
    real_encode_mp3 = encode.encode_mp3

    def spying_popen(cmd, *args, **kwargs):
        if "-c:a" in cmd:
            encoders.append(cmd[cmd.index("-c:a") + 1])
        return real_popen(cmd, *args, **kwargs)

    def spying_encode_mp3(*args, **kwargs):
        encoders.append("lame")
        return real_encode_mp3(*args, **kwargs)

    monkeypatch.setattr(aac.subprocess, "Popen", spying_popen)
    monkeypatch.setattr(encode, "encode_mp3", spying_encode_mp3)
    rendered, titles = rendered_segments(speech)
    episode = assemble_episode(
        rendered,
        titles,
        tmp_path,
        "ep",
        EpisodeMeta(title="T"),
        formats=("mp3", "m4b"),
        progress=False,
    )
    assert sorted(encoders) == ["aac", "lame"]
    for path in episode.files:
        integrated, peak = ebur128(path)
        assert abs(integrated - lu.TARGET_LUFS) <= 0.5 and peak <= lu.MAX_TRUE_PEAK_DBTP


def test_speech_seconds_is_what_the_assembler_keeps(speech, tmp_path):
    rendered, _ = rendered_segments(speech)
    joined = join_segments(rendered, PauseRules(), tmp_path / "joined.wav")
    for item, (first, end) in zip(rendered, joined.spans):
        assert speech_seconds(item.wav_path) == pytest.approx((end - first) / 22050, abs=1e-9)
        assert speech_seconds(item.wav_path) <= item.duration


def test_every_format_of_a_build_carries_the_same_loudness(speech, tmp_path):
    """The MP3 comes out the same whether or not AAC formats are built with it, and every
    format lands within 0.5 LU of the others (ffmpeg's ebur128 measuring)."""
    rendered, titles = rendered_segments(speech)
    meta = EpisodeMeta(title="T")
    alone = assemble_episode(
        rendered, titles, tmp_path / "alone", "ep", meta, formats=("mp3",), progress=False
    )
    together = assemble_episode(
        rendered, titles, tmp_path / "all", "ep", meta, formats=FORMATS, progress=False
    )
    assert _audio_frames(alone.files[0]) == _audio_frames(together.files[0])
    measured = [ebur128(path)[0] for path in together.files]
    assert max(measured) - min(measured) <= 0.5, measured
    assert all(abs(lufs - lu.TARGET_LUFS) <= 0.5 for lufs in measured), measured


def _audio_frames(path: Path) -> bytes:
    """An MP3's bytes after its ID3v2 tag: the encoded audio alone."""
    data = path.read_bytes()
    size = sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    return data[10 + size :]


def test_each_segment_is_trimmed_once(speech, tmp_path, monkeypatch):
    """A segment measured for the script's fit is not measured again when the episode is
    assembled: the trim travels on its RenderedSegment."""
    rendered, titles = rendered_segments(speech)
    for n, item in enumerate(rendered):  # fresh files: nothing measured in this process yet
        copy = tmp_path / f"{n}.wav"
        copy.write_bytes(Path(item.wav_path).read_bytes())
        item.wav_path = copy
    calls = []
    real = trim.trim_bounds
    monkeypatch.setattr(trim, "trim_bounds", lambda *a: calls.append(1) or real(*a))
    fitted = sum(speech_seconds(item) for item in rendered)
    assert len(calls) == len(rendered) and all(item.trim for item in rendered)
    again = [RenderedSegment(r.segment, r.chapter_index, r.wav_path, r.duration) for r in rendered]
    out = tmp_path / "out"
    episode = assemble_episode(again, titles, out, "ep", EpisodeMeta(title="T"), progress=False)
    assert len(calls) == len(rendered)  # none measured twice, though the objects are new
    assert sum(c.end_ms - c.start_ms for c in episode.cues) / 1000 == pytest.approx(
        fitted, abs=0.002 * len(rendered)
    )
