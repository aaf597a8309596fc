"""A real HTTP server on 127.0.0.1, started by the tests, serving pages, feeds and failures."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


class Site:
    """What the server serves: path → (status, headers, body); and what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.url = ""

    def add(self, path: str, body: bytes | str, status: int = 200, **headers: str) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        self.routes[path] = (status, headers, data)
        return self.url + path

    def hits(self, path: str) -> int:
        return sum(p == path for p, _ in self.requests)


class Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.site.requests.append((self.path, self.headers.get("User-Agent", "")))
        if self.path == "/slow":
            time.sleep(2)
        status, headers, body = self.site.routes.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        if "Content-Length" not in headers:  # "" sends none: the body ends when the line closes
            headers = {**headers, "Content-Length": str(len(body))}
        for key, value in headers.items():
            if value:
                self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading (a page over the size cap)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def site(tmp_path, monkeypatch):
    # a page cache of its own: a later test may get the same port and serve the same paths
    monkeypatch.setenv("BRIEFCAST_CACHE_DIR", str(tmp_path / "cache"))
    site = Site()
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
