"""The dataclasses passed between stages: Article → Script → [RenderedSegment] → Episode.

Stages depend on these, never on each other; only ``pipeline.py`` knows all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

SectionKind = Literal["prose", "faq", "keypoints"]
SegmentKind = Literal["intro", "body", "transition", "outro"]


@dataclass
class Section:
    """One part of an article under one heading."""

    title: str | None
    """The heading as written, or None for text before the first heading."""
    paragraphs: list[str] = field(default_factory=list)
    """Cleaned prose paragraphs (for a FAQ: alternating question, answer; for a table: one row
    per paragraph, cells joined by " | ")."""
    kind: SectionKind = "prose"
    """"faq" and "keypoints" sections are recognised page structures, not prose to read as is."""
    level: int = 2
    """Heading depth (1 = title level, 2 = section, 3 = subsection)."""


@dataclass
class Article:
    """A cleaned article: title, metadata and sections, before any condensing."""

    title: str
    sections: list[Section]
    source: str | None = None
    """Where it came from: a publication name or a URL, when the text says so."""
    date: str | None = None
    """Publication date as ISO ``YYYY-MM-DD`` when found."""
    author: str | None = None
    language: str = "en"
    path: Path | None = None
    url: str | None = None
    """The page's canonical (or final fetched) URL, for articles read from the web."""


@dataclass
class Segment:
    """The smallest unit the TTS stage renders: one sentence or a short group of sentences."""

    text: str
    """The written form, as a reader sees it ("US", "£8,000", "2005"); the voice gets the spoken
    form, made from it just before rendering (``briefcast.script.spoken_script``)."""
    voice: str = "narrator"
    """Name of a voice profile (see ``voices/``)."""
    kind: SegmentKind = "body"
    pause_after: float | None = None
    """Seconds of silence after this segment; None lets the audio stage apply its rule
    (sentence / paragraph / chapter pause)."""
    paragraph_end: bool = True
    """False when the next segment continues the same paragraph (a shorter pause follows)."""


@dataclass
class Chapter:
    """A titled run of segments; becomes one chapter marker in the episode."""

    title: str
    segments: list[Segment] = field(default_factory=list)
    source: str | None = None
    """In a briefing of many stories: the publication this chapter's story comes from."""
    url: str | None = None
    """In a briefing: the story's URL, carried into the chapter marks of every container."""


@dataclass
class Script:
    """What the listener will hear, chapter by chapter."""

    title: str
    chapters: list[Chapter]
    source: str | None = None
    date: str | None = None
    author: str | None = None
    language: str = "en"

    @classmethod
    def from_dict(cls, data: dict) -> Script:
        """The script ``dataclasses.asdict`` made ``data`` of."""
        chapters = [
            Chapter(**{**c, "segments": [Segment(**s) for s in c["segments"]]})
            for c in data["chapters"]
        ]
        return cls(**{**data, "chapters": chapters})

    def segments(self) -> list[Segment]:
        return [s for c in self.chapters for s in c.segments]

    def segment_chapters(self) -> list[int]:
        """The chapter index of each segment, in the order of ``segments()``."""
        return [i for i, c in enumerate(self.chapters) for _ in c.segments]

    def body_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments() if s.kind == "body")


@dataclass(frozen=True)
class PauseRules:
    """Silence inserted between segments, by what the boundary is (seconds).

    The script builder uses it to estimate an episode's length; the audio stage applies it.
    A segment's own ``pause_after`` overrides the rule.
    """

    sentence: float = 0.35
    """Between segments of the same paragraph."""
    paragraph: float = 0.7
    """Between paragraphs of the same chapter."""
    chapter: float = 1.4
    """Before a new chapter (it belongs to the previous chapter)."""
    edge: float = 0.3
    """At the very start and end of the episode."""

    def after(self, segment: Segment, next_in_new_chapter: bool) -> float:
        if segment.pause_after is not None:
            return segment.pause_after
        if next_in_new_chapter:
            return self.chapter
        return self.paragraph if segment.paragraph_end else self.sentence

    def silence_in(self, script: Script) -> float:
        """Seconds of silence the audio stage puts into ``script``: every pause between its
        segments, and the edges at the start and end."""
        segments = script.segments()
        chapter_of = script.segment_chapters()
        between = sum(
            self.after(segment, chapter_of[i + 1] != chapter_of[i])
            for i, segment in enumerate(segments[:-1])
        )
        return between + 2 * self.edge


@dataclass(frozen=True)
class Trim:
    """Where a rendered segment's speech lies in its WAV: what the audio stage keeps of it."""

    first: int
    """First sample kept (speech, and a small margin before it)."""
    end: int
    """The sample after the last one kept (0, 0: a silent rendering)."""
    sample_rate: int
    """The rate these samples count at (the WAV's own)."""

    @property
    def seconds(self) -> float:
        """Seconds of speech kept."""
        return (self.end - self.first) / self.sample_rate


@dataclass
class RenderedSegment:
    """One segment rendered to a WAV file by a TTS engine."""

    segment: Segment
    chapter_index: int
    wav_path: Path
    duration: float
    """Seconds of audio in ``wav_path`` as rendered (before trimming)."""
    trim: Trim | None = None
    """Its speech in ``wav_path``, once the audio stage has measured it (``audio.trim_of``):
    measured once, then used by the script's fit and by the episode's timeline alike."""


@dataclass
class ChapterMark:
    """A chapter as placed in the finished audio."""

    title: str
    start_ms: int
    end_ms: int
    url: str | None = None
    """A link for this chapter (its story's page), where the container can carry one."""


@dataclass
class Cue:
    """One transcript cue, timed against the finished audio."""

    start_ms: int
    end_ms: int
    text: str


@dataclass
class Loudness:
    """Loudness as measured on the encoded episode."""

    integrated_lufs: float
    true_peak_dbtp: float
    lra: float | None = None


@dataclass
class EpisodeMeta:
    """Tags written into every output file."""

    title: str
    artist: str = "briefcast"
    album: str = "briefcast"
    date: str | None = None
    description: str | None = None
    language: str = "en"
    cover: Path | None = None


@dataclass
class Episode:
    """The finished episode: its files, length, chapters and measured loudness."""

    files: list[Path]
    """Encoded audio files, one per format, the first being the main one."""
    duration_ms: int
    chapters: list[ChapterMark]
    cues: list[Cue] = field(default_factory=list)
    loudness: Loudness | None = None
    sidecars: list[Path] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.files[0]
