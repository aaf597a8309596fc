"""A voice's digest: every part that shapes the sound (engine version, model content, each
setting) changes it, so segments render again and a build is no longer up to date."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from fake_engine import FakeEngine, calls

from briefcast.models import Segment
from briefcast.pipeline import BuildOptions, build
from briefcast.tts import SegmentCache, render_segments, voice_digest

ARTICLE = Path(__file__).parents[1] / "data" / "e2e-article.md"


def fake(profiles, log, **changes):
    return dataclasses.replace(profiles["narrator"], engine="fake", voice_id=str(log), **changes)


def renders(voice, tmp_path) -> int:
    """How many engine calls one rendering of a two-segment script makes (jobs=1, one cache)."""
    log = Path(voice.voice_id)
    before = len(calls(log))
    segments = [Segment("One line."), Segment("Another line.")]
    cache = SegmentCache(tmp_path / "cache")
    render_segments(segments, {"narrator": voice}, tmp_path, jobs=1, cache=cache, progress=None)
    return len(calls(log)) - before


def test_the_same_voice_renders_once(profiles, fake_engine, tmp_path):
    voice = fake(profiles, tmp_path / "calls.log")
    assert renders(voice, tmp_path) == 2 and renders(voice, tmp_path) == 0
    assert voice_digest(dataclasses.replace(voice, name="renamed")) == voice_digest(voice)


def test_a_new_engine_version_renders_again(profiles, fake_engine, tmp_path, monkeypatch):
    voice = fake(profiles, tmp_path / "calls.log")
    renders(voice, tmp_path)
    monkeypatch.setattr(FakeEngine, "version", lambda self: "fake 2")
    assert renders(voice, tmp_path) == 2


@pytest.mark.parametrize(
    "setting, value", [("wpm", 200), ("pitch", 10), ("volume", 0.5), ("language", "en-gb")]
)
def test_each_setting_renders_again(profiles, fake_engine, tmp_path, setting, value):
    voice = fake(profiles, tmp_path / "calls.log")
    renders(voice, tmp_path)
    assert renders(dataclasses.replace(voice, **{setting: value}), tmp_path) == 2


def test_another_voice_id_renders_again(profiles, fake_engine, tmp_path):
    # the fake engine's voice_id is its call log: a second log is a second voice
    renders(fake(profiles, tmp_path / "calls.log"), tmp_path)
    assert renders(fake(profiles, tmp_path / "other.log"), tmp_path) == 2


def test_new_model_content_at_the_same_path_renders_again(profiles, fake_engine, tmp_path):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"model one")
    voice = fake(profiles, tmp_path / "calls.log", model=model)
    renders(voice, tmp_path)
    stat = model.stat()
    model.write_bytes(b"model two")  # same size, and the same mtime put back
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert renders(voice, tmp_path) == 2


def test_a_moved_model_keeps_its_renderings(profiles, fake_engine, tmp_path):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"model one")
    voice = fake(profiles, tmp_path / "calls.log", model=model)
    renders(voice, tmp_path)
    moved = shutil.copy(model, tmp_path / "elsewhere.onnx")
    assert renders(dataclasses.replace(voice, model=Path(moved)), tmp_path) == 0


def test_a_changed_piper_model_is_not_up_to_date(piper_voice_dir, tmp_path):
    voices = tmp_path / "voices"
    shutil.copytree(piper_voice_dir, voices)
    options = BuildOptions(
        out_dir=tmp_path / "out",
        words=40,
        voice="tiny",
        single_voice=True,
        voices_dir=voices,
        progress=None,
    )
    assert not build(ARTICLE, options).up_to_date
    assert build(ARTICLE, options).up_to_date
    config = voices / "test-voice.onnx.json"
    data = json.loads(config.read_text())
    data["audio"]["quality"] = "changed"  # any edit of the model's files is a new voice
    config.write_text(json.dumps(data))
    assert not build(ARTICLE, options).up_to_date


def test_a_new_espeak_version_is_not_up_to_date(tmp_path, monkeypatch):
    from briefcast.tts.pyttsx3 import Pyttsx3Engine

    options = BuildOptions(out_dir=tmp_path / "out", words=40, progress=None)
    assert not build(ARTICLE, options).up_to_date
    assert build(ARTICLE, options).up_to_date
    real = Pyttsx3Engine.version
    monkeypatch.setattr(Pyttsx3Engine, "version", lambda self: real(self) + " (upgraded)")
    assert not build(ARTICLE, options).up_to_date
