"""A real episode (espeak-ng speech → MP3 + M4B) read back with independent readers."""

from __future__ import annotations

import io
import json

import numpy as np
import webvtt
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp4 import MP4, Atoms
from PIL import Image

from .conftest import CHAPTER_URLS, decode, ebur128, ffmpeg, ffmpeg_chapters


def test_writes_exactly_the_promised_files(built):
    ep = built.episode
    names = sorted(p.name for p in built.out_dir.iterdir())
    assert names == sorted(
        [
            "peace-talks.mp3",
            "peace-talks.m4b",
            "peace-talks.chapters.json",
            "peace-talks.vtt",
            "peace-talks.srt",
        ]
    )  # no work folder or temporary file left behind
    assert [p.name for p in ep.files] == ["peace-talks.mp3", "peace-talks.m4b"]
    assert [p.name for p in ep.sidecars] == [
        "peace-talks.chapters.json",
        "peace-talks.vtt",
        "peace-talks.srt",
    ]


def test_duration_matches_the_decoded_audio(built):
    for path in built.episode.files:
        seconds = decode(path).size / 44100
        # MP3 frames and AAC packets pad the end by less than 50 ms
        assert abs(seconds * 1000 - built.episode.duration_ms) < 60, path.name


def test_chapters_identical_in_every_format(built):
    ep = built.episode
    expected = [(c.title, c.start_ms, c.end_ms) for c in ep.chapters]
    assert [c[0] for c in expected] == built.titles
    assert expected[0][1] == 0 and expected[-1][2] == ep.duration_ms
    assert all(a[2] == b[1] for a, b in zip(expected, expected[1:]))  # end = next start

    # ffmpeg, in the order the file stores them
    assert ffmpeg_chapters(ep.files[0]) == expected
    assert ffmpeg_chapters(ep.files[1]) == expected

    # mutagen: ID3v2.3, one top-level ordered CTOC listing every CHAP in order
    tags = ID3(ep.files[0])
    assert tags.version[:2] == (2, 3)
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert [
        (chaps[i].sub_frames["TIT2"].text[0], chaps[i].start_time, chaps[i].end_time)
        for i in toc.child_element_ids
    ] == expected

    # mutagen: the M4B's Nero chapters
    mp4 = MP4(ep.files[1])
    assert [(c.title, round(c.start * 1000)) for c in mp4.chapters] == [e[:2] for e in expected]

    # JSON
    doc = json.loads(ep.sidecars[0].read_text(encoding="utf-8"))
    assert doc["version"] == "1.2.0"
    assert [(c["title"], round(c["startTime"] * 1000)) for c in doc["chapters"]] == [
        e[:2] for e in expected
    ]


def test_chapter_links_in_the_mp3_and_the_json(built):
    """Each chapter's URL is a WXXX frame inside its CHAP and ``url`` in the JSON; a chapter
    without one has neither (MP4's chapter forms carry no link)."""
    ep = built.episode
    assert [c.url for c in ep.chapters] == CHAPTER_URLS
    tags = ID3(ep.files[0])
    (toc,) = tags.getall("CTOC")
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    links = []
    for element_id in toc.child_element_ids:
        frames = [f for key, f in chaps[element_id].sub_frames.items() if key.startswith("WXXX")]
        assert len(frames) <= 1
        links.append(frames[0].url if frames else None)
    assert links == CHAPTER_URLS
    doc = json.loads(ep.sidecars[0].read_text(encoding="utf-8"))
    assert [c.get("url") for c in doc["chapters"]] == CHAPTER_URLS
    assert "url" not in doc["chapters"][0]


def test_m4b_keeps_both_chapter_forms_after_tagging(built):
    with open(built.episode.files[1], "rb") as f:
        atoms = Atoms(f)
    assert atoms.path(b"moov", b"udta", b"chpl")  # Nero chapters
    tracks = [a for a in atoms[b"moov"].children if a.name == b"trak"]
    assert any(t.children and any(c.name == b"tref" for c in t.children) for t in tracks)
    assert len(tracks) == 2  # audio + QuickTime chapter text track


def _rms_db(samples: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(samples**2)) + 1e-12)


