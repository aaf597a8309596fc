"""The MP3 made in parts: cuts, LAME's framing, the joined file as ffmpeg and mutagen read it,
its Info/LAME header and CRCs, and the loudness measured part by part."""

from __future__ import annotations

import logging
import struct

import numpy as np
import pytest
from mutagen.mp3 import MP3

import briefcast.audio.mp3 as mp3
from briefcast.audio import loudness as lu
from briefcast.audio.encode import encode_mp3
from briefcast.audio.gain import target_levels
from briefcast.audio.timeline import plan_join, stream_joined
from briefcast.models import PauseRules

from .conftest import decode, ebur128, rendered_segments

RATE = 22050


def _crc16_bitwise(data: bytes, crc: int = 0) -> int:
    """CRC-16/ARC the slow, obvious way: the reference for the table and block versions."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@pytest.mark.parametrize("size", [0, 1, 63, 4095, 4096, 70001])
def test_crc16_matches_the_bitwise_definition(size):
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    assert mp3.crc16(data) == _crc16_bitwise(data)
    assert mp3.crc16(b"123456789") == 0xBB3D  # the catalogue's check value for CRC-16/ARC


def test_crc16_combine_equals_the_crc_of_both():
    rng = np.random.default_rng(7)
    a, b = rng.bytes(5000), rng.bytes(12345)
    assert mp3.crc16_combine(mp3.crc16(a), mp3.crc16(b), len(b)) == mp3.crc16(a + b)
    assert mp3.crc16_combine(mp3.crc16(a), 0, 0) == mp3.crc16(a)


@pytest.mark.parametrize("samples", [1, 575, 576, 577, 22050, 40000, 40577, 100001])
def test_lame_makes_the_frames_the_cuts_are_planned_for(tmp_path, samples):
    pcm = (np.random.default_rng(samples).standard_normal(samples) * 3000).astype("<i2")
    encoder = mp3.PartEncoder(tmp_path / "x.mp3", RATE)
    encoder.write(pcm.tobytes())
    encoder.finish()
    assert len(mp3.read_part(tmp_path / "x.mp3").sizes) == mp3.encoded_frames(samples, RATE)


def test_cuts_sit_in_silences_long_enough_and_split_evenly():
    second = RATE
    total = 120 * second
    # a pause of 0.5 s every 5 s, and one too short to hold a cut at 60 s
    silences = [(t * second, t * second + second // 2) for t in range(5, 120, 5) if t != 60]
    silences.append((60 * second, 60 * second + 1000))
    parts = mp3.plan_parts(silences, total, RATE, 4)
    assert len(parts) == 4 and parts[0][0] == 0 and parts[-1][1] == total
    for (start, stop), (next_start, _) in zip(parts, parts[1:]):
        pause = next(s for s in silences if s[0] <= stop < s[1])
        assert pause[1] - pause[0] > 1000  # not the short one
        assert next_start == start + mp3.encoded_frames(stop - start, RATE) * 576
        assert next_start < pause[1]  # what the cut leaves out is silence
    lengths = [stop - start for start, stop in parts]
    assert max(lengths) - min(lengths) <= 11 * second  # 5 s off the even split at most


def test_no_cut_without_room():
    assert mp3.plan_parts([], 90 * RATE, RATE, 4) == [(0, 90 * RATE)]
    assert mp3.plan_parts([(5 * RATE, 6 * RATE)], 30 * RATE, RATE, 4) == [(0, 30 * RATE)]
    assert len(mp3.plan_parts([(25 * RATE, 26 * RATE)], 50 * RATE, RATE, 8)) == 2  # 20 s parts
    assert len(mp3.plan_parts([(25 * RATE, 26 * RATE)], 40 * RATE, RATE, 8)) == 1


@pytest.fixture
def joined(speech, tmp_path, monkeypatch):
    """The test episode's timeline, cut into parts of at least 5 s (it lasts about 45 s)."""
    monkeypatch.setattr(mp3, "MIN_PART_SECONDS", 5.0)
    rendered, _ = rendered_segments(speech)
    return plan_join(rendered, PauseRules(), tmp_path)


def _reference(joined, gain, ceiling) -> np.ndarray:
    chunks: list[bytes] = []
    stream_joined(joined, chunks.append, gain_db=gain, ceiling_dbtp=ceiling)
    return np.frombuffer(b"".join(chunks), dtype="<i2") / 32768


