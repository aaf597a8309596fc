"""Voice profiles: TOML files naming an engine, a voice and its settings, read into dataclasses.

Profiles are looked up in three folders, later ones overriding earlier ones by name: the
built-in ``voices/`` shipped with briefcast, the user's folder
(``platformdirs.user_config_dir("briefcast")/voices``), then a folder given on the command line.
"""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import BriefcastError, VoiceError
from .base import engine_names, get_engine
from .packs import installed_pack_dirs

log = logging.getLogger(__name__)

NARRATOR = "narrator"
HOST = "host"


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
        """What shapes the sound (everything but the name and file), for cache keys."""
        data = dataclasses.asdict(self)
        data.pop("name")
        data.pop("path")
        if self.speed is None:
            data.pop("speed")  # keeps the keys of profiles without a speed as they were
        if self.model is not None:
            # A replaced model file must re-render: key on its identity, not just its name.
            try:
                stat = Path(self.model).stat()
                data["model"] = f"{self.model}:{stat.st_size}:{stat.st_mtime_ns}"
            except OSError:
                data["model"] = str(self.model)
        return data


def builtin_voices_dir() -> Path:
    """The ``voices/`` folder shipped with briefcast (in a checkout, a symlink to ``voices/``)."""
    return Path(str(resources.files("briefcast") / "voices"))


