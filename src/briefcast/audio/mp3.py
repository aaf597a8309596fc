"""MP3 made in this process: LAME (the ``lameenc`` wheel) on several cores at once, one part
of the episode each, joined frame by frame under one Info/LAME header; and decoded again
(``miniaudio``) to be measured.

Why not ffmpeg, which encodes the AAC formats: LAME runs on one core and is the slowest step
of a build, and ffmpeg's threads hand each 26 ms frame from one to the next (a 3-minute episode
is 6,900 of them). Measured on a 3-minute episode: ffmpeg takes 0.67 s of CPU to encode it
where LAME in this process takes 0.50, and 0.30 s to decode it again for measuring where
miniaudio takes 0.06. In this process LAME releases the GIL, so parts encode in parallel
threads. Same encoder, same settings (64 kbps CBR, LAME's default quality 3, as ffmpeg's
libmp3lame uses).

The arithmetic that keeps every sample where it was (checked against ffmpeg's decoder in the
tests): LAME turns ``n`` samples into ``ceil((n + 1152) / spf)`` frames of ``spf`` samples
(576 below 32 kHz, else 1152), the samples starting 1105 into the decoded frames (LAME's delay
of 576 plus the decoder's 529). A player trims those 1105 at the start of the file (the LAME
header says so) and nothing in the middle. So a part that starts at timeline sample ``t`` and
is fed ``t … c`` decodes to ``frames × spf`` samples with its audio in place, and the next part
starts at ``t + frames × spf``: the samples between ``c`` and there are left out, and the codec
puts its own silence in their place. Cutting where the timeline is silent for longer than that
(at most 1727 samples plus a margin) makes the joined file decode exactly like one encode.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import lameenc

from ..lazy import lazy_import

miniaudio = lazy_import("miniaudio")
np = lazy_import("numpy")

BITRATE_KBPS = 64
"""Constant bitrate keeps seeking (and so chapter jumps) exact in every player."""
QUALITY = 3
"""LAME's algorithm quality (0 best … 9 fastest): its own default, the one ffmpeg uses."""
LAME_VERSION = b"LAME3.100"
"""The encoder named in the LAME tag (the version the lameenc wheel bundles)."""
LAME_FLUSH = 1152
"""Samples LAME adds to every stream: its 576 of delay, and at least 576 of padding."""
ENCODER_DELAY = 576
"""LAME's delay, as its header records it (decoders add their own 529)."""
MIN_PART_SECONDS = 20.0
"""Shorter parts are not worth a core of their own."""
CUT_MARGIN_SECONDS = 0.02
"""Silence kept on either side of what a cut leaves out."""


def frame_samples(sample_rate: int) -> int:
    """Samples per Layer III frame: MPEG-1 rates (32 kHz and up) 1152, MPEG-2/2.5 576."""
    return 1152 if sample_rate >= 32000 else 576


