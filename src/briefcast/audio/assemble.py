"""Rendered segments → Episode: join (streaming), chapters, transcript, loudness, encode, tag.

Times are kept in integer samples of the joined audio and turned into milliseconds once, at the
end, so chapters, cues and the duration never drift apart.

Two passes over the rendered segments, one segment in memory at a time, so memory stays flat
however long the episode is:

* pass A reads and trims each segment, places it on the episode's timeline and measures its
  K-weighted loudness there (segments in parallel threads: the filter releases the GIL);
* pass B reads each segment again, applies the gain that brings the episode to −16 LUFS,
  limits its true peaks, and streams the result straight into the encoders, all running at
  once, each file measured as it is made: the MP3 cut into parts that LAME encodes on every
  core (``mp3``), the AAC formats through one ffmpeg each (``encode.MeteredEncode``).

Only when an encoded file misses the target is it made again, once, with corrected settings.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import sys
import tempfile
import threading
import time
import wave
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue

import numpy as np

from ..errors import AudioError, OutputError
from ..models import ChapterMark, Cue, Episode, EpisodeMeta, Loudness, PauseRules, RenderedSegment
from ..system import run_ffmpeg
from . import loudness as lu
from . import mp3
from .chapters import read_stored_chapters, write_chapters
from .chapters.json import read_json_chapters
from .cover import Cover, episode_cover
from .encode import FORMATS, MeteredEncode, codec_of, encoder_rate, write_tags
from .transcript import write_srt, write_vtt

log = logging.getLogger(__name__)

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

LIMITER_CEILING_DBTP = {"mp3": -3.0, "aac": -2.0}
"""True-peak ceiling of the limiter, per codec: encoding raises true peaks (measured on espeak
speech at 64 kbps mono, 22.05 kHz: ffmpeg's fast AAC coder by 0.18–0.60 dB on 14 episodes;
LAME by 0.35–0.76 dB on the same, but by 1.1–1.5 dB on six 8-minute builds of the seed
article, so its ceiling leaves 2 dB). Formats encoded together share the lowest."""
CORRECTIONS = 3
"""Re-encodes allowed for a format that missed its target; each lowers the ceiling by what the
last one overshot (LAME's overshoot varies from one encode to the next)."""
CODEC_LOSS_LU = {"mp3": 0.41, "aac": 0.06}
"""Integrated loudness each codec takes away (same measurements: LAME 0.41–0.42 LU, it cuts
the highest frequencies; AAC 0.05–0.06 LU); the joined audio is aimed that much louder."""
PART_PROGRESS_MINUTES = 10.0
"""From this long an episode (its MP3 takes seconds), each part encoded is reported."""
CORRECTION_MARGIN_DB = 0.3
"""How far under −1 dBTP a corrected encode aims its true peak."""


@dataclass
class _Piece:
    """Where one segment's kept speech comes from."""

    source: Path
    """A mono 16-bit WAV at the episode's rate: the rendered file or a converted copy."""
    first: int
    end: int
    pause: int
    """Samples of silence after it."""


@dataclass
class JoinedAudio:
    """The episode's speech on one timeline, with where each segment's speech landed."""

    path: Path | None
    """The joined WAV, when one was written (``join_segments``); the encoders take it streamed."""
    sample_rate: int
    total_samples: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Per rendered segment: (first, end) sample of its trimmed speech in the joined audio."""
    lead: int = 0
    """Samples of silence before the first segment."""
    pieces: list[_Piece] = field(default_factory=list)
    meter: lu.LoudnessMeter | None = None
    """K-weighted loudness of the joined speech as it is (before gain and limiting)."""
    level_energy: np.ndarray | None = None
    """Its K-weighted energy by peak level (``loudness.peak_level_energy``)."""

    def silences(self) -> list[tuple[int, int]]:
        """(first, end) sample of every pause between segments and after the last one."""
        ends = [end for _first, end in self.spans]
        firsts = [first for first, _end in self.spans[1:]] + [self.total_samples]
        return list(zip(ends, firsts))

    def ms(self, samples: int) -> int:
        """Sample position → milliseconds, rounded half up (integer maths: nothing drifts)."""
        return (2 * samples * 1000 + self.sample_rate) // (2 * self.sample_rate)

    @property
    def duration_ms(self) -> int:
        return self.ms(self.total_samples)


class _Progress:
    """A few lines on stderr (never stdout: it carries results)."""

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
    threshold = max(
        32768 * 10 ** (SILENCE_FLOOR_DBFS / 20), peak * 10 ** (SILENCE_RELATIVE_DB / 20)
    )
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


def _read_frames(path: Path, first: int = 0, end: int | None = None) -> np.ndarray:
    """Samples ``first`` to ``end`` of a mono 16-bit WAV."""
    with wave.open(str(path), "rb") as w:
        end = w.getnframes() if end is None else end
        w.setpos(first)
        return np.frombuffer(w.readframes(end - first), dtype="<i2")


def _mono16_source(path: Path, sample_rate: int, scratch: Path) -> Path:
    """``path`` if it is a mono 16-bit WAV at ``sample_rate``; else ``scratch``, converted
    by ffmpeg."""
    if _wav_format(path) == (1, 2, sample_rate):
        return path
    run_ffmpeg(
        [
            "-y",
            "-i",
            str(path),
            "-ac",
            "1",
            "-ar",
            str(sample_rate),
            "-c:a",
            "pcm_s16le",
            "-f",
            "wav",
            str(scratch),
        ],
        what=f"converting {path.name}",
    )
    return scratch


def speech_seconds(wav_path: Path) -> float:
    """Seconds of speech the assembler keeps from one rendered segment: trimmed exactly as
    ``assemble_episode`` trims it (margins included), so a script's real length is known early.

    Read once per file and process: fitting a script measures the same segments every round.
    """
    path = Path(wav_path)
    stat = path.stat()
    return _speech_seconds(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1 << 14)
def _speech_seconds(path_name: str, _size: int, _mtime_ns: int) -> float:
    """``speech_seconds``, keyed by the file's size and time too, so a changed file is read."""
    path = Path(path_name)
    fmt = _wav_format(path)
    rate = fmt[2] if fmt else 22050
    with tempfile.TemporaryDirectory(prefix="briefcast-speech-") as tmp:
        samples = _read_frames(_mono16_source(path, rate, Path(tmp) / "converted.wav"))
    first, end = trim_bounds(samples, rate)
    return (end - first) / rate


def _pauses_after(rendered: Sequence[RenderedSegment], pauses: PauseRules) -> list[float]:
    """Seconds of silence after each segment; the pause before a new chapter follows the
    previous chapter's last segment, so the new chapter's speech starts right at its marker."""
    after = []
    for index, item in enumerate(rendered):
        if index + 1 < len(rendered):
            new_chapter = rendered[index + 1].chapter_index != item.chapter_index
            after.append(pauses.after(item.segment, new_chapter))
        else:
            after.append(pauses.edge)
    return after


def plan_join(
    rendered: Sequence[RenderedSegment], pauses: PauseRules, work: Path, *, measure: bool = True
) -> JoinedAudio:
    """Pass A: trim every segment, place it on the episode's timeline and (``measure``)
    K-weight it there; nothing is written but converted copies of odd-format segments.

    Segments are read in parallel threads, a few at a time, and placed in order.
    """
    rates = [fmt[2] for r in rendered if (fmt := _wav_format(Path(r.wav_path)))]
    rate = encoder_rate(max(rates, default=22050))  # the encoders' rate: none resamples
    meter = lu.LoudnessMeter(rate) if measure else None
    joined = JoinedAudio(
        None,
        rate,
        0,
        lead=round(pauses.edge * rate),
        meter=meter,
        level_energy=np.zeros(lu.LEVEL_BINS) if measure else None,
    )

    def prepare(index: int, item: RenderedSegment):
        source = _mono16_source(Path(item.wav_path), rate, work / f"converted-{index:05d}.wav")
        samples = _read_frames(source)
        first, end = trim_bounds(samples, rate)
        weighted = levels = None
        if meter is not None and end > first:
            speech = faded(samples[first:end], rate) / 32768.0
            weighted = meter.weighted(speech)
            levels = lu.peak_level_energy(speech, weighted, rate)
        return source, first, end, weighted, levels

    position = joined.lead

    def place(result, pause: float) -> None:
        nonlocal position
        source, first, end, weighted, levels = result
        if weighted is not None:
            meter.add_weighted(weighted, position, end - first)
            joined.level_energy += levels
        joined.spans.append((position, position + end - first))
        count = max(0, round(pause * rate))
        joined.pieces.append(_Piece(source, first, end, count))
        position += end - first + count

    after = _pauses_after(rendered, pauses)
    workers = min(4, os.cpu_count() or 1)
    pending: deque[tuple[Future, float]] = deque()
    with ThreadPoolExecutor(workers) as pool:
        try:
            for index, item in enumerate(rendered):
                pending.append((pool.submit(prepare, index, item), after[index]))
                if len(pending) > 2 * workers:  # bounded: memory stays flat
                    job, pause = pending.popleft()
                    place(job.result(), pause)
            while pending:
                job, pause = pending.popleft()
                place(job.result(), pause)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    joined.total_samples = position
    return joined


def stream_joined(
    joined: JoinedAudio,
    write: Callable[[bytes], None],
    *,
    gain_db: float = 0.0,
    ceiling_dbtp: float | None = None,
    start: int = 0,
    stop: int | None = None,
) -> lu.LimiterReport:
    """Pass B: hand samples ``start`` to ``stop`` (default: all) of the joined episode to
    ``write`` as 16-bit PCM, segment by segment, with ``gain_db`` applied and true peaks
    limited to ``ceiling_dbtp`` (when given)."""
    rate = joined.sample_rate
    stop = joined.total_samples if stop is None else stop
    silence = bytes(2 * rate)
    scale = np.float32(10 ** (gain_db / 20) / 32768)
    ceiling = None if ceiling_dbtp is None else 10 ** (ceiling_dbtp / 20)
    report = lu.LimiterReport()
    position = 0

    def pause(count: int) -> None:
        nonlocal position
        wanted = max(0, min(position + count, stop) - max(position, start))
        position += count
        while wanted > 0:
            take = min(wanted, rate)
            write(silence[: 2 * take])
            wanted -= take

    pause(joined.lead)
    for piece in joined.pieces:
        if position >= stop:
            break
        length = piece.end - piece.first
        if position + length > start:
            speech = faded(_read_frames(piece.source, piece.first, piece.end), rate)
            if speech.size and (gain_db or ceiling is not None):
                samples = speech.astype(np.float32) * scale
                if ceiling is not None:
                    limited = lu.limit_true_peak(samples, ceiling, rate)
                    report.limited_samples += limited.limited_samples
                    report.peak = max(report.peak, limited.peak)
                speech = np.clip(np.rint(samples * 32768), -32768, 32767).astype("<i2")
            wanted = speech[max(0, start - position) : min(length, stop - position)]
            write(wanted.astype("<i2", copy=False).tobytes())
        position += length
        pause(piece.pause)
    return report


def join_segments(
    rendered: Sequence[RenderedSegment], pauses: PauseRules, dst: Path
) -> JoinedAudio:
    """Each segment's trimmed, faded speech and the pause after it, appended to the WAV ``dst``
    as rendered (no gain, no limiting); one segment in memory at a time."""
    dst = Path(dst)
    with tempfile.TemporaryDirectory(prefix=".join-", dir=dst.parent) as tmp:
        joined = plan_join(rendered, pauses, Path(tmp), measure=False)
        with wave.open(str(dst), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(joined.sample_rate)
            stream_joined(joined, out.writeframesraw)
    joined.path = dst
    joined.pieces = []  # their converted copies are gone
    return joined


def chapter_marks(
    rendered: Sequence[RenderedSegment], chapter_titles: Sequence[str], joined: JoinedAudio
) -> list[ChapterMark]:
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


def encode_joined(
    joined: JoinedAudio,
    formats: Sequence[str],
    staged: dict[str, Path],
    *,
    language: str,
    gain_db: float = 0.0,
    ceiling_dbtp: float | None = None,
    jobs: int | None = None,
    say: Callable[[str], None] | None = None,
) -> dict[str, Loudness]:
    """Encode every format in ``formats`` at once, each measured as it is made: the MP3 in
    this process, in up to ``jobs`` parts at once (None: one per core; ``encode_mp3``), the
    AAC formats by ffmpeg (``encode_aac``) meanwhile. ``say`` hears of the MP3's progress."""
    aac = [fmt for fmt in formats if codec_of(fmt) == "aac"]
    settings = {"gain_db": gain_db, "ceiling_dbtp": ceiling_dbtp}
    measured: dict[str, Loudness] = {}
    with ThreadPoolExecutor(1) as side:
        aac_job = side.submit(encode_aac, joined, aac, staged, language=language, **settings)
        try:
            if "mp3" in formats:
                measured["mp3"] = encode_mp3(joined, staged["mp3"], jobs=jobs, say=say, **settings)
        finally:
            measured.update(aac_job.result())
    return measured


def encode_mp3(
    joined: JoinedAudio,
    dst: Path,
    *,
    gain_db: float = 0.0,
    ceiling_dbtp: float | None = None,
    jobs: int | None = None,
    split: bool = True,
    say: Callable[[str], None] | None = None,
) -> Loudness:
    """The joined episode as an MP3 at ``dst``, made in parts on up to ``jobs`` threads at once
    (``mp3`` explains how), each part fed by its own pass B and decoded again to be measured;
    its loudness. ``split=False`` makes it in one part; ``say`` hears of each part done.

    When LAME frames a part otherwise than the cuts were planned for (another LAME than the
    one measured), the MP3 is made again in one part.
    """
    rate = joined.sample_rate
    threads = jobs or os.cpu_count() or 1
    # Two parts a thread: while the last parts encode, the first ones are decoded and measured.
    count = 2 * threads if threads > 1 and split else 1
    parts = mp3.plan_parts(joined.silences(), joined.total_samples, rate, count)
    paths = [dst.with_name(f"{dst.stem}.part{n}{dst.suffix}") for n in range(len(parts))]

    def encode(
        part: tuple[int, int], path: Path, encoder: mp3.PartEncoder
    ) -> tuple[mp3.EncodedPart, lu.LoudnessMeter, float]:
        start, stop = part
        try:
            stream_joined(
                joined,
                encoder.write,
                gain_db=gain_db,
                ceiling_dbtp=ceiling_dbtp,
                start=start,
                stop=stop,
            )
        except BaseException:
            encoder.abort()
            raise
        encoder.finish()
        # the part decodes to its frames' full length from ``start``: nothing trimmed yet
        meter, peak = lu.LoudnessMeter(rate, start=start), lu.TruePeakMeter()
        for samples in mp3.decoded(path, rate):
            meter.feed(samples)
            peak.feed(samples)
        return mp3.read_part(path), meter, peak.finish()

    encoders: list[mp3.PartEncoder] = []
    try:
        encoders += [mp3.PartEncoder(path, rate) for path in paths]
        with ThreadPoolExecutor(min(threads, len(parts))) as pool:
            # longest first, so that no long part starts last and the others wait for it
            order = sorted(range(len(parts)), key=lambda n: parts[n][0] - parts[n][1])
            running = {n: pool.submit(encode, parts[n], paths[n], encoders[n]) for n in order}
            for count, _ in enumerate(as_completed(running.values()), 1):
                if say and len(parts) > 1:
                    say(f"mp3: {count} of {len(parts)} parts encoded")
            done = [running[n].result() for n in range(len(parts))]
        planned = [mp3.encoded_frames(stop - start, rate) for start, stop in parts[:-1]]
        if [len(part.sizes) for part, _, _ in done[:-1]] != planned:
            log.warning("LAME framed the MP3's parts unexpectedly; making it in one part")
            return encode_mp3(
                joined,
                dst,
                gain_db=gain_db,
                ceiling_dbtp=ceiling_dbtp,
                jobs=1,
                split=False,
                say=say,
            )
        mp3.write_mp3(dst, [part for part, _, _ in done], joined.total_samples)
    finally:
        for encoder in encoders:
            encoder.abort()  # closed already, unless something failed
        for path in paths:
            path.unlink(missing_ok=True)
    if len(parts) > 1:
        log.debug("mp3 made in %d parts, cut at samples %s", len(parts), [s for s, _ in parts[1:]])
    meter = lu.LoudnessMeter(rate)
    for _, part_meter, _ in done:
        meter.merge(part_meter)
    return lu.loudness_of(meter, max(peak for _, _, peak in done))


def encode_aac(
    joined: JoinedAudio,
    formats: Sequence[str],
    staged: dict[str, Path],
    *,
    language: str,
    gain_db: float = 0.0,
    ceiling_dbtp: float | None = None,
) -> dict[str, Loudness]:
    """Encode the AAC ``formats`` (M4B, M4A) at once from one pass B, each by its ffmpeg and
    measured as it encodes.

    Pass B runs ahead of the encoders by a few megabytes (a writer thread feeds them), so an
    encoder never waits while a segment is being limited.
    """
    if not formats:
        return {}
    jobs: list[MeteredEncode] = []
    queue: Queue[bytes | None] = Queue(maxsize=32)
    failures: list[BaseException] = []

    def feed() -> None:
        try:
            while (pcm := queue.get()) is not None:
                for job in jobs:
                    job.write(pcm)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            failures.append(exc)
            while queue.get() is not None:  # keep pass B from blocking on a full queue
                pass

    def write(pcm: bytes) -> None:
        if failures:
            raise failures[0]
        queue.put(pcm)

    writer = threading.Thread(target=feed, daemon=True)
    try:
        for fmt in formats:
            jobs.append(MeteredEncode(staged[fmt], fmt, joined.sample_rate, language=language))
        writer.start()
        try:
            report = stream_joined(joined, write, gain_db=gain_db, ceiling_dbtp=ceiling_dbtp)
        finally:
            queue.put(None)
            writer.join()
        if failures:
            raise failures[0]
        measured = {job.fmt: job.finish() for job in jobs}
    except BaseException:
        for job in jobs:
            job.abort()
        raise
    if ceiling_dbtp is not None:
        log.debug(
            "limiter: %d samples lowered, joined true peak %.2f dBTP",
            report.limited_samples,
            lu.db(report.peak),
        )
    return measured


def _settings(joined: JoinedAudio, formats: Sequence[str]) -> tuple[float, float]:
    """(gain dB, limiter ceiling dBTP) aimed at −16 LUFS and −1 dBTP in every format's file.

    The gain is solved for with the limiter's loss foreseen from pass A's peak levels
    (``loudness.limited_loss_db``, within 0.02 LU of the real limiter on speech) and the
    codecs' losses measured once; formats encoded together share one aim, between theirs.
    """
    measured = joined.meter.integrated()
    if measured < lu.SILENT_LUFS:
        raise AudioError(
            f"the joined speech is silent ({measured:.1f} LUFS): "
            "check that the TTS engine produced audible audio"
        )
    codecs = {codec_of(fmt) for fmt in formats}
    ceiling = min(LIMITER_CEILING_DBTP[codec] for codec in codecs)
    aim = lu.TARGET_LUFS + sum(CODEC_LOSS_LU[codec] for codec in codecs) / len(codecs)

    def reached(gain: float) -> float:  # rises with the gain, ever more slowly
        return measured + gain + lu.limited_loss_db(joined.level_energy, gain, ceiling)

    low, high = aim - measured, aim - measured + 20.0
    for _ in range(30):  # bisection to 0.0001 dB
        middle = (low + high) / 2
        low, high = (middle, high) if reached(middle) < aim else (low, middle)
    return min((low + high) / 2, lu.MAX_GAIN_DB), ceiling


def _corrected(gain_db: float, ceiling_dbtp: float, measured: Loudness) -> tuple[float, float]:
    """Settings adjusted by what the encoded file measured."""
    gain = min(gain_db + lu.TARGET_LUFS - measured.integrated_lufs, lu.MAX_GAIN_DB)
    overshoot = measured.true_peak_dbtp - (lu.MAX_TRUE_PEAK_DBTP - CORRECTION_MARGIN_DB)
    return gain, ceiling_dbtp - max(0.0, overshoot)


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
) -> Episode:
    """Join rendered segments into ``<slug>.<format>`` files with chapters, tags, cover, measured
    loudness, plus ``<slug>.chapters.json``, ``.vtt`` and ``.srt``, all in ``out_dir``.

    Every file is built in a hidden work folder inside ``out_dir`` and renamed into place only
    when all of them are complete, so a failure leaves no half-written file. Raises AudioError
    (ffmpeg or assembly failed) or OutputError (``out_dir`` not writable).
    """
    out_dir = Path(out_dir)
    wanted = _check_request(rendered, chapter_titles, formats, slug)
    prepare_out_dir(out_dir)
    given_cover = episode_cover(meta.cover, meta.title) if meta.cover else None  # fails early
    say = _Progress(progress)
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
            chapters = chapter_marks(rendered, chapter_titles, joined)
            cues = transcript_cues(rendered, joined)
            staged = {fmt: work / f"episode.{fmt}" for fmt in wanted}
            minutes = joined.total_samples / joined.sample_rate / 60
            gain = ceiling = None
            if normalise:
                gain, ceiling = _settings(joined, wanted)
                say(
                    f"joined {len(rendered)} segments ({minutes:.1f} min, "
                    f"{joined.meter.integrated():.1f} LUFS as rendered); encoding "
                    f"{', '.join(wanted)} at {gain:+.1f} dB, true peaks limited to "
                    f"{ceiling:.1f} dBTP"
                )
            else:
                say(
                    f"joined {len(rendered)} segments ({minutes:.1f} min); "
                    f"encoding {', '.join(wanted)}"
                )
            measured = encode_joined(
                joined,
                wanted,
                staged,
                language=meta.language,
                gain_db=gain or 0.0,
                ceiling_dbtp=ceiling,
                jobs=jobs,
                say=say if minutes >= PART_PROGRESS_MINUTES else None,
            )
            for fmt in wanted:
                fmt_gain, fmt_ceiling = gain, ceiling
                for _ in range(CORRECTIONS if normalise else 0):
                    if lu.within_target(measured[fmt]):
                        break
                    # the safety net: rare, and only for the format that missed
                    say(f"{fmt} measured {lu.describe(measured[fmt])}; encoding it again")
                    fmt_gain, fmt_ceiling = _corrected(fmt_gain, fmt_ceiling, measured[fmt])
                    measured.update(
                        encode_joined(
                            joined,
                            [fmt],
                            staged,
                            language=meta.language,
                            gain_db=fmt_gain,
                            ceiling_dbtp=fmt_ceiling,
                            jobs=jobs,
                        )
                    )
                if normalise and not lu.within_target(measured[fmt]):
                    log.warning(
                        "%s still measures %s (target %.0f LUFS, at most %.0f dBTP)",
                        fmt,
                        lu.describe(measured[fmt]),
                        lu.TARGET_LUFS,
                        lu.MAX_TRUE_PEAK_DBTP,
                    )

            cover = given_cover or cover_job.result()
            for fmt in wanted:
                path = staged[fmt]
                if codec_of(fmt) == "aac":
                    write_chapters(path, chapters, container="mp4")  # remux first: tags last
                    write_tags(path, fmt, meta, cover, measured[fmt])
                else:
                    write_tags(path, fmt, meta, cover, measured[fmt])
                    write_chapters(path, chapters, container="id3")
                say(f"{fmt}: {lu.describe(measured[fmt])}")

            sidecars = [work / f"episode.{ext}" for ext in ("chapters.json", "vtt", "srt")]
            write_chapters(sidecars[0], chapters, container="json")
            write_vtt(cues, sidecars[1])
            write_srt(cues, sidecars[2])
            _verify_chapters(list(staged.values()), sidecars[0], chapters)

            final = []
            for path in [*staged.values(), *sidecars]:
                target = out_dir / f"{slug}{path.name[len('episode') :]}"
                os.replace(path, target)
                final.append(target)
    except OSError as exc:
        if exc.errno in (
            errno.ENOSPC,
            errno.EFBIG,
            errno.EACCES,
            errno.EROFS,
            errno.EDQUOT,
            errno.EPERM,
        ):
            raise OutputError(
                f"cannot write the episode to {out_dir} ({exc.strerror}): "
                "free some space or choose another folder with -o"
            ) from None
        raise

    say(f"done: {final[0]} ({joined.duration_ms / 60000:.1f} min, {len(chapters)} chapters)")
    return Episode(
        files=final[: len(staged)],
        duration_ms=joined.duration_ms,
        chapters=chapters,
        cues=cues,
        loudness=measured[wanted[0]],
        sidecars=final[len(staged) :],
    )


def _verify_chapters(audio: list[Path], json_path: Path, chapters: list[ChapterMark]) -> None:
    """Read every file's chapters back; any difference from ``chapters`` is a bug, not a warning."""
    expected = [(c.title, c.start_ms, c.end_ms) for c in chapters]
    found = {
        path: [(c.title, c.start_ms, c.end_ms) for c in read_stored_chapters(path)]
        for path in audio
    }
    found[json_path] = [
        (c.title, c.start_ms, c.end_ms)
        for c in read_json_chapters(json_path, duration_ms=chapters[-1].end_ms)
    ]
    for path, marks in found.items():
        if marks != expected:
            raise AudioError(
                f"chapters read back from {path.name} differ from those written: "
                f"{marks} != {expected}"
            )
