"""Failures: a clear BriefcastError, and nothing half-written in the output folder."""

from __future__ import annotations

import pytest

from briefcast.audio import assemble_episode
from briefcast.errors import AudioError, OutputError
from briefcast.models import EpisodeMeta, RenderedSegment, Segment

from .conftest import rendered_segments

META = EpisodeMeta(title="Test")


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
