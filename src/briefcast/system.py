"""The one place that finds the system pieces: ffmpeg and the espeak-ng library.

Both come from wheels (``imageio-ffmpeg``, ``espeakng-loader``) so that no root or apt-get is
needed; a system copy is preferred when one is installed.
"""

from __future__ import annotations

import _ctypes
import ctypes
import ctypes.util
import errno
import functools
import logging
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import espeakng_loader  # the library and its data; nothing is loaded until load_espeak
import imageio_ffmpeg

from .errors import AudioError
from .files import no_room_error

log = logging.getLogger(__name__)


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg briefcast runs (AAC formats, odd WAVs): $BRIEFCAST_FFMPEG, system, wheel."""
    override = os.environ.get("BRIEFCAST_FFMPEG")
    if override:
        return override
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:  # a platform the wheel has no binary for
        raise AudioError(f"ffmpeg not found ({exc}): install ffmpeg") from None


MIN_FFMPEG = (4, 4)
"""The oldest ffmpeg the AAC formats are made with (Ubuntu 22.04's 4.4): 4.2 (measured) writes
an M4B whose audio plays 91 ms longer than the episode, the AAC priming left untrimmed."""


def parse_ffmpeg_version(text: str) -> tuple[int, ...] | None:
    """The release in ``ffmpeg -version``'s first line ("ffmpeg version 5.1.9-0+deb12u1",
    "n7.1", "4.4.2-0ubuntu0.22.04.1"); None for a git snapshot ("N-112233-g…"), which is new."""
    found = re.match(r"\S+ version n?(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    return tuple(int(part) for part in found.groups() if part is not None) if found else None


@functools.cache
def ffmpeg_version() -> tuple[int, ...] | None:
    """Our ffmpeg's release, read once from ``ffmpeg -version``; raise AudioError when it does
    not run."""
    exe = ffmpeg_exe()
    try:
        proc = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"cannot run ffmpeg at {exe} ({exc}): install ffmpeg") from None
    if proc.returncode != 0 or not proc.stdout.startswith("ffmpeg"):
        raise AudioError(f"{exe} is not a working ffmpeg (`-version` failed): install ffmpeg")
    return parse_ffmpeg_version(proc.stdout.splitlines()[0])


def check_ffmpeg(feature: str, minimum: tuple[int, ...] = MIN_FFMPEG) -> None:
    """Raise AudioError, in one line that says what to do, when our ffmpeg is older than
    ``minimum`` for ``feature`` (what the user asked for: "M4B", "reading chapters")."""
    version = ffmpeg_version()
    if version is not None and version < minimum:
        have, need = ".".join(map(str, version)), ".".join(map(str, minimum))
        raise AudioError(
            f"{feature} needs ffmpeg {need} or newer, but {ffmpeg_exe()} is {have}: "
            "install a newer ffmpeg, or point BRIEFCAST_FFMPEG at one"
        )


def ffmpeg_command(*args: str) -> list[str]:
    """An ffmpeg command line: our ffmpeg, no banner, never reading the terminal, then ``args``."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]


def ffmpeg_interrupted(returncode: int) -> KeyboardInterrupt | None:
    """A KeyboardInterrupt (carrying the signal) when ffmpeg died of Ctrl-C or SIGTERM: the run
    was interrupted, which is what the user is told, not that an encoder failed."""
    if returncode not in (-signal.SIGINT, -signal.SIGTERM):
        return None
    interrupt = KeyboardInterrupt()
    interrupt.signum = -returncode
    return interrupt


def ffmpeg_no_room(returncode: int, stderr: str) -> OSError | None:
    """The write error behind an ffmpeg failure when it ran out of room (a full disk, or killed
    by SIGXFSZ at a file-size limit); None for any other failure."""
    if returncode == -signal.SIGXFSZ:
        return OSError(errno.EFBIG, os.strerror(errno.EFBIG))
    if "No space left on device" in stderr:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return None


def run_ffmpeg(args: list[str], *, what: str = "ffmpeg") -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args``; raise AudioError with the command and ffmpeg's stderr on failure
    (OutputError when it ran out of room)."""
    cmd = ffmpeg_command(*args)
    log.debug("running %s", " ".join(cmd))
    # In a process group of its own: Ctrl-C interrupts briefcast, which then ends this run.
    proc = subprocess.run(cmd, capture_output=True, text=True, process_group=0)
    interrupted = ffmpeg_interrupted(proc.returncode)
    if interrupted is not None:
        raise interrupted
    no_room = ffmpeg_no_room(proc.returncode, proc.stderr)
    if no_room is not None:
        raise no_room_error(Path(cmd[-1]).parent, no_room)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise AudioError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    return proc


ESPEAK_MIN_SYSTEM = (1, 52)
"""The oldest system libespeak-ng used. 1.51 (Debian 12, Ubuntu 22.04) carries state from one
utterance into the next: measured, "Welcome to the show." in the same voice lasts 1.366 s
fresh and 1.417 s after "The council met on Tuesday." (50 ms more end pause), and a host line
"Next: The Plan to Restore It." 2.045 s or 2.150 s (its colon pause), whatever was reset in
between (the voice, the rate, a dummy utterance). A segment's audio then depends on which
segments its worker rendered before: the cache keeps whichever came first, and a parallel
build differs from a serial one. 1.52 renders each text alike (within 15 ms) in any order."""


@functools.cache
def load_espeak() -> str:
    """Load libespeak-ng so that pyttsx3 finds it; return the library path used.

    ESPEAK_DATA_PATH must be set *before* the library loads (without it espeak calls exit(1)),
    and the library must be loaded before pyttsx3 imports, because pyttsx3 only dlopens
    ``libespeak-ng.so.1`` by name: the loader then finds ours by its soname. RTLD_LOCAL keeps its
    symbols from interposing on the espeak copy that piper-tts links in. A system library is
    preferred when it is at least ``ESPEAK_MIN_SYSTEM`` (and $BRIEFCAST_BUNDLED_ESPEAK is unset).
    """
    system_lib = ctypes.util.find_library("espeak-ng")
    if system_lib and not os.environ.get("BRIEFCAST_BUNDLED_ESPEAK"):
        if _load_if_recent(system_lib):
            return system_lib
    os.environ.setdefault("ESPEAK_DATA_PATH", espeakng_loader.get_data_path())
    lib = espeakng_loader.get_library_path()
    ctypes.CDLL(lib, mode=ctypes.RTLD_LOCAL)
    return lib


def _load_if_recent(path: str) -> bool:
    """Load the system libespeak-ng at ``path`` and keep it when recent enough; else unload it,
    so that pyttsx3's by-name dlopen finds the wheel's copy instead."""
    try:
        lib = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL)
    except OSError:
        log.debug("system espeak-ng at %s did not load; using the wheel's", path)
        return False
    lib.espeak_Info.restype = ctypes.c_char_p
    version = (lib.espeak_Info(None) or b"").decode("ascii", "replace")  # needs no initialising
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:2])
    if numbers >= ESPEAK_MIN_SYSTEM:
        return True
    log.debug(
        "system espeak-ng %s is older than %d.%d; using the wheel's", version, *ESPEAK_MIN_SYSTEM
    )
    _ctypes.dlclose(lib._handle)  # noqa: SLF001 - nothing else holds it yet
    return False
