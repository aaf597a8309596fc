"""Piper: a local neural engine (``pip install 'briefcast[piper]'``), used when a profile names
``engine = "piper"`` and a ``model`` (``.onnx`` with its ``.onnx.json`` beside it).

Nothing is downloaded: the model must already sit in a voices folder (see docs/voices.md).

How it renders in parallel, measured by ``make bench-tts`` (``BENCH_PART=modes
BENCH_SENTENCES=16``) with ``en_US-joe-medium`` on 16 news sentences, on this project's 2-core
machine shared with six other builds (load average 10-16, so wall times are noisy; CPU time is
what the machine's load does not inflate):

| how | wall, run 1 | wall, run 2 | CPU | peak MB |
| --- | --- | --- | --- | --- |
| one call on the whole text, 1 session, default threads (the floor) | 41.3 s | 104.8 s | 23.4-24.2 s | 796-805 |
| segment by segment, 1 session, default threads (``--jobs 1``) | 44.4 s | 110.1 s | 24.1-24.9 s | 485 |
| segment by segment, 2 workers × 1 session of 1 thread | 57.2 s | 73.3 s | 17.5-17.9 s | 885-974 |

One thread per session does the same work in 27% less CPU (onnxruntime's threads spin while
they wait for each other), so the workers win whenever they get the cores; they are what
``workers`` runs (``intra_op_num_threads`` = cores / workers). A worker's peak is about
160 MB plus 5 times the model's size (485 MB for joe's 63 MB), which bounds their number.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from ..errors import EngineError, VoiceError
from . import onnx
from .base import EngineVoice
from .profile import VoiceProfile
from .wav import check_seconds, excerpt, write_wav

NOMINAL_WPM = 175
"""The profile ``wpm`` that leaves a model at its own pace; others scale its length_scale."""
PEAK_BASE = 160_000_000
PEAK_PER_MODEL_BYTE = 5
"""A worker's peak memory with a model loaded: PEAK_BASE + PEAK_PER_MODEL_BYTE × model bytes
(measured: 485 MB for a 63 MB model, see the module docstring)."""
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
        self.threads: int | None = None
        """Intra-op threads of each session loaded from now on (None: onnxruntime's default)."""

    def peak_memory(self, profile: VoiceProfile) -> int:
        """Bytes a process rendering with this voice reaches at its peak (see the docstring)."""
        size = Path(profile.model).stat().st_size if profile.model and profile.model.exists() else 0
        return PEAK_BASE + PEAK_PER_MODEL_BYTE * size

    def model_files(self, profile: VoiceProfile) -> list[Path]:
        """The model and its config (which sets the sample rate, scales and phonemes)."""
        if profile.model is None:
            return []
        model = Path(profile.model)
        return [model, model.with_name(model.name + ".json")]

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
        key = (str(model), model.stat().st_mtime_ns, self.threads)
        voice = self._loaded.get(key)
        if voice is None:
            piper = _piper()
            try:
                data = json.loads(config.read_text(encoding="utf-8"))
                voice = piper.PiperVoice(
                    session=onnx.session(model, self.threads),
                    config=piper.PiperConfig.from_dict(data),
                )
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
        try:
            chunks = list(voice.synthesize(text, syn_config=syn_config))
        except (RuntimeError, ValueError) as exc:  # onnxruntime's and piper's own failures
            raise EngineError(f"piper could not render {excerpt(text)!r}: {exc}") from exc
        if not chunks:
            raise EngineError(f"piper rendered nothing for {excerpt(text)!r}")
        # The samples are gathered first and written in one go, atomically: an interruption
        # leaves no file (wave's writer would complain of a header never written).
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        rate = chunks[0].sample_rate
        seconds = check_seconds(len(pcm) / 2 / rate, text, profile.wpm)
        write_wav(Path(path), pcm, rate)
        return seconds
