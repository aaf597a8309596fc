"""Audio stage: rendered segments → a finished episode (loudness, formats, chapters, sidecars)."""

from .assemble import assemble_episode, prepare_out_dir, speech_seconds
from .cover import episode_cover
from .encode import FORMATS

__all__ = ["FORMATS", "assemble_episode", "episode_cover", "prepare_out_dir", "speech_seconds"]
