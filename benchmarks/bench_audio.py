"""Benchmark: build a 60-minute episode from real espeak-ng speech; report memory and time.

Renders a few dozen distinct sentences once, reuses them to reach the length, builds the MP3
in a child process (so its peak memory is the build's alone; its ffmpeg children are polled in
/proc), then times ffmpeg alone encoding the same joined audio to the same MP3 settings, as a
baseline measured in the same run.

    python benchmarks/bench_audio.py [--minutes 60] [--formats mp3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "audio"))

from speech import render_sentences  # noqa: E402  (the tests' espeak-ng fixture helper)

SENTENCES = [
    "The talks resumed on Monday after a pause of nearly three weeks, officials said.",
    "Both delegations arrived early, and the mood was described as cautious but constructive.",
    "Negotiators are expected to focus on a ceasefire, prisoner exchanges and aid corridors.",
    "Critics warn that without firm guarantees, any agreement could collapse within months.",
    "Meanwhile, markets reacted calmly, with oil prices slipping by about two percent.",
    "What happens next depends largely on whether both sides can agree on a timetable.",
    "Analysts say a breakthrough this week is possible, but far from certain.",
    "The mediators have asked both sides to keep the details of the drafts private.",
    "Local officials reported that the front line was quiet for a second night.",
    "Aid groups say that more than two hundred trucks are waiting at the border.",
    "A senior diplomat described the first session as long, frank and useful.",
    "The next round is scheduled for the end of the month, in the same city.",
    "Observers note that previous attempts failed over the sequence of steps.",
    "Public opinion on both sides remains sharply divided about any compromise.",
    "Several governments have offered to act as guarantors of a future deal.",
    "The prisoner exchange, if agreed, would be the largest in three years.",
    "Energy infrastructure is one of the most sensitive items on the agenda.",
    "A joint statement is expected once the working groups finish their reports.",
    "Journalists were kept outside the conference hall for most of the day.",
    "The foreign minister said that patience would be needed on every side.",
    "Farmers in the border region hope to plant their fields again this spring.",
    "A ceasefire monitoring mission would need several hundred observers.",
    "Some experts believe a phased approach is the only realistic option.",
    "Others argue that a comprehensive agreement would be more durable.",
    "The talks are being held at a hotel on the shore of the lake.",
    "Both delegations include military officers as well as civilian negotiators.",
    "Officials declined to say whether the leaders might meet in person.",
    "The humanitarian situation in several towns remains extremely difficult.",
    "Reconstruction costs have been estimated in the hundreds of billions.",
    "International lenders are preparing plans in case a deal is reached.",
    "The negotiations resumed after the break with a discussion of maps.",
    "That brings us to the end of this part of the briefing.",
]

BUILD = r"""
import json, os, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])

def hwm_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM")) / 1024

# ffmpeg children: poll their peak resident size (VmHWM) while they run. getrusage's
# RUSAGE_CHILDREN would count the Python pages a child shares between fork and exec.
peaks = {"ffmpeg": 0.0}
done = threading.Event()
def poll():
    me = str(os.getpid())
    while not done.is_set():
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)
                comm, ppid = fields[0].split("(", 1)[1], fields[1].split()[1]
                if ppid == me and "ffmpeg" in comm:
                    peaks["ffmpeg"] = max(peaks["ffmpeg"], hwm_mb(pid))
            except (OSError, StopIteration, IndexError):
                pass
        time.sleep(0.02)
threading.Thread(target=poll, daemon=True).start()

from briefcast.audio import assemble_episode
from briefcast.models import EpisodeMeta, RenderedSegment, Segment
plan = json.loads(Path(sys.argv[2]).read_text())
rendered = [RenderedSegment(Segment(text, paragraph_end=end), chapter, Path(wav), seconds)
            for text, end, chapter, wav, seconds in plan["segments"]]
started = time.perf_counter()
episode = assemble_episode(rendered, plan["titles"], Path(sys.argv[3]), "bench-episode",
                           EpisodeMeta(title="Benchmark episode"), formats=plan["formats"])
