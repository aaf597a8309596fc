"""The registry of TTS engines by name: the built-in ones, and any a caller registers (a worker
process learns those from the task it is given, see ``engine_target``)."""

from __future__ import annotations

import importlib

from ..errors import VoiceError
from .base import Engine
from .kokoro import KokoroEngine
from .piper import PiperEngine
from .pyttsx3 import Pyttsx3Engine

BUILTIN: dict[str, type] = {
    "pyttsx3": Pyttsx3Engine,
    "piper": PiperEngine,
    "kokoro": KokoroEngine,
}
"""The engines briefcast ships, the default first. Each module imports its optional library
only when it is used, so a missing extra matters only to its own engine."""

_CLASSES: dict[str, type] = dict(BUILTIN)
_INSTANCES: dict[str, Engine] = {}


def _target(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def register_engine(name: str, target: str | type) -> None:
    """Register an engine class (or ``"module:Class"``) under ``name``; replaces an earlier one."""
    if isinstance(target, str):
        module_name, _, class_name = target.partition(":")
        target = getattr(importlib.import_module(module_name), class_name)
    _CLASSES[name] = target
    _INSTANCES.pop(name, None)


def engine_names() -> list[str]:
    """Names of the registered engines, the default first."""
    return list(_CLASSES)


def engine_class(name: str) -> type:
    """The class registered as ``name``; VoiceError naming the known engines when none is."""
    cls = _CLASSES.get(name)
    if cls is None:
        raise VoiceError(f"unknown engine {name!r}; use one of: {', '.join(engine_names())}")
    return cls


def engine_target(name: str) -> str:
    """``"module:Class"`` of the engine registered as ``name``, for a worker to register it too."""
    return _target(engine_class(name))


def get_engine(name: str) -> Engine:
    """The engine registered as ``name`` (one instance per process, created on first use)."""
    engine = _INSTANCES.get(name)
    if engine is None:
        engine = _INSTANCES[name] = engine_class(name)()
    return engine
