"""Real espeak-ng speech for the audio tests and benchmark, rendered through ctypes.

Run in a child process (``render_sentences``) so that this espeak instance, its synth
callback and its settings never meet pyttsx3's in the test process.
Usage as a script: ``python speech.py OUT_DIR`` with a JSON list of sentences on stdin;
prints a JSON list of [wav_path, seconds].
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def render_sentences(texts: list[str], out_dir: Path) -> list[tuple[Path, float]]:
    """Render each text to ``out_dir/NNN.wav`` (mono 16-bit, 22050 Hz) in a child process."""
    out_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, __file__, str(out_dir)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return [(Path(p), d) for p, d in json.loads(proc.stdout)]


def _main(out_dir: Path) -> None:
    import ctypes
    import wave

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from briefcast.system import load_espeak

    lib = ctypes.CDLL(load_espeak())
    callback_type = ctypes.CFUNCTYPE(
        ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
    )
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetSynthCallback.argtypes = [callback_type]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    # 2 = AUDIO_OUTPUT_SYNCHRONOUS: espeak_Synth returns only when every sample was delivered.
    rate = lib.espeak_Initialize(2, 500, None, 0)
    if rate <= 0:
        raise SystemExit("espeak_Initialize failed")
    lib.espeak_SetVoiceByName(b"en")
    lib.espeak_SetParameter(1, 175, 0)  # espeakRATE, words per minute

    chunks: list[bytes] = []

    def collect(wav, numsamples, events):  # noqa: ARG001 - ctypes signature
        if numsamples > 0:
            chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0

    keep = callback_type(collect)
    lib.espeak_SetSynthCallback(keep)
    results = []
    for i, text in enumerate(json.loads(sys.stdin.read())):
        chunks.clear()
        data = text.encode("utf-8") + b"\0"
        lib.espeak_Synth(data, len(data), 0, 1, 0, 1, None, None)  # espeakCHARS_UTF8
        lib.espeak_Synchronize()
        pcm = b"".join(chunks)
        path = out_dir / f"{i:03d}.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm)
        results.append([str(path), len(pcm) / 2 / rate])
    print(json.dumps(results))


if __name__ == "__main__":
    _main(Path(sys.argv[1]))