def test_each_marker_sits_on_a_pause_to_speech_boundary(built):
    ep = built.episode
    for path in ep.files:
        audio = decode(path)
        rate = 44100
        for chapter in ep.chapters[1:]:
            at = chapter.start_ms * rate // 1000
            before = audio[at - rate * 3 // 10 : at - rate // 100]  # 300 ms up to 10 ms before
            assert _rms_db(before) < -50, (path.name, chapter.title, _rms_db(before))
            after = audio[at : at + rate // 2]
            frames = after[: after.size // 441 * 441].reshape(-1, 441)  # 10 ms frames
            loudest = max(_rms_db(frame) for frame in frames)
            assert loudest > -30, (path.name, chapter.title, loudest)
            # and speech begins near the marker, not half a second later
            first_loud = next(i for i, frame in enumerate(frames) if _rms_db(frame) > -40)
            assert first_loud * 10 < 150, (path.name, chapter.title, first_loud)


def test_pause_before_a_chapter_belongs_to_the_previous_one(built):
    ep = built.episode
    firsts = [
        next(n for n, r in enumerate(built.rendered) if r.chapter_index == i)
        for i in range(1, len(built.titles))
    ]
    for chapter, n in zip(ep.chapters[1:], firsts):
        assert chapter.start_ms == ep.cues[n].start_ms
        gap = chapter.start_ms - ep.cues[n - 1].end_ms
        assert abs(gap - 1400) <= 2  # PauseRules().chapter, all before the marker


def test_loudness_of_encoded_files(built):
    for path in built.episode.files:
        integrated, peak = ebur128(path)
        assert -17.0 <= integrated <= -15.0, (path.name, integrated)
        assert peak <= -1.0, (path.name, peak)
    integrated, peak = ebur128(built.episode.files[0])
    assert abs(built.episode.loudness.integrated_lufs - integrated) <= 0.1
    assert abs(built.episode.loudness.true_peak_dbtp - peak) <= 0.1


def test_mono_at_expected_bitrates(built):
    text = ffmpeg("-i", str(built.episode.files[0]), "-f", "null", "-").stderr.decode()
    assert "mp3" in text and "mono" in text and "64 kb/s" in text
    text = ffmpeg("-i", str(built.episode.files[1]), "-f", "null", "-").stderr.decode()
    assert "aac" in text and "mono" in text


def _square_cover(data: bytes) -> tuple[str, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.width == image.height
        return image.format, image.width


def test_mp3_tags(built):
    tags = ID3(built.episode.files[0])
    assert tags["TIT2"].text == ["Peace talks in Geneva"]
    assert tags["TPE1"].text == ["Briefcast Tests"]
    assert tags["TALB"].text == ["The Brief"]
    assert str(tags["TDRC"].text[0]) == "2024-05-01"
    assert tags.getall("COMM")[0].text == ["A short test briefing."]
    assert tags["TLAN"].text == ["eng"]
    assert "LUFS" in tags["TXXX:loudness"].text[0]
    (apic,) = tags.getall("APIC")
    assert apic.mime == "image/png" and apic.type == 3
    fmt, side = _square_cover(apic.data)
    assert fmt == "PNG" and side >= 1400
    # and ffmpeg reads the same tags
    meta = ffmpeg("-i", str(built.episode.files[0]), "-f", "ffmetadata", "-").stdout.decode()
    assert "title=Peace talks in Geneva" in meta and "album=The Brief" in meta


def test_m4b_tags(built):
    tags = MP4(built.episode.files[1]).tags
    assert tags["\xa9nam"] == ["Peace talks in Geneva"]
    assert tags["\xa9ART"] == ["Briefcast Tests"]
    assert tags["\xa9alb"] == ["The Brief"]
    assert tags["\xa9day"] == ["2024-05-01"]
    assert tags["desc"] == ["A short test briefing."]
    assert b"LUFS" in bytes(tags["----:com.apple.iTunes:LOUDNESS"][0])
    fmt, side = _square_cover(bytes(tags["covr"][0]))
    assert fmt == "PNG" and side >= 1400
    text = ffmpeg("-i", str(built.episode.files[1]), "-f", "null", "-").stderr.decode()
    assert "(eng): Audio" in text  # the track's language


def test_vtt_and_srt_carry_the_script_in_order(built):
    ep = built.episode
    script = [r.segment.text for r in built.rendered]
    for captions in (webvtt.read(str(ep.sidecars[1])), webvtt.from_srt(str(ep.sidecars[2]))):
        texts = [" ".join(c.text.split()) for c in captions]
        assert texts == script
        starts = [_ms(c.start) for c in captions]
        ends = [_ms(c.end) for c in captions]
        assert starts == sorted(starts)
        assert all(s < e for s, e in zip(starts, ends))
        assert all(e <= s for e, s in zip(ends, starts[1:]))  # no overlap
        assert 0 <= starts[0] and ends[-1] <= ep.duration_ms


def _ms(stamp: str) -> int:
    hours, minutes, rest = stamp.replace(",", ".").split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(rest)) * 1000)


def test_cues_follow_the_speech(built):
    """Every cue starts where the audio turns loud and ends before the next pause is over."""
    ep = built.episode
    audio = decode(ep.files[0])
    rate = 44100
    for cue in ep.cues:
        a, b = cue.start_ms * rate // 1000, cue.end_ms * rate // 1000
        assert _rms_db(audio[a:b]) > -35, cue.text
        assert _rms_db(audio[max(0, a - rate // 5) : a - rate // 100]) < -50, cue.text
