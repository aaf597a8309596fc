"""The voice catalogue: finding profiles (TOML files read into ``VoiceProfile``), choosing the
narrator and host for a language, and listing every voice for `briefcast voices`.

Profiles are looked up in three folders, later ones overriding earlier ones by name: the
built-in ``voices/`` shipped with briefcast, the user's folder
(``platformdirs.user_config_dir("briefcast")/voices``), then a folder given on the command line.
"""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from ..errors import BriefcastError, VoiceError
from .cache import SegmentCache
from .calibrate import cached_wpm
from .engines import engine_names, get_engine
from .packs import installed_pack_dirs
from .profile import VoiceProfile

log = logging.getLogger(__name__)

NARRATOR = "narrator"
HOST = "host"


def builtin_voices_dir() -> Path:
    """The ``voices/`` folder shipped with briefcast (in a checkout, a symlink to ``voices/``)."""
    return Path(str(resources.files("briefcast") / "voices"))


def user_voices_dir() -> Path:
    """The user's own profiles and Piper models."""
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
