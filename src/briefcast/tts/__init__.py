"""TTS stage: voice profiles, engines behind one interface, cached parallel rendering.

``render_segments`` turns script segments into WAV files; ``resolve_voices`` picks the
narrator and host for a language; ``measured_wpm`` says how fast a voice really speaks;
``voice_digest`` is a voice's identity, which every key that depends on a voice uses;
``speaks_written`` says which rewrites for the ear each voice's engine does without.
"""

from .base import Engine, EngineVoice
from .cache import SegmentCache
from .calibrate import measured_wpm, remember_wpm, start_measuring_wpm
from .engines import engine_names, get_engine, register_engine
from .identity import voice_digest
from .profile import VoiceProfile
from .render import STATS, render_segments
from .voices import find_profile, list_voices, load_profiles, resolve_voices
from .workers import start_workers
from .written import speaks_written

__all__ = [
    "Engine",
    "EngineVoice",
    "STATS",
    "SegmentCache",
    "VoiceProfile",
    "engine_names",
    "find_profile",
    "get_engine",
    "list_voices",
    "load_profiles",
    "measured_wpm",
    "remember_wpm",
    "register_engine",
    "render_segments",
    "resolve_voices",
    "speaks_written",
    "start_measuring_wpm",
    "start_workers",
    "voice_digest",
]
