"""The briefcast command line: parses options, calls the library, prints results.

Results (paths, tables, scripts) go to stdout; progress and errors go to stderr. Every
BriefcastError becomes one line ``Error: …`` on stderr and exit code 2.
"""

from __future__ import annotations

import gc
import logging
import signal
import sys
from pathlib import Path

import click

from . import __version__
from .article import articles_to_json, articles_to_markdown, read_sources
from .cache import cache_size, clear_cache
from .console import handle_errors, install_signal_handlers
from .errors import BriefcastError
from .feed_commands import feed, serve
from .options import DEFAULT_OUT_DIR, MINUTES_RANGE, BuildOptions
from .pipeline import build as build_episode
from .pipeline import make_script, render_script_file, sample_article_path
from .script import script_to_json, script_to_markdown
from .tts import SegmentCache, list_voices
from .tts.packs import get_pack, pack_rows


def length_options(func):
    func = click.option(
        "--words",
        type=click.IntRange(min=20),
        default=None,
        help="Cap the condensed article content at N words (intro and outro come on top).",
    )(func)
    func = click.option(
        "--minutes",
        type=click.FloatRange(*MINUTES_RANGE),
        default=None,
        help="Target length of the whole episode in minutes (default 5).",
    )(func)
    return func


def voice_options(func):
    options = [
        click.option(
            "--voice", default=None, help="Narrator voice profile (see `briefcast voices`)."
        ),
        click.option(
            "--host-voice",
            "host",
            default=None,
            help="Voice for intro, transitions, questions and outro.",
        ),
        click.option(
            "--single-voice", is_flag=True, help="Read everything in the narrator's voice."
        ),
        click.option(
            "--lang", default=None, help="Article language (e.g. en, de); detected when not given."
        ),
        click.option(
            "--voices-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Extra folder of voice profiles (*.toml).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


out_dir_option = click.option(
    "-o",
    "--out-dir",
    type=click.Path(path_type=Path),  # a file there is reported in one line by the library
    default=None,
    help="Folder for the episode files (default: output; for render, the script's folder).",
)


refresh_option = click.option(
    "--refresh", is_flag=True, help="Fetch URLs anew instead of from the page cache."
)
items_option = click.option(
    "--items",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many of a source feed's newest items to read.",
)


def sources_options(func):
    """--items, --again and --refresh: how inputs that are URLs or source feeds are read."""
    again = click.option(
        "--again",
        is_flag=True,
        help="Read a feed's newest items even if an earlier build in the folder used them.",
    )
    return refresh_option(again(items_option(func)))


def output_options(func):
    options = [
        out_dir_option,
        click.option(
            "--format",
            "formats",
            default="mp3",
            show_default=True,
            help="Comma list of audio formats: mp3, m4b, m4a.",
        ),
        click.option(
            "--cover",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Cover image (PNG or JPEG); one is drawn from the title when not given.",
        ),
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Processes rendering, and threads encoding the MP3 (default: number of cores).",
        ),
        click.option("--no-cache", is_flag=True, help="Render every segment afresh."),
        click.option("-q", "--quiet", is_flag=True, help="One line per stage, no live progress."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_options(**kw) -> BuildOptions:
    """BuildOptions from a command's parsed options (the library checks them)."""
    formats = tuple(f.strip().lower() for f in kw.pop("formats", "mp3").split(",") if f.strip())
    quiet = kw.pop("quiet", False)
    if quiet:  # results only: no progress, no figures, no warnings
        logging.getLogger("briefcast").setLevel(logging.ERROR)
    return BuildOptions(
        out_dir=kw.pop("out_dir", None) or DEFAULT_OUT_DIR,
        minutes=kw.pop("minutes", None),
        words=kw.pop("words", None),
        voice=kw.pop("voice", None),
        host=kw.pop("host", None),
        single_voice=kw.pop("single_voice", False),
        title=kw.pop("title", None),
        lang=kw.pop("lang", None),
        voices_dir=kw.pop("voices_dir", None),
        formats=formats,
        cover=kw.pop("cover", None),
        jobs=kw.pop("jobs", None),
        use_cache=not kw.pop("no_cache", False),
        progress=not quiet,
        feed=kw.pop("feed", None),
        keep=kw.pop("keep", None),
        refresh=kw.pop("refresh", False),
        items=kw.pop("items", 5),
        again=kw.pop("again", False),
    )


def given_options(ctx: click.Context) -> set[str]:
    """The BuildOptions fields the user set on the command line (not left at their default)."""
    fields = {"formats": "formats", "out_dir": "out_dir", "voice": "voice", "host": "host"}
    fields |= {"single_voice": "single_voice", "cover": "cover", "voices_dir": "voices_dir"}
    return {
        field
        for param, field in fields.items()
        if ctx.get_parameter_source(param) not in (None, click.core.ParameterSource.DEFAULT)
    }


def report(result, quiet: bool = False) -> None:
    """Paths on stdout; the episode's figures on stderr (not with ``quiet``)."""
    episode = result.episode
    for path in episode.files:
        click.echo(str(path))
    if quiet:
        return
    seconds = episode.duration_ms / 1000
    count = len(episode.chapters)
    figures = [f"{int(seconds // 60)}:{seconds % 60:04.1f}", f"{count} chapter{'s' * (count != 1)}"]
    if episode.loudness:
        figures.append(f"{episode.loudness.integrated_lufs:.1f} LUFS")
        figures.append(f"true peak {episode.loudness.true_peak_dbtp:.1f} dBTP")
    state = "up to date" if result.up_to_date else "built"
    click.echo(f"{state}: {', '.join(figures)}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefcast")
@click.option("-v", "--verbose", is_flag=True, help="Log details on stderr.")
def cli(verbose: bool) -> None:
    """Turn an article into a podcast episode with chapters, locally."""
    # The library logs; here its warnings (and with -v its details) become lines on stderr.
    logger = logging.getLogger("briefcast")
    logger.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(
            "%(levelname)s %(name)s: %(message)s" if verbose else "%(levelname)s: %(message)s"
        )
    )
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    logger.propagate = False


# plain strings: click.Path would turn an https:// URL into https:/
inputs_argument = click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)


@cli.command()
@inputs_argument
@length_options
@voice_options
@output_options
@click.option("--title", default=None, help="Episode title (default: the article's).")
@click.option(
    "--feed",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Publish the episode into this feed folder (see `briefcast feed init`).",
)
@click.option(
    "--keep", type=click.IntRange(min=1), default=None, help="With --feed: keep the newest N."
)
@sources_options
@handle_errors
def build(inputs: tuple[str, ...], **kw) -> None:
    """Build an episode (audio, script, chapters, transcript) from an article file; several
    inputs make one briefing, a chapter per story."""
    if kw.get("keep") is not None and kw.get("feed") is None:
        raise BriefcastError("--keep applies to a feed; add --feed DIR")
    quiet = kw.get("quiet", False)
    report(build_episode(list(inputs), make_options(**kw)), quiet)
    if kw.get("feed") is not None and not quiet:
        click.echo(f"published into {kw['feed'] / 'feed.xml'}", err=True)


@cli.command()
@inputs_argument
@length_options
@voice_options
@click.option("--title", default=None, help="Episode title (default: the article's).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the script as JSON instead of Markdown."
)
@sources_options
@handle_errors
def script(inputs: tuple[str, ...], as_json: bool, **kw) -> None:
    """Print the script for an article (or a briefing of several), without rendering audio."""
    result, _ = make_script(list(inputs), make_options(**kw))
    click.echo(script_to_json(result) if as_json else script_to_markdown(result), nl=False)


@cli.command()
@inputs_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
@items_option
@refresh_option
@handle_errors
def read(inputs: tuple[str, ...], as_json: bool, items: int, refresh: bool) -> None:
    """Print articles (files, URLs, RSS/Atom feeds) as briefcast reads them, before condensing."""
    stories = read_sources(list(inputs), items=items, refresh=refresh)
    click.echo(articles_to_json(stories) if as_json else articles_to_markdown(stories), nl=False)


@cli.command()
@click.argument("script_path", metavar="SCRIPT.md", type=click.Path(path_type=Path))
@voice_options
@output_options
@click.pass_context
@handle_errors
def render(ctx: click.Context, script_path: Path, **kw) -> None:
    """Render a script file (written by build, edited or not) into an episode.

    The episode goes beside the script unless -o says otherwise; formats, voices and cover
    not given are those of the build that wrote the script."""
    quiet = kw.get("quiet", False)
    report(render_script_file(script_path, make_options(**kw), given_options(ctx)), quiet)


@cli.group(invoke_without_command=True)
@click.option(
    "--voices-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Extra folder of voice profiles (*.toml).",
)
@click.option("--lang", default=None, help="Only voices for this language.")
@click.pass_context
@handle_errors
def voices(ctx: click.Context, voices_dir: Path | None, lang: str | None) -> None:
    """List voice profiles, the engines' own voices and the voice packs, one per line.

    `briefcast voices get NAME` installs a pack.
    """
    if ctx.invoked_subcommand is not None:
        return

    rows = list_voices(voices_dir)
    if lang:
        rows = [r for r in rows if str(r.get("language", "")).lower().startswith(lang.lower())]
    columns = ["kind", "name", "engine", "voice_id", "language", "wpm", "measured_wpm"]
    echo_table(columns, rows)
    click.echo()
    echo_table(
        ["pack", "state", "size_mb", "licence"], [{**r, "pack": r["name"]} for r in pack_rows()]
    )
    click.echo("Install a pack with `briefcast voices get PACK`.")


def echo_table(columns: list[str], rows: list[dict]) -> None:
    """Print ``rows`` as aligned columns under upper-case headings."""
    table = [[str(r.get(c, "") if r.get(c) is not None else "") for c in columns] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in table)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths)).rstrip())
    for row in table:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


