"""The default engine: pyttsx3 2.99 driving espeak-ng, wrapped so that its fragile parts hold.

What goes wrong with the bare driver, and what this module does about it:

- A new engine's first ``save_to_file`` can be lost and later texts land under the previous
  file name (the first loop ends before espeak's asynchronous synthesis does): the loop is
  primed once with an empty ``runAndWait()`` per process.
- ``runAndWait()`` may return before the WAV is written: we wait for the
  finished-utterance callback, with a timeout.
- A ``setProperty`` just before a save can be dropped: rate, pitch and volume are queued in
  espeak, ``IsPlaying()`` is true while they are, and ``runAndWait`` then cancels everything
  (the new save included, leaving an empty file). We wait until espeak is idle after setting
  them, and read the voice back (an unknown voice name is silently ignored).
- ``Synth`` passes ten times the text length as buffer size and crashes near 2,000 words:
  texts over ``MAX_WORDS_PER_CALL`` are rendered in parts and joined.
- A stop requested while espeak was busy leaves the driver's ``_stopping`` flag set, and the
  next utterance is cancelled on its first loop iteration: the flag is cleared before a save
  (espeak is idle by then).
- It prints "Audio saved to ..." with ``print``: ``sys.stdout`` is swapped around each call.

espeak-ng initialises once per process and is not fork-safe once started, so every worker
process owns its own engine (see ``render.py``). Every file is checked (valid WAV, duration
plausible for its word count); a failure is retried once, then raised as EngineError.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import io
import logging
import os
import threading
import time
import wave
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import pyttsx3

from ..errors import EngineError, VoiceError
from ..files import NO_ROOM, no_room_error
from ..system import load_espeak
from .base import EngineVoice, split_for_engine
from .profile import VoiceProfile
from .wav import check_rendering, excerpt, wav_seconds, write_wav

log = logging.getLogger(__name__)

MAX_WORDS_PER_CALL = 400
"""Well below the ~2,000 words at which pyttsx3's Synth buffer size crashes espeak."""
FINISH_TIMEOUT = 60.0
"""Seconds to wait for espeak to finish one call (it runs ~500x faster than real time)."""
SAMPLE_RATE = 22050
"""pyttsx3 writes every WAV at espeak's default rate."""


class _WakeOnFinish:
    """Stand-in for the ``time`` module inside pyttsx3's espeak driver.

    Its loop polls with ``time.sleep(0.01)``; espeak renders a sentence in a few
    milliseconds, so the poll would dominate. Sleeping on the finished-utterance event
    instead wakes the loop as soon as the file is written (and still every 10 ms otherwise).
    """

    def __init__(self, event: threading.Event) -> None:
        self._event = event

    def sleep(self, seconds: float) -> None:
        self._event.wait(seconds)

    def __getattr__(self, name: str):
        return getattr(time, name)


