"""briefcast: turn an article into a podcast-style episode with chapters, on your own machine.

Stages: ``briefcast.article`` → ``briefcast.script`` → ``briefcast.tts`` → ``briefcast.audio``;
``briefcast.pipeline`` joins them.
"""

import os as _os
import sys as _sys

# numpy's OpenBLAS starts a thread pool when it loads, and a process with threads starts its
# rendering workers through a forkserver (a cold build ~0.1 s slower than with a fork). briefcast
# does no matrix maths (its parallel work is in worker processes), so one BLAS thread costs
# nothing. Only set before numpy loads, and never over the user's own setting.
if "numpy" not in _sys.modules:
    _os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

__all__ = ["__version__", "build", "BuildOptions", "BriefcastError"]


def __getattr__(name: str):
    # The pipeline pulls in audio and TTS libraries; import it only when asked for.
    if name in ("build", "BuildOptions"):
        from . import pipeline

        return getattr(pipeline, name)
    if name == "BriefcastError":
        from .errors import BriefcastError

        return BriefcastError
    raise AttributeError(name)
