"""The default engine with the real espeak-ng: the pyttsx3 driver's traps, and two voices."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import wave

import pytest
from tts_measure import mean_pitch

from briefcast.errors import EngineError, VoiceError
from briefcast.tts import get_engine
from briefcast.tts.floor import render_floor_wav
from briefcast.tts.pyttsx3 import MAX_WORDS_PER_CALL
from briefcast.tts.wav import check_rendering, plausible_range, wav_seconds, write_wav

SENTENCE = "The quick brown fox jumps over the lazy dog, and then it runs into the forest."


def test_no_chatter_on_stdout(profiles, tmp_path, capfd):
    get_engine("pyttsx3").render(
        "Nothing to see on standard output.", profiles["host"], tmp_path / "a.wav"
    )
    out, _ = capfd.readouterr()
    assert out == ""


def test_each_text_lands_in_its_own_file(profiles, tmp_path):
    """Texts of very different lengths, alternating voices: no file gets another's audio."""
    engine = get_engine("pyttsx3")
    texts = ["Yes.", " ".join(["Word"] * 40) + ".", "Two words.", " ".join(["Longer"] * 25) + "."]
    seconds = []
    for i, text in enumerate(texts):
        profile = profiles["host" if i % 2 else "narrator"]
        seconds.append(engine.render(text, profile, tmp_path / f"{i}.wav"))
        shortest, longest = plausible_range(text, profile.wpm)
        assert shortest <= seconds[-1] <= longest
    assert seconds[0] < seconds[2] < seconds[3] < seconds[1]


def test_first_render_of_a_fresh_process_is_kept(profiles, tmp_path):
    """pyttsx3 loses a new engine's first file unless the loop is primed: a fresh process."""
    code = (
        "import sys; from pathlib import Path; from briefcast.tts import get_engine, find_profile;"
        "p = find_profile('narrator');"
        "print(get_engine('pyttsx3').render('First words of a new process.', p, Path(sys.argv[1])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "first.wav")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert float(out.strip()) == pytest.approx(wav_seconds(tmp_path / "first.wav"))
    assert "Audio saved" not in out


def test_long_text_is_split_to_dodge_the_synth_crash(profiles, tmp_path):
    words = MAX_WORDS_PER_CALL * 2 + 50
    text = " ".join(["Harbour"] * words) + "."
    seconds = get_engine("pyttsx3").render(text, profiles["narrator"], tmp_path / "long.wav")
    # one word of two syllables at 170 wpm: the parts add up to the whole
    assert seconds == pytest.approx(words / profiles["narrator"].wpm * 60, rel=0.5)
    assert [p.name for p in tmp_path.iterdir()] == ["long.wav"]


def test_unknown_espeak_voice_is_a_voice_error(profiles, tmp_path):
    bad = dataclasses.replace(profiles["narrator"], voice_id="gmw/xx-nowhere")
    with pytest.raises(VoiceError, match="espeak-ng has no voice 'gmw/xx-nowhere'"):
        get_engine("pyttsx3").render("Hello.", bad, tmp_path / "x.wav")


def test_narrator_and_host_sound_different(profiles, tmp_path):
    """Same sentence, both voices: their mean pitch differs by a clear margin."""
    engine = get_engine("pyttsx3")
    engine.render(SENTENCE, profiles["narrator"], tmp_path / "narrator.wav")
    engine.render(SENTENCE, profiles["host"], tmp_path / "host.wav")
    narrator, host = mean_pitch(tmp_path / "narrator.wav"), mean_pitch(tmp_path / "host.wav")
    print(f"mean pitch: narrator {narrator:.0f} Hz, host {host:.0f} Hz")
    assert host > 1.5 * narrator
    assert 70 < narrator < 160 and 140 < host < 300


def test_check_rejects_broken_and_implausible_files(tmp_path):
    path = tmp_path / "a.wav"
    write_wav(path, b"\0\0" * 22050 * 2, 22050)  # two seconds
    assert check_rendering(path, "Just a few words here.", 175) == pytest.approx(2.0)
    with pytest.raises(EngineError, match="expected"):
        check_rendering(path, " ".join(["word"] * 200), 175)  # 200 words cannot fit in 2 s
    write_wav(path, b"\0\0" * 22050 * 10, 22050)
    with pytest.raises(EngineError, match="expected"):
        check_rendering(path, "Yes.", 175)  # one word does not last ten seconds
    path.write_bytes(path.read_bytes()[:1000])  # truncated: header promises more
    assert wav_seconds(path) is None
    with pytest.raises(EngineError, match="no valid audio"):
        check_rendering(path, "Hello there.", 175)
    write_wav(path, b"", 22050)
    assert wav_seconds(path) is None


def test_floor_renders_the_whole_text_in_one_call(profiles, tmp_path):
    engine = get_engine("pyttsx3")
    text = " ".join([SENTENCE] * 6)
    floor = render_floor_wav(text, profiles["narrator"], tmp_path / "floor.wav")
    with wave.open(str(tmp_path / "floor.wav")) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(floor)
    one = engine.render(SENTENCE, profiles["narrator"], tmp_path / "one.wav")
    assert floor == pytest.approx(6 * one, rel=0.2)
    # pyttsx3 still works after the floor borrowed espeak's callback
    # (espeak's output varies by a few ms from call to call)
    again = engine.render(SENTENCE, profiles["narrator"], tmp_path / "again.wav")
    assert again == pytest.approx(one, abs=0.05)
