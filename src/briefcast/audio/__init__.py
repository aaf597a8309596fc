"""Audio stage: rendered segments → a finished episode (loudness, formats, chapters, sidecars)."""

from .assemble import assemble_episode, check_encoders, prepare_out_dir
from .cover import episode_cover
from .formats import FORMATS
from .trim import speech_seconds, trim_of

__all__ = [
    "FORMATS",
    "assemble_episode",
    "check_encoders",
    "episode_cover",
    "prepare_out_dir",
    "speech_seconds",
    "trim_of",
]