@voices.command("get")
@click.argument("name", metavar="PACK")
@click.option(
    "--from",
    "from_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Install from files already downloaded into this folder.",
)
@handle_errors
def voices_get(name: str, from_dir: Path | None) -> None:
    """Install a voice pack into your data folder (size and licence are shown first)."""

    click.echo(get_pack(name, from_dir, progress=lambda line: click.echo(line, err=True)))


@cli.command()
@out_dir_option
@click.option(
    "--minutes",
    type=click.FloatRange(*MINUTES_RANGE),
    default=3.0,
    show_default=True,
    help="Target length of the demo episode.",
)
@click.option("-q", "--quiet", is_flag=True, help="One line per stage, no live progress.")
@handle_errors
def demo(out_dir: Path, minutes: float, quiet: bool) -> None:
    """Build an episode from the sample article bundled with briefcast."""
    options = make_options(out_dir=out_dir, minutes=minutes, quiet=quiet)
    report(build_episode(sample_article_path(), options), quiet)


@cli.group()
def cache() -> None:
    """Inspect or clear the rendered-segment cache."""


@cache.command("info")
@handle_errors
def cache_info() -> None:
    """Show where the cache is and how big it is."""

    store = SegmentCache()
    click.echo(f"{store.root}\t{store.count()} segments\t{cache_size(store.root) / 1e6:.1f} MB")


@cache.command("clear")
@handle_errors
def cache_clear() -> None:
    """Delete every cached segment."""

    store = SegmentCache()
    count = store.count()
    size = clear_cache(store.root)
    click.echo(f"cleared {count} segments ({size / 1e6:.1f} MB) from {store.root}")


cli.add_command(feed)
cli.add_command(serve)


def main() -> None:
    """Console-script entry point."""
    install_signal_handlers()
    try:
        cli(prog_name="briefcast")
    finally:
        # Everything is written (or reported) now. While the interpreter shuts down it puts back
        # the default handlers, so a signal then would kill the run with nothing left to clean.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        # Nor is there anything left for the collector to free: frozen, every object is skipped
        # by the collections the interpreter makes as it shuts down (0.1-0.14 s after a build).
        gc.freeze()
