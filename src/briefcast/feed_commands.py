"""The feed's commands: ``briefcast feed init|list|remove|push`` and ``briefcast serve``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .console import handle_errors
from .lazy import lazy_import

feed_stage = lazy_import("briefcast.feed")  # feedgen, lxml and Starlette load with a command

feed_dir_argument = click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))


@click.group()
def feed() -> None:
    """Create, list, trim and upload a podcast feed folder."""


@feed.command("init")
@feed_dir_argument
@click.option("--title", required=True, help="The podcast's title.")
@click.option("--author", default=None, help="The podcast's author (default: briefcast).")
@click.option("--base-url", default=None, help="The folder's public address, for its URLs.")
@handle_errors
def feed_init(folder: Path, title: str, author: str | None, base_url: str | None) -> None:
    """Create a feed folder (or change the settings of one)."""

    feed_stage.init_feed(folder, title, author=author, base_url=base_url)
    click.echo(str(folder / "feed.xml"))


@feed.command("list")
@feed_dir_argument
@handle_errors
def feed_list(folder: Path) -> None:
    """List the feed's episodes, newest first: slug, date, length, title."""

    for item in feed_stage.list_episodes(folder):
        seconds = item.duration_ms // 1000
        length = f"{seconds // 60}:{seconds % 60:02d}"
        click.echo(f"{item.slug}\t{item.published[:10]}\t{length}\t{item.title}")


@feed.command("remove")
@feed_dir_argument
@click.argument("episode", metavar="EPISODE")
@handle_errors
def feed_remove(folder: Path, episode: str) -> None:
    """Remove an episode (by its slug, as `feed list` shows) and its files."""

    click.echo(f"removed {feed_stage.remove_episode(folder, episode).slug}")


@feed.command("push")
@feed_dir_argument
@click.argument("target", metavar="s3://BUCKET/PREFIX")
@click.option("--endpoint-url", default=None, help="S3-compatible endpoint (R2, B2, MinIO…).")
@click.option("--base-url", default=None, help="Public address of s3://BUCKET/PREFIX/.")
@handle_errors
def feed_push(folder: Path, target: str, endpoint_url: str | None, base_url: str | None) -> None:
    """Upload the feed to object storage (only what changed, feed.xml last); prints its URL."""

    result = feed_stage.push_feed(
        folder,
        target,
        endpoint_url=endpoint_url,
        base_url=base_url,
        log=lambda line: click.echo(line, err=True),
    )
    click.echo(result.feed_url)
    click.echo(
        f"{len(result.uploaded)} uploaded, {len(result.unchanged)} unchanged, "
        f"{len(result.deleted)} deleted",
        err=True,
    )


@click.command()
@feed_dir_argument
@click.option("--lan", is_flag=True, help="Listen on every interface, for phones on the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--new-token", is_flag=True, help="Replace the secret in the feed's URLs.")
@handle_errors
def serve(folder: Path, lan: bool, port: int, new_token: bool) -> None:
    """Serve a feed folder; prints the subscribe URL first, then a QR code of it."""

    app, sock, url = feed_stage.open_server(folder, lan=lan, port=port, new_token=new_token)
    click.echo(url)
    sys.stdout.flush()
    click.echo(feed_stage.qr_terminal(url), err=True)
    where = "every interface" if lan else "127.0.0.1 only (--lan for phones)"
    click.echo(f"serving {folder} on {where}; Ctrl-C stops", err=True)
    feed_stage.serve_folder(app, sock)
