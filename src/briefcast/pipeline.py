"""Article → Script → rendered segments → Episode: the one place where the stages meet."""

from __future__ import annotations

import contextlib
import functools
import logging
import tempfile
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from importlib import resources
from pathlib import Path

from .article import read_sources, record_used
from .audio import (
    FORMATS,
    assemble_episode,
    check_encoders,
    episode_cover,
    prepare_out_dir,
    speech_seconds,
)
from .errors import BriefcastError, InputError, ScriptFileError
from .files import write_text_atomic
from .keys import build_key, fitted_key
from .lazy import lazy_import
from .manifest import (
    SCRIPT_SUFFIX,
    Manifest,
    manifest_path,
    read_manifest,
    remove_stale,
    reuse_settings,
    settings_of,
    slugify,
    write_manifest,
)
from .models import Article, EpisodeMeta, Script
from .options import BuildOptions, BuildResult, cap_article, check_length
from .script import (
    DEFAULT_MINUTES,
    keep_rendered,
    plan_script,
    restate_length,
    script_for_plan,
    script_from_markdown,
    script_to_markdown,
    speaking_rate,
    spoken_script,
)
from .tts import (
    SegmentCache,
    VoiceProfile,
    find_profile,
    remember_wpm,
    render_segments,
    resolve_voices,
    speaks_written,
    start_measuring_wpm,
    start_workers,
)
from .tts.pairs import pair_voices

__all__ = ["BuildOptions", "BuildResult", "build", "make_script", "render_script_file"]

log = logging.getLogger(__name__)
feed = lazy_import("briefcast.feed")  # only a build that publishes loads the feed stage

FIT_ROUNDS = 3
"""Measurements of a --minutes script's real length (each but the last may re-plan it)."""
FIT_TOLERANCE = 0.03
"""A script within this fraction of the target length is kept as it is."""
SHORT_WARNING = 0.15
"""An episode this much shorter than asked gets a warning on stderr."""


def sample_article_path() -> Path:
    """The demo article bundled inside the package."""
    return Path(str(resources.files("briefcast") / "data" / "sample-article.md"))