def encoded_frames(samples: int, sample_rate: int) -> int:
    """How many frames LAME makes of ``samples`` samples (measured: lameenc and ffmpeg's
    libmp3lame alike, at 16, 22.05, 24 and 44.1 kHz)."""
    spf = frame_samples(sample_rate)
    return -(-(samples + LAME_FLUSH) // spf)


def plan_parts(
    silences: Sequence[tuple[int, int]], total: int, sample_rate: int, count: int
) -> list[tuple[int, int]]:
    """Cut a timeline of ``total`` samples into at most ``count`` parts of similar length.

    ``silences`` are (first, end) sample ranges that are silent. Returns each part's (start,
    stop) — the samples its encoder is fed; one part (0, total) when no cut fits. Each cut is
    made in the silence nearest the even split whose length holds what the cut leaves out.
    """
    spf = frame_samples(sample_rate)
    margin = round(CUT_MARGIN_SECONDS * sample_rate)
    shortest = round(MIN_PART_SECONDS * sample_rate)
    count = min(count, max(1, total // shortest))
    parts: list[tuple[int, int]] = []
    start = 0
    for k in range(1, count):
        target = total * k // count
        best = None
        for first, end in silences:
            cut = first + margin
            if cut - start < shortest or total - cut < shortest:
                continue
            following = start + encoded_frames(cut - start, sample_rate) * spf
            if following + margin > end:
                continue  # the silence is too short to hold the codec's own
            if best is None or abs(cut - target) < abs(best[0] - target):
                best = (cut, following)
        if best is None:
            break
        parts.append((start, best[0]))
        start = best[1]
    parts.append((start, total))
    return parts


# --- the bitstream ----------------------------------------------------------------------------

_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1 Layer III
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2/2.5 Layer III
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class FrameHeader:
    """The parts of a Layer III frame header that size it."""

    word: int
    """The four header bytes, big-endian."""
    mpeg1: bool
    sample_rate: int
    mono: bool
    size: int
    """Bytes in the frame, header included."""

    @property
    def xing_offset(self) -> int:
        """Where an Info/Xing tag starts: after the header and the side information."""
        if self.mpeg1:
            return 4 + (17 if self.mono else 32)
        return 4 + (9 if self.mono else 17)


def read_header(data: bytes | memoryview, at: int = 0) -> FrameHeader:
    """The frame header at ``data[at:]``; ValueError when there is none."""
    if at + 4 > len(data):
        raise ValueError(f"no MPEG audio frame at byte {at}: the data ends")
    (word,) = struct.unpack_from(">I", data, at)
    version, layer = (word >> 19) & 3, (word >> 17) & 3
    bitrate_index, rate_index = (word >> 12) & 15, (word >> 10) & 3
    if word >> 21 != 0x7FF or version == 1 or layer != 1 or rate_index == 3:
        raise ValueError(f"no MPEG Layer III frame at byte {at}")
    if bitrate_index in (0, 15):
        raise ValueError(f"frame at byte {at} has no constant bitrate")
    mpeg1 = version == 3
    rate = _RATES[version][rate_index]
    kbps = _BITRATES[1 if mpeg1 else 2][bitrate_index]
    size = (144 if mpeg1 else 72) * kbps * 1000 // rate + ((word >> 9) & 1)
    return FrameHeader(word, mpeg1, rate, (word >> 6) & 3 == 3, size)


def frame_sizes(data: bytes | memoryview) -> list[int]:
    """The size of every frame in ``data`` (frames only, back to back)."""
    sizes = []
    at = 0
    while at < len(data):
        size = read_header(data, at).size
        sizes.append(size)
        at += size
    if at != len(data):
        raise ValueError("the MP3 data ends inside a frame")
    return sizes


class PartEncoder:
    """LAME encoding one part of the episode into ``path`` (frames only, no header). Make
    every part's encoder before starting their threads (see ``__init__``)."""

    def __init__(self, path: Path, sample_rate: int) -> None:
        self._encoder = lameenc.Encoder()
        self._encoder.set_channels(1)
        self._encoder.set_in_sample_rate(sample_rate)
        self._encoder.set_out_sample_rate(sample_rate)
        self._encoder.set_bit_rate(BITRATE_KBPS)
        self._encoder.set_quality(QUALITY)
        # LAME's first call sets it up, filling tables its encoders share across the process;
        # made here, in the caller's thread, so that the parts' threads never race to do it
        self._encoder.encode(b"")
        self._file = open(path, "wb")  # noqa: SIM115 - closed by finish or abort

    def write(self, pcm: bytes) -> None:
        """Encode mono 16-bit PCM (LAME runs without the GIL)."""
        self._file.write(self._encoder.encode(pcm))

    def finish(self) -> None:
        """Encode what LAME still holds, and close the file."""
        with self._file:
            self._file.write(self._encoder.flush())

    def abort(self) -> None:
        self._file.close()


def decoded(path: Path, sample_rate: int) -> Iterator[np.ndarray]:
    """The MP3 frames in ``path`` decoded (every sample, none trimmed), as float32 chunks."""
    chunks = miniaudio.stream_file(
        str(path),
        output_format=miniaudio.SampleFormat.FLOAT32,
        nchannels=1,
        sample_rate=sample_rate,
        frames_to_read=1 << 16,
    )
    for chunk in chunks:
        yield np.frombuffer(chunk, dtype=np.float32)


@dataclass
class EncodedPart:
    """A part LAME wrote: its frames' sizes, their CRC and the first frame's header."""

    path: Path
    sizes: list[int]
    music_crc: int
    header: FrameHeader | None


def read_part(path: Path) -> EncodedPart:
    """What ``write_mp3`` needs of a part (done in the part's own thread: it reads it all)."""
    audio = Path(path).read_bytes()
    header = read_header(audio) if audio else None
    return EncodedPart(Path(path), frame_sizes(audio), crc16(audio), header)


def write_mp3(dst: Path, parts: Sequence[EncodedPart], total_samples: int) -> None:
    """The frames of ``parts``, in order, under one Info/LAME header, written to ``dst``.

    The header gives the frame count and size, a seek table, LAME's delay and the end padding
    (so players trim the file to exactly ``total_samples``), the audio's length and CRCs.
    """
    sizes: list[int] = []
    music_crc = 0
    for part in parts:
        sizes += part.sizes
        music_crc = crc16_combine(music_crc, part.music_crc, sum(part.sizes))
    first = next((part.header for part in parts if part.header is not None), None)
    if first is None:
        raise ValueError("no MP3 frames to write")
    with open(dst, "wb") as out:
        out.write(info_frame(first, sizes, total_samples, music_crc))
        for part in parts:
            out.write(part.path.read_bytes())


# --- the Info/LAME header ---------------------------------------------------------------------

TOC_SIZE = 100
_TOC_BAGS = 400
_INFO_FLAGS = 0x0F
"""Frames, bytes, seek table and quality fields present."""
_LAME_TAG_SIZE = 36


def info_frame(
    first: FrameHeader, sizes: Sequence[int], total_samples: int, music_crc: int
) -> bytes:
    """A silent first frame carrying the Info tag (CBR's Xing) and LAME's tag for ``sizes``.

    The tag's own CRC covers every byte of the frame before it, as LAME and ffmpeg's reader
    define it (ffmpeg's writer takes 190 bytes whatever the layout: right only for MPEG-1
    stereo, whose CRC field starts there)."""
    spf = frame_samples(first.sample_rate)
    padding = len(sizes) * spf - ENCODER_DELAY - total_samples
    if not 0 <= padding < 1 << 12:
        raise ValueError(f"{len(sizes)} frames cannot hold {total_samples} samples")
    header = _info_header(first)
    frame = bytearray(header.size)
    struct.pack_into(">I", frame, 0, header.word)
    at = header.xing_offset
    audio_bytes = sum(sizes)
    total_bytes = header.size + audio_bytes
    frame[at : at + 4] = b"Info"
    struct.pack_into(">III", frame, at + 4, _INFO_FLAGS, len(sizes), total_bytes)
    frame[at + 16 : at + 16 + TOC_SIZE] = _toc(header.size, sizes)
    tag = at + 16 + TOC_SIZE + 4  # after the TOC and the (zero) quality field
    frame[tag : tag + 9] = LAME_VERSION
    frame[tag + 9] = 0x01  # tag revision 0, constant bitrate
    frame[tag + 20] = min(BITRATE_KBPS, 255)
    frame[tag + 21 : tag + 24] = (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
    struct.pack_into(">IH", frame, tag + 28, total_bytes, music_crc)
    struct.pack_into(">H", frame, tag + 34, crc16(frame[: tag + 34]))
    return bytes(frame)


def _info_header(first: FrameHeader) -> FrameHeader:
    """The first audio frame's header, unpadded, at the lowest bitrate that holds the tags."""
    word = first.word & ~(1 << 9)
    for index in range((word >> 12) & 15, 15):
        header = read_header(struct.pack(">I", word & ~(15 << 12) | index << 12))
        if header.xing_offset + 16 + TOC_SIZE + 4 + _LAME_TAG_SIZE <= header.size:
            return header
    raise ValueError("no MP3 frame size holds the Info header")


def _toc(info_size: int, sizes: Sequence[int]) -> bytes:
    """The Info header's seek table, made the way LAME and ffmpeg make it: the byte position
    after every ``want``-th frame ("bags", thinned to at most 400), sampled at each percent."""
    bags: list[int] = []
    want, seen, position = 1, 0, info_size
    for size in sizes:
        seen += 1
        position += size
        if seen == want:
            bags.append(position)
            seen = 0
            if len(bags) == _TOC_BAGS:
                bags = bags[1::2]
                want *= 2
    toc = bytearray(TOC_SIZE)
    for i in range(1, TOC_SIZE):
        toc[i] = min(255, 256 * bags[i * len(bags) // TOC_SIZE] // position) if bags else 0
    return bytes(toc)


# --- CRC-16 as LAME's tag uses it ---------------------------------------------------------------


def crc16(data: bytes | bytearray | memoryview, crc: int = 0) -> int:
    """CRC-16/ARC (polynomial 0x8005, reflected; ffmpeg's AV_CRC_16_ANSI_LE), from ``crc``.

    Long data is cut into equal blocks whose CRCs numpy computes side by side, a byte position
    at a time; the blocks are then folded together (``crc16_combine``): a megabyte in ~10 ms.
    """
    data = np.frombuffer(bytes(data), dtype=np.uint8)
    table = _crc_table()
    block = math.isqrt(data.size)
    if block < 64:
        for byte in data.tolist():
            crc = int(table[(crc ^ byte) & 0xFF]) ^ (crc >> 8)
        return crc
    count = data.size // block
    columns = np.ascontiguousarray(data[: count * block].reshape(count, block).T)
    registers = np.zeros(count, dtype=np.uint16)
    for column in columns:
        registers = table[(registers ^ column) & 0xFF] ^ (registers >> 8)
    shift = _zero_bytes_operator(block)
    for register in registers.tolist():
        crc = _apply(shift, crc) ^ register
    return crc16(data[count * block :].tobytes(), crc) if data.size > count * block else crc


def crc16_combine(crc_a: int, crc_b: int, length_b: int) -> int:
    """The CRC-16 of A followed by B, from A's and B's (``length_b`` bytes, from 0) alone: the
    CRC is linear over GF(2), so A's register is carried through B's length of zero bytes."""
    return _apply(_zero_bytes_operator(length_b), crc_a) ^ crc_b


def _zero_bytes_operator(count: int) -> list[int]:
    """What feeding ``count`` zero bytes does to the register, as 16 columns (by squaring the
    one-byte operator, as zlib's crc32_combine does)."""
    table = _crc_table()
    step = [int(table[(1 << bit) & 0xFF]) ^ ((1 << bit) >> 8) for bit in range(16)]
    result = [1 << bit for bit in range(16)]
    while count:
        if count & 1:
            result = [_apply(step, column) for column in result]
        step = [_apply(step, column) for column in step]
        count >>= 1
    return result


def _apply(operator: list[int], vector: int) -> int:
    out = 0
    for bit, column in enumerate(operator):
        if vector >> bit & 1:
            out ^= column
    return out


_CRC_TABLE: list[np.ndarray] = []


def _crc_table() -> np.ndarray:
    if not _CRC_TABLE:
        table = []
        for n in range(256):
            crc = n
            for _ in range(8):
                crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
            table.append(crc)
        _CRC_TABLE.append(np.array(table, dtype=np.uint16))
    return _CRC_TABLE[0]
