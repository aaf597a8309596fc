"""Render a script's segments: cache look-ups in the main process, engine work in a pool of
worker processes (each owning its engines), results in script order."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EngineError, VoiceError
from ..models import Segment
from .base import _REGISTRY, get_engine, register_engine, write_wav
from .cache import SegmentCache, segment_key
from .voices import VoiceProfile

log = logging.getLogger(__name__)

PROGRESS_MIN = 8
"""Fewer segments to render than this and no progress bar is shown."""
SILENCE_SECONDS = 0.25
"""What a segment with nothing speakable in it (say "…") becomes."""


@dataclass
class RenderResult:
    """One segment's audio. ``wav_path`` may be a cache entry: read it, never modify it."""

    segment: Segment
    wav_path: Path
    duration: float
    """Seconds of audio in ``wav_path``."""
    cached: bool
    """True when the audio came from the cache (no engine call)."""


@dataclass
class RenderStats:
    """Running totals for this process, so a test can count real engine calls."""

    rendered: int = 0
    """Segments an engine actually rendered."""
    cached: int = 0
    """Segments served from the cache."""

    def reset(self) -> None:
        self.rendered = self.cached = 0


STATS = RenderStats()


@dataclass(frozen=True)
class _Task:
    """One rendering for a worker; carries the engine's registration so workers started
    before a ``register_engine`` still find it."""

    engine: str
    engine_target: str
    text: str
    profile: VoiceProfile
    path: Path


def render_segments(
    segments: Sequence[Segment],
    profiles: dict[str, VoiceProfile],
    workdir: Path,
    *,
    jobs: int | None = None,
    cache: SegmentCache | None = None,
    progress: bool = True,
) -> list[RenderResult]:
    """Render every segment with its voice profile (``profiles[segment.voice]``).

    Returns one RenderResult per segment, in input order (the caller adds chapter indexes).
    Cached segments cost a header check; the rest are rendered once per distinct (voice,
    text) across ``jobs`` worker processes (default: the number of cores; 1 renders in this
    process). Without a cache the files go to ``workdir``.
    """
    workdir = Path(workdir)
    jobs = worker_count(jobs)
    keys: list[str] = []
    planned: dict[str, _Task] = {}
    found: dict[str, tuple[Path, float, bool]] = {}
    silent: dict[str, Path] = {}
    versions: dict[str, str] = {}
    for segment in segments:
        profile = profiles.get(segment.voice)
        if profile is None:
            raise VoiceError(
                f"the script uses voice {segment.voice!r} but no such profile was given; "
                f"known: {', '.join(sorted(profiles)) or 'none'}"
            )
        if profile.engine not in versions:
            versions[profile.engine] = get_engine(profile.engine).version()
        key = segment_key(
            profile.engine, versions[profile.engine], profile.settings(), segment.text
        )
        keys.append(key)
        if key in found or key in planned or key in silent:
            continue
        if not any(ch.isalnum() for ch in segment.text):
            silent[key] = workdir / f"silence-{key[:20]}.wav"
            continue
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            found[key] = (hit[0], hit[1], True)
            continue
        if cache is not None:
            path = cache.prepare(key)
        else:
            workdir.mkdir(parents=True, exist_ok=True)
            path = workdir / f"segment-{key[:20]}.wav"
        planned[key] = _Task(profile.engine, _REGISTRY[profile.engine], segment.text, profile, path)

    for key, path in silent.items():
        workdir.mkdir(parents=True, exist_ok=True)
        write_wav(path, b"\0\0" * int(22050 * SILENCE_SECONDS), 22050)
        found[key] = (path, SILENCE_SECONDS, False)

    tasks = list(planned.values())
    started = time.monotonic()
    bar = _Progress(len(tasks)) if progress and len(tasks) >= PROGRESS_MIN else None
    for key, seconds in zip(planned, _run(tasks, jobs, bar), strict=True):
        found[key] = (planned[key].path, seconds, False)
    if bar:
        bar.done(time.monotonic() - started, cached=len(segments) - len(tasks))
    STATS.rendered += len(tasks)
    STATS.cached += sum(1 for k in keys if found[k][2])
    return [
        RenderResult(segment, found[key][0], found[key][1], found[key][2])
        for segment, key in zip(segments, keys, strict=True)
    ]


