"""What a build can be told (BuildOptions), what it gives back (BuildResult), and the checks of
options that need no stage."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BriefcastError
from .models import Article, Episode, PauseRules, Script
from .script import DEFAULT_MINUTES

log = logging.getLogger(__name__)

DEFAULT_OUT_DIR = Path("output")
MINUTES_RANGE = (0.5, 600.0)
"""The episode lengths a build accepts, in minutes (the CLI's --minutes on every command)."""
READ_FACTOR = 20
"""An article is condensed from at most this many times the words its episode will say..."""
READ_FLOOR = 20_000
"""... and never from fewer than this many (a long read's whole text, up to ~2 hours)."""
SPOKEN_WPM = 170
"""Words a minute, to turn --minutes into words for the cap above (the voice's real pace is
measured later; the cap needs only the order of magnitude)."""


@dataclass
class BuildOptions:
    """Everything a build can be told; the CLI fills it from its options."""

    out_dir: Path = DEFAULT_OUT_DIR
    minutes: float | None = None
    """Target length of the whole episode (intro and outro included)."""
    words: int | None = None
    """Cap on the condensed article content, in words (framing comes on top)."""
    voice: str | None = None
    """Narrator profile name; None picks the default for the article's language."""
    host: str | None = None
    """Host profile name (intro, transitions, questions, outro)."""
    single_voice: bool = False
    title: str | None = None
    lang: str | None = None
    formats: tuple[str, ...] = ("mp3",)
    voices_dir: Path | None = None
    cover: Path | None = None
    artist: str = "briefcast"
    album: str = "briefcast"
    jobs: int | None = None
    """Processes rendering segments and threads encoding the MP3 (None: one per core)."""
    use_cache: bool = True
    progress: bool = True
    pauses: PauseRules = field(default_factory=PauseRules)
    feed: Path | None = None
    """A feed folder to publish the episode into (``briefcast feed init`` made it)."""
    keep: int | None = None
    """With ``feed``: keep only the newest N episodes there."""
    refresh: bool = False
    """Fetch URL inputs anew instead of from the page cache."""
    items: int = 5
    """How many of a source feed's newest items make stories."""
    again: bool = False
    """Read a feed's items even when the output folder's record says they were used."""


@dataclass
class BuildResult:
    """What a build produced, and whether anything had to be done."""

    episode: Episode
    script: Script
    script_path: Path
    up_to_date: bool = False
    """True when the outputs already matched the script and settings, so nothing was redone."""

    @property
    def files(self) -> list[Path]:
        return self.episode.files


def check_length(options: BuildOptions) -> None:
    """A length is given in minutes (within ``MINUTES_RANGE``) or in words, not both."""
    if options.minutes is not None and options.words is not None:
        raise BriefcastError("give either --minutes or --words as the length, not both")
    low, high = MINUTES_RANGE
    if options.minutes is not None and not low <= options.minutes <= high:
        raise BriefcastError(f"--minutes must be between {low:g} and {high:g}")


def cap_article(article: Article, options: BuildOptions) -> Article:
    """``article`` cut after its first ``READ_FACTOR`` times the episode's words (at least
    ``READ_FLOOR``), whole paragraphs kept, with a warning: condensing weighs every sentence
    against the others, and a 10 MB text (1.4 million words) took minutes for a 5-minute
    episode that had plenty to choose from in its first 20,000 words."""
    minutes = options.minutes if options.minutes is not None else DEFAULT_MINUTES
    wanted = options.words if options.words is not None else minutes * SPOKEN_WPM
    cap = max(READ_FLOOR, int(READ_FACTOR * wanted))
    total = sum(len(p.split()) for s in article.sections for p in s.paragraphs)
    if total <= cap:
        return article
    sections, kept = [], 0
    for section in article.sections:
        paragraphs = []
        for paragraph in section.paragraphs:
            if kept >= cap:
                break
            paragraphs.append(paragraph)
            kept += len(paragraph.split())
        if paragraphs:
            sections.append(dataclasses.replace(section, paragraphs=paragraphs))
    log.warning("the article has %d words; the episode is made from its first %d", total, kept)
    return dataclasses.replace(article, sections=sections)
