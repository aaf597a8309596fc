"""Failures: a clear BriefcastError, and nothing half-written in the output folder."""

from __future__ import annotations

import pytest

from briefcast.audio import FORMATS, assemble_episode
from briefcast.errors import AudioError, OutputError
from briefcast.models import EpisodeMeta, RenderedSegment, Segment
from briefcast.system import ffmpeg_exe, ffmpeg_version

from .conftest import ffmpeg, rendered_segments

META = EpisodeMeta(title="Test")


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_the_container_it_names(tmp_path, speech, fmt):
    rendered, titles = rendered_segments(speech)
    episode = assemble_episode(
        rendered[:2], titles, tmp_path, "ep", META, formats=(fmt,), normalise=False, progress=False
    )
    assert [p.name for p in episode.files] == [f"ep.{fmt}"]
    text = ffmpeg("-i", str(episode.path), "-f", "null", "-").stderr.decode()
    container = "mp3" if fmt == "mp3" else "mov,mp4,m4a"
    assert f"Input #0, {container}" in text


@pytest.fixture
def old_ffmpeg(tmp_path, monkeypatch):
    """BRIEFCAST_FFMPEG naming an ffmpeg that reports release 4.2.2 (measured: its M4B comes
    out 91 ms longer than the audio); the real one answers anything else."""
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = -version ]; then echo "ffmpeg version 4.2.2-static"; exit 0; fi\n'
        f'exec "{ffmpeg_exe()}" "$@"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("BRIEFCAST_FFMPEG", str(fake))
    for cached in (ffmpeg_exe, ffmpeg_version):
        cached.cache_clear()
    yield fake
    monkeypatch.undo()
    for cached in (ffmpeg_exe, ffmpeg_version):
        cached.cache_clear()


def test_an_ffmpeg_too_old_for_m4b_gets_one_line(tmp_path, speech, old_ffmpeg):
    rendered, titles = rendered_segments(speech)
    out = tmp_path / "out"
    with pytest.raises(AudioError) as caught:
        assemble_episode(rendered, titles, out, "ep", META, formats=("mp3", "m4b"), progress=False)
    assert str(caught.value) == (
        f"M4B output needs ffmpeg 4.4 or newer, but {old_ffmpeg} is 4.2.2: "
        "install a newer ffmpeg, or point BRIEFCAST_FFMPEG at one"
    )
    assert not out.exists()  # refused before anything was made
    # the MP3 needs no ffmpeg at all (LAME runs in this process)
    episode = assemble_episode(rendered, titles, out, "ep", META, progress=False)
    assert [p.name for p in episode.files] == ["ep.mp3"]


def test_unwritable_output_folder(tmp_path, speech):
    rendered, titles = rendered_segments(speech)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write to"):
        assemble_episode(rendered, titles, blocker / "out", "ep", META, progress=False)


def test_ffmpeg_failure_names_the_command_and_leaves_nothing(tmp_path, speech):
    rendered, titles = rendered_segments(speech)
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 10)
    rendered[3] = RenderedSegment(rendered[3].segment, rendered[3].chapter_index, broken, 1.0)
    out = tmp_path / "out"
    with pytest.raises(AudioError) as caught:
        assemble_episode(rendered, titles, out, "ep", META, progress=False)
    message = str(caught.value)
    assert "ffmpeg" in message and str(broken) in message
    assert list(out.iterdir()) == []  # no half file, no work folder


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda r, t: (r, t, ("ogg",)), "unknown format ogg"),
        (lambda r, t: ([], t, ("mp3",)), "nothing to assemble"),
        (lambda r, t: (r, t[:1], ("mp3",)), "only 1 chapter titles"),
        (lambda r, t: (r[::-1], t, ("mp3",)), "chapter order"),
    ],
)
def test_bad_requests(tmp_path, speech, change, match):
    rendered, titles = rendered_segments(speech)
    rendered, titles, formats = change(rendered, titles)
    with pytest.raises(AudioError, match=match):
        assemble_episode(rendered, titles, tmp_path, "ep", META, formats=formats, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_missing_wav(tmp_path, speech):
    rendered, titles = rendered_segments(speech)
    rendered[0] = RenderedSegment(Segment("x"), 0, tmp_path / "gone.wav", 1.0)
    with pytest.raises(AudioError, match="missing"):
        assemble_episode(rendered, titles, tmp_path / "out", "ep", META, progress=False)


def test_progress_goes_to_stderr_only(tmp_path, speech, capfd):
    rendered, titles = rendered_segments(speech)
    episode = assemble_episode(
        rendered[:3], titles, tmp_path, "ep", META, formats=("m4a",), normalise=False, progress=True
    )
    out, err = capfd.readouterr()
    assert out == ""
    assert "joined 3 segments" in err and "encoding m4a" in err
    assert len(err.splitlines()) <= 4  # a few lines, not one per segment
    assert [p.name for p in episode.files] == ["ep.m4a"]
    assert episode.loudness is not None  # measured even when not normalised