def user_voices_dir() -> Path:
    """The user's own profiles and Piper models."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("briefcast")) / "voices"


def voice_dirs(voices_dir: Path | None = None) -> list[Path]:
    """Folders searched for profiles and models, in override order (last wins)."""
    dirs = [builtin_voices_dir(), *installed_pack_dirs(), user_voices_dir()]
    if voices_dir is not None:
        dirs.append(Path(voices_dir))
    return dirs


def load_profile(path: Path) -> VoiceProfile:
    """Read one TOML profile."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise VoiceError(f"cannot read voice profile {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise VoiceError(f"{path} is not valid TOML ({exc}); fix or remove it") from exc
    return VoiceProfile.from_dict(data, path)


def load_profiles(voices_dir: Path | None = None) -> dict[str, VoiceProfile]:
    """All profiles by name: built-in, then the user's folder, then ``voices_dir`` (later wins)."""
    if voices_dir is not None and not Path(voices_dir).is_dir():
        raise VoiceError(f"voices folder {voices_dir} does not exist; pass an existing folder")
    profiles: dict[str, VoiceProfile] = {}
    for folder in voice_dirs(voices_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path)
            profiles[profile.name] = profile
    return profiles


def find_profile(name: str, voices_dir: Path | None = None) -> VoiceProfile:
    """The profile called ``name``; VoiceError listing the available names when there is none."""
    profiles = load_profiles(voices_dir)
    if name in profiles:
        return profiles[name]
    role, _, language = name.partition("-")
    if role in (NARRATOR, HOST) and language:
        # A script written for another language names a derived profile ("narrator-fr").
        derived = _default_for(role, language, profiles)
        if derived is not None and derived.name == name:
            return derived
    raise VoiceError(
        f"no voice profile named {name!r}; available: {', '.join(sorted(profiles)) or 'none'}"
        " (see `briefcast voices`)"
    )


def primary_language(tag: str) -> str:
    """``en`` for ``en-GB``, ``en_us`` or ``EN``."""
    return tag.replace("_", "-").split("-")[0].lower()


def speaks(profile_or_tag: VoiceProfile | str, language: str) -> bool:
    """True when a profile (or language tag) speaks ``language``, comparing primary subtags."""
    tag = profile_or_tag.language if isinstance(profile_or_tag, VoiceProfile) else profile_or_tag
    return primary_language(tag) == primary_language(language)


def engine_voice_for(language: str, engine_name: str = "pyttsx3") -> str | None:
    """The id of an engine voice for ``language``: an exact tag match first, then the
    shortest tag with the same primary language (``fr`` finds ``fr-fr``, not ``fr-be``)."""
    try:
        voices = get_engine(engine_name).voices()
    except BriefcastError:
        return None
    wanted = language.replace("_", "-").lower()
    exact = [v for v in voices if v.language.lower() == wanted]
    if exact:
        return exact[0].id
    same = [v for v in voices if speaks(v.language, language)]
    if not same:
        return None
    primary = primary_language(language)
    return min(
        same, key=lambda v: (v.id.rsplit("/", 1)[-1] != primary, len(v.language), v.language)
    ).id


def _derive(base: VoiceProfile, role: str, language: str) -> VoiceProfile | None:
    """``base`` moved to an engine voice of ``language``, keeping its variant and settings."""
    engine = base.engine if base.engine == "pyttsx3" else "pyttsx3"
    voice = engine_voice_for(language, engine)
    if voice is None:
        return None
    variant = base.voice_id.partition("+")[2] if base.engine == "pyttsx3" else ""
    return dataclasses.replace(
        base,
        name=f"{role}-{primary_language(language)}",
        engine=engine,
        voice_id=f"{voice}+{variant}" if variant else voice,
        language=language,
        model=None,
        path=None,
    )


def _default_for(
    role: str, language: str, profiles: dict[str, VoiceProfile]
) -> VoiceProfile | None:
    """The ``role`` profile for ``language``: ``role``, ``role-<lang>``, or a derivation."""
    lang = primary_language(language)
    for name in (role, f"{role}-{lang}"):
        if name in profiles and speaks(profiles[name], language):
            return profiles[name]
    base = profiles.get(role) or VoiceProfile(name=role)
    return _derive(base, role, language)


def resolve_voices(
    language: str,
    narrator: str | None,
    host: str | None,
    voices_dir: Path | None = None,
) -> tuple[VoiceProfile, VoiceProfile]:
    """Narrator and host profiles for an article in ``language``.

    Named profiles are used as given. Otherwise the ``narrator``/``host`` profiles serve when
    they speak the language; if not, profiles are derived from an engine voice of that
    language (keeping each role's variant, so the two stay distinct). VoiceError when no
    voice speaks it.
    """
    profiles = load_profiles(voices_dir)
    chosen: list[VoiceProfile] = []
    for role, name in ((NARRATOR, narrator), (HOST, host)):
        if name:
            profile = find_profile(name, voices_dir)
            if not speaks(profile, language):
                log.warning(
                    "voice %s speaks %s, the article is %s", name, profile.language, language
                )
            chosen.append(profile)
            continue
        profile = _default_for(role, language, profiles)
        if profile is None:
            raise VoiceError(f"no voice speaks {language!r}; see `briefcast voices`")
        chosen.append(profile)
    return chosen[0], chosen[1]


def list_voices(voices_dir: Path | None = None) -> list[dict[str, Any]]:
    """Rows for `briefcast voices`: every profile, then every engine voice available here.

    Each row has ``kind`` ("profile" or "engine"), ``name``, ``engine``, ``voice_id``,
    ``language``, ``wpm`` (the setting; None for engine voices), ``measured_wpm`` (when
    already measured and cached, else None) and ``path``.
    """
    from .cache import SegmentCache
    from .calibrate import cached_wpm

    cache = SegmentCache()
    rows: list[dict[str, Any]] = []
    for profile in sorted(load_profiles(voices_dir).values(), key=lambda p: p.name):
        rows.append(
            {
                "kind": "profile",
                "name": profile.name,
                "engine": profile.engine,
                "voice_id": profile.voice_id,
                "language": profile.language,
                "wpm": profile.wpm,
                "measured_wpm": cached_wpm(profile, cache),
                "path": str(profile.path) if profile.path else None,
            }
        )
    for name in engine_names():
        try:
            voices = get_engine(name).voices(voice_dirs(voices_dir))
        except BriefcastError as exc:
            log.info("engine %s unavailable: %s", name, exc)
            continue
        for voice in voices:
            rows.append(
                {
                    "kind": "engine",
                    "name": voice.name,
                    "engine": name,
                    "voice_id": voice.id,
                    "language": voice.language,
                    "wpm": None,
                    "measured_wpm": None,
                    "path": None,
                }
            )
    return rows
