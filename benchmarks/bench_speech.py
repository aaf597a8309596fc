"""`make bench-speech`: does each engine say numbers, dates, money and acronyms better from our
spoken form or from the written text? Each sentence below carries one item of one rewrite
class; every installed engine renders it twice, written ("£8,000") and as ``to_speech`` makes
it ("8000 pounds"), and faster-whisper (Whisper base when installed) transcribes both. An item
is heard correctly when the transcript holds one of its accepted readings (Whisper writes
"£8,000" for "eight thousand pounds", so digits and words both count; acronyms are matched
case-sensitively, so "US" said as the word "us" fails).

Whisper writes what it understood, not how it was said: "pound eight thousand" and "eight
thousand pounds" both come out "£8,000". So beside it the bench asks each engine's own
grapheme-to-phoneme step (espeak-ng for all three: pyttsx3 drives it, Piper and kokoro-onnx
phonemize with it) for the phonemes of both forms: where they are the same, the rewrite
changes nothing the listener hears. It prints, per engine and class, the items heard
correctly raw → rewritten and how many were phonemically the same; ``-v`` prints every
transcript and the phonemes of the raw form.

The figures and the decision they led to are in ``briefcast.tts.spoken`` (its docstring).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from kokoro_assets import install_packs, whisper_model  # noqa: E402
from listening import load_whisper, read_wav, transcribe  # noqa: E402

from briefcast.script.speech import to_speech  # noqa: E402
from briefcast.tts import find_profile, get_engine  # noqa: E402
from briefcast.tts.base import limit_threads  # noqa: E402

# (rewrite class, written sentence, accepted readings as regexes on the normalised transcript)
ITEMS = [
    ("money", "The grant was £8,000 in total.", r"£ ?8000|8000 pounds|eight thousand pounds"),
    ("money", "The council paid £600m for the site.", r"£ ?600 ?m|600 million pounds"),
    ("money", "Tickets cost €12.50 each.", r"€ ?12\.50|12 euros? (and )?50|12\.50 euros?"),
    ("money", "The firm raised $4.5bn last year.", r"\$ ?4\.5 ?(bn|billion)|4\.5 billion dollars"),
    ("money", "A stamp now costs 85p.", r"85 ?p\b|85 pence|eighty five pence"),
    ("money", "The bill came to $1,250.", r"\$ ?1250\b|1250 dollars"),
    ("percent", "Inflation rose to 3.5% in March.", r"3\.5 ?%|3\.5 percent"),
    ("percent", "Turnout was 62% this time.", r"62 ?%|62 percent|sixty two percent"),
    ("percent", "Sales grew by 12% over the summer.", r"12 ?%|12 percent|twelve percent"),
    ("years", "The bridge opened in 1984.", r"1984|nineteen eighty four"),
    ("years", "The law changed in 2005.", r"2005|two thousand (and )?five"),
    ("years", "The town was founded in 1776.", r"1776|seventeen seventy six"),
    ("years", "The election is due in 2026.", r"2026|twenty twenty six"),
    ("years", "The mill closed in 1908.", r"1908|nineteen (oh|o) eight"),
    ("decades", "Prices fell in the 1990s.", r"1990s|90s|nineteen nineties"),
    ("decades", "The band was big in the 1960s.", r"1960s|60s|sixties"),
    ("dates", "The vote is on 5 June.", r"\b(5|fifth|5th) (of )?june|june (5|fifth|5th)\b"),
    ("dates", "Talks began on March 3rd.", r"march (3|third|3rd)\b|\b(3|third|3rd) (of )?march"),
    (
        "dates",
        "The deadline is 2024-06-30.",
        r"(30|thirtieth)(th)? (of )?june,? 2024|june 30(th)?,? 2024",
    ),
    ("dates", "The letter is dated 14/02/2025.", r"(14|fourteenth)(th)? (of )?feb|14/0?2/2025"),
    ("times", "The train leaves at 7:45.", r"7[:.]45|7 45\b|seven forty five|quarter to eight"),
    ("times", "Doors open at 9am.", r"\b9 ?a\.? ?m|nine a\.? ?m|9 o'?clock"),
    ("times", "The shop shuts at 17:30.", r"17[:.]30|5[:.]30 ?p\.? ?m|seventeen thirty|1730"),
    ("ordinals", "She finished 3rd in the race.", r"\b3rd\b|\bthird\b"),
    ("ordinals", "It is the 21st century.", r"\b21st\b|twenty first"),
    ("ordinals", "He came 102nd out of many.", r"\b102nd\b|hundred (and )?second"),
    ("fractions", "About 1/3 of voters agreed.", r"1/3|one third|a third"),
    ("fractions", "Nearly 3/4 of the homes flooded.", r"3/4|three quarters|three fourths"),
    ("ranges", "Expect 10-15 centimetres of snow.", r"\b10 (to|-) 15\b|\b10 15\b|ten to fifteen"),
    ("ranges", "The store sold 200-300 copies a day.", r"\b200 (to|-) 300\b|\b200 300\b"),
    ("units", "The road is 12km long.", r"12 ?km|12 kilomet"),
    ("units", "The box weighs 40kg.", r"40 ?kg|40 kilo"),
    ("units", "Winds reached 70mph overnight.", r"70 ?mph|70 miles (an|per) hour"),
    ("units", "It was 30°C by noon.", r"30 ?° ?c?|30 degrees"),
    ("acronyms", "The US is pushing for a deal.", r"(?-i:US|U\.S\.)|united states"),
    ("acronyms", "The FBI opened an inquiry.", r"(?-i:FBI|F\.B\.I\.)"),
    ("acronyms", "The SEC fined the bank.", r"(?-i:SEC|S\.E\.C\.)"),
    ("acronyms", "NATO leaders met in Brussels.", r"(?-i:NATO|Nato)"),
    ("acronyms", "Shares in AOL rose.", r"(?-i:AOL|A\.O\.L\.)"),
    ("acronyms", "Three CEOs resigned.", r"(?-i:CEOs|CEO's|C\.E\.O\.s)"),
    ("abbreviations", "Dr Smith will speak first.", r"\b(doctor|dr\.?) smith"),
    ("abbreviations", "Mr Jones declined to comment.", r"\b(mister|mr\.?) jones"),
    ("abbreviations", "Bring fruit, e.g. apples.", r"for example|e\.g\."),
    ("abbreviations", "They sailed to St Ives.", r"\b(saint|st\.?) ives"),
    ("symbols", "The shop is run by Smith & Sons.", r"smith (and|&) sons?\b"),
    ("symbols", "The room is 3 x 4 metres.", r"\b3 ?(x|by) ?4\b|three by four"),
    ("numbers", "About 8,000 people came.", r"\b8000 people|eight thousand people"),
    ("numbers", "The rod is 3.5 metres long.", r"3\.5 met|three point five met"),
]

ENGINES = [
    ("espeak-ng", "narrator", None),
    ("piper joe", "joe", "piper-joe"),
    ("kokoro af_heart", "heart", "kokoro"),
]


def normalised(heard: str) -> str:
    """The transcript as the readings are written: hyphens as spaces, no thousands commas."""
    heard = re.sub(r"(?<=\d),(?=\d{3})", "", heard.replace("-", " "))
    return re.sub(r"\s+", " ", heard)


def heard_right(pattern: str, heard: str) -> bool:
    """Whether ``heard`` holds one of the accepted readings."""
    return re.search(pattern, normalised(heard), re.I) is not None


def phonemizer(profile_name: str):
    """The engine's own text → phonemes step for ``profile_name`` (its optional library)."""
    profile = find_profile(profile_name)
    if profile.engine == "piper":
        from piper import PiperVoice

        voice = PiperVoice.load(str(profile.model))
        return lambda text: " ".join("".join(sentence) for sentence in voice.phonemize(text))
    from kokoro_onnx.tokenizer import Tokenizer

    tokenizer = Tokenizer()  # points phonemizer at the espeak-ng that kokoro-onnx bundles
    if profile.engine == "kokoro":
        return lambda text: tokenizer.phonemize(text, "en-us")
    import phonemizer as espeak_phonemizer

    # pyttsx3 hands espeak-ng the whole text: no phonemizer splitting at punctuation.
    return lambda text: espeak_phonemizer.phonemize(text, "en-us", backend="espeak")


