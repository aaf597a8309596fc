"""onnxruntime sessions for the neural engines, loaded from a copy of the model that
onnxruntime has optimized once, instead of optimizing the model again in every process.

Creating a session runs onnxruntime's graph optimizations each time: measured here, 1.1 s of
CPU for Piper's 63 MB ``en_US-joe-medium`` and 1.45 s for Kokoro's int8 model, in each worker of
each build, while the article is being planned. Saved once, the optimized graph loads in 0.3 and
0.46 s with no optimization left to do. Measured with Piper's joe, it does not give Piper's own
samples: the model draws random numbers (its stochastic durations and its decoder's noise), and
from the saved graph they come out otherwise. It is another rendering of the same voice, the same
on every load, at the same pace (84.0 against 84.2 s for 1,500 characters of a BBC story).

The copy is the graph as a session on this machine runs it (``ORT_ENABLE_ALL``, whose layout
changes are made for the CPU at hand: onnxruntime warns that such a file belongs to the machine
that made it), so its name carries the CPU, the onnxruntime version and the model file's size
and time: another machine sharing the folder, an upgrade, or a replaced model each get their
own. ``voices get`` makes it when it installs a pack; a model found without one gets it the first
time a session loads it, when its folder can be written.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import platform
from importlib import metadata
from pathlib import Path

from ..files import atomic_path

log = logging.getLogger(__name__)

OPTIMIZED_DIR = ".optimized"
"""Beside the model: its optimized copies."""


@functools.cache
def cpu_identity() -> str:
    """What the optimized graph depends on in the CPU: its model and instruction sets."""
    try:
        lines = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    wanted = ("vendor_id", "model name", "flags", "Features", "CPU implementer", "CPU part")
    found = {}
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() in wanted and key.strip() not in found:
            found[key.strip()] = value.strip()
    return f"{platform.machine()} {platform.processor()} {sorted(found.items())}"


@functools.cache
def _machine() -> str:
    """The CPU's part of a copy's name."""
    return hashlib.sha256(cpu_identity().encode()).hexdigest()[:12]


def optimized_path(model: Path) -> Path:
    """Where the optimized copy of ``model`` for this CPU, this onnxruntime and this exact model
    file is kept: ``<stem>.<CPU>.<runtime and file>.onnx``."""
    stat = model.stat()
    stamp = f"{metadata.version('onnxruntime')}:{stat.st_size}:{stat.st_mtime_ns}"
    made = hashlib.sha256(stamp.encode()).hexdigest()[:12]
    return model.parent / OPTIMIZED_DIR / f"{model.stem}.{_machine()}.{made}.onnx"


def _options(threads: int | None):
    import onnxruntime  # the neural extras' dependency

    options = onnxruntime.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    return options


def _load(path: Path, options):
    import onnxruntime

    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def optimize(model: Path) -> Path | None:
    """Make the optimized copy of ``model`` unless it exists; its path, or None when the folder
    cannot be written or onnxruntime cannot save it (sessions then optimize the model as they
    load it, as by default)."""
    model = Path(model)
    target = optimized_path(model)
    if target.is_file():
        return target
    try:
        target.parent.mkdir(exist_ok=True)
        for stale in target.parent.glob(f"{model.stem}.{_machine()}.*.onnx"):
            if stale != target:  # (made meanwhile by another worker)
                stale.unlink(missing_ok=True)  # this machine's copy of an older model or runtime
        with atomic_path(target) as tmp:
            options = _options(1)
            options.optimized_model_filepath = str(tmp)
            options.log_severity_level = 3  # its warning that the file suits this CPU only
            _load(model, options)
    except Exception as exc:  # noqa: BLE001 - a folder that cannot hold it, or onnxruntime's own
        log.debug("cannot keep an optimized copy of %s: %s", model, exc)
        return None
    return target


def session(model: Path, threads: int | None = None):
    """An onnxruntime session on the CPU for ``model``, with ``threads`` intra-op threads (None:
    onnxruntime's default), loaded from its optimized copy (made now when there is none)."""
    import onnxruntime

    copy = optimize(model)
    if copy is not None:
        options = _options(threads)
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return _load(copy, options)
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
            log.warning("the optimized copy %s does not load (%s); using the model", copy, exc)
            copy.unlink(missing_ok=True)
    return _load(model, _options(threads))
