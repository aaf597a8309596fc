"""Rendered segments → Episode: the audio stage's one entry point, which runs the jobs of its
modules in order and finishes the files.

Two passes over the rendered segments, one segment in memory at a time, so memory stays flat
however long the episode is:

* pass A (``timeline.plan_join``) places each segment's trimmed speech (``trim``) on the
  episode's timeline and measures its K-weighted loudness there;
* the gain and limiter ceiling of each codec are solved from those figures (``gain``);
* pass B (``timeline.stream_joined``) reads each segment again, applies them and streams the
  result straight into the encoders, all running at once, each file measured as it is made
  (``encode``);
* each file is tagged and given its chapters by its container's module (``chapters``), the
  sidecars are written, every chapter list is read back, and all is renamed into place.

Only when an encoded file misses the target is it made again, once, with corrected settings.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..errors import AudioError, OutputError
from ..models import ChapterMark, Episode, EpisodeMeta, Loudness, PauseRules, RenderedSegment
from ..system import check_ffmpeg
from . import loudness as lu
from .chapters import finish_file, read_stored_chapters, write_chapters
from .chapters.json import read_json_chapters
from .cover import Cover, episode_cover
from .encode import encode_joined
from .formats import FORMATS, codec_of
from .gain import CORRECTIONS, Levels, corrected, target_levels
from .timeline import JoinedAudio, chapter_marks, plan_join, transcript_cues
from .transcript import write_srt, write_vtt

log = logging.getLogger(__name__)

PART_PROGRESS_MINUTES = 10.0
"""From this long an episode (its MP3 takes seconds), each part encoded is reported."""
SIDECARS = ("chapters.json", "vtt", "srt")


class _StageLog:
    """The audio stage's few progress lines on stderr (never stdout: it carries results)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.started
            print(f"audio [{elapsed:5.1f}s] {message}", file=sys.stderr, flush=True)


def check_encoders(formats: Sequence[str]) -> None:
    """Raise AudioError (one line) when the ffmpeg found is too old for a format asked for;
    the MP3 needs none (LAME runs in this process)."""
    for fmt in dict.fromkeys(formats):
        if codec_of(fmt) == "aac":
            check_ffmpeg(f"{fmt.upper()} output")


def _check_request(
    rendered: Sequence[RenderedSegment],
    chapter_titles: Sequence[str],
    formats: Sequence[str],
    slug: str,
) -> list[str]:
    wanted = [f.strip().lower().lstrip(".") for f in formats]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise AudioError(
            f"unknown format {', '.join(unknown) or '(none)'}: choose from {', '.join(FORMATS)}"
        )
    check_encoders(wanted)
    if not slug or "/" in slug or slug.startswith("."):
        raise AudioError(f"cannot name the episode {slug!r}: give a plain file name")
    if not rendered:
        raise AudioError("nothing to assemble: the script has no rendered segments")
    previous = 0
    for n, item in enumerate(rendered):
        if not 0 <= item.chapter_index < len(chapter_titles):
            raise AudioError(
                f"segment {n + 1} names chapter {item.chapter_index}, but only "
                f"{len(chapter_titles)} chapter titles were given"
            )
        if item.chapter_index < previous:
            raise AudioError(
                f"segment {n + 1} goes back to chapter {item.chapter_index}: "
                "segments must be in chapter order"
            )
        previous = item.chapter_index
        if not Path(item.wav_path).is_file():
            raise AudioError(
                f"rendered audio for segment {n + 1} is missing: {item.wav_path}; "
                "render the script again"
            )
    return list(dict.fromkeys(wanted))


