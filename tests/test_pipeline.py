"""End to end: a real episode from a small article with the real engine, read back from the files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from briefcast.cli import cli
from briefcast.models import PauseRules
from briefcast.pipeline import BuildOptions, build, render_script_file
from briefcast.script import spoken_script
from briefcast.system import ffmpeg_exe, run_ffmpeg
from briefcast.tts import find_profile, render_segments

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "e2e-article.md"
RATE = 8000  # envelopes are compared at a low rate: enough to tell speech apart


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("episode")
    return build(ARTICLE, BuildOptions(out_dir=out, words=90, progress=False))


def decode(path: Path, rate: int = RATE) -> np.ndarray:
    """Decode any audio file to mono float samples with ffmpeg (no ffprobe needed)."""
    import subprocess

    raw = subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-ac",
            "1",
            "-ar",
            str(rate),
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768


def envelope(samples: np.ndarray, frame: int = RATE // 100) -> np.ndarray:
    """RMS per 10 ms frame, the shape of speech that survives gain changes and encoding."""
    n = len(samples) // frame
    return np.sqrt((samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1))


def level_db(samples: np.ndarray) -> np.ndarray:
    """The envelope in dB (floored at -60): a gain is an offset and a limited peak a small dent,
    so the shape of each word survives normalisation and limiting."""
    return 20 * np.log10(np.maximum(envelope(samples), 1e-3))


def test_writes_the_three_files(built):
    episode = built.episode
    slug = episode.path.name.removesuffix(".mp3")
    assert episode.path.suffix == ".mp3" and episode.path.stat().st_size > 10_000
    assert built.script_path.name == f"{slug}.script.md"
    chapters = json.loads((episode.path.parent / f"{slug}.chapters.json").read_text())
    assert chapters["version"]
    assert [c["title"] for c in chapters["chapters"]] == [c.title for c in built.script.chapters]
    assert built.script_path.read_text().startswith("# The Harbour Ferry Returns")


def test_id3_chapters_match_script_and_audio(built):
    episode, script = built.episode, built.script
    tags = ID3(episode.path)
    ctocs = tags.getall("CTOC")
    assert len(ctocs) == 1 and ctocs[0].flags & 0x03 == 0x03  # top level, ordered
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    order = list(ctocs[0].child_element_ids)
    assert sorted(order) == sorted(chaps)
    titles = [chaps[i].sub_frames["TIT2"].text[0] for i in order]
    assert titles == [c.title for c in script.chapters]
    assert len(titles) >= 2
    starts = [chaps[i].start_time for i in order]
    assert starts[0] == 0 and starts == sorted(starts)
    assert [c.start_ms for c in episode.chapters] == starts
    assert chaps[order[-1]].end_time == pytest.approx(episode.duration_ms, abs=1)
    # ffmpeg, an independent reader, sees the same chapters.
    meta = run_ffmpeg(["-i", str(episode.path), "-f", "ffmetadata", "-"]).stdout
    assert meta.count("[CHAPTER]") == len(titles)
    for title in titles:
        assert f"title={title}" in meta


def test_times_add_up_from_rendered_durations(built):
    """Chapter starts and the file's length equal the summed segment audio and pauses."""
    episode, script = built.episode, built.script
    segments = script.segments()
    cues = episode.cues
    assert len(cues) == len(segments)
    pauses = PauseRules()
    chapter_of = [i for i, c in enumerate(script.chapters) for _ in c.segments]
    # Each gap between two segments is the pause the rule gives, within 50 ms.
    for i in range(len(cues) - 1):
        expected = pauses.after(segments[i], chapter_of[i + 1] != chapter_of[i]) * 1000
        assert cues[i + 1].start_ms - cues[i].end_ms == pytest.approx(expected, abs=50)
    # A chapter starts where its first segment's speech starts.
    first = {chapter_of[i]: cue for i, cue in reversed(list(enumerate(cues)))}
    for index, mark in enumerate(episode.chapters[1:], start=1):
        assert mark.start_ms == pytest.approx(first[index].start_ms, abs=50)
    speech = sum(c.end_ms - c.start_ms for c in cues)
    gaps = sum(
        pauses.after(segments[i], chapter_of[i + 1] != chapter_of[i]) * 1000
        for i in range(len(cues) - 1)
    )
    expected_total = speech + gaps + 2 * pauses.edge * 1000
    assert episode.duration_ms == pytest.approx(expected_total, rel=0.01)
    assert MP3(episode.path).info.length * 1000 == pytest.approx(expected_total, rel=0.01)