def check_formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    """Validate a format list such as ("mp3", "m4b")."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BriefcastError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    check_encoders(formats)  # an ffmpeg too old for M4B is told before any slow work
    return tuple(dict.fromkeys(formats))


def load_articles(
    inputs: Path | str | Sequence[Path | str], options: BuildOptions
) -> list[Article]:
    """The stories of one input or several (files, URLs, source feeds expanded into their
    newest items not yet used in the output folder), with the title and language the user
    gave (a briefing's title names the episode, not a story)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if not inputs:
        raise InputError("no input given; pass an article file (or several for a briefing)")
    articles = read_sources(
        list(inputs),
        items=options.items,
        record_dir=options.out_dir,
        again=options.again,
        refresh=options.refresh,
    )
    articles = [cap_article(article, options) for article in articles]
    for article in articles:
        article.language = options.lang or article.language
    if len(articles) == 1 and options.title:
        articles[0].title = options.title
    return articles


def choose_voices(language: str, options: BuildOptions) -> tuple[VoiceProfile, VoiceProfile]:
    """Narrator and host for this language; the same profile twice in single-voice mode."""
    names = pair_voices(language, options.voice, options.host)
    narrator, host = resolve_voices(language, *names, options.voices_dir)
    if options.single_voice:
        host = narrator
    return narrator, host


@dataclass(frozen=True)
class Fitting:
    """What fitting ``articles`` starts from: their voices, the key of the fitted script, and
    that script with its measured seconds when a build before cached it."""

    narrator: VoiceProfile
    host: VoiceProfile
    key: str
    known: dict | None

    @property
    def profiles(self) -> dict[str, VoiceProfile]:
        return {self.narrator.name: self.narrator, self.host.name: self.host}


def look_up_fitting(articles: list[Article], options: BuildOptions, cache: SegmentCache) -> Fitting:
    """The voices for the articles' most common language, and the fitted script if cached."""
    languages = [a.language for a in articles]
    narrator, host = choose_voices(max(dict.fromkeys(languages), key=languages.count), options)
    key = fitted_key(articles, options, {narrator.name: narrator, host.name: host})
    return Fitting(narrator, host, key, cache.get_value("scripts", key))


def make_script(
    inputs: Path | str | Sequence[Path | str], options: BuildOptions
) -> tuple[Script, dict[str, VoiceProfile]]:
    """Read an article (or several, for a briefing) and condense it into a Script sized for
    the chosen voice's real pace."""
    check_length(options)
    articles = load_articles(inputs, options)
    with segment_cache(options) as cache:
        return script_for(articles, options, cache)


def script_for(
    articles: Article | list[Article],
    options: BuildOptions,
    cache: SegmentCache,
    fitting: Fitting | None = None,
) -> tuple[Script, dict[str, VoiceProfile]]:
    """Condense ``articles`` (one, or a briefing's stories) for the chosen voices; returns the
    script and the profiles it names. ``fitting``: the look-up made already (``build`` makes
    it first, to know whether to start the workers).

    With a length in minutes the script is fitted to the real audio: its segments are rendered
    (into the segment cache, so the build reuses them) and re-planned at the pace the voice
    actually reads this article, which can differ from its calibration by 15% or more (long
    words, numbers).
    """
    articles = [articles] if isinstance(articles, Article) else articles
    fitting = fitting or look_up_fitting(articles, options, cache)
    narrator, host, key, known = fitting.narrator, fitting.host, fitting.key, fitting.known
    profiles = fitting.profiles
    if known is not None:  # the same article, length and voices as a build before
        warn_if_short(known["seconds"], options)
        return Script.from_dict(known["script"]), profiles
    # the voice is measured in the worker processes while this one plans the article
    measuring = start_measuring_wpm(narrator, cache, options.jobs)
    # Cleaning, splitting and scoring are done once; only the selection is redone per round.
    plan = plan_script(articles, options.title if len(articles) > 1 else None)
    make = functools.partial(
        script_for_plan, plan, narrator=narrator.name, host=host.name, pauses=options.pauses
    )
    if options.words is not None:
        script = make(words=options.words, wpm=measuring.result())
        cache.put_value("scripts", key, {"script": asdict(script), "seconds": None})
        return script, profiles
    minutes = options.minutes if options.minutes is not None else DEFAULT_MINUTES
    wpm = measuring.result()
    script, best = make(minutes=minutes, wpm=wpm), None
    for round_ in range(FIT_ROUNDS):
        seconds = rendered_seconds(script, profiles, cache, options)
        miss = abs(seconds / (minutes * 60) - 1)
        if best is None or miss < best[0]:
            best = (miss, script, seconds, wpm)
        if miss <= FIT_TOLERANCE or round_ == FIT_ROUNDS - 1:
            break
        wpm *= minutes * 60 / seconds  # the pace the voice really reads this article at
        keep_rendered(plan)  # the next round renders only what it adds
        refitted = make(minutes=minutes, wpm=wpm)
        if refitted == script:
            break  # the article has no more (or no less) to give
        script = refitted
    _, script, seconds, planned_at = best  # the round nearest the length asked (all rendered)
    # a neural voice's first build measures its pace so (calibration renders no passage for it)
    remember_wpm(narrator, speaking_rate(script, seconds, planned_at, options.pauses), cache)
    warn_if_short(seconds, options)
    script = restate_length(script, seconds)  # the intro says what the listener will hear
    cache.put_value("scripts", key, {"script": asdict(script), "seconds": seconds})
    return script, profiles


def warn_if_short(seconds: float | None, options: BuildOptions) -> None:
    """Say so when a --minutes episode came out much shorter than asked."""
    minutes = options.minutes if options.minutes is not None else DEFAULT_MINUTES
    if (
        options.words is None
        and seconds is not None
        and seconds < (1 - SHORT_WARNING) * minutes * 60
    ):
        # Condensing never pads or repeats: a short or repetitive article makes a short episode.
        log.warning(
            "the article has about %.1f minutes of distinct content; the episode is shorter "
            "than the %g minutes asked",
            seconds / 60,
            minutes,
        )


def rendered_seconds(
    script: Script, profiles: dict[str, VoiceProfile], cache: SegmentCache, options: BuildOptions
) -> float:
    """How long ``script`` will play: trimmed speech as the audio stage joins it, plus pauses."""
    with tempfile.TemporaryDirectory(prefix="briefcast-fit-") as workdir:
        results = render_segments(
            spoken_script(script, speaks_written(profiles)),
            profiles,
            Path(workdir),
            jobs=options.jobs,
            cache=cache,
            progress=options.progress or None,  # -q: nothing on stderr
            # each segment's speech is measured as it arrives, not all at once when the last
            # one has, while the workers wait for the next round
            on_rendered=speech_seconds,
        )
        speech = sum(speech_seconds(r.wav_path) for r in results)
    return speech + options.pauses.silence_in(script)


@contextlib.contextmanager
def segment_cache(options: BuildOptions) -> Iterator[SegmentCache]:
    """The user's segment cache, or with ``--no-cache`` a private one that lives for one build
    (segments rendered while fitting the script are then still rendered only once)."""
    if options.use_cache:
        yield SegmentCache()
        return
    with tempfile.TemporaryDirectory(prefix="briefcast-cache-") as root:
        yield SegmentCache(Path(root))


def build(inputs: Path | str | Sequence[Path | str], options: BuildOptions) -> BuildResult:
    """Build an episode from an article file, or a briefing from several: script, audio,
    chapters and sidecars."""
    formats = check_formats(options.formats)
    check_length(options)
    check_cover(options)
    # Input first, then the output folder: a bad input must leave nothing behind, not even a folder.
    articles = load_articles(inputs, options)
    first = inputs if isinstance(inputs, (str, Path)) else inputs[0]
    if options.feed is not None:
        feed.check_publishable(options.feed, formats)  # before any slow work
    prepare_out_dir(options.out_dir)
    with segment_cache(options) as cache, ThreadPoolExecutor(1) as background:
        fitting = look_up_fitting(articles, options, cache)
        if fitting.known is None:
            # Workers fork now, while this process has one thread (with a thread running they
            # would start through a slower forkserver); they load the voice (a neural model too)
            # while the article is planned. A script fitted before means a rebuild that may
            # render nothing.
            start_workers(options.jobs, warm=fitting.narrator, models=True)
        drawing = None
        title = articles[0].title if len(articles) == 1 else options.title
        if options.cover is None and title:  # (a briefing's own title is known once planned)
            # The generated title card (cached by title) is drawn while a core is idle during
            # planning, rather than competing with the encoder for one later.
            drawing = background.submit(episode_cover, None, title, show=options.album)
        script, profiles = script_for(articles, options, cache, fitting)
        if drawing is not None:
            drawing.result()  # done before the assembler looks for the card: drawn once
        slug = slugify(script.title, fallback=slugify(Path(first).stem))
        result = produce(script, profiles, slug, options, formats, cache)
    record_used(options.out_dir, articles)  # tomorrow's briefing brings only new items
    if options.feed is not None:
        feed.publish_episode(options.feed, result.episode, result.script, keep=options.keep)
    return result


def render_script_file(
    script_path: Path, options: BuildOptions, given: Collection[str] = ()
) -> BuildResult:
    """Render a script file (as written by ``build`` or edited by hand) into an episode.

    ``given`` names the options the caller set. Without ``out_dir`` the episode goes beside the
    script; the formats, voices and cover not given come from the manifest of the build that
    wrote the script, when there is one, so that its outputs are all made current again.
    """
    script = read_script_file(script_path)
    name = Path(script_path).name
    slug = slugify(name[: -len(SCRIPT_SUFFIX)] if name.endswith(SCRIPT_SUFFIX) else Path(name).stem)
    if "out_dir" not in given:
        options = replace(options, out_dir=Path(script_path).parent)
    build_manifest = read_manifest(manifest_path(Path(script_path).parent, slug))
    options = reuse_settings(options, build_manifest, given)
    formats = check_formats(options.formats)
    check_cover(options)
    prepare_out_dir(options.out_dir)
    warm_workers(options)
    profiles = script_profiles(script, options, given)
    with segment_cache(options) as cache:
        return produce(script, profiles, slug, options, formats, cache, source=Path(script_path))


def script_profiles(
    script: Script, options: BuildOptions, given: Collection[str] = ()
) -> dict[str, VoiceProfile]:
    """The profile of every voice a script names; a narrator or host voice given as an option
    replaces the one the script names for its body or its framing."""
    names = sorted({s.voice for s in script.segments()})
    profiles = {name: find_profile(name, options.voices_dir) for name in names}
    for option, kinds in (("voice", {"body"}), ("host", {"intro", "transition", "outro"})):
        wanted = getattr(options, option)
        if option not in given or wanted is None:
            continue
        counts = Counter(s.voice for s in script.segments() if s.kind in kinds)
        if counts:
            profiles[counts.most_common(1)[0][0]] = find_profile(wanted, options.voices_dir)
    return profiles


def check_cover(options: BuildOptions) -> None:
    """Read a given cover image now, so that a bad one is reported before any slow work."""
    if options.cover is not None:
        episode_cover(options.cover, "")


def warm_workers(options: BuildOptions) -> None:
    """Start the rendering workers now, each loading the narrator's engine, so that their start
    overlaps reading and planning the article (call it while this process has one thread)."""
    try:
        profile = find_profile(options.voice or "narrator", options.voices_dir)
    except BriefcastError:
        profile = None  # the build reports it where it needs the voice
    start_workers(options.jobs, warm=profile)


def read_script_file(script_path: Path) -> Script:
    """Parse a script file, with the same clear errors as for articles."""
    path = Path(script_path)
    if not path.is_file():
        raise ScriptFileError(f"script file not found: {path}; pass a .script.md written by build")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScriptFileError(f"{path} is not UTF-8 text; save it as UTF-8") from exc
    script = script_from_markdown(text)
    if not script.segments():
        raise ScriptFileError(f"{path} has no text to speak; add paragraphs under a ## chapter")
    return script


def produce(
    script: Script,
    profiles: dict[str, VoiceProfile],
    slug: str,
    options: BuildOptions,
    formats: tuple[str, ...],
    cache: SegmentCache,
    source: Path | None = None,
) -> BuildResult:
    """Render and assemble ``script`` into ``options.out_dir`` (never over the script file
    ``source``); skip all work when up to date."""
    out_dir, script_path = options.out_dir, options.out_dir / f"{slug}{SCRIPT_SUFFIX}"
    key = build_key(script, profiles, formats, options)
    previous = read_manifest(manifest_path(out_dir, slug))
    if previous is not None and previous.key == key:
        episode = previous.episode
        if all(p.exists() for p in [*episode.files, *episode.sidecars, script_path]):
            log.info("%s is up to date", episode.path)
            return BuildResult(episode, script, script_path, up_to_date=True)

    with tempfile.TemporaryDirectory(prefix="briefcast-") as workdir:
        # the engine hears the spoken form; transcript and chapters keep the written one
        spoken = render_segments(
            spoken_script(script, speaks_written(profiles)),
            profiles,
            Path(workdir),
            chapters=script.segment_chapters(),
            jobs=options.jobs,
            cache=cache,
            progress=options.progress or None,  # -q: nothing on stderr
        )
        rendered = [replace(r, segment=w) for r, w in zip(spoken, script.segments(), strict=True)]
        meta = EpisodeMeta(
            title=script.title,
            artist=script.author or options.artist,
            album=options.album,
            date=script.date,
            description=episode_description(script),
            language=script.language,
            cover=options.cover,
        )
        episode = assemble_episode(
            rendered,
            [c.title for c in script.chapters],
            out_dir,
            slug,
            meta,
            formats=formats,
            pauses=options.pauses,
            progress=options.progress,
            jobs=options.jobs,
            chapter_urls=[c.url for c in script.chapters],
        )
    if source is None or script_path.resolve() != Path(source).resolve():
        write_text_atomic(script_path, script_to_markdown(script))  # never over the user's edit
    manifest = Manifest(key, episode, settings_of(replace(options, formats=formats)))
    record_build(previous, manifest, manifest_path(out_dir, slug))
    return BuildResult(episode, script, script_path)


def record_build(previous: Manifest | None, manifest: Manifest, path: Path) -> None:
    """Remove what ``previous`` wrote that this build did not, then write ``manifest`` there."""
    remove_stale(previous, manifest.episode)
    write_manifest(path, manifest)


def episode_description(script: Script) -> str:
    """A one-paragraph episode description: where it came from and what its chapters are."""
    parts = [f"{script.title}."]
    if script.source:
        parts.append(f"From {script.source}.")
    parts.append("Chapters: " + "; ".join(c.title for c in script.chapters) + ".")
    parts.append("Made with briefcast.")
    return " ".join(parts)