def _run(tasks: list[_Task], jobs: int, bar: _Progress | None):
    """Yield each task's seconds in order: in this process for one job, else in the pool."""
    if not tasks:
        return
    if jobs == 1:
        for task in tasks:
            yield _render_task(task)
            if bar:
                bar.step()
        return
    pool = _pool(jobs)
    chunk = max(1, min(16, len(tasks) // (jobs * 4)))
    try:
        for seconds in pool.map(_render_task, tasks, chunksize=chunk):
            yield seconds
            if bar:
                bar.step()
    except KeyboardInterrupt:
        # The caller is about to remove the folders the running tasks write into: let them end
        # first, or they would fail there and say so (the workers ignore the interrupt).
        _discard_pool(wait=True)
        raise
    except BrokenProcessPool as exc:
        _discard_pool()
        raise EngineError(
            "a rendering worker process died (the TTS engine crashed); "
            "try again, or render with --jobs 1 to see the engine's own error"
        ) from exc


def _render_task(task: _Task) -> float:
    """Worker side: render one task with this process's engine."""
    if _REGISTRY.get(task.engine) != task.engine_target:
        register_engine(task.engine, task.engine_target)
    return get_engine(task.engine).render(task.text, task.profile, task.path)


# -- the worker pool: started once, reused by every build in this process ---------------------

_POOL: tuple[int, ProcessPoolExecutor] | None = None


def worker_count(jobs: int | None = None) -> int:
    """Rendering processes for ``jobs`` (None: one per core); 1 means render in this process."""
    return max(1, jobs or os.cpu_count() or 1)


def start_workers(jobs: int | None = None, *, warm: VoiceProfile | None = None) -> None:
    """Start the worker processes now instead of at the first rendering, so that their start
    overlaps other work. Call it while this process has one thread: they are then forked.

    With ``warm``, every worker also renders a word in that voice, which loads its engine (the
    espeak library and data, or a Piper model) before the first real segment needs it.
    """
    jobs = worker_count(jobs)
    if jobs > 1:
        pool = _pool(jobs)
        pool.submit(os.getpid)  # the first task makes the pool start its processes
        if warm is not None:
            task = _Task(warm.engine, _REGISTRY.get(warm.engine, ""), "Hello.", warm, Path())
            for _ in range(jobs):  # one each, unless a worker is quick enough to take two
                pool.submit(_warm_up, task)


def _warm_up(task: _Task) -> None:
    """Worker side: render ``task``'s text to a scratch file, to load the engine; never fails
    (a real rendering reports the engine's problem properly)."""
    import tempfile

    try:
        with tempfile.TemporaryDirectory(prefix="briefcast-warm-") as scratch:
            _render_task(replace(task, path=Path(scratch) / "warm.wav"))
    except Exception:  # noqa: BLE001
        log.debug("warming the %s engine failed", task.engine, exc_info=True)


def _pool(jobs: int) -> ProcessPoolExecutor:
    global _POOL
    if _POOL is not None and _POOL[0] == jobs:
        return _POOL[1]
    _discard_pool()
    import multiprocessing

    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["briefcast.tts.render"])
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_leave_signals_to_parent
    )
    _POOL = (jobs, executor)
    return executor


def _leave_signals_to_parent() -> None:
    """Worker side: Ctrl-C (sent to the whole process group) and SIGTERM are the main process's
    to handle; a worker that raised KeyboardInterrupt would print its own traceback, and one
    killed mid-task would turn an interrupt into a "worker died" error. The main process shuts
    the pool down on its way out, and a worker whose parent is gone sees its queue close."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _discard_pool(wait: bool = False) -> None:
    global _POOL
    if _POOL is not None:
        _POOL[1].shutdown(wait=wait, cancel_futures=True)
        _POOL = None


def _start_method() -> str:
    """``fork`` when this process has one thread (cheap, and nothing is half-started to copy);
    once espeak or onnxruntime threads run here, ``forkserver`` (``spawn`` off Linux)."""
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "forkserver"


class _Progress:
    """A one-line progress bar on stderr (a summary line when stderr is not a terminal)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.live = sys.stderr.isatty()

    def step(self) -> None:
        self.count += 1
        if self.live:
            filled = 30 * self.count // self.total
            sys.stderr.write(
                f"\rrendering [{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}"
            )
            sys.stderr.flush()

    def done(self, seconds: float, cached: int) -> None:
        end = "\n" if self.live else ""
        sys.stderr.write(
            f"{end}rendered {self.total} segments in {seconds:.1f} s ({cached} from cache)\n"
        )
        sys.stderr.flush()