def test_every_segment_heard_once_in_its_place(built, tmp_path):
    """Each segment's own rendering matches the episode at its cue, and only there."""
    script, episode = built.script, built.episode
    profiles = {name: find_profile(name) for name in {s.voice for s in script.segments()}}
    # what the engine received: the spoken form of each segment
    results = render_segments(spoken_script(script), profiles, tmp_path, jobs=1, progress=False)
    heard = level_db(decode(episode.path))
    frame_ms = 10
    scores = np.zeros((len(results), len(episode.cues)))
    for i, r in enumerate(results):
        samples = decode(r.wav_path)
        rms = envelope(samples)
        # the rendering's leading silence is trimmed in the episode
        own = level_db(samples)[np.argmax(rms > rms.max() * 0.05) :]
        n = min(len(own), 150)  # the first 1.5 s of speech is distinctive enough
        a = own[:n] - own[:n].mean()
        for j, cue in enumerate(episode.cues):
            start = cue.start_ms // frame_ms
            best = -1.0
            # Our 5% onset threshold and the assembler's trim may differ by a soft consonant.
            for shift in range(-10, 11):
                b = heard[max(start + shift, 0) : max(start + shift, 0) + n]
                if len(b) < n:
                    continue
                b = b - b.mean()
                denom = np.linalg.norm(a) * np.linalg.norm(b)
                best = max(best, float(a @ b / denom) if denom else -1.0)
            scores[i, j] = best
    for i in range(len(results)):
        # measured: 0.86-0.91 at its own cue, at most 0.47 anywhere else
        assert scores[i, i] > 0.75, f"segment {i} not found at its cue: {scores[i, i]:.2f}"
        others = np.delete(scores[i], i)
        assert scores[i, i] > others.max(), f"segment {i} also heard elsewhere"


