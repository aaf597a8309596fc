"""Encoding the processed speech (MP3 / AAC in M4B or M4A) and writing each container's tags."""

from __future__ import annotations

from pathlib import Path

from mutagen.id3 import APIC, COMM, ID3, TALB, TDRC, TIT2, TLAN, TPE1, TXXX, ID3NoHeaderError
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

from ..models import EpisodeMeta, Loudness
from ..system import run_ffmpeg
from .cover import Cover
from .loudness import describe

FORMATS: tuple[str, ...] = ("mp3", "m4b", "m4a")
"""Output formats: MP3 (ID3 chapters) and AAC in MP4 as an audiobook (.m4b) or plain (.m4a)."""

SAMPLE_RATE = 44100
"""Output rate: MPEG-1 Layer III / AAC-LC at 44.1 kHz play everywhere."""
MP3_BITRATE = "64k"
"""Constant bitrate keeps seeking (and so chapter jumps) exact in every player."""
AAC_BITRATE = "64k"

_ENCODERS = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", MP3_BITRATE, "-id3v2_version", "0",
            "-write_id3v1", "0", "-f", "mp3"],
    # The "fast" coder overshoots true peaks far less than the default twoloop one at 64 kbps
    # mono (measured on espeak speech: +0.2 dB against +3.7 dB) and is three times faster.
    "aac": ["-c:a", "aac", "-aac_coder", "fast", "-b:a", AAC_BITRATE, "-f", "ipod"],
}


def codec_of(fmt: str) -> str:
    """``mp3`` or ``aac``."""
    return "mp3" if fmt == "mp3" else "aac"


def encode_command(src: Path, dst: Path, fmt: str, *, audio_filter: str | None = None,
                   language: str = "und") -> list[str]:
    """ffmpeg arguments that encode the WAV ``src`` (through ``audio_filter``) to mono ``fmt``."""
    args = ["-nostats", "-y", "-i", str(src), "-map", "0:a:0", "-map_metadata", "-1"]
    if audio_filter:
        args += ["-af", audio_filter]
    args += ["-ac", "1", "-ar", str(SAMPLE_RATE), *_ENCODERS[codec_of(fmt)]]
    if codec_of(fmt) == "aac":
        # MP4 keeps the language on the track (three letters), not in the tags
        args[-2:-2] = ["-metadata:s:a:0", f"language={iso639_2(language)}"]
    return [*args, str(dst)]


def encode(src: Path, dst: Path, fmt: str, *, audio_filter: str | None = None,
           language: str = "und") -> None:
    """Encode ``src`` to ``dst`` in ``fmt`` (one of FORMATS); AudioError on failure."""
    run_ffmpeg(encode_command(src, dst, fmt, audio_filter=audio_filter, language=language),
               what=f"encoding {fmt}")


def write_tags(path: Path, fmt: str, meta: EpisodeMeta, cover: Cover, loudness: Loudness) -> None:
    """Title, artist, album, date, description, language, cover and measured loudness."""
    if codec_of(fmt) == "mp3":
        _write_id3_tags(path, meta, cover, loudness)
    else:
        _write_mp4_tags(path, meta, cover, loudness, audiobook=fmt == "m4b")


def _write_id3_tags(path: Path, meta: EpisodeMeta, cover: Cover, loudness: Loudness) -> None:
    try:
        tags = ID3(path)
    except ID3NoHeaderError:
        tags = ID3()
    for frame_id in ("TIT2", "TPE1", "TALB", "TDRC", "COMM", "TLAN", "APIC", "TXXX"):
        tags.delall(frame_id)
    tags.add(TIT2(encoding=3, text=[meta.title]))
    tags.add(TPE1(encoding=3, text=[meta.artist]))
    tags.add(TALB(encoding=3, text=[meta.album]))
    if meta.date:
        tags.add(TDRC(encoding=3, text=[meta.date]))
    if meta.description:
        tags.add(COMM(encoding=3, lang=iso639_2(meta.language), desc="", text=[meta.description]))
    tags.add(TLAN(encoding=3, text=[iso639_2(meta.language)]))
    tags.add(APIC(encoding=3, mime=cover.mime, type=3, desc="Cover", data=cover.data))
    tags.add(TXXX(encoding=3, desc="loudness", text=[describe(loudness)]))
    # v2.3: the version most players' chapter support was written against (v2.4 TDRC is
    # translated to TYER/TDAT by mutagen).
    tags.save(path, v2_version=3)


def _write_mp4_tags(path: Path, meta: EpisodeMeta, cover: Cover, loudness: Loudness, *,
                    audiobook: bool) -> None:
    mp4 = MP4(path)
    if mp4.tags is None:
        mp4.add_tags()
    tags = mp4.tags
    tags["\xa9nam"] = [meta.title]
    tags["\xa9ART"] = [meta.artist]
    tags["\xa9alb"] = [meta.album]
    if meta.date:
        tags["\xa9day"] = [meta.date]
    if meta.description:
        tags["desc"] = [meta.description]
        tags["\xa9cmt"] = [meta.description]
    if audiobook:
        tags["stik"] = [2]  # media kind "audiobook": Apple's players remember the position
    image_format = MP4Cover.FORMAT_PNG if cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
    tags["covr"] = [MP4Cover(cover.data, imageformat=image_format)]
    tags["----:com.apple.iTunes:LOUDNESS"] = [MP4FreeForm(describe(loudness).encode("utf-8"))]
    tags["----:com.apple.iTunes:LANGUAGE"] = [MP4FreeForm(meta.language.encode("utf-8"))]
    mp4.save()


# ID3's TLAN/COMM and MP4's track header want ISO 639-2 codes.
_ISO639_2 = {
    "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por",
    "sv": "swe", "da": "dan", "no": "nor", "nb": "nob", "fi": "fin", "pl": "pol", "cs": "ces",
    "ru": "rus", "uk": "ukr", "tr": "tur", "el": "ell", "ja": "jpn", "zh": "zho", "ko": "kor",
    "ar": "ara", "hi": "hin", "he": "heb",
}


def iso639_2(language: str) -> str:
    """Three-letter ISO 639-2 code for ``language`` ("en" → "eng"; unknown → "und")."""
    code = (language or "").lower().split("-")[0]
    if len(code) == 3:
        return code
    return _ISO639_2.get(code, "und")
