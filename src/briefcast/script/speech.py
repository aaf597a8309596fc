"""Rewrite written text for the ear: numbers, money, dates, abbreviations, acronyms, symbols.

The TTS stage receives plain, speakable text. Plain cardinals stay as digits (every engine
reads them and they keep the word budget honest), and so do a decimal's digits ("3 point 5":
kokoro-onnx says "3.5" as "three. five"); everything an engine would misread — years,
ordinals, money scales, times, acronyms, symbols — is spelled out here.
The rules are English; other languages get the language-neutral ones (links, brackets, dashes).
Each English rule is a named rewrite class (``REWRITES``): the pipeline may tell, per voice, the
classes its engine says well from the written text, and those stay as written for that voice
(measured, no built-in engine does better without any of them: ``briefcast.tts.written``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache

from ..models import Script, Segment
from .acronyms import said_as_word, spell_letters, spoken_acronyms
from .numerals import MONTHS, NUMBER_RULES

__all__ = [
    "REWRITES",
    "said_as_word",
    "spell_letters",
    "spoken_script",
    "spoken_segments",
    "spoken_sentence",
    "spoken_words",
    "to_speech",
]

_UNICODE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
        "\u2022": " ",
        "\u00b7": " ",
        "\u200b": "",
        "\u2032": "'",
    }
)

ABBREVIATIONS = (
    [
        (r"\be\.g\.,?", "for example"),
        (r"\bi\.e\.,?", "that is"),
        (r"\betc\.", "et cetera"),
        (r"\bvs\.?(?=\s)", "versus"),
        (r"\bv\.(?=\s)", "versus"),
        (r"\bapprox\.", "approximately"),
        (r"\bMr\.?(?=\s)", "Mister"),
        (r"\bMrs\.?(?=\s)", "Missus"),
        (r"\bMs\.?(?=\s)", "Miz"),
        (r"\bDr\.?(?=\s+[A-Z])", "Doctor"),
        (r"\bProf\.?(?=\s+[A-Z])", "Professor"),
        (r"\bSt\.?(?=\s+[A-Z])", "Saint"),
        (r"(?<=[a-z] )St\b\.?", "Street"),
        (r"\bGen\.(?=\s+[A-Z])", "General"),
        (r"\bSen\.(?=\s+[A-Z])", "Senator"),
        (r"\bGov\.(?=\s+[A-Z])", "Governor"),
        (r"\bRep\.(?=\s+[A-Z])", "Representative"),
        (r"\bJr\.?(?=[\s,.]|$)", "Junior"),
        (r"\bSr\.?(?=[\s,.]|$)", "Senior"),
        (r"\bMt\.?(?=\s+[A-Z])", "Mount"),
        (r"\bLtd\b\.?", "Limited"),
        (r"\bInc\b\.?", "Incorporated"),
        (r"\bCorp\b\.?", "Corporation"),
        (r"\bNo\.(?=\s*\d)", "number"),
        (r"\bnos?\.(?=\s*\d)", "number"),
        (r"\bU\.S\.A\.", "USA"),
        (r"\bU\.S\.", "US"),
        (r"\bU\.K\.", "UK"),
        (r"\bE\.U\.", "EU"),
        (r"\bU\.N\.", "UN"),
        (r"\bD\.C\.", "DC"),
    ]
    + [(rf"\b{m[:3]}\.(?=\s)", m) for m in MONTHS if len(m) > 3]
    + [(r"\bSept\.(?=\s)", "September")]
)
ABBREVIATIONS = [(re.compile(p), r) for p, r in ABBREVIATIONS]


def to_speech(text: str, language: str = "en", written: frozenset[str] = frozenset()) -> str:
    """Return ``text`` rewritten as plain text a TTS engine reads the way a person would;
    the rewrite classes in ``written`` (names from ``REWRITES``) are left as written."""
    text = _neutral_before(text)
    if language.split("-")[0].lower() == "en":
        for name, rule in ENGLISH_RULES.items():
            if name not in written:
                text = rule(text)
    return _tidy(text)


# --- language-neutral rules ---------------------------------------------------------------

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _neutral_before(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_UNICODE)
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"[*_`]{1,3}(?=\S)|(?<=\S)[*_`]{1,3}", "", text)
    text = _EMAIL.sub(lambda m: f"{_spoken_dots(m.group(1))} at {_spoken_dots(m.group(2))}", text)
    text = _URL.sub(lambda m: _short_url(m.group(0)), text)
    text = re.sub(r"\[\d+\]|\[citation needed\]", "", text)  # citation marks
    text = _parentheses(text)
    # Emoji and pictographs are not speakable.
    return "".join(
        ch for ch in text if ch == "°" or unicodedata.category(ch) not in ("So", "Cs", "Co")
    )


def _short_url(url: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).split("/")[0]
    return _spoken_dots(host.rstrip(".,;:"))


def _spoken_dots(text: str) -> str:
    return " dot ".join(part for part in text.split(".") if part)


# --- English rules, applied in order ------------------------------------------------------


def _parentheses(text: str) -> str:
    # "(SEC)" after its full name only repeats it; other asides become a spoken aside.
    text = re.sub(r"\s*\((?:[A-Z][A-Z.&]{1,7}s?)\)", "", text)
    text = re.sub(
        r"\s*\(([^()]*)\)", lambda m: f", {m.group(1).strip()}," if m.group(1).strip() else "", text
    )
    return text


def _abbreviations(text: str) -> str:
    for pattern, spoken in ABBREVIATIONS:
        text = pattern.sub(spoken, text)
    return text


def _symbols(text: str) -> str:
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"(?<=\d)\s*[x×]\s*(?=\d)", " by ", text)
    text = re.sub(r"\s+[–—-]{1,2}\s+|\s*[—]\s*|\s*--\s*", ", ", text)
    text = re.sub(r"(?<=\s)-(?=\d)|^-(?=\d)", "minus ", text)
    text = re.sub(r"\+(?=\s*\d)", "plus ", text)
    text = re.sub(r"(?<=\w)\+(?!\w)", " plus", text)
    text = re.sub(r"\s=\s", " equals ", text)
    text = re.sub(r"#(?=\d)", "number ", text)
    text = re.sub(r"\band/or\b", "and or", text)
    text = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z])", " or ", text)
    text = re.sub(r"~\s*(?=\d)", "about ", text)
    text = re.sub(r"@(?=\w)", "", text)  # social handles: the name is enough
    text = re.sub(r"[#|<>{}\[\]^\\~*_•]", " ", text)
    return re.sub(r"\s/\s", " or ", text)


ENGLISH_RULES = {
    **NUMBER_RULES,
    "abbreviations": _abbreviations,
    "acronyms": spoken_acronyms,
    "symbols": _symbols,
}
"""The English rules by rewrite class, in the order they apply."""
REWRITES = frozenset(ENGLISH_RULES)
"""The rewrite classes an engine may declare it speaks well from the written text."""


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([.!?])\s*,", r"\1", text)
    text = re.sub(r"^[,;:\s]+", "", text)
    text = re.sub(r'"\s*"', "", text)
    if text and text[-1].isalnum():
        text += "."
    return text


@lru_cache(maxsize=65536)
def spoken_sentence(
    sentence: str, language: str = "en", written: frozenset[str] = frozenset()
) -> str:
    """``to_speech`` with a cache: the condenser asks for the same sentences repeatedly."""
    return to_speech(sentence, language, written)


def spoken_words(text: str, language: str = "en") -> int:
    """How many words the voice says for the written ``text`` (what a length estimate counts)."""
    return len(spoken_sentence(text, language).split())


def spoken_segments(
    segments: list[Segment],
    language: str = "en",
    written: Mapping[str, frozenset[str]] | None = None,
) -> list[Segment]:
    """The segments as the TTS engine receives them: each written text in its spoken form.

    Scripts keep the written form ("US", "£8,000", "2005") for the screen; this is applied just
    before rendering, so an edited script file is heard as a person would read it. ``written``
    maps a voice name to the rewrite classes its engine speaks well by itself: its segments
    keep those as written.
    """
    written = written or {}
    return [
        replace(s, text=spoken_sentence(s.text, language, written.get(s.voice, frozenset())))
        for s in segments
    ]


def spoken_script(
    script: Script, written: Mapping[str, frozenset[str]] | None = None
) -> list[Segment]:
    """``spoken_segments`` of all the script's segments, in the script's language."""
    return spoken_segments(script.segments(), script.language, written)