def test_cli_build_prints_the_path_and_rebuild_is_up_to_date(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    args = ["build", str(ARTICLE), "-o", str(out), "--words", "60", "--single-voice", "-q"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    path = out / "the-harbour-ferry-returns.mp3"
    assert (first.stdout, first.stderr) == (f"{path}\n", "")  # -q: the result, nothing else
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        f"{path.stem}{ext}" for ext in (".mp3", ".script.md", ".chapters.json", ".vtt", ".srt")
    )
    mtime = path.stat().st_mtime_ns
    again = CliRunner().invoke(cli, args[:-1])
    assert again.exit_code == 0 and again.stdout == f"{path}\n"
    assert re.fullmatch(
        r"up to date: 0:\d\d\.\d, \d+ chapters, -1\d\.\d LUFS, true peak -\d+\.\d dBTP\n",
        again.stderr,
    ), again.stderr
    assert path.stat().st_mtime_ns == mtime


def test_edited_script_renders_the_edit(built, tmp_path):
    script_md = tmp_path / "edited.script.md"
    text = built.script_path.read_text()
    script_md.write_text(text.replace("## ", "## Edited: ", 1))
    result = render_script_file(script_md, BuildOptions(out_dir=tmp_path / "out", progress=False))
    assert result.episode.path.name == "edited.mp3"
    first = ID3(result.episode.path).getall("CHAP")
    titles = sorted(c.sub_frames["TIT2"].text[0] for c in first)
    assert any(t.startswith("Edited: ") for t in titles)


def test_no_temporary_files_left(built):
    leftovers = [
        p.name for p in built.episode.path.parent.iterdir() if ".part" in p.name or "tmp" in p.name
    ]
    assert leftovers == []


LONG_PAGE = DATA / "tram-talks.txt"  # our own long, repetitive page with web furniture


@pytest.mark.slow
def test_long_messy_article_at_three_minutes(tmp_path):
    """The issue's own check: 3 minutes ±15% (we hold it to 5%), ≥ 3 chapters, no furniture."""
    result = build(LONG_PAGE, BuildOptions(out_dir=tmp_path, minutes=3, progress=False))
    assert MP3(result.episode.path).info.length == pytest.approx(180, rel=0.05)
    assert len(ID3(result.episode.path).getall("CHAP")) >= 3
    script = result.script_path.read_text()
    for furniture in ("Listen to this article", "Scroll to Top", ".webp", "image ", "|", "Share"):
        assert furniture not in script


@pytest.mark.slow
def test_minutes_fit_the_real_audio(tmp_path):
    """--minutes is measured against the rendered audio, not a words-per-minute guess."""
    from briefcast.pipeline import sample_article_path

    result = build(sample_article_path(), BuildOptions(out_dir=tmp_path, minutes=2, progress=False))
    assert result.episode.duration_ms / 1000 == pytest.approx(120, rel=0.05)


def test_short_article_warns_that_the_episode_is_short(tmp_path):
    args = ["build", str(ARTICLE), "-o", str(tmp_path), "--minutes", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert "shorter than the 5 minutes asked" in result.stderr
    assert Path(result.stdout.strip()).exists()
    again = CliRunner().invoke(cli, args)  # up to date, and still says so
    assert "up to date" in again.stderr and "shorter than the 5 minutes asked" in again.stderr
    quiet = CliRunner().invoke(cli, [*args, "-q"])  # unless asked to be quiet
    assert quiet.stderr == "" and quiet.stdout == result.stdout


def test_unchanged_rebuild_neither_plans_nor_measures_again(tmp_path, monkeypatch):
    import dataclasses

    import briefcast.pipeline as pipeline

    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(tmp_path / "cache"))
    options = BuildOptions(out_dir=tmp_path / "out", minutes=1, progress=False)
    first = build(ARTICLE, options)

    def refuse(*args, **kwargs):
        raise AssertionError("planned again")

    monkeypatch.setattr(pipeline, "plan_script", refuse)
    monkeypatch.setattr(pipeline, "rendered_seconds", refuse)
    monkeypatch.setattr(pipeline, "start_workers", refuse)  # nor starts rendering processes
    again = build(ARTICLE, options)
    assert again.up_to_date and again.script == first.script
    with pytest.raises(AssertionError, match="planned again"):  # another length: fitted anew
        build(ARTICLE, dataclasses.replace(options, minutes=1.5))


def test_a_neural_voices_first_build_renders_only_what_the_episode_says(tmp_path, monkeypatch):
    """A neural voice measured never before, reading 7% slower than its setting (as Kokoro
    af_heart reads news): no sentence rendered while fitting is left out of the episode.
    Planned at the setting itself, its first round came out long, and the refit dropped
    sentences already rendered."""
    import briefcast.pipeline as pipeline
    import briefcast.tts.calibrate as calibrate
    from briefcast.script.compose import estimate_seconds

    monkeypatch.setattr(calibrate, "voice_peak", lambda profile: 1)  # posing as neural
    monkeypatch.setattr(calibrate, "_MEASURED", {})  # never measured, in this process either
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(tmp_path / "cache"))
    seen = []

    def measured(script, profiles, cache, options):
        seen.append({s.text for s in script.segments() if s.kind == "body"})
        return estimate_seconds(script, 0.93 * profiles["narrator"].wpm, PauseRules())

    monkeypatch.setattr(pipeline, "rendered_seconds", measured)
    options = BuildOptions(out_dir=tmp_path, minutes=3, progress=False, single_voice=True)
    result = build(LONG_PAGE, options)
    said = {s.text for s in result.script.segments() if s.kind == "body"}
    assert set().union(*seen) == said


def test_fitting_keeps_the_round_nearest_the_length_asked(tmp_path, monkeypatch):
    """Rounds that swing past the length (9% long, 7% short, 9% long again) end on the
    nearest one, not the last, and its intro states that round's length; a shorter round
    reads only sentences rendered before it (the script-level rule: tests/script/test_fit_rounds)."""
    import briefcast.pipeline as pipeline

    seen, misses = [], iter([1.09, 0.93, 1.09])

    def measured(script, profiles, cache, options):
        seen.append([s.text for s in script.segments() if s.kind == "body"])
        return next(misses) * 120

    monkeypatch.setattr(pipeline, "rendered_seconds", measured)
    result = build(LONG_PAGE, BuildOptions(out_dir=tmp_path, minutes=2, progress=False))
    assert len(seen) == 3
    assert [s.text for s in result.script.segments() if s.kind == "body"] == seen[1]
    assert set(seen[1]) <= set(seen[0]) and set(seen[2]) <= set(seen[0]) | set(seen[1])
    assert "about two minutes" in " ".join(s.text for s in result.script.segments())
