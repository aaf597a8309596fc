"""Kokoro: the neural engine of kokoro-onnx (``pip install 'briefcast[kokoro]'``), used when a
profile says ``engine = "kokoro"``; its model and voices come from the ``kokoro`` voice pack.

A profile's ``voice`` is one Kokoro voice (``af_heart``) or a mix
(``af_heart:0.7,af_bella:0.3``, weights normalised to sum to 1); ``speed`` (0.5-2) sets the
pace, or else ``wpm`` relative to the voice's own 175. One ONNX session is loaded per process
and kept; ``set_threads`` (or ``$BRIEFCAST_ONNX_THREADS``) limits its intra-op threads, so that
parallel workers each use one core.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from ..errors import EngineError, VoiceError
from ..lazy import lazy_import
from ..system import load_espeak
from . import onnx
from .base import EngineVoice
from .packs import installed_manifest, pack_dir
from .profile import VoiceProfile
from .wav import check_rendering, excerpt, write_wav

np = lazy_import("numpy")

log = logging.getLogger(__name__)
# phonemizer warns of a "words count mismatch" on most lines kokoro-onnx gives it: harmless.
logging.getLogger("phonemizer").setLevel(logging.ERROR)

PACK = "kokoro"
NOMINAL_WPM = 175
"""The profile ``wpm`` that leaves a voice at speed 1.0 when the profile sets no ``speed``."""
INSTALL_HINT = "the kokoro engine needs kokoro-onnx: pip install 'briefcast[kokoro]'"
PACK_HINT = "the kokoro voice pack is not installed; run `briefcast voices get kokoro`"
LANGUAGES = {"a": "en-us", "b": "en-gb"}
"""Kokoro's first letter of a voice name → the language its phonemes are made in."""


def _kokoro_onnx():
    """kokoro-onnx, once it and onnxruntime (which ``onnx`` loads its sessions with) import."""
    try:
        import kokoro_onnx
        import onnxruntime  # noqa: F401 - missing, the install hint says what to do
    except ImportError as exc:
        raise VoiceError(INSTALL_HINT) from exc
    return kokoro_onnx


def parse_mix(voice: str) -> list[tuple[str, float]]:
    """``"af_heart:0.7,af_bella:0.3"`` → ``[("af_heart", 0.7), ("af_bella", 0.3)]`` (weights
    normalised to sum to 1; a name alone weighs 1). VoiceError on a malformed mix."""
    parts = []
    for item in voice.split(","):
        name, _, weight = item.strip().partition(":")
        try:
            value = float(weight) if weight else 1.0
        except ValueError:
            value = -1.0
        if not name or value <= 0:
            raise VoiceError(
                f"kokoro voice {voice!r}: write NAME or NAME:WEIGHT,... with weights above 0"
            )
        parts.append((name, value))
    total = sum(w for _, w in parts)
    return [(name, w / total) for name, w in parts]


def kokoro_language(profile: VoiceProfile, voice: str) -> str:
    """The phonemizer language: the profile's tag when it names a region, else the voice's."""
    tag = profile.language.replace("_", "-").lower()
    if "-" in tag or not tag.startswith("en"):
        return tag
    return LANGUAGES.get(voice[:1], "en-us")


PEAK_BYTES = 930 * 2**20
"""A rendering process's peak with the int8 model (see ``KokoroEngine.peak_memory``)."""


