"""Rendered segments → Episode: join (streaming), chapters, transcript, loudness, encode, tag.

Times are kept in integer samples of the joined audio and turned into milliseconds once, at the
end, so chapters, cues and the duration never drift apart. The joined speech is appended
segment by segment to one WAV on disk; ffmpeg then reads that file for every heavy step, so
memory stays flat however long the episode is.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..errors import AudioError, OutputError
from ..models import ChapterMark, Cue, Episode, EpisodeMeta, Loudness, PauseRules, RenderedSegment
from ..system import run_ffmpeg
from . import loudness as lu
from .chapters import read_chapters, write_chapters
from .chapters.json import read_json_chapters
from .cover import episode_cover
from .encode import FORMATS, SAMPLE_RATE, codec_of, encode, iso639_2, write_tags
from .transcript import write_srt, write_vtt

SILENCE_FLOOR_DBFS = -50.0
"""Below this a sample is silence, whatever the segment's level."""
SILENCE_RELATIVE_DB = -34.0
"""...and below this far under the segment's own peak (for engines with a noise floor)."""
ONSET_MARGIN = 0.015
"""Seconds kept before the first loud sample, so soft word onsets (f, s, h) are not clipped."""
TAIL_MARGIN = 0.040
"""Seconds kept after the last loud sample: decaying endings are longer than onsets."""
FADE_IN = 0.005
FADE_OUT = 0.010
"""Short fades at each trimmed edge so no join clicks."""
CODEC_LOSS_LU = {"mp3": 0.7, "aac": 0.4}
"""Integrated loudness lost between the quick 1× limiter trial and the encoded file (the 4×
limiter ~0.1 LU, CBR LAME 0.4–0.5 LU, ffmpeg's AAC 0.1–0.2 LU, measured on espeak speech at
64 kbps mono); aimed for up front, and the encoded file is measured anyway."""
CODEC_HEADROOM_DB = {"mp3": 0.3, "aac": 0.6}
"""Extra room under the limiter's ceiling: encoding overshoots true peaks (LAME by up to
~0.9 dB, ffmpeg's AAC by up to ~1.1 dB, measured on espeak speech)."""
ENCODED_AIM_LU = 0.5
"""An encoded file further than this from −16 LUFS (or above −1 dBTP) is corrected once."""


@dataclass
class JoinedAudio:
    """The episode's speech joined into one WAV, with where each segment's speech landed."""

    path: Path
    sample_rate: int
    total_samples: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Per rendered segment: (first, end) sample of its trimmed speech in the joined audio."""

    def ms(self, samples: int) -> int:
        """Sample position → milliseconds, rounded half up (integer maths: nothing drifts)."""
        return (2 * samples * 1000 + self.sample_rate) // (2 * self.sample_rate)

    @property
    def duration_ms(self) -> int:
        return self.ms(self.total_samples)


class _Progress:
    """Short progress lines on stderr (never stdout: it carries results)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.started
            print(f"audio [{elapsed:5.1f}s] {message}", file=sys.stderr, flush=True)


def trim_bounds(samples: np.ndarray, sample_rate: int) -> tuple[int, int]:
    """(first, end) sample of ``samples`` to keep: speech plus small margins; (0, 0) if silent."""
    if samples.size == 0:
        return 0, 0
    magnitude = np.abs(samples.astype(np.int32))
    peak = int(magnitude.max())
    threshold = max(32768 * 10 ** (SILENCE_FLOOR_DBFS / 20),
                    peak * 10 ** (SILENCE_RELATIVE_DB / 20))
    loud = np.flatnonzero(magnitude > threshold)
    if loud.size == 0:
        return 0, 0
    first = max(0, int(loud[0]) - round(ONSET_MARGIN * sample_rate))
    end = min(samples.size, int(loud[-1]) + 1 + round(TAIL_MARGIN * sample_rate))
    return first, end


