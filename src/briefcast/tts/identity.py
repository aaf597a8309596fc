"""A voice's identity: one digest of its engine, the engine's version, the content of its model
files and its settings. Every key that depends on a voice (a rendered segment, a measured pace,
a fitted script, a finished build) is made from it, so none can go stale on its own."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..cache import cache_folder
from ..files import write_text_atomic
from .base import model_files
from .engines import get_engine
from .level import LEVEL_VERSION
from .packs import file_identity, installed_digest
from .profile import VoiceProfile

DIGEST_FORMAT = 1
"""Bump when what goes into a voice's digest changes."""

_FILE_DIGESTS: dict[str, str] = {}


def voice_digest(profile: VoiceProfile) -> str:
    """The digest of what makes ``profile`` sound as it does: engine, engine version, the content
    of its model files (not their paths) and its settings (not its name)."""
    engine = get_engine(profile.engine)
    files = [file_digest(path) for path in model_files(engine, profile)]
    payload = [DIGEST_FORMAT, LEVEL_VERSION, profile.engine, engine.version()]
    payload += [profile.settings(), files]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content ("missing" when it cannot be read).

    A model is tens or hundreds of MB: its digest is remembered by the file's identity (path,
    size, mtime, ctime, inode), in this process and in the cache's ``models`` folder, so that an
    unchanged rebuild does not read it again. Any replacement changes the ctime at least. A file
    a voice pack installed is not read either: ``voices get`` verified it and kept its digest.
    """
    try:
        stamp = ":".join(map(str, [Path(path).resolve(), *file_identity(Path(path))]))
    except OSError:
        return "missing"
    if stamp in _FILE_DIGESTS:
        return _FILE_DIGESTS[stamp]
    memo = cache_folder("models") / f"{hashlib.sha256(stamp.encode()).hexdigest()[:40]}.json"
    try:
        digest = installed_digest(path) or json.loads(memo.read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        try:
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            return "missing"
        memo.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(memo, json.dumps({"path": str(path), "sha256": digest}))
    _FILE_DIGESTS[stamp] = digest
    return digest