def test_parts_decode_with_every_sample_in_place(joined, tmp_path):
    levels = target_levels(joined.meter, joined.level_energy, ["mp3"])["mp3"]
    gain, ceiling = levels.gain_db, levels.ceiling_dbtp
    parts = mp3.plan_parts(joined.silences(), joined.total_samples, RATE, 4)
    assert len(parts) == 4
    dst = tmp_path / "split.mp3"
    loudness = encode_mp3(joined, dst, levels=levels, jobs=2)
    heard = decode(dst, RATE)  # ffmpeg: trims LAME's delay and the end padding, per the header
    reference = _reference(joined, gain, ceiling)
    assert heard.size == reference.size == joined.total_samples
    for start, stop in parts:
        error = heard[start:stop] - reference[start:stop]
        snr = 10 * np.log10(np.sum(reference[start:stop] ** 2) / np.sum(error**2))
        late = heard[start + 576 : stop] - reference[start : stop - 576]  # one frame off
        snr_late = 10 * np.log10(np.sum(reference[start:stop] ** 2) / np.sum(late**2))
        assert snr > 12 and snr_late < 3, (start, snr, snr_late)
    # measured part by part as the meter measures the whole file, and near ffmpeg's figures
    whole, peaks = lu.LoudnessMeter(RATE), lu.TruePeakMeter()
    whole.feed(heard)
    peaks.feed(heard)
    assert abs(loudness.integrated_lufs - whole.integrated()) <= 0.05
    assert abs(loudness.true_peak_dbtp - lu.db(peaks.finish())) <= 0.05
    integrated, peak = ebur128(dst)
    assert abs(loudness.integrated_lufs - integrated) <= 0.2
    assert abs(loudness.true_peak_dbtp - peak) <= 0.2


def test_info_header_describes_the_joined_file(joined, tmp_path):
    dst = tmp_path / "split.mp3"
    said: list[str] = []
    encode_mp3(joined, dst, jobs=2, say=said.append)
    assert said == [f"mp3: {n} of 4 parts encoded" for n in range(1, 5)]  # progress, in order
    data = dst.read_bytes()
    info = mp3.read_header(data)
    sizes = mp3.frame_sizes(data[info.size :])
    at = info.xing_offset
    assert data[at : at + 4] == b"Info"
    flags, frames, size = struct.unpack_from(">III", data, at + 4)
    assert flags == 0x0F and frames == len(sizes) and size == len(data)
    toc = data[at + 16 : at + 116]
    assert toc[0] == 0 and list(toc) == sorted(toc)
    tag = at + 120
    assert data[tag : tag + 4] == b"LAME"
    delay_padding = int.from_bytes(data[tag + 21 : tag + 24], "big")
    assert delay_padding >> 12 == 576
    assert len(sizes) * 576 - 576 - (delay_padding & 0xFFF) == joined.total_samples
    length, music_crc, tag_crc = struct.unpack_from(">IHH", data, tag + 28)
    assert length == len(data)
    assert music_crc == _crc16_bitwise(data[info.size :])
    assert tag_crc == _crc16_bitwise(data[: tag + 34])  # every byte before it
    read = MP3(dst).info  # mutagen parses the LAME tag and trims by it
    assert read.bitrate == 64000 and read.sample_rate == RATE and read.channels == 1
    assert read.length == pytest.approx(joined.total_samples / RATE, abs=0.001)


def test_unexpected_framing_falls_back_to_one_part(joined, tmp_path, monkeypatch, caplog):
    real = mp3.encoded_frames
    monkeypatch.setattr(mp3, "encoded_frames", lambda samples, rate: real(samples, rate) + 1)
    dst = tmp_path / "whole.mp3"
    with caplog.at_level(logging.WARNING):
        encode_mp3(joined, dst, jobs=2)
    assert "one part" in caplog.text
    assert decode(dst, RATE).size == joined.total_samples
    assert sorted(p.name for p in tmp_path.glob("*.mp3")) == ["whole.mp3"]  # no parts left


def test_loudness_meters_of_parts_add_up_to_the_whole():
    rng = np.random.default_rng(3)
    samples = rng.standard_normal(RATE * 12) * np.repeat(rng.uniform(0.01, 0.3, 12), RATE)
    whole = lu.LoudnessMeter(RATE)
    whole.feed(samples)
    merged = lu.LoudnessMeter(RATE)
    for start in (0, 5 * RATE + 123):
        part = lu.LoudnessMeter(RATE, start=start)
        part.feed(samples[start : start + 5 * RATE + 123] if start == 0 else samples[start:])
        merged.merge(part)
    assert merged.integrated() == pytest.approx(whole.integrated(), abs=0.05)
