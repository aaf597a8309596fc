"""The rendering worker processes: how many (one per core, bounded by memory at the voices'
measured peak), how each is set up (it loads each voice once and gives its sessions a share of
the cores), and the task each one runs, retried once. Started once, reused by every build in
this process.

Why processes with one compute thread each rather than one session with a thread per core:
measured with Piper's ``en_US-joe-medium`` by ``make bench-tts``, the same sentences took 27%
less CPU and 0.70× the wall time (figures in ``briefcast.tts.piper``'s docstring).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import EngineError, VoiceError
from ..lazy import lazy_import
from .base import Engine, limit_threads, peak_memory
from .engines import engine_target, get_engine, register_engine
from .level import match_level
from .profile import VoiceProfile
from .wav import excerpt

log = logging.getLogger(__name__)
psutil = lazy_import("psutil")  # asked only when a neural voice bounds the workers by memory
np = lazy_import("numpy")  # every worker levels its segments with it (``level``)

_POOL: tuple[int, ProcessPoolExecutor] | None = None
_THREADS: int | None = None
"""In a worker process: the compute threads each engine session gets (None: the default)."""


@dataclass(frozen=True)
class Task:
    """One rendering for a worker; carries the engine's registration so that workers started
    before a ``register_engine`` still find it, and where the segment sits in the script."""

    engine: str
    engine_target: str
    text: str
    profile: VoiceProfile
    path: Path
    index: int = 0
    """The segment's position in the script, from 1 (0: not a script's segment)."""
    total: int = 0


def voice_peak(profile: VoiceProfile) -> int:
    """Bytes a worker needs at its peak with ``profile``'s engine and model loaded; 0 for a
    light voice (espeak-ng), more for a neural one (``base.peak_memory``)."""
    return peak_memory(get_engine(profile.engine), profile)


def worker_count(jobs: int | None = None, profiles: Iterable[VoiceProfile] = ()) -> int:
    """Rendering processes for ``jobs`` (None: one per core), no more than the available memory
    holds at the heaviest voice's peak; 1 means render in this process."""
    count = max(1, jobs or os.cpu_count() or 1)
    peak = max((voice_peak(p) for p in profiles), default=0)
    if peak and count > 1:
        count = max(1, min(count, psutil.virtual_memory().available // peak))
    return count


def start_workers(
    jobs: int | None = None, *, warm: VoiceProfile | None = None, models: bool = False
) -> None:
    """Start the worker processes now instead of at the first rendering, so that their start
    overlaps other work. Call it while this process has one thread: they are then forked.

    With ``warm``, every worker also renders a word in that voice, which loads the espeak
    library and data before the first real segment needs it. A neural voice is warmed only
    with ``models`` (a build that will render): its model takes a second of both cores and half
    a GB per worker to load, which a rendering that finds every segment cached would pay for
    nothing.
    """
    count = worker_count(jobs, [warm] if warm is not None else [])
    if count > 1:
        pool = get_pool(count)
        pool.submit(os.getpid)  # the first task makes the pool start its processes
        if warm is not None and (models or not voice_peak(warm)):
            task = Task(warm.engine, engine_target(warm.engine), "Hello.", warm, Path())
            for _ in range(count):  # one each, unless a worker is quick enough to take two
                pool.submit(_warm_up, task)


def render_task(task: Task) -> float:
    """Render one task with this process's engine; a failure is retried once, then raised as an
    EngineError naming the segment."""
    try:
        known = engine_target(task.engine)
    except VoiceError:
        known = None
    if known != task.engine_target:
        register_engine(task.engine, task.engine_target)
    engine = get_engine(task.engine)
    if _THREADS is not None:
        limit_threads(engine, _THREADS)
    try:
        return _rendered(engine, task)
    except EngineError as exc:
        log.debug("first attempt at %r failed: %s", excerpt(task.text), exc)
    try:
        return _rendered(engine, task)
    except EngineError as exc:
        if not task.index:
            raise
        raise EngineError(
            f"segment {task.index} of {task.total} failed twice ({exc}); its line in the script "
            f"file reads {excerpt(task.text)!r} (voice {task.profile.name}): edit it and run "
            "`briefcast render`, or choose another voice"
        ) from exc


def _rendered(engine: Engine, task: Task) -> float:
    seconds = engine.render(task.text, task.profile, task.path)
    match_level(task.path, task.profile.volume)  # every engine and voice at one loudness
    return seconds


def render_chunk(tasks: list[Task]) -> list[float]:
    """Worker side: render several tasks (cheap engines are sent a few at a time)."""
    return [render_task(task) for task in tasks]


def _warm_up(task: Task) -> None:
    """Worker side: render ``task``'s text to a scratch file, to load the engine; never fails
    (a real rendering reports the engine's problem properly)."""
    try:
        with tempfile.TemporaryDirectory(prefix="briefcast-warm-") as scratch:
            render_task(replace(task, path=Path(scratch) / "warm.wav"))
    except Exception:  # noqa: BLE001
        log.debug("warming the %s engine failed", task.engine, exc_info=True)


def _init_worker(threads: int) -> None:
    """Worker side, once: Ctrl-C (sent to the whole process group) and SIGTERM are the main
    process's to handle (a worker finishes the segment it is on, so no half file is left, and
    prints no traceback of its own), and sessions share the cores with the other workers."""
    global _THREADS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _THREADS = threads


def get_pool(count: int) -> ProcessPoolExecutor:
    """The pool of ``count`` workers (the running one when it has that size)."""
    global _POOL
    if _POOL is not None and _POOL[0] == count:
        return _POOL[1]
    discard_pool()
    # Loaded before the workers fork, numpy is theirs at no cost; imported by each at its first
    # segment, it took 0.14 s of CPU per worker, in the middle of the first fit round.
    np.ndarray  # noqa: B018 - looking an attribute up loads the lazy module
    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["briefcast.tts.render", "numpy"])
    threads = max(1, (os.cpu_count() or 1) // count)
    executor = ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_init_worker, initargs=(threads,)
    )
    _POOL = (count, executor)
    return executor


def discard_pool(wait: bool = False) -> None:
    """Stop the workers (after the segment each is on) and forget the pool; with ``wait``, only
    return once they have stopped."""
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
