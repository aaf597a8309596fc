"""`make bench`: build speed, cache effect and memory against baselines measured in the same run.

For the seed article (../shared/samples/peace-talks.txt, or the bundled sample when absent) at 3
and 12 minutes it measures, as separate processes the way a user runs them:

- cold build: `briefcast build` with an empty segment cache;
- unchanged rebuild: the same command again;
- edited rebuild: one segment of the script edited, then `briefcast render`;
- floor: espeak-ng rendering the same spoken text in one call, plus ffmpeg encoding that audio to
  a 64 kbps mono MP3 — what no build can beat by much.

Each figure is the median of several runs; peak memory is the largest process's maximum RSS.
Then it runs benchmarks/bench_audio.py (a 60-minute episode: memory, and build time next to
ffmpeg alone).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "samples" / "peace-talks.txt"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PY = sys.executable

# Peak RSS of the child and of its own children: both are read from the wait4 rusage.
TIMED = r"""
import json, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1])
t = time.perf_counter()
proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(json.dumps({"rc": proc.returncode, "s": elapsed, "peak_kb": peak,
                             "stdout": proc.stdout, "stderr": proc.stderr[-2000:]}))
"""

FLOOR = r"""
import sys, time
from pathlib import Path
from briefcast.system import run_ffmpeg
from briefcast.tts import find_profile
from briefcast.tts.floor import render_floor_wav
text = Path(sys.argv[1]).read_text(encoding="utf-8")
wav, mp3 = sys.argv[2], sys.argv[3]
render_floor_wav(text, find_profile("narrator"), Path(wav))
run_ffmpeg(["-y", "-i", wav, "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", mp3])
"""


def timed(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd`` in a fresh process; return seconds, peak RSS (largest process) and output."""
    out = subprocess.run(
        [PY, "-c", TIMED, json.dumps(cmd)], capture_output=True, text=True, env=env, check=True
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{result['stderr']}")
    return result


def edit_one_segment(script_path: Path) -> None:
    """Change the words of one body paragraph, as a user editing the script would."""
    text = script_path.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    for i in range(len(paragraphs) // 2, len(paragraphs)):
        para = paragraphs[i]
        if para and not para.startswith(("#", "[", "<!--", ">")) and len(para.split()) > 6:
            paragraphs[i] = para.rstrip() + " That, at least, is the plan."
            break
    script_path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def spoken_text(script_md: Path) -> str:
    """All the words the episode speaks, from the JSON form of its script."""
    from briefcast.pipeline import read_script_file

    script = read_script_file(script_md)
    return "\n".join(s.text for s in script.segments())


def bench_length(article: Path, minutes: float, work: Path) -> dict:
    figures: dict[str, list] = {k: [] for k in ("cold", "unchanged", "edited", "floor")}
    peaks: dict[str, list] = {k: [] for k in figures}
    for run in range(RUNS):
        cache_dir = work / f"cache-{minutes}-{run}"
        out_dir = work / f"out-{minutes}-{run}"
        env = {**os.environ, "BRIEFCAST_CACHE_DIR": str(cache_dir)}
        build = [
            str(ROOT / ".venv/bin/briefcast"),
            "build",
            str(article),
            "-o",
            str(out_dir),
            "--minutes",
            str(minutes),
            "-q",
        ]
        for name in ("cold", "unchanged"):
            r = timed(build, env)
            figures[name].append(r["s"])
            peaks[name].append(r["peak_kb"])
        mp3 = Path(r["stdout"].split()[0])
        script_md = mp3.with_name(mp3.name.removesuffix(".mp3") + ".script.md")
        edit_one_segment(script_md)
        r = timed(
            [str(ROOT / ".venv/bin/briefcast"), "render", str(script_md), "-o", str(out_dir), "-q"],
            env,
        )
        figures["edited"].append(r["s"])
        peaks["edited"].append(r["peak_kb"])
        text_file = work / f"spoken-{minutes}.txt"
        text_file.write_text(spoken_text(script_md), encoding="utf-8")
        r = timed(
            [PY, "-c", FLOOR, str(text_file), str(work / "floor.wav"), str(work / "floor.mp3")], env
        )
        figures["floor"].append(r["s"])
        peaks["floor"].append(r["peak_kb"])
        shutil.rmtree(cache_dir, ignore_errors=True)
    from mutagen.mp3 import MP3

    length = MP3(mp3).info.length
    med = {k: statistics.median(v) for k, v in figures.items()}
    peak = {k: max(v) / 1024 for k, v in peaks.items()}
    return {"minutes": minutes, "episode_s": length, "median_s": med, "peak_mb": peak}


def main() -> None:
    article = SEED if SEED.exists() else ROOT / "src/briefcast/data/sample-article.md"
    print(f"article: {article.name}; medians of {RUNS} runs; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="briefcast-bench-") as tmp:
        work = Path(tmp)
        rows = [bench_length(article, m, work) for m in (3, 12)]
    print()
    print(
        f"{'target':>7} {'episode':>8} {'floor':>7} {'cold':>7} {'unchanged':>10} {'edited':>7}"
        f" {'cold/floor':>10} {'unch/cold':>10} {'edit/cold':>10} {'peak MB':>8}"
    )
    for r in rows:
        m = r["median_s"]
        print(
            f"{r['minutes']:>5}min {r['episode_s']:>7.1f}s {m['floor']:>6.2f}s {m['cold']:>6.2f}s"
            f" {m['unchanged']:>9.2f}s {m['edited']:>6.2f}s {m['cold'] / m['floor']:>10.2f}"
            f" {m['unchanged'] / m['cold']:>10.2f} {m['edited'] / m['cold']:>10.2f}"
            f" {max(r['peak_mb'].values()):>8.0f}"
        )
    print("targets: cold/floor <= 1.5 at both lengths; unchanged/cold <= 0.25 at 12 minutes")
    print(flush=True)
    subprocess.run([PY, str(ROOT / "benchmarks/bench_audio.py")], check=True)


if __name__ == "__main__":
    main()
