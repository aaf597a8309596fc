"""render_segments: script order, parallel workers, duplicates, failures and progress."""

from __future__ import annotations

import dataclasses
import os
import pty
import re
import subprocess
import sys
import wave

import psutil
import pytest
from fake_engine import HeavyFakeEngine, calls, frames_for

from briefcast.errors import EngineError, VoiceError
from briefcast.models import Segment
from briefcast.tts import STATS, register_engine, render_segments, start_workers
from briefcast.tts.workers import worker_count


def fake(profiles, log=None, name="narrator"):
    return dataclasses.replace(
        profiles["narrator"], name=name, engine="fake", voice_id=str(log) if log else ""
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_script_order(profiles, fake_engine, tmp_path, jobs):
    log = tmp_path / "calls.log"
    segments = [Segment(f"Sentence number {i} of the script.", voice="narrator") for i in range(40)]
    results = render_segments(
        segments, {"narrator": fake(profiles, log)}, tmp_path / "w", jobs=jobs, progress=False
    )
    assert [r.segment for r in results] == segments
    for r in results:
        with wave.open(str(r.wav_path)) as w:
            assert w.getnframes() == frames_for(r.segment.text)  # this segment's own audio
        assert r.duration == pytest.approx(frames_for(r.segment.text) / 16000)
    assert sorted(calls(log)) == sorted(s.text for s in segments)
    pids = {line.split("\t")[0] for line in log.read_text().splitlines()}
    assert (len(pids) > 1) == (jobs > 1)  # jobs=2 really spreads over processes


def test_real_engine_in_parallel_matches_one_process(profiles, tmp_path):
    texts = [
        "Welcome to the show.",
        "The council met on Tuesday.",
        "Thanks for listening.",
        "Here is the news.",
        "The pier has been closed since the storms of last winter.",
    ]
    segments = [Segment(t, voice="host" if i % 2 else "narrator") for i, t in enumerate(texts)]
    one = render_segments(segments, profiles, tmp_path / "one", jobs=1, progress=False)
    two = render_segments(segments, profiles, tmp_path / "two", jobs=2, progress=False)
    assert [r.duration for r in two] == pytest.approx([r.duration for r in one], abs=0.05)
    assert len({r.wav_path for r in two}) == len(texts)


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_rendered_file_is_handed_on_as_it_arrives(profiles, fake_engine, tmp_path, jobs):
    """``on_rendered`` sees every file an engine made, complete, once, before the call returns
    (the fit measures each segment while the others render); a cached one it does not see."""
    from briefcast.tts import SegmentCache

    segments = [Segment(f"Sentence number {i} of the script.") for i in range(12)]
    cache = SegmentCache(tmp_path / "cache")
    render_segments(segments[:4], {"narrator": fake(profiles)}, tmp_path, cache=cache, jobs=1)
    seen = []

    def on_rendered(path):
        with wave.open(str(path)) as w:  # written in full already
            seen.append((path, w.getnframes()))

    results = render_segments(
        segments,
        {"narrator": fake(profiles)},
        tmp_path,
        cache=cache,
        jobs=jobs,
        progress=False,
        on_rendered=on_rendered,
    )
    assert sorted(seen) == sorted((r.wav_path, frames_for(r.segment.text)) for r in results[4:])


def test_same_text_and_voice_renders_once(profiles, fake_engine, tmp_path):
    log = tmp_path / "calls.log"
    segments = [Segment("Again."), Segment("Once."), Segment("Again.")]
    results = render_segments(
        segments, {"narrator": fake(profiles, log)}, tmp_path, jobs=1, progress=False
    )
    assert calls(log) == ["Again.", "Once."]
    assert results[0].wav_path == results[2].wav_path


def test_unknown_voice_names_the_known_ones(profiles, tmp_path):
    with pytest.raises(
        VoiceError, match="'guest' but no such profile.*known: heart, host, michael, narrator"
    ):
        render_segments([Segment("Hi.", voice="guest")], profiles, tmp_path, progress=False)


def test_nothing_speakable_becomes_short_silence(profiles, tmp_path):
    before = STATS.rendered
    [result] = render_segments([Segment("…")], profiles, tmp_path, progress=False)
    assert result.duration == pytest.approx(0.25) and STATS.rendered == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_engine_failure_reaches_the_caller(profiles, fake_engine, tmp_path, jobs):
    segments = [Segment("Fine."), Segment("FAIL")]
    with pytest.raises(EngineError, match="fake engine refuses FAIL"):
        render_segments(segments, {"narrator": fake(profiles)}, tmp_path, jobs=jobs, progress=False)


def test_a_crashed_worker_is_an_engine_error_and_the_next_build_works(
    profiles, fake_engine, tmp_path
):
    voices = {"narrator": fake(profiles)}
    with pytest.raises(EngineError, match="worker process died"):
        render_segments(
            [Segment("Fine."), Segment("CRASH")], voices, tmp_path, jobs=2, progress=False
        )
    [ok] = render_segments([Segment("Still fine.")], voices, tmp_path, jobs=2, progress=False)
    assert ok.duration > 0.5


def test_progress_goes_to_stderr_only(profiles, fake_engine, tmp_path, capfd):
    segments = [Segment(f"Line {i}.") for i in range(12)]
    render_segments(segments, {"narrator": fake(profiles)}, tmp_path, jobs=1, progress=True)
    out, err = capfd.readouterr()
    assert out == "" and err.startswith("rendered 12 segments (0.1 min of audio) in ")
    assert err.endswith(" s (0 from cache)\n") and err.count("\n") == 1  # one line, not live
    render_segments(
        [Segment(f"Other {i}.") for i in range(12)],
        {"narrator": fake(profiles)},
        tmp_path,
        jobs=1,
        progress=None,
    )
    assert capfd.readouterr() == ("", "")


def test_warming_loads_the_engine_in_the_workers_and_renders_nothing(
    profiles, fake_engine, tmp_path
):
    log = tmp_path / "calls.log"
    voice = fake(profiles, log)
    start_workers(2, warm=voice)
    before = STATS.rendered
    [result] = render_segments(
        [Segment("Real text.")], {"narrator": voice}, tmp_path / "w", jobs=2, progress=False
    )
    calls = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    warmed = [pid for pid, text in calls if text == "Hello."]
    assert warmed and str(os.getpid()) not in warmed  # in the workers, not here
    assert STATS.rendered - before == 1 and result.duration > 0.5
    assert list((tmp_path / "w").glob("*.wav")) == [result.wav_path]  # nothing else kept


def test_warming_with_a_failing_voice_is_harmless(profiles, fake_engine, tmp_path):
    start_workers(2, warm=dataclasses.replace(fake(profiles), voice_id=str(tmp_path)))
    [result] = render_segments(
        [Segment("Still fine.")], {"narrator": fake(profiles)}, tmp_path / "w", jobs=2
    )
    assert result.duration > 0.5


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_segment_is_retried_once(profiles, fake_engine, tmp_path, jobs):
    log = tmp_path / "calls.log"
    segments = [Segment("Fine."), Segment("FLAKY")]
    results = render_segments(
        segments, {"narrator": fake(profiles, log)}, tmp_path, jobs=jobs, progress=None
    )
    assert calls(log).count("FLAKY") == 2 and results[1].duration > 0.5


def test_a_segment_failing_twice_is_named_by_its_script_line(profiles, fake_engine, tmp_path):
    log = tmp_path / "calls.log"
    segments = [Segment("Fine."), Segment("Also fine."), Segment("FAIL")]
    with pytest.raises(EngineError) as error:
        render_segments(segments, {"narrator": fake(profiles, log)}, tmp_path, progress=None)
    assert str(error.value) == (
        "segment 3 of 3 failed twice (fake engine refuses FAIL); its line in the script file "
        "reads 'FAIL' (voice narrator): edit it and run `briefcast render`, or choose another "
        "voice"
    )
    assert calls(log).count("FAIL") == 2


LIVE = """
import sys
sys.path.insert(0, sys.argv[1])
from fake_engine import FakeEngine
from briefcast.models import Segment
from briefcast.tts import VoiceProfile, register_engine, render_segments
register_engine("fake", FakeEngine)
voice = VoiceProfile(name="narrator", engine="fake")
segments = [Segment(f"SLOW line {i}.") for i in range(10)]
render_segments(segments, {"narrator": voice}, sys.argv[2], jobs=1)
"""


def test_live_progress_on_a_terminal(tmp_path):
    """On a terminal the line is redrawn while segments render (3 s: at least 4 times)."""
    main, child = pty.openpty()
    here = os.path.dirname(__file__)
    proc = subprocess.Popen(
        [sys.executable, "-c", LIVE, here, str(tmp_path)], stderr=child, stdout=subprocess.PIPE
    )
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait() == 0 and proc.stdout.read() == b""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))  # colours
    frames = re.findall(r"(\d+)/10 segments, (\d+\.\d) min of audio (\d:\d\d:\d\d) elapsed", text)
    assert len(frames) >= 4, text
    assert [int(f[0]) for f in frames] == sorted(int(f[0]) for f in frames)
    assert "left" in text and "rendered 10 segments (0.1 min of audio)" in text


