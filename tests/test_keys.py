"""A finished build is reused only while every engine would hear the same text: an engine that
starts saying some rewrite class itself makes the next build render again."""

from __future__ import annotations

from briefcast.keys import build_key
from briefcast.options import BuildOptions
from briefcast.script import script_from_markdown
from briefcast.tts import load_profiles
from briefcast.tts.pyttsx3 import Pyttsx3Engine


def test_a_build_is_stale_once_its_engine_speaks_years_itself(monkeypatch):
    script = script_from_markdown("# Fees\n\n## Costs\n\nThe fee rose in 2005.\n")
    profiles = {"narrator": load_profiles()["narrator"]}
    options = BuildOptions()
    before = build_key(script, profiles, ("mp3",), options)
    assert build_key(script, profiles, ("mp3",), options) == before
    monkeypatch.setattr(Pyttsx3Engine, "speaks_written", frozenset({"years"}), raising=False)
    assert build_key(script, profiles, ("mp3",), options) != before
