"""The Kokoro engine on the real int8 model and voices (installed as the kokoro pack from the
registry packages); skipped with the reason when those packages are absent."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import wave

import numpy as np
import pytest

from briefcast.errors import VoiceError
from briefcast.tts import find_profile, get_engine
from briefcast.tts.kokoro import kokoro_language, parse_mix

TEXT = "The council met on Tuesday evening to discuss the harbour."


def samples(path):
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 24000)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def test_builtin_profiles_name_a_voice_and_speed():
    heart, michael = find_profile("heart"), find_profile("michael")
    assert (heart.engine, heart.voice_id, heart.speed, heart.language) == (
        "kokoro",
        "af_heart",
        1.0,
        "en-us",
    )
    assert (michael.voice_id, michael.speed) == ("am_michael", 1.05)


def test_mix_weights_are_normalised():
    assert parse_mix("af_heart:0.7,af_bella:0.3") == [("af_heart", 0.7), ("af_bella", 0.3)]
    assert parse_mix("af_heart:2, am_michael:2") == [("af_heart", 0.5), ("am_michael", 0.5)]
    assert parse_mix("af_heart") == [("af_heart", 1.0)]
    for bad in ("af_heart:0", "af_heart:x", ":0.5", "af_heart,,"):
        with pytest.raises(VoiceError, match="NAME:WEIGHT"):
            parse_mix(bad)


def test_language_follows_the_voice_unless_the_profile_names_a_region():
    heart = find_profile("heart")
    assert kokoro_language(dataclasses.replace(heart, language="en"), "bf_emma") == "en-gb"
    assert kokoro_language(dataclasses.replace(heart, language="en"), "af_heart") == "en-us"
    assert kokoro_language(dataclasses.replace(heart, language="en-gb"), "af_heart") == "en-gb"


def test_without_the_pack_it_says_how_to_get_it(tmp_path):
    with pytest.raises(VoiceError, match=r"run `briefcast voices get kokoro`"):
        get_engine("kokoro").render(TEXT, find_profile("heart"), tmp_path / "x.wav")


def test_renders_speech_once_loaded(kokoro_installed, tmp_path):
    engine = get_engine("kokoro")
    engine.set_threads(1)
    seconds = engine.render(TEXT, find_profile("heart"), tmp_path / "a.wav")
    model = engine._model
    assert 2.0 < seconds < 6.0  # ten words at a natural pace
    audio = samples(tmp_path / "a.wav")
    assert len(audio) == pytest.approx(seconds * 24000, abs=1)
    assert np.abs(audio).max() > 3000  # speech, not silence
    # The session is loaded once per process, with the thread count it was given.
    engine.render("And then it rained.", find_profile("michael"), tmp_path / "b.wav")
    assert engine._model is model
    assert model.sess.get_session_options().intra_op_num_threads == 1


def test_a_mix_is_a_voice_of_its_own(kokoro_installed, tmp_path):
    engine = get_engine("kokoro")
    heart = find_profile("heart")
    mixed = dataclasses.replace(heart, voice_id="af_heart:0.5,am_michael:0.5")
    style = engine.style(mixed.voice_id)
    expected = 0.5 * engine.style("af_heart") + 0.5 * engine.style("am_michael")
    assert np.allclose(style, expected)
    engine.render(TEXT, heart, tmp_path / "heart.wav")
    engine.render(TEXT, mixed, tmp_path / "mixed.wav")
    a, b = samples(tmp_path / "heart.wav"), samples(tmp_path / "mixed.wav")
    assert len(a) != len(b) or not np.array_equal(a, b)


def test_speed_shortens_the_rendering(kokoro_installed, tmp_path):
    engine = get_engine("kokoro")
    heart = find_profile("heart")
    normal = engine.render(TEXT, heart, tmp_path / "n.wav")
    fast = engine.render(TEXT, dataclasses.replace(heart, speed=1.5), tmp_path / "f.wav")
    assert fast < 0.8 * normal


def test_unknown_voice_is_a_voice_error(kokoro_installed, tmp_path):
    nobody = dataclasses.replace(find_profile("heart"), voice_id="af_nobody:0.5,af_heart:0.5")
    with pytest.raises(VoiceError, match="kokoro has no voice af_nobody"):
        get_engine("kokoro").render(TEXT, nobody, tmp_path / "x.wav")
    assert not (tmp_path / "x.wav").exists()


def test_version_names_the_pack_files(kokoro_installed):
    version = get_engine("kokoro").version()
    assert "kokoro-onnx 0.6" in version
    assert "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb" in version


ESPEAK_AFTER_KOKORO = """
from pathlib import Path
import sys
from briefcast.tts import find_profile, get_engine
for name in ("heart", "narrator", "heart", "host"):
    profile = find_profile(name)
    seconds = get_engine(profile.engine).render("Good evening.", profile, Path(sys.argv[1]))
    print(name, seconds > 0.3)
"""


def test_espeak_voices_still_speak_after_kokoro_in_one_process(kokoro_installed, tmp_path):
    """kokoro-onnx's own libespeak-ng must not stand in for pyttsx3's (espeak would exit)."""
    proc = subprocess.run(
        [sys.executable, "-c", ESPEAK_AFTER_KOKORO, str(tmp_path / "x.wav")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (proc.returncode, proc.stdout.split()) == (
        0,
        ["heart", "True", "narrator", "True", "heart", "True", "host", "True"],
    ), proc.stderr