def listen(profile_name: str, texts: list[str], work: Path, model) -> list[str]:
    """Render each text with the profile in one engine call and return what Whisper hears."""
    profile = find_profile(profile_name)
    engine = get_engine(profile.engine)
    limit_threads(engine, 1)  # a shared machine: one core for the engine, one for Whisper
    heard = []
    for i, text in enumerate(texts):
        wav = work / f"{profile_name}-{i}.wav"
        engine.render(text, profile, wav)
        heard.append(transcribe(model, read_wav(wav)))
    return heard


def bench_engine(profile: str, work: Path, model, verbose: bool) -> dict[str, list[int]]:
    """Per class: [items, heard right raw, heard right rewritten, same phonemes]."""
    written = [w for _, w, _ in ITEMS]
    spoken = [to_speech(w) for w in written]
    heard_raw = listen(profile, written, work, model)
    heard_spoken = listen(profile, spoken, work, model)
    phonemes = phonemizer(profile)
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (cls, text, pattern), raw, said, rewritten in zip(
        ITEMS, heard_raw, heard_spoken, spoken, strict=True
    ):
        ok_raw, ok_said = heard_right(pattern, raw), heard_right(pattern, said)
        said_raw, said_ours = phonemes(text), phonemes(rewritten)
        row = scores[cls]
        row[0] += 1
        row[1] += ok_raw
        row[2] += ok_said
        row[3] += said_raw == said_ours
        if verbose or ok_raw != ok_said:
            print(f"  {cls:<13} {'+' if ok_raw else '-'} {text!r} → {raw!r} /{said_raw}/")
            print(f"  {'':<13} {'+' if ok_said else '-'} {rewritten!r} → {said!r}")
    return scores


