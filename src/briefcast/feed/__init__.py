"""Episode → feed folder: the podcast feed, its landing page, a server for phones, and
publishing to object storage."""

from .folder import (
    check_publishable,
    feed_token,
    init_feed,
    list_episodes,
    publish_episode,
    remove_episode,
)
from .records import FeedChannel, FeedItem, FeedRecord, read_record

__all__ = [
    "check_publishable",
    "FeedChannel",
    "FeedItem",
    "FeedRecord",
    "feed_token",
    "init_feed",
    "list_episodes",
    "publish_episode",
    "read_record",
    "remove_episode",
]
