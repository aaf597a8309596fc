"""AAC (M4B, M4A) encoded by ffmpeg from PCM we write, and measured on the way.

One ffmpeg per format reads raw PCM from our pipe and, through its ``tee`` muxer, writes the
real file (seekable, so MP4's index is written) and a copy of the encoded stream to a pipe. A
second ffmpeg decodes that copy and this process measures it (``loudness.LoudnessMeter`` /
``TruePeakMeter``) while the encoder is still running: the figures are those of the encoded
file, at no extra wall time.
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: pipes keep their default size
    fcntl = None

from ..errors import AudioError
from ..files import no_room_error
from ..lazy import lazy_import
from ..models import Loudness
from ..system import check_ffmpeg, ffmpeg_command, ffmpeg_interrupted, ffmpeg_no_room
from .formats import codec_of, encoder_rate
from .iso639 import iso639_2
from .loudness import LoudnessMeter, TruePeakMeter, loudness_of

np = lazy_import("numpy")

log = logging.getLogger(__name__)

AAC_BITRATE = "64k"

# The "fast" coder overshoots true peaks far less than the default twoloop one at 64 kbps mono
# (measured on espeak speech) and is three times faster.
_AAC = ["-c:a", "aac", "-aac_coder", "fast", "-b:a", AAC_BITRATE, "-flags", "+global_header"]
_FILE_MUXER = "ipod"
"""The file's muxer (MP4 with chapters both ways); mutagen writes the tags afterwards."""
_STREAM_MUXER = "adts"
"""The copy sent to the decoder: a stream format that needs no seeking."""
_CHUNK = 1 << 20


def encoder_command(name: str, sample_rate: int, rate: int, language: str) -> list[str]:
    """The encoding ffmpeg, run in the file's folder: raw PCM at ``sample_rate`` in, AAC at
    ``rate`` out to the file ``name`` and, as ADTS, to its stdout."""
    # the file alone, not a path: tee's slave list would take "|", "[" or ":" for syntax
    if not re.fullmatch(r"[\w.-]+", name):
        raise ValueError(f"encode to a plain file name, not {name!r}")
    return ffmpeg_command(
        *("-loglevel", "error", "-f", "s16le", "-ar", str(sample_rate), "-ac", "1"),
        *("-i", "pipe:0", "-map", "0:a:0", "-map_metadata", "-1", "-ar", str(rate), *_AAC),
        # MP4 keeps the language on the track (three letters), not in the tags
        *("-metadata:s:a:0", f"language={iso639_2(language)}"),
        *("-f", "tee", f"[f={_FILE_MUXER}]{name}|[f={_STREAM_MUXER}]pipe:1"),
    )


class MeteredEncode:
    """One AAC format being encoded from PCM we write, and measured as it is encoded.

    ``write`` raw mono 16-bit PCM at ``sample_rate``, then ``finish`` for the loudness of the
    encoded file; ``abort`` on any failure of ours. Raises AudioError (with ffmpeg's command
    and its last lines of stderr) when either ffmpeg fails.
    """

    def __init__(self, dst: Path, fmt: str, sample_rate: int, *, language: str = "und") -> None:
        if codec_of(fmt) != "aac":
            raise ValueError(f"ffmpeg encodes the AAC formats here, not {fmt}")
        check_ffmpeg(f"{fmt.upper()} output")
        rate = encoder_rate(sample_rate)
        self.fmt = fmt
        self.encoder_cmd = encoder_command(dst.name, sample_rate, rate, language)
        self.decoder_cmd = ffmpeg_command(
            *("-loglevel", "error", "-f", "aac", "-i", "pipe:0"),
            *("-ac", "1", "-f", "f32le", "pipe:1"),
        )
        self.loudness_meter = LoudnessMeter(rate)
        self.peak_meter = TruePeakMeter()
        self._errors: list[BaseException] = []
        self._stderr = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
        log.debug("running %s", " ".join(self.encoder_cmd))
        self.encoder = subprocess.Popen(
            self.encoder_cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr[0],
            cwd=dst.parent,
            process_group=0,  # Ctrl-C is briefcast's to handle: it stops the encoders itself
        )
        log.debug("running %s", " ".join(self.decoder_cmd))
        # the encoded copy goes straight from one ffmpeg to the other, not through Python
        self.decoder = subprocess.Popen(
            self.decoder_cmd,
            stdin=self.encoder.stdout,
            stdout=subprocess.PIPE,
            stderr=self._stderr[1],
            process_group=0,
        )
        self.encoder.stdout.close()  # the decoder holds it now: it sees the end of the stream
        _widen(self.encoder.stdin)
        _widen(self.decoder.stdout)
        self._threads = [threading.Thread(target=self._measure, daemon=True)]
        for thread in self._threads:
            thread.start()

    def _measure(self) -> None:
        try:
            while chunk := self.decoder.stdout.read(_CHUNK):
                samples = np.frombuffer(chunk[: len(chunk) // 4 * 4], dtype="<f4")
                self.loudness_meter.feed(samples)
                self.peak_meter.feed(samples)
        except BaseException as exc:  # noqa: BLE001 - re-raised by finish()
            self._errors.append(exc)
            self.decoder.stdout.close()

    def write(self, pcm: bytes) -> None:
        """Send the next PCM to the encoder."""
        try:
            self.encoder.stdin.write(pcm)
        except BrokenPipeError:
            self.encoder.wait()
            raise self._failure(self.encoder, self.encoder_cmd, 0) from None

    def finish(self) -> Loudness:
        """Close the input, wait for both processes, and return the encoded file's loudness."""
        try:
            self.encoder.stdin.close()
        except BrokenPipeError:
            pass
        self.encoder.wait()
        for thread in self._threads:
            thread.join()
        self.decoder.wait()
        try:
            if self.encoder.returncode != 0:
                raise self._failure(self.encoder, self.encoder_cmd, 0)
            if self.decoder.returncode != 0:
                raise self._failure(self.decoder, self.decoder_cmd, 1)
            if self._errors:
                raise AudioError(f"measuring the encoded {self.fmt} failed: {self._errors[0]!r}")
        finally:
            self._close_logs()
        return loudness_of(self.loudness_meter, self.peak_meter.finish())

    def abort(self) -> None:
        """Stop both processes (after a failure elsewhere); never raises."""
        for proc in (self.encoder, self.decoder):
            if proc.poll() is None:
                proc.kill()
        for proc in (self.encoder, self.decoder):
            proc.wait()
        for stream in (self.encoder.stdin, self.decoder.stdout):
            try:
                stream.close()
            except OSError:
                pass
        for thread in self._threads:
            thread.join(timeout=5)
        self._close_logs()

    def _failure(self, proc: subprocess.Popen, cmd: list[str], log_index: int) -> BaseException:
        self._stderr[log_index].seek(0)
        text = self._stderr[log_index].read().decode(errors="replace")
        tail = "\n".join(text.strip().splitlines()[-5:])
        what = "encoding" if proc is self.encoder else "decoding for measurement"
        interrupted = ffmpeg_interrupted(proc.returncode)
        if interrupted is not None:
            return interrupted
        no_room = ffmpeg_no_room(proc.returncode, text)
        if no_room is not None:
            return no_room_error(Path(f"the {self.fmt} file"), no_room)
        return AudioError(
            f"{what} {self.fmt} failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}"
        )

    def _close_logs(self) -> None:
        for handle in self._stderr:
            handle.close()


def _widen(pipe) -> None:
    """A 1 MiB pipe buffer where the system allows (Linux): fewer, larger hand-overs between
    the processes (64 KiB by default)."""
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (AttributeError, OSError):
        pass
