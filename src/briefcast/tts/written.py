"""Which of briefcast's rewrites for the ear each voice's engine does without: an engine's
optional ``speaks_written`` attribute, read here for the pipeline as plain data.

An engine that says some rewrite classes of ``briefcast.script.speech.REWRITES`` well from the
written text ("£8,000", "2005", "US") may declare them (``speaks_written = frozenset({...})``);
its segments then keep those as written. None of the built-in engines does, as measured by
``make bench-speech`` (48 sentences, one item of one class each, rendered from the written
text and from our spoken form; Whisper base transcribes them; cells are items heard correctly,
written → spoken, and ``=k`` how many were said with the very same phonemes either way):

    class           espeak-ng        Piper joe        Kokoro af_heart
    money           3/6 → 5/6 =0     2/6 → 4/6 =0     2/6 → 5/6 =0
    percent         2/3 → 3/3 =3     3/3 → 3/3 =3     2/3 → 2/3 =3
    years           4/5 → 4/5 =0     5/5 → 5/5 =0     5/5 → 5/5 =0
    decades         1/2 → 1/2 =0     2/2 → 2/2 =0     2/2 → 2/2 =0
    dates           1/4 → 2/4 =1     2/4 → 4/4 =1     2/4 → 4/4 =1
    times           2/3 → 2/3 =2     3/3 → 3/3 =2     3/3 → 3/3 =0
    ordinals        2/3 → 2/3 =1     2/3 → 2/3 =1     2/3 → 2/3 =1
    fractions       0/2 → 1/2 =0     0/2 → 2/2 =0     0/2 → 2/2 =0
    ranges          1/2 → 1/2 =0     2/2 → 2/2 =0     2/2 → 2/2 =0
    units           3/4 → 3/4 =0     4/4 → 4/4 =0     4/4 → 4/4 =0
    acronyms        1/6 → 1/6 =2     4/6 → 3/6 =1     6/6 → 5/6 =1
    abbreviations   2/4 → 2/4 =2     3/4 → 4/4 =2     3/4 → 4/4 =2
    symbols         1/2 → 2/2 =1     2/2 → 2/2 =1     2/2 → 2/2 =1
    numbers         2/2 → 1/2 =2     2/2 → 2/2 =2     1/2 → 1/2 =2

(2 shared cores, December 2026. Whisper is noisy on espeak-ng's voice, and Piper samples its
noise, so a cell moves by an item between runs: "numbers" (plain cardinals and decimals, left
as digits, the same text both times) went 2/2 → 1/2; an earlier run had Piper at money
4/6 → 4/6 and acronyms 5/6 → 5/6.)

All three engines take their pronunciation from espeak-ng (pyttsx3 drives it; Piper and
kokoro-onnx phonemize with it), so they misread the written forms alike, and Whisper, which
writes what it understood, hides the worst of it. espeak-ng says "£8,000" as "pound eight
thousand", "$1,250" as "dollar one thousand two hundred fifty", "€12.50" as "euros twelve point
five zero", "1984" as "nineteen hundred eighty four", "2026" as "two thousand twenty six",
"1990s" as "nineteen hundred ninety z", "1/3" as "one slash three", "10-15" as "ten dash
fifteen", "e.g." as "E G", "3 x 4" as "three ex four", "WHO" as "who" and "Henry VIII" as
"Henry roman eight"; kokoro-onnx pauses at the colon of "7:45", and says a decimal "3.5" as
"three. five" (its phonemizer splits at the point: a rewrite Kokoro lacked, not one it could
skip; the ``decimals`` class now says "3 point 5" for every engine, the same to espeak-ng).
Where the written form is phonemically the same as ours (percentages, "3rd", "Dr", "&",
"9am"), skipping the rewrite changes nothing heard.

Acronyms are the one class Whisper heard at least as well written on every engine, and
espeak-ng stresses a written "FBI" as one word where our "F B I" gets three stresses. But the
class also makes "WHO" (written: "who"), "Henry VIII" and, with the bundled espeak-ng, "SEC"
("sec") right, which these six items do not test: skipping it would lose those, so it stays;
the gain is to be had in how ``spell_letters`` spells, for every engine. No class is declared.
"""

from __future__ import annotations

from collections.abc import Mapping

from .engines import engine_class
from .profile import VoiceProfile


def speaks_written(profiles: Mapping[str, VoiceProfile]) -> dict[str, frozenset[str]]:
    """For each voice name, the rewrite classes its engine says well from the written text
    (the engine's ``speaks_written``; none when it declares nothing)."""
    return {
        name: frozenset(getattr(engine_class(p.engine), "speaks_written", frozenset()))
        for name, p in profiles.items()
    }
