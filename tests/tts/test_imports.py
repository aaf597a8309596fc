"""The TTS stage's modules import as a tree: no module reaches another that reaches back, and
``import briefcast.tts.render`` works in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import briefcast.tts

PACKAGE = Path(briefcast.tts.__file__).parent
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def local_imports(name: str) -> set[str]:
    """The sibling modules ``name`` imports (``from .x import ...``), at any depth in its code."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }


def test_no_module_reaches_back_to_itself():
    graph = {name: local_imports(name) for name in MODULES}
    for start in MODULES:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            assert module != start, f"{start} imports itself through {sorted(seen)}"
            if module not in seen:
                seen.add(module)
                todo.extend(graph.get(module, ()))


def test_render_imports_first_in_a_fresh_interpreter():
    # Any submodule runs the package's __init__ first, so one fresh import stands for all.
    proc = subprocess.run(
        [sys.executable, "-c", "import briefcast.tts.render"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
