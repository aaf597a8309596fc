"""Fixtures for the audio tests: real espeak-ng speech and one episode built from it."""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from briefcast.audio import assemble_episode
from briefcast.models import Episode, EpisodeMeta, RenderedSegment, Segment
from briefcast.system import ffmpeg_exe

from .speech import render_sentences

CHAPTER_URLS = [None, "https://example.org/geneva/talks", "https://example.org/next?a=1&b=2"]
"""The chapters' links, as a briefing's stories have them (the introduction has none)."""

CHAPTERS = {
    "Introduction": [
        "Welcome to this briefing on the peace talks in Geneva.",
        "It runs for about a minute.",
    ],
    "What happened": [
        "The talks resumed on Monday after a pause of nearly three weeks, officials said.",
        "Both delegations arrived early, and the mood was cautious but constructive.",
        "Negotiators will focus on a ceasefire, prisoner exchanges and aid corridors.",
    ],
    "What comes next": [
        "Critics warn that without firm guarantees, any deal could collapse within months.",
        "Markets reacted calmly, with oil prices slipping by about two percent.",
        "Thank you for listening to this briefing.",
    ],
}


@dataclass
class Built:
    """An episode built from real speech, and what it was built from."""

    episode: Episode
    rendered: list[RenderedSegment]
    titles: list[str]
    meta: EpisodeMeta
    out_dir: Path


@pytest.fixture(scope="session")
def speech(tmp_path_factory) -> dict[str, tuple[Path, float]]:
    """Each sentence of CHAPTERS rendered once by espeak-ng: text → (wav, seconds)."""
    texts = [t for sentences in CHAPTERS.values() for t in sentences]
    rendered = render_sentences(texts, tmp_path_factory.mktemp("speech"))
    return dict(zip(texts, rendered))


def rendered_segments(speech) -> tuple[list[RenderedSegment], list[str]]:
    """CHAPTERS as RenderedSegments: two sentences per paragraph."""
    rendered = []
    for chapter, sentences in enumerate(CHAPTERS.values()):
        for n, text in enumerate(sentences):
            wav, seconds = speech[text]
            segment = Segment(text=text, paragraph_end=n % 2 == 1 or n == len(sentences) - 1)
            rendered.append(RenderedSegment(segment, chapter, wav, seconds))
    return rendered, list(CHAPTERS)


@pytest.fixture(scope="session")
def built(speech, tmp_path_factory) -> Built:
    """The episode as MP3 and M4B, normalised, in a fresh folder."""
    rendered, titles = rendered_segments(speech)
    meta = EpisodeMeta(
        title="Peace talks in Geneva",
        artist="Briefcast Tests",
        album="The Brief",
        date="2024-05-01",
        description="A short test briefing.",
        language="en",
    )
    out_dir = tmp_path_factory.mktemp("episode")
    episode = assemble_episode(
        rendered,
        titles,
        out_dir,
        "peace-talks",
        meta,
        formats=("mp3", "m4b"),
        progress=False,
        chapter_urls=CHAPTER_URLS,
    )
    return Built(episode, rendered, titles, meta, out_dir)


def ffmpeg(*args: str) -> subprocess.CompletedProcess:
    """Run ffmpeg (our independent reader) and return the finished process; fail loudly."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", *args], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc


def decode(path: Path, rate: int = 44100) -> np.ndarray:
    """The file's audio as decoded by ffmpeg: mono float samples in [-1, 1] at ``rate``."""
    proc = ffmpeg(
        "-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"
    )
    return np.frombuffer(proc.stdout, dtype="<i2").astype(np.float64) / 32768


def ffmpeg_chapters(path: Path) -> list[tuple[str, int, int]]:
    """(title, start ms, end ms) from the chapter list ``ffmpeg -i FILE`` prints, in its order."""
    text = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr
    found = re.findall(
        r"Chapter #\d+:\d+: start (\d+\.\d+), end (\d+\.\d+)\n"
        r"\s+Metadata:\n\s+title\s+: (.*)\n",
        text,
    )
    return [(title, round(float(s) * 1000), round(float(e) * 1000)) for s, e, title in found]


def ebur128(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) from ffmpeg's ebur128 filter, to three decimals.

    Read from the metadata it adds to each 100 ms frame, which every ffmpeg from 4.2 to 9
    prints alike: its summary gives one decimal, and ``framelog=quiet`` is refused before 6.
    """
    text = ffmpeg(
        "-nostats",
        "-i",
        str(path),
        "-af",
        "ebur128=peak=true:metadata=1,ametadata=mode=print:file=-",
        "-f",
        "null",
        "-",
    ).stdout.decode()
    integrated = float(re.findall(r"lavfi\.r128\.I=(-?[\d.]+)", text)[-1])
    peaks = [float(v) for v in re.findall(r"lavfi\.r128\.true_peaks_ch0=([\d.]+)", text)]
    return integrated, 20 * math.log10(max(peaks))
