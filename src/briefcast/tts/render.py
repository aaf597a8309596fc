"""Render a script's segments: cache look-ups in the main process, engine work in the worker
processes (see ``workers``), progress on stderr, results in script order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ..errors import EngineError, VoiceError
from ..models import RenderedSegment, Segment
from .cache import SegmentCache, segment_key
from .engines import engine_target
from .identity import voice_digest
from .profile import VoiceProfile
from .progress import RenderProgress
from .wav import write_wav
from .workers import (
    Task,
    discard_pool,
    get_pool,
    render_chunk,
    render_task,
    voice_peak,
    worker_count,
)

SILENCE_SECONDS = 0.25
"""What a segment with nothing speakable in it (say "…") becomes."""


@dataclass
class RenderStats:
    """Running totals for this process, so a test can count real engine calls."""

    rendered: int = 0
    """Segments an engine actually rendered."""
    cached: int = 0
    """Segments served from the cache."""


STATS = RenderStats()


@dataclass
class _Plan:
    """Where each segment's audio comes from: found (cache, silence) or a task to render."""

    keys: list[str]
    found: dict[str, tuple[Path, float]]
    tasks: dict[str, Task]
    cached: int = 0


def render_segments(
    segments: Sequence[Segment],
    profiles: dict[str, VoiceProfile],
    workdir: Path,
    *,
    chapters: Sequence[int] | None = None,
    jobs: int | None = None,
    cache: SegmentCache | None = None,
    progress: bool | None = True,
    on_rendered: Callable[[Path], object] | None = None,
) -> list[RenderedSegment]:
    """Render every segment with its voice profile (``profiles[segment.voice]``).

    Returns one RenderedSegment per segment, in input order, with its chapter index from
    ``chapters`` (default 0). Cached segments cost a header check; the rest are rendered once
    per distinct (voice, text) across the worker processes (``jobs``, default one per core,
    fewer when memory is short; 1 renders in this process). Without a cache the files go to
    ``workdir``. ``progress``: True shows a live line on a terminal and a summary line
    otherwise; False the summary line only; None nothing. ``on_rendered`` is called in this
    process with each file an engine rendered, as it arrives, while the others still render.
    """
    workdir = Path(workdir)
    plan = _plan(segments, profiles, workdir, cache)
    tasks = list(plan.tasks.values())
    voices = {profiles[s.voice] for s in segments}
    heavy = any(voice_peak(p) for p in voices)
    count = worker_count(jobs, voices) if tasks else 1
    bar = RenderProgress(len(tasks), progress)
    try:
        results = _run(tasks, count, heavy, bar, on_rendered or (lambda _path: None))
        for key, seconds in zip(plan.tasks, results, strict=True):
            plan.found[key] = (plan.tasks[key].path, seconds)
    finally:
        bar.close(cached=plan.cached)  # the live line goes whatever happened
    STATS.rendered += len(tasks)
    STATS.cached += plan.cached
    chapter_of = list(chapters) if chapters is not None else [0] * len(segments)
    return [
        RenderedSegment(segment, chapter, *plan.found[key])
        for segment, chapter, key in zip(segments, chapter_of, plan.keys, strict=True)
    ]


def _plan(
    segments: Sequence[Segment],
    profiles: dict[str, VoiceProfile],
    workdir: Path,
    cache: SegmentCache | None,
) -> _Plan:
    """Key every segment by its voice's digest and text; look each distinct key up once."""
    digests: dict[str, str] = {}
    plan = _Plan([], {}, {})
    for index, segment in enumerate(segments, start=1):
        profile = profiles.get(segment.voice)
        if profile is None:
            raise VoiceError(
                f"the script uses voice {segment.voice!r} but no such profile was given; "
                f"known: {', '.join(sorted(profiles)) or 'none'}"
            )
        if profile.name not in digests:
            digests[profile.name] = voice_digest(profile)
        key = segment_key(digests[profile.name], segment.text)
        plan.keys.append(key)
        if key in plan.found or key in plan.tasks:
            continue
        if not any(ch.isalnum() for ch in segment.text):
            workdir.mkdir(parents=True, exist_ok=True)
            path = workdir / f"silence-{key[:20]}.wav"
            write_wav(path, b"\0\0" * int(22050 * SILENCE_SECONDS), 22050)
            plan.found[key] = (path, SILENCE_SECONDS)
            continue
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            plan.found[key] = hit
            plan.cached += 1
            continue
        if cache is not None:
            path = cache.prepare(key)
        else:
            workdir.mkdir(parents=True, exist_ok=True)
            path = workdir / f"segment-{key[:20]}.wav"
        target = engine_target(profile.engine)
        task = Task(profile.engine, target, segment.text, profile, path, index, len(segments))
        plan.tasks[key] = task
    return plan


def _run(
    tasks: list[Task],
    count: int,
    heavy: bool,
    bar: RenderProgress,
    on_rendered: Callable[[Path], object],
) -> list[float]:
    """Each task's seconds, in order: in this process for one worker, else in the pool."""
    if count == 1:
        results = []
        for task in tasks:
            results.append(render_task(task))
            bar.advance(results[-1])
            on_rendered(task.path)
        return results
    order = list(range(len(tasks)))
    chunk = max(1, min(16, len(tasks) // (count * 4)))
    if heavy:
        # Neural segments take a second or more each: sent one at a time, longest first, every
        # core stays busy to the end instead of one finishing a long segment alone.
        order.sort(key=lambda i: -len(tasks[i].text))
        chunk = 1
    pool = get_pool(count)
    results = [0.0] * len(tasks)
    futures: dict[Future, list[int]] = {}
    for start in range(0, len(order), chunk):
        span = order[start : start + chunk]
        futures[pool.submit(render_chunk, [tasks[i] for i in span])] = span
    try:
        for future in _as_completed(futures):
            for i, seconds in zip(futures[future], future.result(), strict=True):
                results[i] = seconds
                bar.advance(seconds)
                on_rendered(tasks[i].path)
    except BrokenProcessPool as exc:
        discard_pool()
        raise EngineError(
            "a rendering worker process died (the TTS engine crashed); "
            "try again, or render with --jobs 1 to see the engine's own error"
        ) from exc
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results


def _as_completed(futures: dict[Future, list[int]]):
    """Futures as they finish; an interrupted wait stops the workers after their segment."""
    try:
        yield from as_completed(futures)
    except KeyboardInterrupt:
        # The caller is about to remove the folders the running tasks write into: let them end
        # first, or they would fail there and say so.
        discard_pool(wait=True)
        raise