elapsed = time.perf_counter() - started
done.set()
print(json.dumps({"seconds": elapsed, "self_mb": hwm_mb(os.getpid()),
                  "children_mb": peaks["ffmpeg"],
                  "duration_ms": episode.duration_ms, "chapters": len(episode.chapters),
                  "lufs": episode.loudness.integrated_lufs, "dbtp": episode.loudness.true_peak_dbtp,
                  "file": str(episode.path), "size": episode.path.stat().st_size}))
"""


def plan_segments(rendered: list[tuple[Path, float]], minutes: float) -> dict:
    """Cycle the rendered sentences (plus typical pauses) until the episode is ``minutes`` long."""
    segments, total, n = [], 0.0, 0
    target = minutes * 60
    chapter_length = 300.0
    while total < target:
        path, seconds = rendered[n % len(rendered)]
        chapter = int(total // chapter_length)
        paragraph_end = n % 3 == 2
        segments.append([SENTENCES[n % len(SENTENCES)], paragraph_end, chapter, str(path), seconds])
        total += seconds + (0.7 if paragraph_end else 0.35)
        n += 1
    chapters = segments[-1][2] + 1
    return {"segments": segments, "titles": [f"Part {i + 1}" for i in range(chapters)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--formats", default="mp3")
    args = parser.parse_args()

    from briefcast.audio.formats import encoder_rate
    from briefcast.audio.timeline import join_segments
    from briefcast.models import PauseRules, RenderedSegment, Segment
    from briefcast.system import ffmpeg_exe

    with tempfile.TemporaryDirectory(prefix="bench-audio-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        rendered = render_sentences(SENTENCES, work / "speech")
        render_s = time.perf_counter() - t0
        plan = plan_segments(rendered, args.minutes)
        plan["formats"] = args.formats.split(",")
        (work / "plan.json").write_text(json.dumps(plan))
        print(
            f"rendered {len(SENTENCES)} sentences with espeak-ng in {render_s:.1f} s; "
            f"episode: {len(plan['segments'])} segments, {len(plan['titles'])} chapters",
            file=sys.stderr,
        )

        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                BUILD,
                str(ROOT / "src"),
                str(work / "plan.json"),
                str(work / "out"),
            ],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        build = json.loads(proc.stdout.strip().splitlines()[-1])

        # Baseline, same run: ffmpeg alone encoding the same joined audio to the same MP3
        # (the build encodes at the joined audio's own rate: 22050 Hz for espeak-ng).
        segments = [
            RenderedSegment(Segment(t, paragraph_end=e), c, Path(w), s)
            for t, e, c, w, s in plan["segments"]
        ]
        joined = join_segments(segments, PauseRules(), work / "joined.wav")
        rate = encoder_rate(joined.sample_rate)
        t0 = time.perf_counter()
        subprocess.run(
            [
                ffmpeg_exe(),
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(joined.path),
                "-ac",
                "1",
                "-ar",
                str(rate),
                "-c:a",
                "libmp3lame",
                "-b:a",
                "64k",
                str(work / "baseline.mp3"),
            ],
            check=True,
        )
        ffmpeg_s = time.perf_counter() - t0

    peak = max(build["self_mb"], build["children_mb"])
    print(
        f"episode            {build['duration_ms'] / 60000:.1f} min, "
        f"{build['chapters']} chapters, "
        f"{args.formats}, {build['size'] / 1e6:.1f} MB"
    )
    print(
        f"loudness           {build['lufs']:.1f} LUFS integrated, "
        f"{build['dbtp']:.1f} dBTP true peak"
    )
    print(
        f"peak memory        {peak:.0f} MB largest process "
        f"(python {build['self_mb']:.0f} MB, largest ffmpeg {build['children_mb']:.0f} MB; "
        "limit 300)"
    )
    print(f"build time         {build['seconds']:.1f} s")
    print(f"ffmpeg alone       {ffmpeg_s:.1f} s (joined WAV -> 64 kbps mono MP3, {rate} Hz)")
    print(f"ratio              {build['seconds'] / ffmpeg_s:.1f}x ffmpeg alone")


if __name__ == "__main__":
    main()
