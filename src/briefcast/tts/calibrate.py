"""A voice's real speaking rate, measured once by rendering a calibration passage.

A profile's ``wpm`` is a setting; espeak's real pace differs (pauses at commas and full
stops, long words), so ``--minutes`` would be off without a measurement. A neural voice is
not made to read the passage (4% of a 10-minute Kokoro build): its first build plans a little
below the profile's setting (``FIRST_PACE``), fits the script to the audio it renders, and keeps
the pace it found (``remember_wpm``).
"""

from __future__ import annotations

import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path

from ..models import Segment
from .cache import SegmentCache, segment_key
from .identity import voice_digest
from .profile import VoiceProfile
from .render import render_segments
from .wav import count_words
from .workers import discard_pool, start_workers, voice_peak, worker_count

CALIBRATION = {
    "en": [
        "The council met on Tuesday evening to discuss the new harbour plan.",
        "After two hours of debate, members agreed to fund a study of the old pier, "
        "which has been closed since the storms of last winter.",
        "Local traders welcomed the decision, although some warned that the work could take years.",
        "The first report is expected in the spring, and a public meeting will follow.",
    ],
}
"""Ordinary news prose rendered as separate segments, as a script is (one sentence each)."""

FIRST_PACE = 0.9
"""A neural voice's first build plans at this fraction of its profile's ``wpm``, so that its
first fit round comes out short rather than long: a longer refit only adds sentences, a shorter
one drops sentences already rendered. On six BBC stories Kokoro af_heart read 162 words a minute,
set at 175 (191 on the passage): planned at 175, a 10-minute briefing rendered 69 segments and
dropped 5 of them, 6% of its rendering time. Piper joe read 183 there: its first round comes out
short, and its build takes two rounds, at any fraction from 0.9 to 1.02 (measured), since whole
sentences land unevenly."""

_MEASURED: dict[str, float] = {}


def _sentences(profile: VoiceProfile) -> list[str]:
    # Only English text is shipped; any voice reads it, and the pace carries over well enough.
    return CALIBRATION.get(profile.language.split("-")[0], CALIBRATION["en"])


def _key(profile: VoiceProfile) -> str:
    return segment_key(voice_digest(profile), "calibration:" + "\n".join(_sentences(profile)))


def cached_wpm(profile: VoiceProfile, cache: SegmentCache | None = None) -> float | None:
    """The measured rate if it is known already (no rendering), else None."""
    try:
        key = _key(profile)
    except Exception:  # noqa: BLE001 - listing voices must not fail on an unusable engine
        return None
    if key in _MEASURED:
        return _MEASURED[key]
    value = (cache or SegmentCache()).get_value("calibration", key)
    return float(value["wpm"]) if value and "wpm" in value else None


def measured_wpm(
    profile: VoiceProfile, cache: SegmentCache | None = None, jobs: int | None = None
) -> float:
    """Words per minute ``profile`` really speaks, speech only (pauses between segments are the
    audio stage's). Rendered once (by ``jobs`` worker processes, as ``render_segments``); the
    figure is kept in ``cache`` (and in this process)."""
    key = _key(profile)
    if key in _MEASURED:
        return _MEASURED[key]
    if cache is not None:
        value = cache.get_value("calibration", key)
        if value and "wpm" in value:
            _MEASURED[key] = float(value["wpm"])
            return _MEASURED[key]
    sentences = _sentences(profile)
    segments = [Segment(text=s, voice=profile.name) for s in sentences]
    with tempfile.TemporaryDirectory(prefix="briefcast-calibrate-") as workdir:
        results = render_segments(
            segments, {profile.name: profile}, Path(workdir), jobs=jobs, cache=cache, progress=None
        )
        seconds = sum(r.duration for r in results)
    wpm = round(sum(count_words(s) for s in sentences) / seconds * 60, 1)
    _MEASURED[key] = wpm
    if cache is not None:
        cache.put_value("calibration", key, {"wpm": wpm, "voice": profile.name})
    return wpm


def start_measuring_wpm(
    profile: VoiceProfile, cache: SegmentCache | None = None, jobs: int | None = None
) -> Future[float]:
    """``measured_wpm``, started now: the passage renders in the worker processes while the
    caller goes on (a build plans its article meanwhile); ``.result()`` waits for the figure.
    A neural voice measured never before gets ``FIRST_PACE`` of its setting instead."""
    known = cached_wpm(profile, cache) if cache is not None else None
    if known is None and voice_peak(profile):
        known = profile.wpm * FIRST_PACE
    if known is not None or worker_count(jobs, [profile]) == 1:
        # nothing to wait for, or nothing to overlap: espeak would run in this very process
        done: Future[float] = Future()
        done.set_result(known if known is not None else measured_wpm(profile, cache, jobs))
        return done
    start_workers(jobs)  # before our thread exists, so the workers are forked
    measuring = _Measuring()

    def run() -> None:
        try:
            measuring.set_result(measured_wpm(profile, cache, jobs))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the figure
            measuring.set_exception(exc)

    # A daemon thread: an interrupted build must not wait at exit for a figure nobody needs.
    threading.Thread(target=run, name="briefcast-calibrate", daemon=True).start()
    return measuring


def remember_wpm(profile: VoiceProfile, wpm: float, cache: SegmentCache) -> None:
    """Keep ``wpm``, the pace fitting found ``profile`` to read an article at (with a host voice
    in the script, the two together), as its measured rate when it has none yet: the next build
    of a neural voice plans at it."""
    if cached_wpm(profile, cache) is None:
        key = _key(profile)
        _MEASURED[key] = round(wpm, 1)
        cache.put_value("calibration", key, {"wpm": _MEASURED[key], "voice": profile.name})


class _Measuring(Future):
    """The figure being measured; a wait interrupted by Ctrl-C stops the workers' queued work
    too, so the build ends after the segment each worker is on, not after the whole passage."""

    def result(self, timeout: float | None = None) -> float:
        try:
            return super().result(timeout)
        except KeyboardInterrupt:
            discard_pool()
            raise
