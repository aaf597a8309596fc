"""The episode's timeline: where each trimmed segment and each pause lands, in samples, and the
joined audio streamed from it (pass B), with the chapter marks and cues placed on it.

Times are kept in integer samples of the joined audio and turned into milliseconds once, at the
end, so chapters, cues and the duration never drift apart.
"""

from __future__ import annotations

import os
import tempfile
import wave
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..lazy import lazy_import
from ..models import ChapterMark, Cue, PauseRules, RenderedSegment
from . import limiter
from . import loudness as lu
from .formats import encoder_rate
from .trim import (
    FALLBACK_RATE,
    faded,
    measure_trim,
    mono16_source,
    read_frames,
    trim_at,
    trim_of,
    wav_format,
)

np = lazy_import("numpy")


@dataclass
class Piece:
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
    pieces: list[Piece] = field(default_factory=list)
    meter: lu.LoudnessMeter | None = None
    """K-weighted loudness of the joined speech as it is (before gain and limiting)."""
    level_energy: np.ndarray | None = None
    """Its K-weighted energy by peak level (``limiter.peak_level_energy``)."""

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


def pauses_after(rendered: Sequence[RenderedSegment], pauses: PauseRules) -> list[float]:
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


def _prepared(item: RenderedSegment, rate: int, scratch: Path, meter: lu.LoudnessMeter | None):
    """One segment read for pass A: its source, kept span and (``meter``) K-weighting there."""
    wav = Path(item.wav_path)
    source = mono16_source(wav, rate, scratch)
    samples = read_frames(source)
    if item.trim is None and source == wav:
        item.trim = measure_trim(wav, samples)  # read already: measured from these samples
    first, end = trim_at(trim_of(item), rate)
    end = min(end, samples.size)
    weighted = levels = None
    if meter is not None and end > first:
        speech = faded(samples[first:end], rate) / 32768.0
        weighted = meter.weighted(speech)
        levels = limiter.peak_level_energy(speech, weighted, rate)
    return source, first, end, weighted, levels


def plan_join(
    rendered: Sequence[RenderedSegment], pauses: PauseRules, work: Path, *, measure: bool = True
) -> JoinedAudio:
    """Pass A: place every segment's trimmed speech on the episode's timeline and (``measure``)
    K-weight it there; nothing is written but converted copies of odd-format segments.

    Segments are read in parallel threads, a few at a time, and placed in order.
    """
    rates = [fmt[2] for r in rendered if (fmt := wav_format(Path(r.wav_path)))]
    rate = encoder_rate(max(rates, default=FALLBACK_RATE))  # the encoders' rate: none resamples
    meter = lu.LoudnessMeter(rate) if measure else None
    joined = JoinedAudio(None, rate, 0, lead=round(pauses.edge * rate), meter=meter)
    joined.level_energy = np.zeros(limiter.LEVEL_BINS) if measure else None
    position = joined.lead

    def place(result, pause: float) -> None:
        nonlocal position
        source, first, end, weighted, levels = result
        if weighted is not None:
            meter.add_weighted(weighted, position, end - first)
            joined.level_energy += levels
        joined.spans.append((position, position + end - first))
        count = max(0, round(pause * rate))
        joined.pieces.append(Piece(source, first, end, count))
        position += end - first + count

    after = pauses_after(rendered, pauses)
    workers = min(4, os.cpu_count() or 1)
    pending: deque[tuple[Future, float]] = deque()
    with ThreadPoolExecutor(workers) as pool:
        try:
            for index, item in enumerate(rendered):
                scratch = work / f"converted-{index:05d}.wav"
                pending.append((pool.submit(_prepared, item, rate, scratch, meter), after[index]))
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
) -> limiter.LimiterReport:
    """Pass B: hand samples ``start`` to ``stop`` (default: all) of the joined episode to
    ``write`` as 16-bit PCM, segment by segment, with ``gain_db`` applied and true peaks
    limited to ``ceiling_dbtp`` (when given)."""
    rate = joined.sample_rate
    stop = joined.total_samples if stop is None else stop
    silence = bytes(2 * rate)
    scale = np.float32(10 ** (gain_db / 20) / 32768)
    ceiling = None if ceiling_dbtp is None else 10 ** (ceiling_dbtp / 20)
    report = limiter.LimiterReport()
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
            speech = faded(read_frames(piece.source, piece.first, piece.end), rate)
            if speech.size and (gain_db or ceiling is not None):
                samples = speech.astype(np.float32) * scale
                if ceiling is not None:
                    limited = limiter.limit_true_peak(samples, ceiling, rate)
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
    rendered: Sequence[RenderedSegment],
    chapter_titles: Sequence[str],
    joined: JoinedAudio,
    chapter_urls: Sequence[str | None] | None = None,
) -> list[ChapterMark]:
    """One mark per chapter that has segments: it starts where its first segment's speech starts
    (the first chapter at 0) and ends where the next begins (the last at the episode's end);
    it links to its entry of ``chapter_urls``, when given."""
    starts: list[tuple[int, int]] = []  # (chapter index, start sample)
    for item, (first, _end) in zip(rendered, joined.spans):
        if not starts or starts[-1][0] != item.chapter_index:
            starts.append((item.chapter_index, 0 if not starts else first))
    marks = []
    for n, (chapter, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else joined.total_samples
        title = " ".join(chapter_titles[chapter].split()) or f"Chapter {n + 1}"
        url = chapter_urls[chapter] if chapter_urls else None
        marks.append(ChapterMark(title, joined.ms(start), joined.ms(end), url or None))
    return marks


def transcript_cues(rendered: Sequence[RenderedSegment], joined: JoinedAudio) -> list[Cue]:
    """One cue per segment, spanning its trimmed speech in the joined audio."""
    return [
        Cue(joined.ms(first), joined.ms(end), " ".join(item.segment.text.split()))
        for item, (first, end) in zip(rendered, joined.spans)
    ]