@contextlib.contextmanager
def _quiet_stdout():
    """Keep pyttsx3's ``print`` chatter out of our stdout (which is for results only)."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


class Pyttsx3Engine:
    """espeak-ng through pyttsx3; sets rate, pitch and volume; voices are espeak's."""

    name = "pyttsx3"
    settable = frozenset({"rate", "pitch", "volume"})

    def __init__(self) -> None:
        self._tts = None
        self._done = threading.Event()
        self._completed = False
        self._applied: tuple | None = None
        self._callback = None
        self._write_error: Exception | None = None

    # -- facts that need no synthesis (safe in the parent process) --------------------------

    def version(self) -> str:
        return _version()

    def voices(self, search_dirs: Sequence[Path] = ()) -> list[EngineVoice]:
        return list(_espeak_voices())

    # -- rendering (in whichever process owns this instance) ---------------------------------

    def render(self, text: str, profile: VoiceProfile, path: Path) -> float:
        path = Path(path)
        parts = split_for_engine(text, MAX_WORDS_PER_CALL)
        last_error: EngineError | None = None
        for attempt in (1, 2):
            try:
                if len(parts) == 1:
                    self._render_checked(text, profile, path)
                else:
                    self._render_parts(parts, profile, path)
                seconds = wav_seconds(path)
                assert seconds is not None
                return seconds
            except EngineError as exc:
                last_error = exc
                log.warning("espeak attempt %d failed: %s", attempt, exc)
                self._reset()
        raise EngineError(
            f"espeak-ng could not render {excerpt(text)!r} ({last_error}); "
            "try again, or shorten the segment in the script"
        )

    def _render_parts(self, parts: list[str], profile: VoiceProfile, path: Path) -> None:
        pcm = []
        for i, part in enumerate(parts):
            part_path = path.with_name(f".{path.name}.{i}.part.wav")
            try:
                self._render_checked(part, profile, part_path)
                with wave.open(str(part_path), "rb") as w:
                    pcm.append(w.readframes(w.getnframes()))
            finally:
                part_path.unlink(missing_ok=True)
        write_wav(path, b"".join(pcm), SAMPLE_RATE)

    def _render_checked(self, text: str, profile: VoiceProfile, path: Path) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part.wav")
        try:
            self._synth_to(text, profile, tmp)
            check_rendering(tmp, text, profile.wpm)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def _driver(self):
        """This process's pyttsx3 engine, primed (created on first use)."""
        if self._tts is None:
            load_espeak()
            # The driver modules dlopen libespeak-ng by name when imported: only after ours loads.
            from pyttsx3.drivers import _espeak
            from pyttsx3.drivers import espeak as espeak_driver

            tts = pyttsx3.init("espeak")
            tts.connect("finished-utterance", self._on_finished)
            espeak_driver.time = _WakeOnFinish(self._done)
            self._callback = self._guard(tts.proxy._driver)  # noqa: SLF001
            _espeak.SetSynthCallback(self._callback)
            self._tts = tts
            self._wait_idle()  # the driver's own initial settings are still queued
            with _quiet_stdout():
                tts.runAndWait()  # the priming loop: without it the first file is lost
            self._applied = None
        return self._tts

    def _guard(self, driver):
        """The driver's synthesis callback, made to survive a WAV it cannot write: pyttsx3
        raises inside the callback (which ctypes only prints) and never ends its loop, so the
        save would wait ``FINISH_TIMEOUT`` and then fail as an engine error. Here the loop
        ends at once and the write error is kept for ``_synth_to`` to raise."""

        def callback(wav, numsamples, events):
            try:
                return driver._onSynth(wav, numsamples, events)  # noqa: SLF001
            except Exception as exc:  # noqa: BLE001 - handed on to the rendering call
                self._write_error = exc.__context__ if isinstance(exc.__context__, OSError) else exc
                driver._speaking = False  # noqa: SLF001
                driver._data_buffer = b""  # noqa: SLF001
                driver._proxy.setBusy(False)  # noqa: SLF001
                driver.endLoop()
                self._completed = False
                self._done.set()
                return 0

        return callback

    def _on_finished(self, name=None, completed=True) -> None:  # noqa: ARG002 - pyttsx3 API
        self._completed = bool(completed)  # a cancelled utterance wrote nothing
        self._done.set()

    def _reset(self) -> None:
        """After a failure: let espeak go idle and re-prime the loop before the retry."""
        if self._tts is None:
            return
        self._wait_idle()
        self._applied = None
        with _quiet_stdout():
            self._tts.runAndWait()

    def _wait_idle(self, timeout: float = 5.0) -> None:
        from pyttsx3.drivers import _espeak  # loaded by _driver, after load_espeak

        deadline = time.monotonic() + timeout
        while _espeak.IsPlaying():
            if time.monotonic() > deadline:
                _espeak.Cancel()
                raise EngineError("espeak-ng stayed busy; cancelled")
            time.sleep(0.001)

    def _apply(self, profile: VoiceProfile) -> None:
        """Set voice, rate, pitch, volume when they differ from what espeak has now."""
        wanted = (profile.voice_id, profile.wpm, profile.pitch, profile.volume)
        if wanted == self._applied:
            return
        tts = self._tts
        if profile.voice_id:
            try:
                tts.setProperty("voice", profile.voice_id)
            except ValueError as exc:
                raise VoiceError(f"espeak-ng has no voice {profile.voice_id!r}: {exc}") from exc
            current = tts.getProperty("voice") or ""
            if not _same_voice(current, profile.voice_id):
                # espeak keeps the old voice on an unknown name without saying so.
                raise VoiceError(
                    f"profile {profile.name}: espeak-ng has no voice {profile.voice_id!r}; "
                    "see `briefcast voices` for ids such as gmw/en-us or gmw/en+f2"
                )
        tts.setProperty("rate", int(profile.wpm))
        if profile.pitch is not None:
            tts.setProperty("pitch", int(profile.pitch))
        tts.setProperty("volume", float(profile.volume))
        self._applied = wanted

    def _synth_to(self, text: str, profile: VoiceProfile, path: Path) -> None:
        tts = self._driver()
        self._wait_idle()
        self._apply(profile)
        # Rate, pitch and volume are queued commands: while they are pending espeak reports
        # itself busy, and pyttsx3's runAndWait would then Cancel the new save.
        self._wait_idle()
        path.unlink(missing_ok=True)
        # A stop requested while espeak was busy (an earlier loop's end) leaves this flag set
        # and the driver would cancel our utterance on its first iteration; espeak is idle now.
        tts.proxy._driver._stopping = False  # noqa: SLF001
        self._done.clear()
        with _quiet_stdout():
            tts.save_to_file(text, str(path))
            tts.runAndWait()
            finished = self._done.wait(FINISH_TIMEOUT)
        error, self._write_error = self._write_error, None
        if isinstance(error, OSError) and error.errno in NO_ROOM:
            raise no_room_error(path.parent, error) from error
        if error is not None:
            raise EngineError(f"espeak-ng could not write {path}: {error}")
        if not finished:
            raise EngineError(
                f"espeak-ng did not finish {excerpt(text)!r} in {FINISH_TIMEOUT:.0f} s"
            )
        if not self._completed:
            raise EngineError(f"espeak-ng cancelled {excerpt(text)!r}")


