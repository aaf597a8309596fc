"""Audio stage: rendered segments → a finished episode (loudness, formats, chapters, sidecars)."""

from .assemble import assemble_episode
from .encode import FORMATS

__all__ = ["FORMATS", "assemble_episode"]
