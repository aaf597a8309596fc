"""Language codes as the containers want them: ISO 639-2 (ID3's TLAN and COMM, MP4's track)."""

from __future__ import annotations

_ISO639_2 = {
    "en": "eng",
    "de": "deu",
    "fr": "fra",
    "es": "spa",
    "it": "ita",
    "nl": "nld",
    "pt": "por",
    "sv": "swe",
    "da": "dan",
    "no": "nor",
    "nb": "nob",
    "fi": "fin",
    "pl": "pol",
    "cs": "ces",
    "ru": "rus",
    "uk": "ukr",
    "tr": "tur",
    "el": "ell",
    "ja": "jpn",
    "zh": "zho",
    "ko": "kor",
    "ar": "ara",
    "hi": "hin",
    "he": "heb",
}


def iso639_2(language: str) -> str:
    """Three-letter ISO 639-2 code for ``language`` ("en" → "eng"; unknown → "und")."""
    code = (language or "").lower().split("-")[0]
    if len(code) == 3:
        return code
    return _ISO639_2.get(code, "und")
