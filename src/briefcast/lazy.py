"""Lazy imports: a heavy library named at the top of a module loads only when first used.

The standard library's recipe (``importlib.util.LazyLoader``): the module object exists at once,
its code runs on the first attribute looked up. So ``trafilatura`` loads only when a web page is
read, not on every ``build`` of a text file, and imports stay at the top of each module.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, loaded on its first attribute access.

    For a dotted name the packages above it are imported at once (finding a submodule's spec
    needs them), so it suits a light package (``briefcast.feed`` under ``briefcast``); reach
    a heavy package's submodules as attributes of the package (``trafilatura.settings``).
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
