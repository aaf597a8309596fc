"""Joining arithmetic on synthetic samples: trimming, fades, chapter and cue placement."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from briefcast.audio.timeline import JoinedAudio, chapter_marks, join_segments, transcript_cues
from briefcast.audio.trim import faded, trim_bounds
from briefcast.models import PauseRules, RenderedSegment, Segment

RATE = 22050


def tone(seconds: float, rate: int = RATE, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * 32767 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


def padded(lead: float, body: float, tail: float, rate: int = RATE) -> np.ndarray:
    zeros = lambda s: np.zeros(round(s * rate), dtype=np.int16)  # noqa: E731
    return np.concatenate([zeros(lead), tone(body, rate), zeros(tail)])


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        data = np.repeat(samples, channels) if channels > 1 else samples
        w.writeframes(data.astype("<i2").tobytes())
    return path


def test_trim_keeps_speech_and_small_margins():
    samples = padded(0.5, 1.0, 0.8)
    first, end = trim_bounds(samples, RATE)
    onset, offset = round(0.5 * RATE), round(1.5 * RATE)
    assert onset - round(0.015 * RATE) - 2 <= first < onset  # 15 ms margin, never into speech
    assert offset < end <= offset + round(0.040 * RATE) + 2


def test_trim_of_silence_and_of_noise_floor():
    assert trim_bounds(np.zeros(1000, dtype=np.int16), RATE) == (0, 0)
    rng = np.random.default_rng(1)
    noisy = padded(0.3, 0.5, 0.3) + rng.normal(0, 20, round(1.1 * RATE)).astype(np.int16)
    first, end = trim_bounds(noisy, RATE)
    assert abs(first - round(0.285 * RATE)) < 0.01 * RATE  # noise at -64 dBFS is not speech


def test_fades_remove_the_edges():
    out = faded(tone(0.2) + 8000, RATE)
    assert out[0] == 0 and out[-1] == 0
    assert abs(int(out[1])) < 0.05 * 32767 and abs(int(out[-2])) < 0.05 * 32767


def test_join_places_segments_in_samples_and_keeps_pauses(tmp_path):
    wavs = [write_wav(tmp_path / f"{i}.wav", padded(0.2, 1.0 + i / 10, 0.3)) for i in range(4)]
    rendered = [
        RenderedSegment(Segment("a", paragraph_end=False), 0, wavs[0], 1.5),
        RenderedSegment(Segment("b"), 0, wavs[1], 1.6),
        RenderedSegment(Segment("c", pause_after=2.0), 1, wavs[2], 1.7),
        RenderedSegment(Segment("d"), 2, wavs[3], 1.8),
    ]
    pauses = PauseRules(sentence=0.25, paragraph=0.5, chapter=1.0, edge=0.3)
    joined = join_segments(rendered, pauses, tmp_path / "joined.wav")
    with wave.open(str(joined.path)) as w:
        assert w.getnframes() == joined.total_samples and w.getframerate() == RATE
    spans = joined.spans
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:])]
    assert gaps == [round(0.25 * RATE), round(1.0 * RATE), round(2.0 * RATE)]
    assert spans[0][0] == round(0.3 * RATE)
    assert joined.total_samples - spans[-1][1] == round(0.3 * RATE)
    for (first, end), i in zip(spans, range(4)):  # each: speech + 15 ms + 40 ms of margins
        assert abs((end - first) / RATE - (1.0 + i / 10 + 0.055)) < 0.002

    marks = chapter_marks(rendered, ["One", "Two", "Three"], joined)
    assert [m.start_ms for m in marks] == [0, joined.ms(spans[2][0]), joined.ms(spans[3][0])]
    assert [m.end_ms for m in marks] == [marks[1].start_ms, marks[2].start_ms, joined.duration_ms]
    cues = transcript_cues(rendered, joined)
    assert [(c.start_ms, c.end_ms) for c in cues] == [
        (joined.ms(a), joined.ms(b)) for a, b in spans
    ]


def test_other_rates_and_channels_are_converted(tmp_path):
    a = write_wav(tmp_path / "a.wav", padded(0.1, 1.0, 0.1, 16000), rate=16000, channels=2)
    b = write_wav(tmp_path / "b.wav", padded(0.1, 1.0, 0.1, 24000), rate=24000)
    rendered = [RenderedSegment(Segment("a"), 0, a, 1.2), RenderedSegment(Segment("b"), 0, b, 1.2)]
    joined = join_segments(rendered, PauseRules(), tmp_path / "joined.wav")
    assert joined.sample_rate == 24000
    for first, end in joined.spans:
        assert abs((end - first) / 24000 - 1.055) < 0.01


def test_ms_rounding_does_not_drift():
    joined = JoinedAudio(Path("x"), 22050, 22050 * 3600)
    assert joined.duration_ms == 3_600_000
    assert joined.ms(11025) == 500 and joined.ms(22) == 1 and joined.ms(11) == 0


def test_chapter_without_segments_gets_no_marker(tmp_path):
    wav = write_wav(tmp_path / "a.wav", padded(0.1, 0.5, 0.1))
    rendered = [
        RenderedSegment(Segment("a"), 0, wav, 0.7),
        RenderedSegment(Segment("b"), 2, wav, 0.7),
    ]
    joined = join_segments(rendered, PauseRules(), tmp_path / "joined.wav")
    marks = chapter_marks(rendered, ["One", "Empty", "Three"], joined)
    assert [m.title for m in marks] == ["One", "Three"]


@pytest.mark.parametrize("text", ["Fish & chips cost less -> now, 3 < 4", "A " * 60])
def test_transcripts_survive_a_parser(tmp_path, text):
    import html

    import webvtt

    from briefcast.audio.transcript import write_srt, write_vtt
    from briefcast.models import Cue

    cues = [Cue(0, 1500, text), Cue(1500, 3_725_250, "Second.")]
    write_vtt(cues, tmp_path / "t.vtt")
    write_srt(cues, tmp_path / "t.srt")
    parsed = webvtt.read(str(tmp_path / "t.vtt"))
    assert " ".join(html.unescape(parsed[0].text).split()) == " ".join(text.split())
    assert parsed[1].end == "01:02:05.250"
    srt = webvtt.from_srt(str(tmp_path / "t.srt"))
    assert " ".join(srt[0].text.split()) == " ".join(text.split())
    assert srt[1].end == "01:02:05.250"
