"""Piper: a local neural engine (``pip install 'briefcast[piper]'``), used when a profile names
``engine = "piper"`` and a ``model`` (``.onnx`` with its ``.onnx.json`` beside it).

Nothing is downloaded: the model must already sit in a voices folder (see docs/voices.md).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import wave
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from ..errors import EngineError, VoiceError
from .base import EngineVoice, check_rendering, excerpt
from .voices import VoiceProfile

log = logging.getLogger(__name__)

NOMINAL_WPM = 175
"""The profile ``wpm`` that leaves a model at its own pace; others scale its length_scale."""
INSTALL_HINT = "the piper engine needs piper-tts: pip install 'briefcast[piper]'"


def _piper():
    try:
        _import_bridge()
        import piper
    except ImportError as exc:
        raise VoiceError(INSTALL_HINT) from exc
    return piper


def _import_bridge() -> None:
    """Import piper's phonemizer (its own static copy of espeak-ng) bound to itself.

    ``system.load_espeak`` loads libespeak-ng with RTLD_GLOBAL for pyttsx3; the bridge's
    espeak calls would then resolve to that library, with the wrong data and state, and
    crash. RTLD_DEEPBIND makes the bridge prefer its own symbols.
    """
    if "piper.espeakbridge" in sys.modules or not hasattr(os, "RTLD_DEEPBIND"):
        return
    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | os.RTLD_DEEPBIND)
    try:
        import piper.espeakbridge  # noqa: F401
    finally:
        sys.setdlopenflags(flags)


class PiperEngine:
    """Piper voice models through ``PiperVoice.load`` and ``synthesize_wav``."""

    name = "piper"
    settable = frozenset({"rate", "volume"})

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, int], object] = {}

    def version(self) -> str:
        try:
            return (
                f"piper-tts {metadata.version('piper-tts')}; "
                f"onnxruntime {metadata.version('onnxruntime')}"
            )
        except metadata.PackageNotFoundError as exc:
            raise VoiceError(INSTALL_HINT) from exc

    def voices(self, search_dirs: Sequence[Path] = ()) -> list[EngineVoice]:
        """Every ``*.onnx`` with its ``.onnx.json`` in ``search_dirs``."""
        _piper()
        found = []
        for folder in search_dirs:
            if not Path(folder).is_dir():
                continue
            for model in sorted(Path(folder).glob("*.onnx")):
                config = model.with_name(model.name + ".json")
                if not config.exists():
                    continue
                try:
                    data = json.loads(config.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                language = (data.get("language") or {}).get("code") or data.get("espeak", {}).get(
                    "voice", ""
                )
                found.append(
                    EngineVoice(
                        id=str(model),
                        name=model.stem,
                        language=str(language).replace("_", "-").lower(),
                        engine=self.name,
                    )
                )
        return found

    def _voice(self, profile: VoiceProfile):
        model = profile.model
        if model is None:
            raise VoiceError(
                f"profile {profile.name} uses piper but names no model; add "
                'model = "NAME.onnx" (see docs/voices.md)'
            )
        model = Path(model)
        config = model.with_name(model.name + ".json")
        if not model.is_file() or not config.is_file():
            raise VoiceError(
                f"profile {profile.name}: piper model {model} (with {config.name}) not found; "
                "put both files in a voices folder (see docs/voices.md)"
            )
        key = (str(model), model.stat().st_mtime_ns)
        voice = self._loaded.get(key)
        if voice is None:
            piper = _piper()
            try:
                voice = piper.PiperVoice.load(model, config_path=config)
            except Exception as exc:  # onnxruntime raises its own types
                raise VoiceError(f"cannot load piper model {model}: {exc}") from exc
            self._loaded[key] = voice
        return voice

    def _syn_config(self, voice, profile: VoiceProfile):
        piper = _piper()
        speaker = None
        if profile.voice_id:
            ids = voice.config.speaker_id_map
            if profile.voice_id in ids:
                speaker = ids[profile.voice_id]
            elif profile.voice_id.isdigit():
                speaker = int(profile.voice_id)
            else:
                raise VoiceError(f"piper model {profile.model} has no speaker {profile.voice_id!r}")
        return piper.SynthesisConfig(
            speaker_id=speaker,
            length_scale=voice.config.length_scale * NOMINAL_WPM / profile.wpm,
            volume=profile.volume,
        )

    def render(self, text: str, profile: VoiceProfile, path: Path) -> float:
        voice = self._voice(profile)
        syn_config = self._syn_config(voice, profile)
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part.wav")
        last_error: Exception | None = None
        for attempt in (1, 2):
            try:
                wav_file = wave.open(str(tmp), "wb")
                try:
                    voice.synthesize_wav(text, wav_file, syn_config=syn_config)
                finally:
                    # Interrupted before piper set the header, close() raises wave.Error, which
                    # would hide the KeyboardInterrupt (and be retried with a warning).
                    with contextlib.suppress(wave.Error):
                        wav_file.close()
                seconds = check_rendering(tmp, text, profile.wpm)
                os.replace(tmp, path)
                return seconds
            except (EngineError, wave.Error, RuntimeError, ValueError) as exc:
                last_error = exc
                log.warning("piper attempt %d failed: %s", attempt, exc)
            finally:
                tmp.unlink(missing_ok=True)
        raise EngineError(f"piper could not render {excerpt(text)!r}: {last_error}")
