"""Lazy imports: a heavy library named at the top of a module loads only when first used.

``lazy_import`` gives a stand-in module at once; the real import runs on the first attribute
looked up. So ``trafilatura`` loads only when a web page is read, not on every ``build`` of a
text file, and imports stay at the top of each module.

Not the standard library's ``importlib.util.LazyLoader``: before Python 3.12 it is not
thread-safe, and two of the MP3 encoder's threads asking for ``miniaudio.stream_file`` at once
got a half-run module ("module 'miniaudio' has no attribute 'stream_file'").
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType


class _Deferred(ModuleType):
    """Stands for the module of its name until an attribute is asked for: then imports it (once
    per module, under a lock) and takes on its namespace, so later look-ups cost nothing."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__dict__["_deferred_lock"] = threading.RLock()

    def __getattr__(self, attribute: str):
        with self.__dict__["_deferred_lock"]:
            real = importlib.import_module(self.__name__)
            self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, imported on its first attribute access (raises at once when it is
    not installed).

    For a dotted name the packages above it are imported at once (finding a submodule's spec
    needs them), so it suits a light package (``briefcast.feed`` under ``briefcast``); reach
    a heavy package's submodules as attributes of the package (``trafilatura.settings``).
    """
    if name in sys.modules:
        return sys.modules[name]
    if importlib.util.find_spec(name) is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    return _Deferred(name)
