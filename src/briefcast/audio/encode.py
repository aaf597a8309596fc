"""Running the encoders: every format of a build at once from the joined timeline, each file
measured as it is made: the MP3 in this process, cut into parts that LAME encodes on every core
(``mp3``), the AAC formats through one ffmpeg each meanwhile (``aac``)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from queue import Queue

from ..models import Loudness
from . import loudness as lu
from . import mp3
from .aac import MeteredEncode
from .formats import codec_of
from .gain import Levels
from .limiter import LimiterReport
from .timeline import JoinedAudio, stream_joined

log = logging.getLogger(__name__)


def encode_joined(
    joined: JoinedAudio,
    formats: Sequence[str],
    staged: dict[str, Path],
    *,
    language: str,
    levels: dict[str, Levels] | None = None,
    jobs: int | None = None,
    say: Callable[[str], None] | None = None,
) -> dict[str, Loudness]:
    """Encode every format in ``formats`` at once, each with its codec's ``levels`` (None: as
    joined) and measured as it is made: the MP3 in this process, in up to ``jobs`` parts at once
    (None: one per core; ``encode_mp3``), the AAC formats by ffmpeg (``encode_aac``) meanwhile.
    ``say`` hears of the MP3's progress."""
    levels = levels or {}
    aac = [fmt for fmt in formats if codec_of(fmt) == "aac"]
    aac_levels = levels.get("aac", Levels())
    measured: dict[str, Loudness] = {}
    with ThreadPoolExecutor(1) as side:
        aac_job = side.submit(encode_aac, joined, aac, staged, language=language, levels=aac_levels)
        try:
            if "mp3" in formats:
                mp3_levels = levels.get("mp3", Levels())
                measured["mp3"] = encode_mp3(
                    joined, staged["mp3"], levels=mp3_levels, jobs=jobs, say=say
                )
        finally:
            measured.update(aac_job.result())
    return measured


def _encode_part(
    joined: JoinedAudio,
    part: tuple[int, int],
    encoder: mp3.PartEncoder,
    path: Path,
    levels: Levels,
) -> tuple[mp3.EncodedPart, lu.LoudnessMeter, float]:
    """One MP3 part fed by its own pass B, then decoded again and measured."""
    start, stop = part
    try:
        stream_joined(
            joined,
            encoder.write,
            gain_db=levels.gain_db,
            ceiling_dbtp=levels.ceiling_dbtp,
            start=start,
            stop=stop,
        )
    except BaseException:
        encoder.abort()
        raise
    encoder.finish()
    # the part decodes to its frames' full length from ``start``: nothing trimmed yet
    rate = joined.sample_rate
    meter, peak = lu.LoudnessMeter(rate, start=start), lu.TruePeakMeter()
    for samples in mp3.decoded(path, rate):
        meter.feed(samples)
        peak.feed(samples)
    return mp3.read_part(path), meter, peak.finish()


def encode_mp3(
    joined: JoinedAudio,
    dst: Path,
    *,
    levels: Levels = Levels(),
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
    encoders: list[mp3.PartEncoder] = []
    try:
        encoders += [mp3.PartEncoder(path, rate) for path in paths]
        with ThreadPoolExecutor(min(threads, len(parts))) as pool:
            # longest first, so that no long part starts last and the others wait for it
            order = sorted(range(len(parts)), key=lambda n: parts[n][0] - parts[n][1])
            running = {
                n: pool.submit(_encode_part, joined, parts[n], encoders[n], paths[n], levels)
                for n in order
            }
            for count, _ in enumerate(as_completed(running.values()), 1):
                if say and len(parts) > 1:
                    say(f"mp3: {count} of {len(parts)} parts encoded")
            done = [running[n].result() for n in range(len(parts))]
        planned = [mp3.encoded_frames(stop - start, rate) for start, stop in parts[:-1]]
        if [len(part.sizes) for part, _, _ in done[:-1]] != planned:
            log.warning("LAME framed the MP3's parts unexpectedly; making it in one part")
            return encode_mp3(joined, dst, levels=levels, jobs=1, split=False, say=say)
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
    levels: Levels = Levels(),
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
            report = stream_joined(
                joined, write, gain_db=levels.gain_db, ceiling_dbtp=levels.ceiling_dbtp
            )
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
    _log_limiter(report, levels)
    return measured


def _log_limiter(report: LimiterReport, levels: Levels) -> None:
    if levels.ceiling_dbtp is not None:
        log.debug(
            "limiter: %d samples lowered, joined true peak %.2f dBTP",
            report.limited_samples,
            lu.db(report.peak),
        )
