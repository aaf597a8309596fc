"""Episode → feed folder: the podcast feed, its landing page, a server for phones, and
publishing to object storage.

Its users load it lazily (``lazy_import("briefcast.feed")``): feedgen, lxml and Starlette are
needed only by a build that publishes and by the feed commands, not by every build.
"""

from .folder import (
    check_publishable,
    feed_token,
    init_feed,
    list_episodes,
    publish_episode,
    remove_episode,
)
from .push import push_feed
from .qr import qr_terminal
from .records import FeedChannel, FeedItem, FeedRecord, read_record
from .serve import open_server, serve_folder

__all__ = [
    "check_publishable",
    "FeedChannel",
    "FeedItem",
    "FeedRecord",
    "feed_token",
    "init_feed",
    "list_episodes",
    "open_server",
    "push_feed",
    "qr_terminal",
    "publish_episode",
    "read_record",
    "remove_episode",
    "serve_folder",
]
