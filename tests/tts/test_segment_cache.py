"""The segment cache: a rebuild renders only what changed, corrupt entries are redone."""

from __future__ import annotations

import dataclasses
import os

import pytest
from fake_engine import calls

from briefcast.cache import cache_root, cache_size, clear_cache
from briefcast.errors import EngineError
from briefcast.models import Segment
from briefcast.script import script_from_markdown, spoken_script
from briefcast.tts import STATS, SegmentCache, render_segments, speaks_written

TEXTS = [
    "Welcome to the show.",
    "The council met on Tuesday.",
    "The pier is closed.",
    "Traders welcomed the plan.",
    "Thanks for listening.",
]


def script(texts=TEXTS):
    return [
        Segment(t, voice="host" if i in (0, len(texts) - 1) else "narrator")
        for i, t in enumerate(texts)
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuild_renders_only_the_edited_segment(profiles, tmp_path, jobs):
    """Real espeak: cold build renders all, unchanged renders none, one edit renders one."""
    cache = SegmentCache(tmp_path / "cache")
    before = STATS.rendered
    cold = render_segments(
        script(), profiles, tmp_path / "w", jobs=jobs, cache=cache, progress=False
    )
    assert STATS.rendered - before == len(TEXTS) and cache.count() == len(TEXTS)
    stamps = [r.wav_path.stat().st_mtime_ns for r in cold]

    before, served = STATS.rendered, STATS.cached
    warm = render_segments(
        script(), profiles, tmp_path / "w", jobs=jobs, cache=cache, progress=False
    )
    assert STATS.rendered == before and STATS.cached - served == len(TEXTS)
    assert [r.wav_path for r in warm] == [r.wav_path for r in cold]
    assert [r.wav_path.stat().st_mtime_ns for r in warm] == stamps  # read, never rewritten
    assert [r.duration for r in warm] == pytest.approx([r.duration for r in cold])

    edited = list(TEXTS)
    edited[2] = "The pier is open again."
    before = STATS.rendered
    again = render_segments(
        script(edited), profiles, tmp_path / "w", jobs=jobs, cache=cache, progress=False
    )
    assert STATS.rendered - before == 1
    assert [a.wav_path == c.wav_path for a, c in zip(again, cold)] == [1, 1, 0, 1, 1]
    assert again[2].duration > cold[2].duration


def test_engine_calls_counted_in_the_engine_itself(profiles, fake_engine, tmp_path):
    """The same proof with calls logged by the engine in its worker processes."""
    log = tmp_path / "calls.log"
    voices = {
        name: dataclasses.replace(profiles[name], engine="fake", voice_id=str(log))
        for name in ("narrator", "host")
    }
    cache = SegmentCache(tmp_path / "cache")
    render_segments(script(), voices, tmp_path, jobs=2, cache=cache, progress=False)
    render_segments(script(), voices, tmp_path, jobs=2, cache=cache, progress=False)
    edited = list(TEXTS)
    edited[1] = "The council met on Wednesday."
    render_segments(script(edited), voices, tmp_path, jobs=2, cache=cache, progress=False)
    assert sorted(calls(log)) == sorted(TEXTS + ["The council met on Wednesday."])


def test_an_engine_that_speaks_years_itself_renders_anew_only_what_it_now_hears_differently(
    profiles, fake_engine, tmp_path, monkeypatch
):
    """The cache keys on what the engine receives: when the engine starts declaring that it
    says years itself, only the segment with a year reaches it with another text."""
    log = tmp_path / "calls.log"
    voices = {
        "narrator": dataclasses.replace(profiles["narrator"], engine="fake", voice_id=str(log))
    }
    script = script_from_markdown(
        "# Fees\n\n## Costs\n\nThe fee rose in 2005.\n\nThe pier is closed.\n"
    )
    cache = SegmentCache(tmp_path / "cache")

    def build():
        segments = spoken_script(script, speaks_written(voices))
        render_segments(segments, voices, tmp_path, jobs=1, cache=cache, progress=False)

    build()
    monkeypatch.setattr(fake_engine, "speaks_written", frozenset({"years"}), raising=False)
    build()
    assert calls(log) == [
        "The fee rose in two thousand and five.",
        "The pier is closed.",
        "The fee rose in 2005.",
    ]


@pytest.mark.parametrize("damage", ["truncate", "zero_frames", "garbage"])
def test_corrupt_entry_is_rendered_again(profiles, tmp_path, damage):
    cache = SegmentCache(tmp_path / "cache")
    segments = script(TEXTS[:2])
    first = render_segments(segments, profiles, tmp_path, jobs=1, cache=cache, progress=False)
    entry = first[1].wav_path
    data = entry.read_bytes()
    entry.write_bytes(
        {
            "truncate": data[: len(data) // 2],
            "zero_frames": data[:44],
            "garbage": b"not a wav at all",
        }[damage]
    )
    before = STATS.rendered
    again = render_segments(segments, profiles, tmp_path, jobs=1, cache=cache, progress=False)
    assert STATS.rendered - before == 1
    assert [r.wav_path for r in again] == [r.wav_path for r in first]
    assert again[1].duration == pytest.approx(first[1].duration, abs=0.05)


def test_failed_render_leaves_no_entry(profiles, fake_engine, tmp_path):
    cache = SegmentCache(tmp_path / "cache")
    voices = {"narrator": dataclasses.replace(profiles["narrator"], engine="fake", voice_id="")}
    with pytest.raises(EngineError):
        render_segments([Segment("FAIL")], voices, tmp_path, jobs=1, cache=cache, progress=False)
    assert cache.count() == 0
    leftovers = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert leftovers == []


def test_size_count_and_clear(profiles, tmp_path):
    cache = SegmentCache(tmp_path / "cache")
    assert (cache.count(), cache_size(cache.root)) == (0, 0)
    results = render_segments(
        script(TEXTS[:3]), profiles, tmp_path, jobs=1, cache=cache, progress=False
    )
    assert cache.count() == 3
    assert cache_size(cache.root) == sum(os.path.getsize(r.wav_path) for r in results)
    assert not [p for p in (tmp_path / "cache").rglob("*.part*")]
    freed = clear_cache(cache.root)
    assert freed > 0 and (cache.count(), cache_size(cache.root)) == (0, 0)


def test_segments_live_in_the_cache_roots_own_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(tmp_path / "here"))
    assert SegmentCache().root == cache_root() == tmp_path / "here"
    assert SegmentCache().path_for("ab12").parent == tmp_path / "here" / "segments" / "ab"
    monkeypatch.delenv("BRIEFCAST_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert SegmentCache().root == tmp_path / "xdg" / "briefcast"
