"""Fixtures for the TTS tests: the built-in profiles, a tiny Piper voice, a fake engine."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from briefcast.tts import VoiceProfile, load_profiles, register_engine

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def profiles() -> dict[str, VoiceProfile]:
    return load_profiles()


@pytest.fixture(scope="session")
def fake_engine():
    """Register the fake engine as "fake" (worker processes learn it from each task)."""
    from fake_engine import FakeEngine

    register_engine("fake", FakeEngine)
    return FakeEngine


def piper_missing() -> str | None:
    for module in ("piper", "onnx", "onnxruntime"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install 'briefcast[piper,test]')"
    return None


@pytest.fixture(scope="session")
def piper_voice_dir(tmp_path_factory) -> Path:
    """A voices folder holding the generated tiny Piper model and a profile for it."""
    reason = piper_missing()
    if reason:
        pytest.skip(reason)
    from generate_test_voice import write_test_voice

    folder = tmp_path_factory.mktemp("piper-voices")
    write_test_voice(folder)
    (folder / "tiny.toml").write_text(
        'name = "tiny"\nengine = "piper"\nmodel = "test-voice.onnx"\nlanguage = "en-us"\n'
    )
    return folder
