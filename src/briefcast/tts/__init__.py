"""TTS stage: voice profiles, engines behind one interface, cached parallel rendering.

``render_segments`` turns script segments into WAV files; ``resolve_voices`` picks the
narrator and host for a language; ``measured_wpm`` says how fast a voice really speaks.
"""

from .base import Engine, EngineVoice, engine_names, get_engine, register_engine
from .cache import SegmentCache, default_cache_dir
from .calibrate import measured_wpm, start_measuring_wpm
from .render import STATS, RenderResult, render_segments, start_workers
from .voices import VoiceProfile, find_profile, list_voices, load_profiles, resolve_voices

__all__ = [
    "Engine",
    "EngineVoice",
    "RenderResult",
    "STATS",
    "SegmentCache",
    "VoiceProfile",
    "default_cache_dir",
    "engine_names",
    "find_profile",
    "get_engine",
    "list_voices",
    "load_profiles",
    "measured_wpm",
    "register_engine",
    "render_segments",
    "resolve_voices",
    "start_measuring_wpm",
    "start_workers",
]
