"""The briefcast command line: parses options, calls the library, prints results.

Results (paths, tables, scripts) go to stdout; progress and errors go to stderr. Every
BriefcastError becomes one line ``Error: …`` on stderr and exit code 2.
"""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .errors import BriefcastError


def handle_errors(func):
    """Turn library errors into one clear line and exit 2; Ctrl-C into exit 130, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BriefcastError as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            click.echo(f"Error: {message}", err=True)
            logging.getLogger("briefcast").debug("details", exc_info=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing was left half-written.", err=True)
            sys.exit(130)

    return wrapper


def warm_workers(jobs: int | None, voice: str | None, voices_dir: Path | None) -> None:
    """Start the rendering workers, loading the narrator's engine, before this process loads
    the rest of the library: they are ready when the article has been read (~0.05 s sooner)."""
    from .tts import find_profile, start_workers

    try:
        profile = find_profile(voice or "narrator", voices_dir)
    except BriefcastError:
        profile = None  # the build reports it properly
    start_workers(jobs, warm=profile)


def length_options(func):
    func = click.option(
        "--words",
        type=click.IntRange(min=20),
        default=None,
        help="Cap the condensed article content at N words (intro and outro come on top).",
    )(func)
    func = click.option(
        "--minutes",
        type=click.FloatRange(min=0.5, max=600),
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
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder for the episode files.",
)


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
        click.option("-q", "--quiet", is_flag=True, help="No progress on stderr."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def make_options(**kw):
    from .pipeline import BuildOptions

    formats = tuple(f.strip().lower() for f in kw.pop("formats", "mp3").split(",") if f.strip())
    cover = kw.pop("cover", None)
    if cover is not None and not cover.is_file():
        raise BriefcastError(f"cover image not found: {cover}")
    return BuildOptions(
        out_dir=kw.pop("out_dir", Path("output")),
        minutes=kw.pop("minutes", None),
        words=kw.pop("words", None),
        voice=kw.pop("voice", None),
        host=kw.pop("host", None),
        single_voice=kw.pop("single_voice", False),
        title=kw.pop("title", None),
        lang=kw.pop("lang", None),
        voices_dir=kw.pop("voices_dir", None),
        formats=formats,
        cover=cover,
        jobs=kw.pop("jobs", None),
        use_cache=not kw.pop("no_cache", False),
        progress=not kw.pop("quiet", False),
    )


def check_length(minutes, words):
    if minutes is not None and words is not None:
        raise BriefcastError("give either --minutes or --words, not both")


def report(result) -> None:
    """Paths on stdout; the episode's figures on stderr."""
    episode = result.episode
    seconds = episode.duration_ms / 1000
    figures = [f"{int(seconds // 60)}:{seconds % 60:04.1f}", f"{len(episode.chapters)} chapters"]
    if episode.loudness:
        figures.append(f"{episode.loudness.integrated_lufs:.1f} LUFS")
        figures.append(f"true peak {episode.loudness.true_peak_dbtp:.1f} dBTP")
    state = "up to date" if result.up_to_date else "built"
    click.echo(f"{state}: {', '.join(figures)}", err=True)
    for path in episode.files:
        click.echo(str(path))


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


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@length_options
@voice_options
@output_options
@click.option("--title", default=None, help="Episode title (default: the article's).")
@handle_errors
def build(input_path: Path, **kw) -> None:
    """Build an episode (audio, script, chapters, transcript) from an article file."""
    warm_workers(kw.get("jobs"), kw.get("voice"), kw.get("voices_dir"))
    from .pipeline import build as build_episode

    check_length(kw.get("minutes"), kw.get("words"))
    report(build_episode(input_path, make_options(**kw)))


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@length_options
@voice_options
@click.option("--title", default=None, help="Episode title (default: the article's).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print the script as JSON instead of Markdown."
)
@handle_errors
def script(input_path: Path, as_json: bool, **kw) -> None:
    """Print the spoken script for an article, without rendering audio."""
    from .pipeline import make_script
    from .script import script_to_json, script_to_markdown

    check_length(kw.get("minutes"), kw.get("words"))
    result, _ = make_script(input_path, make_options(**kw))
    click.echo(script_to_json(result) if as_json else script_to_markdown(result), nl=False)


@cli.command()
@click.argument("script_path", metavar="SCRIPT.md", type=click.Path(path_type=Path))
@voice_options
@output_options
@handle_errors
def render(script_path: Path, **kw) -> None:
    """Render a script file (written by build, edited or not) into an episode."""
    warm_workers(kw.get("jobs"), kw.get("voice"), kw.get("voices_dir"))
    from .pipeline import render_script_file

    report(render_script_file(script_path, make_options(**kw)))


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
    from .tts import list_voices
    from .tts.packs import pack_rows

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
    from .tts.packs import get_pack

    click.echo(get_pack(name, from_dir, progress=lambda line: click.echo(line, err=True)))


@cli.command()
@out_dir_option
@click.option(
    "--minutes",
    type=click.FloatRange(min=0.5, max=60),
    default=3.0,
    show_default=True,
    help="Target length of the demo episode.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@handle_errors
def demo(out_dir: Path, minutes: float, quiet: bool) -> None:
    """Build an episode from the sample article bundled with briefcast."""
    warm_workers(None, None, None)
    from .pipeline import BuildOptions, sample_article_path
    from .pipeline import build as build_episode

    options = BuildOptions(out_dir=out_dir, minutes=minutes, formats=("mp3",), progress=not quiet)
    report(build_episode(sample_article_path(), options))


@cli.group()
def cache() -> None:
    """Inspect or clear the rendered-segment cache."""


@cache.command("info")
@handle_errors
def cache_info() -> None:
    """Show where the cache is and how big it is."""
    from .tts import SegmentCache

    store = SegmentCache()
    click.echo(f"{store.root}\t{store.count()} segments\t{store.size_bytes() / 1e6:.1f} MB")


@cache.command("clear")
@handle_errors
def cache_clear() -> None:
    """Delete every cached segment."""
    from .tts import SegmentCache

    store = SegmentCache()
    size = store.size_bytes()
    count = store.count()
    store.clear()
    click.echo(f"cleared {count} segments ({size / 1e6:.1f} MB) from {store.root}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="briefcast")
