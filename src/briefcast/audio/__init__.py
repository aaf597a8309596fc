"""Audio stage: rendered segments → a finished episode (loudness, formats, chapters, sidecars)."""

from .assemble import assemble_episode, speech_seconds
from .encode import FORMATS

__all__ = ["FORMATS", "assemble_episode", "speech_seconds"]
