"""One contract, every engine: what the pipeline relies on, checked on each implementation."""

from __future__ import annotations

import dataclasses
import wave
from pathlib import Path

import pytest

from briefcast.errors import VoiceError
from briefcast.tts import Engine, get_engine, load_profiles
from briefcast.tts.wav import wav_seconds

SHORT = "The ferry leaves at noon."
LONG = (
    "The ferry leaves at noon every day except Sunday, when the harbour is closed for "
    "repairs and the crew takes the small boat across to the island instead."
)


@pytest.fixture(params=["pyttsx3", "piper", "fake"])
def engine_and_profile(request, profiles, fake_engine):
    name = request.param
    if name == "pyttsx3":
        return get_engine(name), profiles["narrator"]
    if name == "piper":
        folder = request.getfixturevalue("piper_voice_dir")
        return get_engine(name), load_profiles(folder)["tiny"]
    return get_engine(name), dataclasses.replace(profiles["narrator"], engine="fake", voice_id="")


def test_is_an_engine(engine_and_profile):
    engine, profile = engine_and_profile
    assert isinstance(engine, Engine)
    assert engine.name == profile.engine
    assert engine.settable <= {"rate", "pitch", "volume"}
    assert engine.version() and engine.version() == engine.version()


def test_renders_a_mono_16_bit_wav_of_the_returned_length(engine_and_profile, tmp_path):
    engine, profile = engine_and_profile
    path = tmp_path / "out.wav"
    seconds = engine.render(SHORT, profile, path)
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        assert w.getnframes() / w.getframerate() == pytest.approx(seconds, abs=1e-3)
    assert seconds > 0.3
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav"]  # no temporary files left


def test_longer_text_lasts_longer(engine_and_profile, tmp_path):
    engine, profile = engine_and_profile
    if engine.name == "fake":
        pytest.skip("the fake engine's length encodes a checksum, not the words")
    short = engine.render(SHORT, profile, tmp_path / "short.wav")
    long = engine.render(LONG, profile, tmp_path / "long.wav")
    assert long > 3 * short * 0.8
    assert wav_seconds(tmp_path / "long.wav") == pytest.approx(long)


def test_rate_setting_changes_the_pace(engine_and_profile, tmp_path):
    engine, profile = engine_and_profile
    if "rate" not in engine.settable or engine.name == "piper":
        pytest.skip(f"{engine.name} has no rate that changes the tiny model's output")
    slow = engine.render(LONG, dataclasses.replace(profile, wpm=120), tmp_path / "slow.wav")
    fast = engine.render(LONG, dataclasses.replace(profile, wpm=240), tmp_path / "fast.wav")
    assert slow > 1.4 * fast


def test_lists_voices(engine_and_profile, piper_voice_dir_or_none):
    engine, profile = engine_and_profile
    dirs = [piper_voice_dir_or_none] if piper_voice_dir_or_none else []
    voices = engine.voices(dirs)
    assert voices and all(v.engine == engine.name and v.id and v.language for v in voices)


@pytest.fixture
def piper_voice_dir_or_none(request):
    try:
        return request.getfixturevalue("piper_voice_dir")
    except pytest.skip.Exception:
        return None


def test_unknown_engine_is_a_voice_error():
    with pytest.raises(VoiceError, match="unknown engine 'nope'; use one of: pyttsx3, piper"):
        get_engine("nope")


def test_written_atomically_over_an_existing_file(engine_and_profile, tmp_path):
    engine, profile = engine_and_profile
    path = tmp_path / "out.wav"
    path.write_bytes(b"old")
    engine.render(SHORT, profile, path)
    assert wav_seconds(Path(path)) is not None
