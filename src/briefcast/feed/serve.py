"""``briefcast serve``: the feed folder over HTTP for phones on this machine or the home
network, behind a secret token in the path.

Starlette's ``FileResponse`` under uvicorn answers Range (206/416, multi-range), HEAD and
If-Range correctly; conditional requests (ETag, Last-Modified → 304) are answered here.
``feed.xml`` and ``index.html`` are rendered for the address being served, so their links
work whatever host and port the phone reaches.
"""

from __future__ import annotations

import secrets
import socket
import stat
import sys
import time
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from hashlib import sha256
from pathlib import Path
from urllib.parse import unquote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from ..errors import FeedError
from ..lazy import lazy_import
from .folder import feed_token
from .page import render_page
from .records import RECORD_NAME, mime_type, read_record
from .rss import render_feed

uvicorn = lazy_import("uvicorn")  # only `serve` runs a server; the other commands need not load it

DEFAULT_PORT = 8765
RENDERED = {"feed.xml", "index.html", ""}
"""Paths answered from the record rendered for this server's address ("" is the page)."""


def lan_address() -> str:
    """This machine's address on its network: the interface a packet outward would leave by
    (a UDP socket's connect sends nothing); 127.0.0.1 when there is no network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed, never contacted
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def safe_parts(raw_path: bytes, token: str) -> list[str] | None:
    """The path's segments after the token, or None when it must answer 404: a wrong token,
    ``..``, hidden names, encoded slashes or backslashes, empty segments."""
    parts = raw_path.decode("latin-1").split("/")[1:]
    if not parts or not secrets.compare_digest(parts[0].encode(), token.encode()):
        return None
    rest = parts[1:]
    if rest and rest[-1] == "":
        rest = rest[:-1] if len(rest) == 1 else None  # only "/TOKEN/" may end in a slash
        if rest is None:
            return None
    decoded = []
    for part in rest:
        name = unquote(part)
        if not name or name.startswith(".") or "/" in name or "\\" in name or "\0" in name:
            return None
        decoded.append(name)
    return decoded


def resolve_file(root: Path, parts: list[str]) -> Path | None:
    """The regular file at ``parts`` inside ``root``, never through a symlink leading out."""
    path = (root / Path(*parts)).resolve() if parts else root
    if path != root and root not in path.parents:
        return None
    try:
        return path if stat.S_ISREG(path.stat().st_mode) else None
    except OSError:
        return None


def not_modified(request: Headers, etag: str, mtime: float) -> bool:
    """Whether the client's copy is current (If-None-Match first, as RFC 9110 orders)."""
    if match := request.get("if-none-match"):
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    if since := request.get("if-modified-since"):
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


class FeedApp:
    """The ASGI application serving one feed folder under ``/TOKEN/``."""

    def __init__(self, folder: Path, token: str, base_url: str, log: Callable[[str], None]):
        self.root = Path(folder).resolve()
        self.token = token
        self.base_url = base_url
        self.log = log
        self.rendered: dict[str, tuple[tuple[int, int], bytes]] = {}

    def render(self, name: str) -> tuple[bytes, float]:
        """``feed.xml`` or the page for this address, re-rendered when the record changes."""
        info = (self.root / RECORD_NAME).stat()
        version = (info.st_mtime_ns, info.st_ino)  # each atomic rewrite is a new inode
        known = self.rendered.get(name)
        if known is None or known[0] != version:
            record = read_record(self.root)
            if name == "feed.xml":
                body = render_feed(record, self.base_url)
            else:
                body = render_page(record, self.base_url).encode()
            known = self.rendered[name] = (version, body)
        return known[1], info.st_mtime

    def respond(self, request: Request) -> Response:
        """The response to one request: 404 unless the path is a file of the folder under the
        token; 304 when the client's copy is current; the rendered feed or page, or the file."""
        if request.method not in ("GET", "HEAD"):
            return PlainTextResponse("Method Not Allowed", 405, headers={"allow": "GET, HEAD"})
        parts = safe_parts(request.scope.get("raw_path") or request.url.path.encode(), self.token)
        if parts is None:
            return PlainTextResponse("Not Found", 404)
        name = "/".join(parts)
        if not parts and not request.url.path.endswith("/"):
            # the page's links are relative: they need the folder's path to end in "/"
            return Response(status_code=308, headers={"location": f"/{self.token}/"})
        if name in RENDERED:
            try:
                body, mtime = self.render(name or "index.html")
            except (FeedError, OSError):  # the folder was removed or broken while served
                return PlainTextResponse("Service Unavailable", 503)
            etag = f'"{sha256(body).hexdigest()[:32]}"'
            media = mime_type(name or "index.html")
        else:
            path = resolve_file(self.root, parts)
            if path is None:
                return PlainTextResponse("Not Found", 404)
            info = path.stat()
            mtime, body = info.st_mtime, None
            etag = f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
            media = mime_type(path)
        headers = {"etag": etag, "last-modified": formatdate(mtime, usegmt=True)}
        headers["cache-control"] = "no-cache" if body is not None else "public, max-age=3600"
        if not_modified(request.headers, etag, mtime):
            return Response(status_code=304, headers=headers)
        if body is not None:
            return Response(body, media_type=media, headers=headers)
        return FileResponse(path, media_type=media, headers=headers, stat_result=info)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        started = time.monotonic()
        status = {"code": 0, "bytes": 0}

        async def logged_send(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            elif message["type"] == "http.response.body":
                status["bytes"] += len(message.get("body", b""))
            await send(message)

        request = Request(scope, receive)
        await self.respond(request)(scope, receive, logged_send)
        client = (scope.get("client") or ("-", 0))[0]
        path = scope.get("raw_path", b"").decode("latin-1").replace(self.token, "TOKEN")
        range_ = request.headers.get("range")
        self.log(
            f'{client} "{scope["method"]} {path}"{f" {range_}" if range_ else ""} '
            f"{status['code']} {status['bytes']} B {1000 * (time.monotonic() - started):.1f} ms"
        )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one), so the URL printed is the real one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def stderr_line(line: str) -> None:
    """Log a line on stderr at once (a server's log is read while it runs)."""
    print(line, file=sys.stderr, flush=True)


def serve_folder(app: FeedApp, sock: socket.socket) -> None:
    """Serve until interrupted (uvicorn's own access log is off: the app logs each request,
    with the token masked)."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def open_server(
    folder: Path,
    *,
    lan: bool = False,
    port: int = DEFAULT_PORT,
    new_token: bool = False,
    log: Callable[[str], None] = stderr_line,
) -> tuple[FeedApp, socket.socket, str]:
    """The app, its bound socket and the subscribe URL for serving ``folder``: on 127.0.0.1,
    or with ``lan`` on every interface, the URL naming this machine's LAN address."""
    read_record(folder)  # a clear error for a folder that is not a feed
    token = feed_token(folder, new=new_token)
    try:
        sock = bind("0.0.0.0" if lan else "127.0.0.1", port)
    except OSError as exc:
        raise FeedError(f"cannot listen on port {port} ({exc.strerror}); pass --port N") from exc
    host = lan_address() if lan else "127.0.0.1"
    base_url = f"http://{host}:{sock.getsockname()[1]}/{token}/"
    return FeedApp(folder, token, base_url, log), sock, base_url + "feed.xml"