def prepare_out_dir(out_dir: Path) -> Path:
    """Create ``out_dir`` if needed and prove it is writable, before any slow work starts."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".briefcast-probe-"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(
            f"cannot write to output folder {out_dir}: {reason}; choose another with -o DIR"
        ) from exc
    return out_dir


def _announce(say: _StageLog, joined: JoinedAudio, wanted: list[str], levels) -> None:
    minutes = joined.total_samples / joined.sample_rate / 60
    head = f"joined {len(joined.spans)} segments ({minutes:.1f} min"
    if not levels:
        say(f"{head}); encoding {', '.join(wanted)}")
        return
    settings = ", ".join(
        f"{fmt} at {levels[codec_of(fmt)].gain_db:+.1f} dB" for fmt in dict.fromkeys(wanted)
    )
    ceilings = ", ".join(f"{lv.ceiling_dbtp:.1f}" for lv in levels.values())
    say(
        f"{head}, {joined.meter.integrated():.1f} LUFS as rendered); encoding {settings}, "
        f"true peaks limited to {ceilings} dBTP"
    )


def _encode_to_target(
    joined: JoinedAudio,
    wanted: list[str],
    staged: dict[str, Path],
    meta: EpisodeMeta,
    *,
    normalise: bool,
    jobs: int | None,
    say: _StageLog,
) -> dict[str, Loudness]:
    """Every format encoded with its codec's levels (``normalise``: aimed at the target), and a
    format that missed it encoded again with corrected ones, up to ``CORRECTIONS`` times."""
    levels: dict[str, Levels] = {}
    if normalise:
        levels = target_levels(joined.meter, joined.level_energy, map(codec_of, wanted))
    _announce(say, joined, wanted, levels)
    long = joined.total_samples / joined.sample_rate / 60 >= PART_PROGRESS_MINUTES
    run = {"language": meta.language, "jobs": jobs}
    measured = encode_joined(
        joined, wanted, staged, levels=levels, say=say if long else None, **run
    )
    for fmt in wanted if normalise else []:
        fmt_levels = levels[codec_of(fmt)]
        for _ in range(CORRECTIONS):
            if lu.within_target(measured[fmt]):
                break
            # the safety net: rare, and only for the format that missed
            say(f"{fmt} measured {lu.describe(measured[fmt])}; encoding it again")
            fmt_levels = corrected(fmt_levels, measured[fmt])
            again = {codec_of(fmt): fmt_levels}
            measured.update(encode_joined(joined, [fmt], staged, levels=again, **run))
        if not lu.within_target(measured[fmt]):
            log.warning(
                "%s still measures %s (target %.0f LUFS, at most %.0f dBTP)",
                fmt,
                lu.describe(measured[fmt]),
                lu.TARGET_LUFS,
                lu.MAX_TRUE_PEAK_DBTP,
            )
    return measured


def _finish(
    work: Path,
    staged: dict[str, Path],
    measured: dict[str, Loudness],
    meta: EpisodeMeta,
    cover: Cover,
    chapters: list[ChapterMark],
    cues,
    say: _StageLog,
) -> list[Path]:
    """Tag every file and give it its chapters, write the sidecars, and read every chapter
    list back; the sidecars' paths."""
    for fmt, path in staged.items():
        finish_file(path, fmt, meta, cover, measured[fmt], chapters)
        say(f"{fmt}: {lu.describe(measured[fmt])}")
    sidecars = [work / f"episode.{ext}" for ext in SIDECARS]
    write_chapters(sidecars[0], chapters, container="json")
    write_vtt(cues, sidecars[1])
    write_srt(cues, sidecars[2])
    _verify_chapters(list(staged.values()), sidecars[0], chapters)
    return sidecars


