"""``briefcast feed push``: the feed folder uploaded to S3-compatible object storage (AWS S3,
Cloudflare R2, Backblaze B2, MinIO, SeaweedFS) with boto3, for apps that fetch feeds from their
own servers (Pocket Casts, Overcast).

Objects go under ``PREFIX/TOKEN/``, so the public address carries the secret as ``serve``'s
does. Only files whose content changed are uploaded, episodes first and ``feed.xml`` last, so
a reader never sees a feed naming a file not there yet; objects nothing names any more go after.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FeedError
from ..lazy import lazy_import
from .folder import check_base_url, feed_token
from .page import render_page
from .records import EPISODES_DIR, mime_type, read_record
from .rss import render_feed

# boto3 takes 0.2 s to import: only a push needs it (botocore's modules are loaded by boto3's)
boto3 = lazy_import("boto3")
botocore = lazy_import("botocore")

SHORT_CACHE = "public, max-age=300"
"""``feed.xml`` and the page: apps and browsers see a new episode within minutes."""
LONG_CACHE = "public, max-age=31536000, immutable"
"""Episode files: their names carry their content's digest, so they never change."""


@dataclass
class PushResult:
    """What a push did, and the public feed address."""

    feed_url: str
    uploaded: list[str] = field(default_factory=list)
    """Keys uploaded, in upload order (``feed.xml`` last)."""
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def parse_target(target: str) -> tuple[str, str]:
    """``s3://BUCKET/PREFIX`` as bucket and prefix (without slashes at its ends)."""
    if not target.startswith("s3://") or not target[5:].split("/")[0]:
        raise FeedError(f"the target must look like s3://BUCKET/PREFIX, not {target!r}")
    bucket, _, prefix = target[5:].partition("/")
    return bucket, prefix.strip("/")


def public_base(bucket: str, prefix: str, base_url: str | None, endpoint: str | None) -> str:
    """The public address of ``s3://BUCKET/PREFIX/``: ``--base-url``, else the endpoint's
    path-style address, else AWS's virtual-hosted one."""
    if base_url:
        return check_base_url(base_url)
    root = (
        f"{endpoint.rstrip('/')}/{bucket}/" if endpoint else f"https://{bucket}.s3.amazonaws.com/"
    )
    return root + (f"{prefix}/" if prefix else "")


def local_objects(folder: Path, base_url: str) -> dict[str, bytes | Path]:
    """Every file to upload, by its name in the folder: the episodes' files, and the feed and
    page rendered for ``base_url``."""
    record = read_record(folder)
    objects: dict[str, bytes | Path] = {}
    for item in record.items:
        for name in item.files():
            objects[name] = folder / name
    objects["index.html"] = render_page(record, base_url).encode()
    objects["feed.xml"] = render_feed(record, base_url)
    return objects


def content_md5(data: bytes | Path) -> str:
    """The MD5 S3 reports as the ETag of an object uploaded in one part."""
    if isinstance(data, bytes):
        return hashlib.md5(data, usedforsecurity=False).hexdigest()
    with open(data, "rb") as f:
        return hashlib.file_digest(f, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()


def remote_etags(client, bucket: str, prefix: str) -> dict[str, str]:
    """The ETag (the MD5 of a single-part upload) of every object under ``prefix``."""
    etags = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            etags[obj["Key"]] = obj["ETag"].strip('"')
    return etags


def push_feed(
    folder: Path,
    target: str,
    *,
    endpoint_url: str | None = None,
    base_url: str | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> PushResult:
    """Upload the feed folder to ``target`` (``s3://BUCKET/PREFIX``); returns what was done."""
    folder = Path(folder)
    bucket, prefix = parse_target(target)
    token = feed_token(folder)
    key_prefix = f"{prefix}/{token}/" if prefix else f"{token}/"
    public = public_base(bucket, prefix, base_url, endpoint_url) + f"{token}/"
    objects = local_objects(folder, public)
    result = PushResult(feed_url=public + "feed.xml")
    # feed.xml last; the page just before it (it names the same files)
    order = sorted(objects, key=lambda n: (n in ("index.html", "feed.xml"), n == "feed.xml", n))
    try:
        # a fresh session reads the credentials as they are now, not as a first push found them
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            config=botocore.config.Config(retries={"max_attempts": 3}),
        )
        remote = remote_etags(client, bucket, key_prefix)
        for name in order:
            key = key_prefix + name
            data = objects[name]
            if remote.get(key) == content_md5(data):
                result.unchanged.append(key)
                continue
            upload(client, bucket, key, name, data)
            result.uploaded.append(key)
            log(f"uploaded {key}")
        wanted = {key_prefix + n for n in objects}
        for key in sorted(remote):
            if key not in wanted and key.startswith(key_prefix + EPISODES_DIR + "/"):
                client.delete_object(Bucket=bucket, Key=key)
                result.deleted.append(key)
    except botocore.exceptions.NoCredentialsError as exc:
        raise FeedError(
            "no credentials for object storage; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(or AWS_PROFILE)"
        ) from exc
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise FeedError(f"push to {target} failed: {exc}") from exc
    return result


def upload(client, bucket: str, key: str, name: str, data: bytes | Path) -> None:
    """One object with its MIME type and cache lifetime."""
    short = name in ("feed.xml", "index.html")
    extra = {"ContentType": mime_type(name), "CacheControl": SHORT_CACHE if short else LONG_CACHE}
    if isinstance(data, bytes):
        client.put_object(Bucket=bucket, Key=key, Body=data, **extra)
    else:
        with open(data, "rb") as body:
            client.put_object(Bucket=bucket, Key=key, Body=body, **extra)
