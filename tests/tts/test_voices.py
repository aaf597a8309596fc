"""Voice profiles: built-in, user and --voices-dir folders; languages; measured pace."""

from __future__ import annotations

import pytest

from briefcast.errors import VoiceError
from briefcast.models import Segment
from briefcast.tts import (
    STATS,
    SegmentCache,
    VoiceProfile,
    calibrate,
    find_profile,
    list_voices,
    load_profiles,
    measured_wpm,
    render_segments,
    resolve_voices,
)
from briefcast.tts.voices import builtin_voices_dir


def test_builtin_profiles_ship_with_the_package(profiles):
    folder = builtin_voices_dir()
    assert (folder / "narrator.toml").is_file() and (folder / "host.toml").is_file()
    assert {"narrator", "host"} <= set(profiles)
    narrator = profiles["narrator"]
    assert narrator.engine == "pyttsx3" and narrator.language == "en"
    assert narrator.path == folder / "narrator.toml"
    assert profiles["host"].voice_id != narrator.voice_id


def test_from_dict_fills_defaults_and_rejects_bad_fields(tmp_path):
    p = VoiceProfile.from_dict({"voice_id": "gmw/en"}, tmp_path / "mine.toml")
    assert (p.name, p.engine, p.wpm, p.pitch, p.volume, p.model) == (
        "mine",
        "pyttsx3",
        175,
        50,
        1.0,
        None,
    )
    piper = VoiceProfile.from_dict(
        {"name": "n", "engine": "piper", "model": "v.onnx"}, tmp_path / "n.toml"
    )
    assert piper.pitch is None and piper.model == tmp_path / "v.onnx"
    with pytest.raises(VoiceError, match="unknown field.*pace"):
        VoiceProfile.from_dict({"name": "x", "pace": 3})
    with pytest.raises(VoiceError, match="speed = 3.0 is outside 0.5-2"):
        VoiceProfile.from_dict({"name": "x", "speed": 3})
    with pytest.raises(VoiceError, match="wpm = 20 is outside 60-500"):
        VoiceProfile.from_dict({"name": "x", "wpm": 20})
    with pytest.raises(VoiceError, match="bad value.*pitch = 'high'"):
        VoiceProfile.from_dict({"name": "x", "pitch": "high"})


def test_later_folders_override_by_name(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    user = tmp_path / "config" / "briefcast" / "voices"
    user.mkdir(parents=True)
    (user / "narrator.toml").write_text('voice_id = "gmw/en-gb-scotland"\nwpm = 150\n')
    (user / "guest.toml").write_text('voice_id = "gmw/en-us+f4"\n')
    assert load_profiles()["narrator"].voice_id == "gmw/en-gb-scotland"
    given = tmp_path / "given"
    given.mkdir()
    (given / "narrator.toml").write_text('voice_id = "gmw/en-029"\n')
    profiles = load_profiles(given)
    assert profiles["narrator"].voice_id == "gmw/en-029"
    assert {"guest", "host"} <= set(profiles)


def test_bad_toml_and_missing_folder_are_clear(tmp_path):
    (tmp_path / "broken.toml").write_text("name = \n")
    with pytest.raises(VoiceError, match="broken.toml is not valid TOML"):
        load_profiles(tmp_path)
    with pytest.raises(VoiceError, match="does not exist"):
        load_profiles(tmp_path / "nowhere")


def test_find_profile_lists_what_exists():
    with pytest.raises(VoiceError) as err:
        find_profile("missing")
    assert str(err.value) == (
        "no voice profile named 'missing'; available: heart, host, michael, narrator (see `briefcast voices`)"
    )


def test_resolve_english_uses_the_shipped_pair():
    narrator, host = resolve_voices("en-GB", None, None)
    assert (narrator.name, host.name) == ("narrator", "host")


def test_resolve_other_language_derives_distinct_voices():
    narrator, host = resolve_voices("fr", None, None)
    assert (narrator.name, host.name) == ("narrator-fr", "host-fr")
    assert narrator.voice_id.startswith("roa/fr+") and host.voice_id.startswith("roa/fr+")
    assert narrator.voice_id != host.voice_id
    assert find_profile("host-fr") == host  # a French script file finds its voices again


def test_resolve_explicit_names_and_unknown_language():
    narrator, host = resolve_voices("en", "host", None)
    assert (narrator.name, host.name) == ("host", "host")
    with pytest.raises(VoiceError) as err:
        resolve_voices("xx", None, None)
    assert str(err.value) == "no voice speaks 'xx'; see `briefcast voices`"


def test_derived_voice_really_speaks_the_language(tmp_path):
    narrator, _ = resolve_voices("de", None, None)
    [r] = render_segments(
        [Segment("Guten Morgen, wie geht es Ihnen heute?", voice=narrator.name)],
        {narrator.name: narrator},
        tmp_path,
        jobs=1,
        progress=False,
    )
    assert r.duration > 1.0


def test_measured_wpm_is_measured_once_and_follows_the_setting(profiles, tmp_path, monkeypatch):
    monkeypatch.setattr(calibrate, "_MEASURED", {})
    cache = SegmentCache(tmp_path / "cache")
    narrator = profiles["narrator"]
    wpm = measured_wpm(narrator, cache)
    assert 100 < wpm < 250
    fast = measured_wpm(
        VoiceProfile.from_dict({"name": "fast", "voice_id": narrator.voice_id, "wpm": 260}), cache
    )
    assert fast > 1.3 * wpm
    monkeypatch.setattr(calibrate, "_MEASURED", {})  # a new process: only the cache remains
    before = STATS.rendered
    assert measured_wpm(narrator, cache) == wpm and STATS.rendered == before


def test_list_voices_rows(piper_voice_dir):
    rows = list_voices(piper_voice_dir)
    names = {(r["kind"], r["name"]) for r in rows}
    assert {("profile", "narrator"), ("profile", "host"), ("profile", "tiny")} <= names
    engine_rows = [r for r in rows if r["kind"] == "engine"]
    assert any(r["engine"] == "pyttsx3" and r["voice_id"] == "gmw/en-us" for r in engine_rows)
    assert any(r["engine"] == "piper" and r["name"] == "test-voice" for r in engine_rows)
    assert all(
        set(r) == {"kind", "name", "engine", "voice_id", "language", "wpm", "measured_wpm", "path"}
        for r in rows
    )