def table(results: dict[str, dict[str, list[int]]]) -> None:
    """Heard-correctly counts, raw → rewritten, one column per engine."""
    engines = list(results)
    print(f"{'class':<14}" + "".join(f" {e:>18}" for e in engines))
    for cls in dict.fromkeys(c for c, _, _ in ITEMS):
        cells = []
        for e in engines:
            n, raw, said, same = results[e][cls]
            cells.append(f" {f'{raw}/{n} → {said}/{n} ={same}':>18}")
        print(f"{cls:<14}" + "".join(cells))
    print("cells: items heard correctly from the written text → from our spoken form;")
    print("       =k: k items said with the same phonemes either way")


def main() -> None:
    model_dir = whisper_model(prefer_base=True)
    if model_dir is None:
        raise SystemExit("bench-speech needs faster-whisper and a Whisper model: .[test,bench]")
    work = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    given = os.environ.get("BRIEFCAST_DATA_DIR")
    data = Path(given) if given else work / "data"
    if not given:
        install_packs(data, work)
        os.environ["BRIEFCAST_DATA_DIR"] = str(data)
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    model = load_whisper(model_dir)
    print(f"{len(ITEMS)} sentences; Whisper {'base' if 'base' in model_dir.name else 'tiny.en'}")
    verbose = "-v" in sys.argv[1:]
    results = {}
    for label, profile, pack in ENGINES:
        if pack is not None and not (data / "voices" / pack / "pack.json").is_file():
            print(f"{label}: skipped, the {pack} pack is not installed")
            continue
        print(f"{label}:")
        results[label] = bench_engine(profile, work, model, verbose)
    table(results)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
