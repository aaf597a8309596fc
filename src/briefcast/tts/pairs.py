"""Narrator/host pairs that sound like a show, and which one a build uses when no voice is named.

The pairs are data (``data/voicepairs.toml``, in order of preference). The user's
``config.toml`` (``[voices] pair = "NAME"``, in platformdirs' config folder) chooses one;
otherwise the first whose voice packs are installed and whose engines load is used. The
``espeak`` pair needs nothing and is what a machine without neural voices gets, as before.
"""

from __future__ import annotations

import functools
import logging
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from platformdirs import user_config_dir

from ..errors import BriefcastError, VoiceError
from .engines import get_engine
from .packs import find_pack, installed_manifest
from .voices import primary_language

log = logging.getLogger(__name__)

FALLBACK = "espeak"
"""The pair that needs no voice pack: today's espeak-ng narrator and host."""


@dataclass(frozen=True)
class VoicePair:
    """Two profiles that read one episode together."""

    name: str
    title: str
    narrator: str
    """Profile that reads the article."""
    host: str
    """Profile that reads the intro, transitions, questions and outro."""
    packs: tuple[str, ...]
    """Voice packs that must be installed."""
    language: str
    """Primary language both speak; empty for any (the espeak pair derives voices)."""


@functools.cache
def known_pairs() -> dict[str, VoicePair]:
    """Every built-in pair by name, in order of preference."""
    text = (resources.files("briefcast") / "data" / "voicepairs.toml").read_text(encoding="utf-8")
    return {
        name: VoicePair(name=name, **{**entry, "packs": tuple(entry["packs"])})
        for name, entry in tomllib.loads(text).items()
    }


def config_path() -> Path:
    """The user's settings file: ``config.toml`` in the briefcast config folder."""
    return Path(user_config_dir("briefcast")) / "config.toml"


def configured_pair() -> str | None:
    """The pair ``config.toml`` chooses (``[voices] pair``), or None; VoiceError if unreadable."""
    path = config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise VoiceError(f"cannot read {path} ({exc}); fix or remove it") from exc
    name = data.get("voices", {}).get("pair")
    if name is not None and name not in known_pairs():
        raise VoiceError(
            f"{path}: no voice pair {name!r}; choose one of {', '.join(known_pairs())}"
        )
    return name


def missing_for(pair: VoicePair) -> str | None:
    """Why ``pair`` cannot be used here (a pack not installed, an engine absent), or None."""
    for pack in pair.packs:
        if installed_manifest(pack) is None:
            return f"voice pack {pack} is not installed (`briefcast voices get {pack}`)"
        try:
            get_engine(find_pack(pack).engine).version()
        except BriefcastError as exc:
            return str(exc)
    return None


def default_pair(language: str) -> VoicePair | None:
    """The pair a build uses for ``language`` when no voice is named; None for the espeak pair
    (whose voices ``resolve_voices`` derives for any language, as before)."""
    chosen = configured_pair()
    if chosen is not None:
        pair = known_pairs()[chosen]
        problem = missing_for(pair)
        if problem:
            raise VoiceError(f"{config_path()} chooses voice pair {chosen}, but {problem}")
        if pair.language and primary_language(language) != pair.language:
            log.info(
                "voice pair %s speaks %s, not %s: espeak voices", chosen, pair.language, language
            )
            return None
        return None if chosen == FALLBACK else pair
    for pair in known_pairs().values():
        if pair.name == FALLBACK or primary_language(language) != pair.language:
            continue
        if missing_for(pair) is None:
            return pair
    return None


def pair_voices(
    language: str, narrator: str | None, host: str | None
) -> tuple[str | None, str | None]:
    """The narrator and host to use: the names given, the others from the default pair (None
    where ``resolve_voices`` should pick, as for the espeak pair)."""
    if narrator and host:
        return narrator, host
    pair = default_pair(language)
    if pair is None:
        return narrator, host
    return narrator or pair.narrator, host or pair.host
