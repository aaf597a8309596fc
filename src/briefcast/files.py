"""The one atomic writer: every output goes to a temporary name beside its target, is fsynced,
given the mode the user's umask asks for, and renamed into place.

A reader (a player, a podcast client, a second build) therefore sees the old file or the new
one, never half of either, and an interrupted run leaves no partial file behind.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from .errors import OutputError

PART_MARK = ".part"
"""Every temporary name carries this mark, so a test (or a user) can tell a leftover at once."""


@cache
def file_mode() -> int:
    """The mode a new file gets under this process's umask (0644 under umask 022)."""
    try:  # Linux reports the umask without changing it, which is safe beside other threads
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def temporary_name(path: Path) -> Path:
    """A fresh name beside ``path`` that keeps its suffix (tools such as ffmpeg read the format
    from it) and is hidden, with ``PART_MARK`` in it."""
    return path.with_name(f".{path.stem}.{secrets.token_hex(4)}{PART_MARK}{path.suffix}")


NO_ROOM = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS})
"""Write errors that mean "no room here" (a full disk, a file-size limit, a quota, a read-only
mount): the user can act on them, so they become an OutputError rather than a traceback."""


def no_room_error(path: Path, exc: OSError) -> OutputError:
    """The one line a user gets when ``path`` could not be written for want of room."""
    return OutputError(
        f"cannot write {path}: {exc.strerror or exc}; free some space, or choose another "
        "folder with -o (earlier files are left as they were)"
    )


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path for the caller (or a tool it runs) to write; when the block ends
    without error, the file there is fsynced and renamed to ``path``; on any error it is removed
    (and a full disk or file-size limit is raised as OutputError; ``path`` is untouched).
    """
    path = Path(path)
    tmp = temporary_name(path)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno in NO_ROOM:
            raise no_room_error(path, exc) from exc
        raise
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))