def assemble_episode(
    rendered: list[RenderedSegment],
    chapter_titles: list[str],
    out_dir: Path,
    slug: str,
    meta: EpisodeMeta,
    *,
    formats: Sequence[str] = ("mp3",),
    pauses: PauseRules = PauseRules(),
    normalise: bool = True,
    progress: bool = True,
    jobs: int | None = None,
    chapter_urls: Sequence[str | None] | None = None,
) -> Episode:
    """Join rendered segments into ``<slug>.<format>`` files with chapters, tags, cover, measured
    loudness, plus ``<slug>.chapters.json``, ``.vtt`` and ``.srt``, all in ``out_dir``.
    ``chapter_urls`` (one per title, or None) link the chapters, where a container can.

    Every file is built in a hidden work folder inside ``out_dir`` and renamed into place only
    when all of them are complete, so a failure leaves no half-written file. Raises AudioError
    (ffmpeg or assembly failed) or OutputError (``out_dir`` not writable).
    """
    out_dir = Path(out_dir)
    wanted = _check_request(rendered, chapter_titles, formats, slug)
    prepare_out_dir(out_dir)
    given_cover = episode_cover(meta.cover, meta.title) if meta.cover else None  # fails early
    say = _StageLog(progress)
    try:
        with (
            tempfile.TemporaryDirectory(prefix=f".{slug}.", suffix=".work", dir=out_dir) as tmp,
            ThreadPoolExecutor(1) as background,
        ):
            work = Path(tmp)
            # the title card is drawn while the audio is joined and encoded
            cover_job: Future[Cover] | None = None
            if given_cover is None:
                cover_job = background.submit(episode_cover, None, meta.title, show=meta.album)
            joined = plan_join(rendered, pauses, work, measure=normalise)
            chapters = chapter_marks(rendered, chapter_titles, joined, chapter_urls)
            cues = transcript_cues(rendered, joined)
            staged = {fmt: work / f"episode.{fmt}" for fmt in wanted}
            run = {"normalise": normalise, "jobs": jobs, "say": say}
            measured = _encode_to_target(joined, wanted, staged, meta, **run)
            cover = given_cover or cover_job.result()
            sidecars = _finish(work, staged, measured, meta, cover, chapters, cues, say)
            final = _publish([*staged.values(), *sidecars], out_dir, slug)
    except OSError as exc:
        if (error := _output_error(exc, out_dir)) is None:
            raise
        raise error from None

    say(f"done: {final[0]} ({joined.duration_ms / 60000:.1f} min, {len(chapters)} chapters)")
    return Episode(
        files=final[: len(staged)],
        duration_ms=joined.duration_ms,
        chapters=chapters,
        cues=cues,
        loudness=measured[wanted[0]],
        sidecars=final[len(staged) :],
    )


def _publish(paths: list[Path], out_dir: Path, slug: str) -> list[Path]:
    """Rename each finished ``episode.<ext>`` into ``out_dir`` as ``<slug>.<ext>``."""
    final = []
    for path in paths:
        target = out_dir / f"{slug}{path.name[len('episode') :]}"
        os.replace(path, target)
        final.append(target)
    return final


def _output_error(exc: OSError, out_dir: Path) -> OutputError | None:
    """An OutputError saying what to do for a full or unwritable disk; None for other errors."""
    if exc.errno in (
        errno.ENOSPC,
        errno.EFBIG,
        errno.EACCES,
        errno.EROFS,
        errno.EDQUOT,
        errno.EPERM,
    ):
        return OutputError(
            f"cannot write the episode to {out_dir} ({exc.strerror}): "
            "free some space or choose another folder with -o"
        )
    return None


def _verify_chapters(audio: list[Path], json_path: Path, chapters: list[ChapterMark]) -> None:
    """Read every file's chapters back; any difference from ``chapters`` is a bug, not a warning.
    Links are compared where the container carries them (ID3, JSON; not MP4)."""

    def marks(found: list[ChapterMark], links: bool) -> list[tuple]:
        return [(c.title, c.start_ms, c.end_ms, c.url if links else None) for c in found]

    found = {path: marks(read_stored_chapters(path), path.suffix == ".mp3") for path in audio}
    duration = chapters[-1].end_ms
    found[json_path] = marks(read_json_chapters(json_path, duration_ms=duration), True)
    for path, got in found.items():
        expected = marks(chapters, path.suffix in (".mp3", ".json"))
        if got != expected:
            raise AudioError(
                f"chapters read back from {path.name} differ from those written: "
                f"{got} != {expected}"
            )
