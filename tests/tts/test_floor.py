"""The benchmark's floor renders a whole text in one espeak call, from a fresh process."""

from __future__ import annotations

import subprocess
import sys
import wave

CODE = """
import sys
from pathlib import Path
from briefcast.tts import find_profile
from briefcast.tts.floor import render_floor_wav
print(render_floor_wav(sys.argv[2], find_profile("narrator"), Path(sys.argv[1])))
"""


def test_floor_renders_in_a_fresh_process(tmp_path):
    # A fresh process: render_floor_wav must load espeak itself before pyttsx3 looks for it.
    wav = tmp_path / "floor.wav"
    text = "The ferry runs every half hour. Tickets cost two pounds, and children travel free."
    out = subprocess.run(
        [sys.executable, "-c", CODE, str(wav), text], capture_output=True, text=True, check=True
    )
    seconds = float(out.stdout.strip().splitlines()[-1])
    with wave.open(str(wav)) as w:
        assert w.getnframes() / w.getframerate() == seconds
    assert 3.0 < seconds < 9.0  # 14 words at roughly 100-280 words per minute
