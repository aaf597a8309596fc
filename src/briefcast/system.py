"""The one place that finds the system pieces: ffmpeg and the espeak-ng library.

Both come from wheels (``imageio-ffmpeg``, ``espeakng-loader``) so that no root or apt-get is
needed; a system copy is preferred when one is installed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import shutil
import subprocess

from .errors import AudioError, EngineError

log = logging.getLogger(__name__)


@functools.cache
def ffmpeg_exe() -> str:
    """Path of an ffmpeg with libmp3lame, aac and loudnorm: $BRIEFCAST_FFMPEG, system, or wheel."""
    override = os.environ.get("BRIEFCAST_FFMPEG")
    if override:
        return override
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise AudioError("ffmpeg not found: install it, or `pip install imageio-ffmpeg`") from exc
    return imageio_ffmpeg.get_ffmpeg_exe()


def ffmpeg_command(*args: str) -> list[str]:
    """An ffmpeg command line: our ffmpeg, no banner, never reading the terminal, then ``args``."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]


def run_ffmpeg(args: list[str], *, what: str = "ffmpeg") -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args``; raise AudioError with the command and ffmpeg's stderr on failure."""
    cmd = ffmpeg_command(*args)
    log.debug("running %s", " ".join(cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise AudioError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    return proc


@functools.cache
def load_espeak() -> str:
    """Load libespeak-ng so that pyttsx3 finds it; return the library path used.

    ESPEAK_DATA_PATH must be set *before* the library loads (without it espeak calls exit(1)),
    and the library must be loaded before pyttsx3 imports, because pyttsx3 only dlopens
    ``libespeak-ng.so.1`` by name: the loader then finds ours by its soname. RTLD_LOCAL keeps its
    symbols from interposing on the espeak copy that piper-tts links in.
    """
    system_lib = ctypes.util.find_library("espeak-ng")
    if system_lib and not os.environ.get("BRIEFCAST_BUNDLED_ESPEAK"):
        try:
            ctypes.CDLL(system_lib, mode=ctypes.RTLD_LOCAL)
            return system_lib
        except OSError:
            log.debug("system espeak-ng at %s did not load; using the wheel's", system_lib)
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineError(
            "espeak-ng not found: install espeak-ng, or `pip install espeakng-loader`"
        ) from exc
    os.environ.setdefault("ESPEAK_DATA_PATH", espeakng_loader.get_data_path())
    lib = espeakng_loader.get_library_path()
    ctypes.CDLL(lib, mode=ctypes.RTLD_LOCAL)
    return lib