def test_no_more_workers_than_memory_holds(profiles, tmp_path, monkeypatch):
    register_engine("heavy", HeavyFakeEngine)
    log = tmp_path / "calls.log"
    voice = dataclasses.replace(fake(profiles, log), engine="heavy")
    available = psutil.virtual_memory().available
    monkeypatch.setattr(HeavyFakeEngine, "PEAK", available // 4)  # room for 4 (2 asked)
    assert worker_count(2, [voice]) == 2 and worker_count(1, [voice]) == 1
    monkeypatch.setattr(HeavyFakeEngine, "PEAK", available + 10**10)  # not even for 1
    assert worker_count(2, [voice]) == 1
    segments = [Segment(f"Line {i}.") for i in range(6)]
    render_segments(segments, {"narrator": voice}, tmp_path, jobs=2, progress=None)
    pids = {line.split("\t")[0] for line in log.read_text().splitlines()}
    assert pids == {str(os.getpid())}  # one session, rendered here: no room for two


def test_each_worker_gives_its_session_a_share_of_the_cores(profiles, tmp_path):
    register_engine("heavy", HeavyFakeEngine)
    log = tmp_path / "calls.log"
    voice = dataclasses.replace(fake(profiles, log), engine="heavy")
    segments = [Segment(f"Line {i}.") for i in range(8)]
    render_segments(segments, {"narrator": voice}, tmp_path / "two", jobs=2, progress=None)
    threads = tmp_path / "calls.log.threads"

    def shares() -> set[str]:
        return {line.split("\t")[1] for line in threads.read_text().splitlines()}

    assert shares() == {str(max(1, os.cpu_count() // 2))}
    threads.unlink()
    render_segments(segments, {"narrator": voice}, tmp_path / "one", jobs=1, progress=None)
    assert shares() == {"None"}  # one session in this process: the library's default threads