def faded(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """``samples`` (int16) with short linear fades in and out."""
    out = samples.astype(np.float32)
    n_in = min(out.size, round(FADE_IN * sample_rate))
    n_out = min(out.size, round(FADE_OUT * sample_rate))
    if n_in:
        out[:n_in] *= np.linspace(0.0, 1.0, n_in, endpoint=False, dtype=np.float32)
    if n_out:
        out[-n_out:] *= np.linspace(1.0, 0.0, n_out, dtype=np.float32)
    return np.round(out).astype(np.int16)


def _wav_format(path: Path) -> tuple[int, int, int] | None:
    """(channels, sample width, rate) of a PCM WAV, or None when the wave module cannot read it."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnchannels(), w.getsampwidth(), w.getframerate()
    except (wave.Error, EOFError):
        return None


def _read_mono16(path: Path, sample_rate: int, scratch: Path) -> np.ndarray:
    """A segment's samples as mono int16 at ``sample_rate``; ffmpeg converts anything else."""
    fmt = _wav_format(path)
    if fmt != (1, 2, sample_rate):
        run_ffmpeg(["-y", "-i", str(path), "-ac", "1", "-ar", str(sample_rate),
                    "-c:a", "pcm_s16le", "-f", "wav", str(scratch)], what=f"converting {path.name}")
        path = scratch
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def join_segments(rendered: Sequence[RenderedSegment], pauses: PauseRules, dst: Path, *,
                  progress=lambda message: None) -> JoinedAudio:
    """Append each segment's trimmed, faded speech and the pause after it to the WAV ``dst``.

    One segment is in memory at a time. The pause before a new chapter follows the previous
    chapter's last segment, so the new chapter's speech starts right at its marker.
    """
    rates = [fmt[2] for r in rendered if (fmt := _wav_format(r.wav_path))]
    sample_rate = max(rates, default=22050)
    joined = JoinedAudio(dst, sample_rate, 0)
    scratch = dst.with_name("segment-converted.wav")
    silence_chunk = np.zeros(sample_rate, dtype="<i2").tobytes()
    step = max(1, len(rendered) // 10)

    with wave.open(str(dst), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)

        def silence(seconds: float) -> None:
            count = max(0, round(seconds * sample_rate))
            joined.total_samples += count
            while count > 0:
                take = min(count, sample_rate)
                out.writeframesraw(silence_chunk[: 2 * take])
                count -= take

        silence(pauses.edge)
        for index, item in enumerate(rendered):
            samples = _read_mono16(item.wav_path, sample_rate, scratch)
            first, end = trim_bounds(samples, sample_rate)
            speech = faded(samples[first:end], sample_rate)
            start = joined.total_samples
            out.writeframesraw(speech.astype("<i2").tobytes())
            joined.total_samples += speech.size
            joined.spans.append((start, joined.total_samples))
            if index + 1 < len(rendered):
                new_chapter = rendered[index + 1].chapter_index != item.chapter_index
                silence(pauses.after(item.segment, new_chapter))
            else:
                silence(pauses.edge)
            if (index + 1) % step == 0 or index + 1 == len(rendered):
                progress(f"joined {index + 1}/{len(rendered)} segments "
                         f"({joined.total_samples / sample_rate / 60:.1f} min)")
    scratch.unlink(missing_ok=True)
    return joined


def chapter_marks(rendered: Sequence[RenderedSegment], chapter_titles: Sequence[str],
                  joined: JoinedAudio) -> list[ChapterMark]:
    """One mark per chapter that has segments: it starts where its first segment's speech starts
    (the first chapter at 0) and ends where the next begins (the last at the episode's end)."""
    starts: list[tuple[int, int]] = []  # (chapter index, start sample)
    for item, (first, _end) in zip(rendered, joined.spans):
        if not starts or starts[-1][0] != item.chapter_index:
            starts.append((item.chapter_index, 0 if not starts else first))
    marks = []
    for n, (chapter, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else joined.total_samples
        title = " ".join(chapter_titles[chapter].split()) or f"Chapter {n + 1}"
        marks.append(ChapterMark(title, joined.ms(start), joined.ms(end)))
    return marks


def transcript_cues(rendered: Sequence[RenderedSegment], joined: JoinedAudio) -> list[Cue]:
    """One cue per segment, spanning its trimmed speech in the joined audio."""
    return [
        Cue(joined.ms(first), joined.ms(end), " ".join(item.segment.text.split()))
        for item, (first, end) in zip(rendered, joined.spans)
    ]


def _check_request(rendered: Sequence[RenderedSegment], chapter_titles: Sequence[str],
                   formats: Sequence[str], slug: str) -> list[str]:
    wanted = [f.strip().lower().lstrip(".") for f in formats]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise AudioError(f"unknown format {', '.join(unknown) or '(none)'}: "
                         f"choose from {', '.join(FORMATS)}")
    if not slug or "/" in slug or slug.startswith("."):
        raise AudioError(f"cannot name the episode {slug!r}: give a plain file name")
    if not rendered:
        raise AudioError("nothing to assemble: the script has no rendered segments")
    previous = 0
    for n, item in enumerate(rendered):
        if not 0 <= item.chapter_index < len(chapter_titles):
            raise AudioError(f"segment {n + 1} names chapter {item.chapter_index}, but only "
                             f"{len(chapter_titles)} chapter titles were given")
        if item.chapter_index < previous:
            raise AudioError(f"segment {n + 1} goes back to chapter {item.chapter_index}: "
                             "segments must be in chapter order")
        previous = item.chapter_index
        if not Path(item.wav_path).is_file():
            raise AudioError(f"rendered audio for segment {n + 1} is missing: {item.wav_path}; "
                             "render the script again")
    return list(dict.fromkeys(wanted))


def _prepare_out_dir(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir} ({exc.strerror or exc}): "
                          "choose another folder with -o") from None
    return out_dir


def _encode_measured(joined: JoinedAudio, fmt: str, staged: Path, meta: EpisodeMeta,
                     base: lu.Processing | None, progress) -> Loudness:
    """Encode ``fmt`` (limited and normalised on the way when ``base`` is given), measure the
    encoded file, and correct once when it missed the target."""
    language = iso639_2(meta.language)
    if base is None:
        progress(f"encoding {fmt}")
        encode(joined.path, staged, fmt, language=language)
        return lu.measure_loudness(staged)

    codec = codec_of(fmt)
    processing = base.plus(CODEC_LOSS_LU[codec])
    processing = replace(processing,
                         ceiling_dbtp=processing.ceiling_dbtp - CODEC_HEADROOM_DB[codec])

    def encode_through(processing: lu.Processing) -> Loudness:
        chain = processing.filter(joined.sample_rate, SAMPLE_RATE)
        encode(joined.path, staged, fmt, audio_filter=chain, language=language)
        return lu.measure_loudness(staged)

    progress(f"limiting, normalising and encoding {fmt}")
    measured = encode_through(processing)
    if lu.within_target(measured, tolerance=ENCODED_AIM_LU):
        return measured
    progress(f"{fmt} measured {lu.describe(measured)}; correcting")
    measured = encode_through(lu.corrected(processing, measured))
    if not lu.within_target(measured):
        progress(f"warning: {fmt} still measures {lu.describe(measured)} "
                 f"(target {lu.TARGET_LUFS:.0f} LUFS, at most {lu.MAX_TRUE_PEAK_DBTP:.0f} dBTP)")
    return measured


def assemble_episode(rendered: list[RenderedSegment], chapter_titles: list[str], out_dir: Path,
                     slug: str, meta: EpisodeMeta, *, formats: Sequence[str] = ("mp3",),
                     pauses: PauseRules = PauseRules(), normalise: bool = True,
                     progress: bool = True) -> Episode:
    """Join rendered segments into ``<slug>.<format>`` files with chapters, tags, cover, measured
    loudness, plus ``<slug>.chapters.json``, ``.vtt`` and ``.srt``, all in ``out_dir``.

    Every file is built in a hidden work folder inside ``out_dir`` and renamed into place only
    when all of them are complete, so a failure leaves no half-written file. Raises AudioError
    (ffmpeg or assembly failed) or OutputError (``out_dir`` not writable).
    """
    out_dir = Path(out_dir)
    wanted = _check_request(rendered, chapter_titles, formats, slug)
    _prepare_out_dir(out_dir)
    cover = episode_cover(meta.cover, meta.title, show=meta.album)  # a bad cover fails early
    say = _Progress(progress)
    try:
        with tempfile.TemporaryDirectory(prefix=f".{slug}.", suffix=".work", dir=out_dir) as tmp:
            work = Path(tmp)
            joined = join_segments(rendered, pauses, work / "joined.wav", progress=say)
            chapters = chapter_marks(rendered, chapter_titles, joined)
            cues = transcript_cues(rendered, joined)

            staged: list[Path] = []
            measured: list[Loudness] = []
            base = None
            if normalise:
                say("measuring loudness")
                base = lu.find_processing(joined.path, sample_rate=joined.sample_rate)
            for fmt in wanted:
                path = work / f"{slug}.{fmt}"
                loudness = _encode_measured(joined, fmt, path, meta, base, say)
                if codec_of(fmt) == "aac":
                    write_chapters(path, chapters, container="mp4")  # remux first: tags last
                    write_tags(path, fmt, meta, cover, loudness)
                else:
                    write_tags(path, fmt, meta, cover, loudness)
                    write_chapters(path, chapters, container="id3")
                say(f"{fmt}: {lu.describe(loudness)}")
                staged.append(path)
                measured.append(loudness)

            sidecars = [work / f"{slug}.{ext}" for ext in ("chapters.json", "vtt", "srt")]
            write_chapters(sidecars[0], chapters, container="json")
            write_vtt(cues, sidecars[1])
            write_srt(cues, sidecars[2])
            _verify_chapters(staged, sidecars[0], chapters)

            final = []
            for path in staged + sidecars:
                target = out_dir / path.name
                os.replace(path, target)
                final.append(target)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT, errno.EPERM):
            raise OutputError(f"cannot write the episode to {out_dir} ({exc.strerror}): "
                              "free some space or choose another folder with -o") from None
        raise

    say(f"done: {final[0]} ({joined.duration_ms / 60000:.1f} min, {len(chapters)} chapters)")
    return Episode(
        files=final[: len(staged)],
        duration_ms=joined.duration_ms,
        chapters=chapters,
        cues=cues,
        loudness=measured[0],
        sidecars=final[len(staged):],
    )


def _verify_chapters(audio: list[Path], json_path: Path, chapters: list[ChapterMark]) -> None:
    """Read every file's chapters back; any difference from ``chapters`` is a bug, not a warning."""
    expected = [(c.title, c.start_ms, c.end_ms) for c in chapters]
    found = {path: [(c.title, c.start_ms, c.end_ms) for c in read_chapters(path)] for path in audio}
    found[json_path] = [(c.title, c.start_ms, c.end_ms) for c in
                        read_json_chapters(json_path, duration_ms=chapters[-1].end_ms)]
    for path, marks in found.items():
        if marks != expected:
            raise AudioError(f"chapters read back from {path.name} differ from those written: "
                             f"{marks} != {expected}")