class KokoroEngine:
    """kokoro-onnx's ``Kokoro`` on one ``onnxruntime.InferenceSession`` per process."""

    name = "kokoro"
    settable = frozenset({"rate", "volume"})

    def __init__(self) -> None:
        self._model = None
        self._loaded_from: tuple[str, str] | None = None
        self.threads: int | None = None

    def set_threads(self, threads: int | None) -> None:
        """Limit the session to ``threads`` intra-op threads (None: onnxruntime's default)."""
        if threads != self.threads:
            self.threads = threads
            self._model = None  # a session's thread pool is fixed when it is created

    def peak_memory(self, profile: VoiceProfile) -> int:
        """Bytes one rendering process reaches with the int8 model loaded (measured: 930 MB
        rendering a 400-word passage on 2 cores), so the workers stay within memory."""
        return PEAK_BYTES

    def model_files(self, profile: VoiceProfile) -> list[Path]:
        """The model and the voices file: their content is part of the voice's identity."""
        try:
            return list(self._files(profile))
        except VoiceError:
            return []

    def _files(self, profile: VoiceProfile | None = None) -> tuple[Path, Path]:
        """The model and voices files: the profile's ``model`` (voices beside it), or the pack."""
        if profile is not None and profile.model is not None:
            model = Path(profile.model)
            beside = [model.with_name(n) for n in ("voices-v1.0.bin", "voices.npz")]
            voices = next((p for p in beside if p.is_file()), beside[0])
            if not model.is_file() or not voices.is_file():
                raise VoiceError(
                    f"profile {profile.name}: kokoro model {model} (with voices-v1.0.bin "
                    "beside it) not found"
                )
            return model, voices
        manifest = installed_manifest(PACK)
        if manifest is None:
            raise VoiceError(PACK_HINT)
        names = list(manifest["files"])
        model = next(n for n in names if n.endswith(".onnx"))
        voices = next(n for n in names if not n.endswith(".onnx"))
        return pack_dir(PACK) / model, pack_dir(PACK) / voices

    def _load(self, profile: VoiceProfile | None = None):
        """The loaded model for these files; created once per process and kept."""
        model_path, voices_path = self._files(profile)
        key = (str(model_path), str(voices_path))
        if self._model is not None and self._loaded_from == key:
            return self._model
        kokoro_onnx = _kokoro_onnx()
        # kokoro-onnx's phonemizer loads the wheel's libespeak-ng by path; loaded first, it would
        # answer pyttsx3's later dlopen by soname, without its data: the process then exits.
        load_espeak()
        threads = self.threads or int(os.environ.get("BRIEFCAST_ONNX_THREADS", "0") or 0)
        try:
            session = onnx.session(model_path, threads or None)
            self._model = kokoro_onnx.Kokoro.from_session(session, str(voices_path))
        except Exception as exc:  # onnxruntime and numpy raise their own types
            raise VoiceError(f"cannot load kokoro model {model_path}: {exc}") from exc
        self._loaded_from = key
        return self._model

    def version(self) -> str:
        """kokoro-onnx and onnxruntime versions, and the digests of the pack's files."""
        try:
            versions = (
                f"kokoro-onnx {metadata.version('kokoro-onnx')}; "
                f"onnxruntime {metadata.version('onnxruntime')}"
            )
        except metadata.PackageNotFoundError as exc:
            raise VoiceError(INSTALL_HINT) from exc
        manifest = installed_manifest(PACK)
        if manifest is None:
            return versions
        digests = {name: entry["sha256"] for name, entry in manifest["files"].items()}
        return f"{versions}; pack {json.dumps(digests, sort_keys=True)}"

    def voices(self, search_dirs: Sequence[Path] = ()) -> list[EngineVoice]:
        """The voices of the installed pack (none when it is not installed)."""
        _kokoro_onnx()
        if installed_manifest(PACK) is None:
            return []
        with np.load(self._files()[1]) as voices:  # the names only: no model session for a list
            names = sorted(voices.files)
        return [
            EngineVoice(id=name, name=name, language=LANGUAGES.get(name[:1], ""), engine=self.name)
            for name in names
        ]

    def style(self, voice: str, profile: VoiceProfile | None = None) -> np.ndarray:
        """The style array of a voice or a mix of voices (the weighted sum of theirs)."""
        model = self._load(profile)
        known = set(model.get_voices())
        mix = parse_mix(voice)
        missing = [name for name, _ in mix if name not in known]
        if missing:
            raise VoiceError(
                f"kokoro has no voice {', '.join(missing)}; see `briefcast voices --lang en`"
            )
        return sum(weight * model.get_voice_style(name) for name, weight in mix)

    def speed(self, profile: VoiceProfile) -> float:
        """The profile's ``speed``, or its ``wpm`` against the voice's own pace, within 0.5-2."""
        speed = profile.speed if profile.speed is not None else profile.wpm / NOMINAL_WPM
        return min(2.0, max(0.5, speed))

    def render(self, text: str, profile: VoiceProfile, path: Path) -> float:
        """Render ``text`` to a mono 16-bit WAV at 24 kHz; retried once, EngineError after."""
        voice = profile.voice_id or "af_heart"
        style = self.style(voice, profile)
        language = kokoro_language(profile, parse_mix(voice)[0][0])
        last_error: Exception | None = None
        for attempt in (1, 2):
            try:
                samples, rate = self._model.create(
                    text, voice=style, speed=self.speed(profile), lang=language
                )
                pcm = np.clip(samples * profile.volume, -1.0, 1.0)
                write_wav(Path(path), (pcm * 32767).astype("<i2").tobytes(), rate)
                return check_rendering(Path(path), text, profile.wpm)
            except (EngineError, RuntimeError, ValueError) as exc:
                last_error = exc
                log.warning("kokoro attempt %d failed: %s", attempt, exc)
                Path(path).unlink(missing_ok=True)  # never leave a rendering that failed its check
        raise EngineError(f"kokoro could not render {excerpt(text)!r}: {last_error}")
