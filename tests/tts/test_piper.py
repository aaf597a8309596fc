"""The Piper engine's real loading and synthesis code, on a tiny model built by the test."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from generate_test_voice import SAMPLES_PER_ID, TONE_PERIOD
from tts_measure import mean_pitch

from briefcast.errors import VoiceError
from briefcast.models import Segment
from briefcast.tts import STATS, SegmentCache, get_engine, load_profiles, render_segments
from briefcast.tts.piper import PiperEngine

TEXT = "The council met on Tuesday evening to discuss the new harbour plan."


@pytest.fixture(scope="module")
def tiny(piper_voice_dir):
    return load_profiles(piper_voice_dir)["tiny"]


def test_profile_finds_its_model_beside_it(tiny, piper_voice_dir):
    assert tiny.engine == "piper" and tiny.model == piper_voice_dir / "test-voice.onnx"


def test_renders_through_piper_voice(tiny, tmp_path):
    from piper import PiperVoice

    seconds = get_engine("piper").render(TEXT, tiny, tmp_path / "out.wav")
    # Piper phonemized the text with espeak and fed one id per phoneme (plus pads) to the model
    voice = PiperVoice.load(tiny.model)
    ids = sum(len(voice.phonemes_to_ids(p)) for p in voice.phonemize(TEXT))
    assert seconds == pytest.approx(ids * SAMPLES_PER_ID / 22050)
    assert mean_pitch(tmp_path / "out.wav") == pytest.approx(22050 / TONE_PERIOD, rel=0.03)


@pytest.mark.parametrize("jobs", [1, 2])
def test_mixed_engines_in_one_script(tiny, profiles, tmp_path, jobs):
    """A piper narrator beside an espeak host, in one process or in workers."""
    voices = {"narrator": dataclasses.replace(tiny, name="narrator"), "host": profiles["host"]}
    segments = [
        Segment("Welcome to the show.", voice="host"),
        Segment(TEXT),
        Segment("Thanks for listening.", voice="host"),
    ]
    cache = SegmentCache(tmp_path / "cache")
    results = render_segments(segments, voices, tmp_path, jobs=jobs, cache=cache, progress=False)
    assert mean_pitch(results[1].wav_path) == pytest.approx(172, rel=0.03)
    assert mean_pitch(results[0].wav_path) > 150  # the espeak host, not the tone
    before = STATS.rendered
    again = render_segments(segments, voices, tmp_path, jobs=jobs, cache=cache, progress=False)
    assert STATS.rendered == before
    assert [r.wav_path for r in again] == [r.wav_path for r in results]


def test_missing_model_is_a_voice_error(tiny, tmp_path):
    gone = dataclasses.replace(tiny, model=tmp_path / "gone.onnx")
    with pytest.raises(VoiceError, match="piper model .*gone.onnx.*not found.*docs/voices.md"):
        get_engine("piper").render(TEXT, gone, tmp_path / "x.wav")


def test_a_workers_session_gets_the_threads_it_is_given(tiny, tmp_path):
    engine = PiperEngine()
    engine.threads = 1
    engine.render(TEXT, tiny, tmp_path / "out.wav")
    [voice] = engine._loaded.values()  # noqa: SLF001 - the session the worker would use
    assert voice.session.get_session_options().intra_op_num_threads == 1


def test_hints_for_the_workers_and_the_digest(tiny):
    engine = PiperEngine()
    assert engine.model_files(tiny) == [tiny.model, tiny.model.with_suffix(".onnx.json")]
    assert engine.peak_memory(tiny) > tiny.model.stat().st_size


def test_ctrl_c_while_piper_renders_says_one_line_and_leaves_no_file(piper_voice_dir, tmp_path):
    """Issue 13: no "piper attempt 1 failed: # channels not specified" before the one line."""
    lines = "\n".join(f"Line number {i} of a long script about the harbour." for i in range(400))
    script = tmp_path / "long.script.md"
    script.write_text(f"# Long\n<!--\nnarrator: tiny\n-->\n\n## One\n\n{lines}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    command = [str(Path(sys.executable).with_name("briefcast")), "render", str(script)]
    command += ["--voices-dir", str(piper_voice_dir), "--jobs", "1", "-o", str(tmp_path / "out")]
    proc = subprocess.Popen(
        command,
        env={**os.environ, "BRIEFCAST_CACHE_DIR": str(cache)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # even if ignored here
    )
    deadline = time.monotonic() + 60
    while not list(cache.glob("segments/*/*.wav")) and time.monotonic() < deadline:
        time.sleep(0.01)  # interrupt once rendering has really begun
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (130, "", "Interrupted; nothing was left half-written.\n")
    assert not [p for p in tmp_path.rglob("*") if ".part" in p.name]


def test_a_neural_voices_first_build_reads_no_calibration_passage(
    tiny, piper_voice_dir, tmp_path, monkeypatch
):
    """A neural voice is not made to read the calibration passage (seconds of rendering no
    episode uses): its first build plans a little below the profile's setting, fits the script
    to the audio, and keeps the pace it found for the next build."""
    import briefcast.tts.calibrate as calibrate
    from briefcast.pipeline import BuildOptions, build

    def refuse(*args, **kwargs):
        raise AssertionError("the calibration passage was rendered")

    monkeypatch.setattr(calibrate, "measured_wpm", refuse)
    monkeypatch.setattr(calibrate, "_MEASURED", {})  # never measured, in this process either
    cache = SegmentCache(tmp_path / "cache")
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(cache.root))
    article = Path(__file__).parents[1] / "data" / "e2e-article.md"
    options = BuildOptions(
        out_dir=tmp_path / "out",
        minutes=1,
        voice="tiny",
        voices_dir=piper_voice_dir,
        single_voice=True,
        progress=False,
    )
    result = build(article, options)
    assert result.episode.duration_ms / 1000 == pytest.approx(60, rel=0.1)
    calibrate._MEASURED.clear()  # read back from the cache, as the next process would
    pace = calibrate.cached_wpm(tiny, cache)
    words = sum(len(s.text.split()) for s in result.script.segments())
    assert pace is not None and 0.5 < pace / words < 2  # about the words it said in its minute
