"""Reading rendered WAVs and finding the speech in them: each segment's trim, measured once.

Why numpy and not pydub's ``silence`` module (pydub was declared for it, and is no longer a
dependency): pydub judges silence by the RMS of whole chunks, one ``audioop.rms`` call per
chunk in a Python loop, where we judge each sample's peak. Measured on the 8 espeak-ng sentences
of the audio tests with 0.5 s of silence added at each end (as neural engines leave it),
``detect_leading_silence`` from both ends at 1 ms chunks with the same thresholds took 56 ms for
the 8, ``trim_bounds`` 6.5 ms (9×); and pydub put one onset 35 ms late and two endings 12–13 ms
early: soft consonants whose 1 ms RMS stays under the threshold, which the margins below exist
to keep (at pydub's default 10 ms chunk every edge is 10 ms coarse as well).
"""

from __future__ import annotations

import tempfile
import threading
import wave
from pathlib import Path

from ..lazy import lazy_import
from ..models import RenderedSegment, Trim
from ..system import run_ffmpeg

np = lazy_import("numpy")

SILENCE_FLOOR_DBFS = -50.0
"""Below this a sample is silence, whatever the segment's level."""
SILENCE_RELATIVE_DB = -34.0
"""...and below this far under the segment's own peak (for engines with a noise floor)."""
ONSET_MARGIN = 0.015
"""Seconds kept before the first loud sample, so soft word onsets (f, s, h) are not clipped."""
TAIL_MARGIN = 0.040
"""Seconds kept after the last loud sample: decaying endings are longer than onsets."""
FADE_IN = 0.005
FADE_OUT = 0.010
"""Short fades at each trimmed edge so no join clicks."""
FALLBACK_RATE = 22050
"""The rate assumed for a file the wave module cannot read (ffmpeg converts it to this)."""


def trim_bounds(samples: np.ndarray, sample_rate: int) -> tuple[int, int]:
    """(first, end) sample of ``samples`` to keep: speech plus small margins; (0, 0) if silent."""
    if samples.size == 0:
        return 0, 0
    magnitude = np.abs(samples.astype(np.int32))
    peak = int(magnitude.max())
    threshold = max(
        32768 * 10 ** (SILENCE_FLOOR_DBFS / 20), peak * 10 ** (SILENCE_RELATIVE_DB / 20)
    )
    loud = np.flatnonzero(magnitude > threshold)
    if loud.size == 0:
        return 0, 0
    first = max(0, int(loud[0]) - round(ONSET_MARGIN * sample_rate))
    end = min(samples.size, int(loud[-1]) + 1 + round(TAIL_MARGIN * sample_rate))
    return first, end


def faded(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """``samples`` (int16) with short linear fades in and out."""
    out = samples.astype(np.float32)
    n_in = min(out.size, round(FADE_IN * sample_rate))
    n_out = min(out.size, round(FADE_OUT * sample_rate))
    if n_in:
        out[:n_in] *= np.linspace(0.0, 1.0, n_in, endpoint=False, dtype=np.float32)
    if n_out:
        out[-n_out:] *= np.linspace(1.0, 0.0, n_out, dtype=np.float32)
    return np.round(out).astype(np.int16)


def wav_format(path: Path) -> tuple[int, int, int] | None:
    """(channels, sample width, rate) of a PCM WAV, or None when the wave module cannot read it."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getnchannels(), w.getsampwidth(), w.getframerate()
    except (wave.Error, EOFError):
        return None


def read_frames(path: Path, first: int = 0, end: int | None = None) -> np.ndarray:
    """Samples ``first`` to ``end`` of a mono 16-bit WAV."""
    with wave.open(str(path), "rb") as w:
        end = w.getnframes() if end is None else end
        w.setpos(first)
        return np.frombuffer(w.readframes(end - first), dtype="<i2")


def mono16_source(path: Path, sample_rate: int, scratch: Path) -> Path:
    """``path`` if it is a mono 16-bit WAV at ``sample_rate``; else ``scratch``, converted
    by ffmpeg."""
    if wav_format(path) == (1, 2, sample_rate):
        return path
    run_ffmpeg(
        ["-y", "-i", str(path), "-ac", "1", "-ar", str(sample_rate)]
        + ["-c:a", "pcm_s16le", "-f", "wav", str(scratch)],
        what=f"converting {path.name}",
    )
    return scratch


_MEASURED: dict[tuple[str, int, int], Trim] = {}
"""Trims measured in this process, by file, size and modification time (a changed file is
measured anew): fitting a script to a length measures the same segments every round."""
_MEASURED_MAX = 1 << 16
_LOCK = threading.Lock()


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def measure_trim(wav_path: Path, samples: np.ndarray | None = None) -> Trim:
    """The trim of one rendered WAV, counted in its own samples; measured once per file and
    process. ``samples``: the file's samples, when the caller has read them already."""
    path = Path(wav_path)
    key = _file_key(path)
    found = _MEASURED.get(key)
    if found is not None:
        return found
    fmt = wav_format(path)
    rate = fmt[2] if fmt else FALLBACK_RATE
    if samples is None:
        with tempfile.TemporaryDirectory(prefix="briefcast-trim-") as tmp:
            samples = read_frames(mono16_source(path, rate, Path(tmp) / "converted.wav"))
    trim = Trim(*trim_bounds(samples, rate), rate)
    with _LOCK:
        if len(_MEASURED) >= _MEASURED_MAX:
            _MEASURED.clear()  # a bound on memory in a long-lived process; re-measuring is cheap
        _MEASURED[key] = trim
    return trim


def trim_of(item: RenderedSegment) -> Trim:
    """``item``'s trim, measured (and kept on it) when it has none yet."""
    if item.trim is None:
        item.trim = measure_trim(Path(item.wav_path))
    return item.trim


def trim_at(trim: Trim, sample_rate: int) -> tuple[int, int]:
    """(first, end) of ``trim`` in samples at ``sample_rate`` (a segment resampled to join)."""
    if trim.sample_rate == sample_rate:
        return trim.first, trim.end
    scale = sample_rate / trim.sample_rate
    return round(trim.first * scale), round(trim.end * scale)


def speech_seconds(rendered: RenderedSegment | Path | str) -> float:
    """Seconds of speech the audio stage keeps of one rendered segment (a RenderedSegment, whose
    trim is kept on it, or its WAV), margins included: a script's real length is known early."""
    if isinstance(rendered, RenderedSegment):
        return trim_of(rendered).seconds
    return measure_trim(Path(rendered)).seconds
