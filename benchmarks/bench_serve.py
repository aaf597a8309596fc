"""Benchmark: ``briefcast serve`` answering 1,000 Range requests for random byte ranges of a
60-minute episode, 8 at a time, on 127.0.0.1; every body checked byte for byte; the server's
peak memory (VmHWM from /proc) must stay under 100 MB.

Baseline in the same run: Starlette's plain ``StaticFiles`` under uvicorn serving the same
folder (no token, path checks, conditional headers or log), with the same requests.

    python benchmarks/bench_serve.py [--requests 1000] [--concurrency 8] [--minutes 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from briefcast.feed import init_feed, publish_episode  # noqa: E402
from briefcast.models import Chapter, ChapterMark, Episode, Script, Segment  # noqa: E402
from briefcast.system import ffmpeg_exe  # noqa: E402

MEMORY_LIMIT_MB = 100
BASELINE = """
import sys, uvicorn
from starlette.staticfiles import StaticFiles
uvicorn.run(StaticFiles(directory=sys.argv[1]), host="127.0.0.1", port=0, access_log=False)
"""


def make_episode(folder: Path, minutes: float) -> Path:
    """A feed folder holding one MP3 of ``minutes`` at briefcast's settings (64 kbps mono)."""
    mp3 = folder.parent / "long-episode.mp3"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "anoisesrc=r=22050:a=0.1",
         "-t", str(minutes * 60), "-ac", "1", "-b:a", "64k", "-y", str(mp3)],
        check=True,
    )  # fmt: skip
    ms = int(minutes * 60_000)
    episode = Episode([mp3], ms, [ChapterMark("All of it", 0, ms)])
    script = Script("Long episode", [Chapter("All of it", [Segment("Noise.")])])
    init_feed(folder, "Bench")
    item = publish_episode(folder, episode, script)
    return folder / item.audio


def start(command: list[str], pattern: str) -> tuple[subprocess.Popen, str]:
    """Start a server; returns it and the first line of its output that contains ``pattern``."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        if pattern in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, line.strip()
    raise RuntimeError(f"{command[0]} did not start")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def hammer(url: str, data: bytes, ranges: list[tuple[int, int]], concurrency: int) -> dict:
    """Send every range request, ``concurrency`` at a time; check each body; time them."""
    local = threading.local()

    def fetch(span: tuple[int, int]) -> float:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=30)
        started = time.perf_counter()
        reply = local.client.get(url, headers={"Range": f"bytes={span[0]}-{span[1]}"})
        took = time.perf_counter() - started
        if reply.status_code != 206 or reply.content != data[span[0] : span[1] + 1]:
            raise AssertionError(f"wrong body for bytes={span[0]}-{span[1]}")
        return took

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(fetch, ranges))
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "rps": len(ranges) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * len(latencies))] * 1000,
        "mb": sum(b - a + 1 for a, b in ranges) / 1e6,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp) / "pod"
        audio = make_episode(folder, args.minutes)
        data = audio.read_bytes()
        rng = random.Random(2026)
        ranges = []
        for _ in range(args.requests):
            start_byte = rng.randrange(len(data))
            length = rng.choice([2, 4096, 65536, 1 << 20])  # Apple's 0-1 probe up to 1 MB reads
            ranges.append((start_byte, min(len(data) - 1, start_byte + length - 1)))
        print(f"episode: {args.minutes:g} min, {len(data) / 1e6:.1f} MB; {args.requests} "
              f"random ranges, {args.concurrency} at a time (2-core shared machine: noisy)")  # fmt: skip
        rel = audio.relative_to(folder).as_posix()
        results = {}
        serve, url = start(
            [sys.executable, "-m", "briefcast", "serve", str(folder), "--port", "0"], "http://"
        )
        try:
            results["briefcast serve"] = hammer(url.replace("feed.xml", rel), data, ranges,
                                                args.concurrency)  # fmt: skip
            results["briefcast serve"]["peak"] = peak_mb(serve.pid)
        finally:
            serve.terminate()
        base, line = start([sys.executable, "-c", BASELINE, str(folder)], "Uvicorn running on")
        try:
            root = line.split("Uvicorn running on ", 1)[1].split()[0]
            results["StaticFiles (baseline)"] = hammer(f"{root}/{rel}", data, ranges,
                                                       args.concurrency)  # fmt: skip
            results["StaticFiles (baseline)"]["peak"] = peak_mb(base.pid)
        finally:
            base.terminate()
    print(f"{'server':24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'MB sent':>8} {'peak RSS':>9}")
    for name, r in results.items():
        print(f"{name:24} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} {r['mb']:8.0f} "
              f"{r['peak']:7.1f} MB")  # fmt: skip
    ours, baseline = results["briefcast serve"], results["StaticFiles (baseline)"]
    print(f"ratio: {ours['rps'] / baseline['rps']:.2f}× the baseline's throughput; "
          f"every body byte-correct")  # fmt: skip
    if ours["peak"] >= MEMORY_LIMIT_MB:
        print(f"FAIL: serve peaked at {ours['peak']:.1f} MB (limit {MEMORY_LIMIT_MB} MB)")
        return 1
    print(f"memory: serve peaked at {ours['peak']:.1f} MB, under {MEMORY_LIMIT_MB} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
