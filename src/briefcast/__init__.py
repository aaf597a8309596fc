"""briefcast: turn an article into a podcast-style episode with chapters, on your own machine.

Stages: ``briefcast.article`` → ``briefcast.script`` → ``briefcast.tts`` → ``briefcast.audio``;
``briefcast.pipeline`` joins them.
"""

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
