"""A voice profile: which engine speaks, with which of its voices and settings, as a dataclass
read from TOML data (finding the files is the catalogue's, ``voices.py``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import VoiceError


@dataclass(frozen=True)
class VoiceProfile:
    """A named voice: which engine speaks, with which of its voices, and how."""

    name: str
    """What ``--voice`` and a script's voice marker call it (defaults to the file's stem)."""
    engine: str = "pyttsx3"
    """Registered engine name (see ``briefcast.tts.engine_names()``)."""
    voice_id: str = ""
    """The engine's voice: an espeak-ng voice such as ``gmw/en-us+m3`` (voice + variant), or
    for Piper a speaker name/number of a multi-speaker model; empty for the engine default."""
    language: str = "en"
    """Language tag the voice speaks (``en``, ``en-us``, ``fr``...)."""
    wpm: int = 175
    """Speaking rate setting in words per minute (espeak's rate; Piper maps it to its length
    scale). What the voice really achieves is measured by ``measured_wpm``."""
    pitch: int | None = 50
    """Base pitch 0-100 (espeak); None where the engine cannot set it."""
    volume: float = 1.0
    """Loudness 0-1 of the rendering (the audio stage normalises the episode anyway)."""
    model: Path | None = None
    """Piper voice model (``.onnx``, its ``.onnx.json`` beside it); relative paths are
    resolved against the profile's folder."""
    speed: float | None = None
    """Kokoro's speed 0.5-2 (1 is the voice's own pace); None derives it from ``wpm``."""
    path: Path | None = field(default=None, compare=False)
    """The TOML file this profile came from; None for built-in derivations."""

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: Path | None = None) -> VoiceProfile:
        """Build a profile from TOML data, filling defaults; raise VoiceError on bad fields."""
        where = str(path) if path else "voice profile"
        if "voice" in data and "voice_id" not in data:  # Kokoro profiles say voice = "af_heart"
            data = {**{k: v for k, v in data.items() if k != "voice"}, "voice_id": data["voice"]}
        known = {f.name for f in dataclasses.fields(cls)} - {"path"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise VoiceError(
                f"{where}: unknown field(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(known))}"
            )
        values = dict(data)
        if "name" not in values:
            if path is None:
                raise VoiceError(f"{where}: a profile needs a name")
            values["name"] = path.stem
        problems = []
        for key, kinds in (
            ("name", str),
            ("engine", str),
            ("voice_id", str),
            ("language", str),
            ("wpm", (int, float)),
            ("pitch", (int, float)),
            ("volume", (int, float)),
            ("model", str),
            ("speed", (int, float)),
        ):
            value = values.get(key)
            if key in values and (isinstance(value, bool) or not isinstance(value, kinds)):
                problems.append(f"{key} = {value!r}")
        if problems:
            raise VoiceError(f"{where}: bad value(s) {', '.join(problems)}; see docs/voices.md")
        if "pitch" not in values and values.get("engine", "pyttsx3") != "pyttsx3":
            values["pitch"] = None  # only espeak has a pitch setting
        if "wpm" in values:
            values["wpm"] = int(values["wpm"])
            if not 60 <= values["wpm"] <= 500:
                raise VoiceError(f"{where}: wpm = {values['wpm']} is outside 60-500")
        if values.get("pitch") is not None:
            values["pitch"] = int(values["pitch"])
            if not 0 <= values["pitch"] <= 100:
                raise VoiceError(f"{where}: pitch = {values['pitch']} is outside 0-100")
        if "volume" in values:
            values["volume"] = float(values["volume"])
            if not 0 < values["volume"] <= 1:
                raise VoiceError(f"{where}: volume = {values['volume']} is outside 0-1")
        if "speed" in values:
            values["speed"] = float(values["speed"])
            if not 0.5 <= values["speed"] <= 2:
                raise VoiceError(f"{where}: speed = {values['speed']} is outside 0.5-2")
        if "model" in values:
            model = Path(values["model"]).expanduser()
            if not model.is_absolute() and path is not None:
                model = path.parent / model
            values["model"] = model
        return cls(**values, path=path)

    def settings(self) -> dict[str, Any]:
        """What the profile sets (everything but its name, its file and its model's path): the
        model's *content* is added by ``identity.voice_digest``, so a moved model keeps its
        renderings and a replaced one renders anew."""
        data = dataclasses.asdict(self)
        for key in ("name", "path", "model"):
            data.pop(key)
        if self.speed is None:
            data.pop("speed")  # keeps the keys of profiles without a speed as they were
        return data