def _same_voice(current: str, wanted: str) -> bool:
    """``gmw/en-us+m3`` matches ``en-us+m3`` and ``gmw/en-US+m3``."""

    def norm(v: str) -> tuple[str, str]:
        base, _, variant = v.lower().partition("+")
        return base.rsplit("/", 1)[-1], variant

    return norm(current) == norm(wanted)


@functools.cache
def _version() -> str:
    lib = ctypes.CDLL(load_espeak())
    lib.espeak_Info.restype = ctypes.c_char_p
    espeak = (lib.espeak_Info(None) or b"?").decode()
    return f"pyttsx3 {metadata.version('pyttsx3')}; espeak-ng {espeak}"


@functools.cache
def _espeak_voices() -> tuple[EngineVoice, ...]:
    """espeak-ng's voices, read without starting its synthesizer (so forking stays safe)."""
    lib = ctypes.CDLL(load_espeak())
    lib.espeak_ng_InitializePath(None)
    from pyttsx3.drivers import _espeak  # only once load_espeak has loaded the library

    voices = []
    for v in _espeak.ListVoices(None):
        languages = v.languages or b""
        language = languages[1:].decode("utf-8", "replace") if languages else ""
        voices.append(
            EngineVoice(
                id=v.identifier.decode("utf-8", "replace").lower(),
                name=v.name.decode("utf-8", "replace"),
                language=language,
                engine="pyttsx3",
            )
        )
    return tuple(voices)
