"""Fetching a page from an http(s) URL with urllib3 (the client trafilatura itself uses):
timeouts, a size cap, only text content types, redirects followed (the final URL kept), a
polite User-Agent, and a page cache so that a rebuild does not fetch again."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from .. import __version__
from ..cache import cache_folder
from ..errors import InputError
from ..files import write_bytes_atomic
from ..lazy import lazy_import

# loaded by the first URL read, not by every build of a file
certifi = lazy_import("certifi")
urllib3 = lazy_import("urllib3")

USER_AGENT = f"briefcast/{__version__} (local article-to-podcast reader; one fetch per page)"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 20.0
MAX_BYTES = 10_000_000
"""A page larger than this is refused: no article is that long, a download may be."""
TEXT_TYPES = re.compile(
    r"^(?:text/(?:html|plain|markdown|x-markdown|xml)|application/(?:xhtml\+xml|rss\+xml|"
    r"atom\+xml|rdf\+xml|xml))$"
)
MAX_REDIRECTS = 10
CHUNK = 65536


@dataclass
class Page:
    """What a URL gave: its final URL (after redirects), content type, charset and bytes."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def is_url(source: object) -> bool:
    """True for an http(s) URL given as an input."""
    return isinstance(source, str) and bool(re.match(r"https?://", source, re.I))


def fetch_page(url: str, *, refresh: bool = False) -> Page:
    """The page at ``url``, from the page cache unless ``refresh``; fetched pages are cached.

    Raises InputError with one line for a failed request, an error status, a content type that
    is not text, or a page over ``MAX_BYTES``."""
    entry = cache_folder("pages") / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.page"
    if not refresh:
        cached = _read_cached(entry)
        if cached is not None:
            return cached
    page = _download(url)
    entry.parent.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"url": page.url, "type": page.content_type, "charset": page.charset})
    write_bytes_atomic(entry, header.encode() + b"\n" + page.body)
    return page


def _read_cached(entry: Path) -> Page | None:
    """A cached page, or None when there is none or it is damaged (then it is fetched anew)."""
    try:
        header, _, body = entry.read_bytes().partition(b"\n")
        meta = json.loads(header)
        return Page(meta["url"], meta["type"], meta["charset"], body)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _download(url: str) -> Page:
    pool = urllib3.PoolManager(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.5"},
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT),
        # redirects followed; a refused connection, a timeout or an error status is not retried
        retries=urllib3.Retry(
            total=None, connect=0, read=0, status=0, other=0, redirect=MAX_REDIRECTS
        ),
        ca_certs=certifi.where(),
    )
    try:
        response = pool.request("GET", url, preload_content=False, redirect=True)
        try:
            return _take(url, response)
        finally:
            response.release_conn()
    except urllib3.exceptions.MaxRetryError as exc:
        raise _failure(url, exc.reason) from exc
    except urllib3.exceptions.HTTPError as exc:
        raise _failure(url, exc) from exc
    finally:
        pool.clear()


def _failure(url: str, reason: Exception | None) -> InputError:
    """One line for a request that failed before a page came back."""
    # urllib3 counts a refused connection as a connect timeout; it is not one
    errors = urllib3.exceptions
    if isinstance(reason, errors.TimeoutError) and not isinstance(
        reason, errors.NewConnectionError
    ):
        return InputError(f"{url} did not answer in time; try again later")
    if reason is None or "redirect" in str(reason).lower():
        return InputError(f"{url} redirects too many times; open it in a browser")
    text = str(reason).split(": ", 1)[-1].splitlines()[0] if str(reason) else type(reason).__name__
    return InputError(f"cannot fetch {url}: {text}; check the address")


def _take(url: str, response: urllib3.BaseHTTPResponse) -> Page:
    """Check a response's status, type and size, then read its body within the cap."""
    if response.status >= 400:
        phrase = response.reason or "error"
        raise InputError(f"{url} answered {response.status} {phrase}; check the address")
    content_type, _, params = (response.headers.get("content-type") or "text/html").partition(";")
    content_type = content_type.strip().lower()
    if not TEXT_TYPES.match(content_type):
        raise InputError(f"{url} is {content_type}, not an article page; pass a web page's URL")
    declared = int(response.headers.get("content-length") or 0)
    if declared > MAX_BYTES:
        raise InputError(f"{url} is too large ({declared:,} bytes); {_cap()}")
    body = bytearray()
    for chunk in response.stream(CHUNK):  # decoded (gzip) bytes: the cap holds after unpacking
        body += chunk
        if len(body) > MAX_BYTES:
            raise InputError(f"{url} is too large (over {MAX_BYTES:,} bytes); {_cap()}")
    charset = re.search(r"charset=[\"']?([\w.:-]+)", params, re.I)
    final = urljoin(url, response.geturl() or "")  # a path when there was no redirect
    return Page(final, content_type, charset.group(1) if charset else None, bytes(body))


def _cap() -> str:
    return f"briefcast reads pages up to {MAX_BYTES / 1e6:g} MB; pass an article's own page"
