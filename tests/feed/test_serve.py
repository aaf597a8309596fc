"""``briefcast serve`` over real sockets: token, Range, HEAD, conditional requests, MIME types,
refused paths, the log, and gPodder's ``gpo`` downloading a byte-identical episode."""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from briefcast.feed import read_record, remove_episode
from briefcast.feed.serve import lan_address

from .conftest import start_server


def parts(url: str) -> tuple[str, str]:
    """The server's root (``http://host:port``) and the folder's base URL (ending in ``/``)."""
    split = urlsplit(url)
    return f"{split.scheme}://{split.netloc}", url.rsplit("/", 1)[0] + "/"


def raw_get(url: str, path: str) -> int:
    """The status of a GET sent byte for byte (clients normalise ``..`` away)."""
    split = urlsplit(url)
    with socket.create_connection((split.hostname, split.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


@pytest.fixture(scope="module")
def audio(feed_dir, server):
    """The URL and bytes of the newest episode's MP3."""
    item = read_record(feed_dir).newest_first()[0]
    return parts(server[0])[1] + item.audio, (feed_dir / item.audio).read_bytes()


def test_first_line_is_the_subscribe_url_with_the_folders_token(server, feed_dir):
    url, log = server
    token = (feed_dir / ".token").read_text().strip()
    assert re.fullmatch(rf"http://127\.0\.0\.1:\d+/{re.escape(token)}/feed\.xml", url)
    assert len(token) >= 32
    qr = [line for line in log.read_text().splitlines() if "█" in line]
    assert len(qr) > 10  # the QR code, drawn on stderr


def test_without_the_token_everything_is_404(server):
    url, _ = server
    root, base = parts(url)
    token = base.rstrip("/").rsplit("/", 1)[1]
    for path in ["/", "/feed.xml", "/index.html", f"/{token[:-1]}/feed.xml", f"/{token}x/feed.xml"]:
        assert httpx.get(root + path).status_code == 404, path


def test_range_requests(audio):
    url, data = audio
    size = len(data)
    first = httpx.get(url, headers={"Range": "bytes=0-1"})  # how Apple's player opens
    assert first.status_code == 206 and first.content == data[:2]
    assert first.headers["content-range"] == f"bytes 0-1/{size}"
    tail = httpx.get(url, headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.content == data[-100:]
    rest = httpx.get(url, headers={"Range": f"bytes={size - 10}-"})
    assert rest.content == data[-10:]
    beyond = httpx.get(url, headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"
    multi = httpx.get(url, headers={"Range": "bytes=0-9,100-109"})
    assert multi.status_code == 206
    assert multi.headers["content-type"].startswith("multipart/byteranges")
    assert data[:10] in multi.content and data[100:110] in multi.content


def test_head_and_whole_file(audio):
    url, data = audio
    head = httpx.head(url)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(data)
    assert head.headers["accept-ranges"] == "bytes"
    assert httpx.get(url).content == data


def test_etag_last_modified_and_if_range(audio):
    url, data = audio
    head = httpx.head(url)
    etag, modified = head.headers["etag"], head.headers["last-modified"]
    assert httpx.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert httpx.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert httpx.get(url, headers={"If-Modified-Since": old}).status_code == 200
    same = httpx.get(url, headers={"Range": "bytes=5-9", "If-Range": etag})
    assert same.status_code == 206 and same.content == data[5:10]
    stale = httpx.get(url, headers={"Range": "bytes=5-9", "If-Range": '"stale"'})
    assert stale.status_code == 200 and stale.content == data


def test_feed_and_page_have_etags_too(server):
    url, _ = server
    for target in (url, parts(url)[1]):
        first = httpx.get(target)
        assert first.status_code == 200
        again = httpx.get(target, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


def test_explicit_mime_types(server, feed_dir):
    url, _ = server
    base = parts(url)[1]
    ferry = next(i for i in read_record(feed_dir).items if i.m4b)
    expected = {
        "feed.xml": "application/rss+xml",
        "index.html": "text/html; charset=utf-8",
        "": "text/html; charset=utf-8",
        ferry.audio: "audio/mpeg",
        ferry.m4b: "audio/mp4",
        ferry.chapters_json: "application/json+chapters",
        ferry.vtt: "text/vtt; charset=utf-8",
        ferry.srt: "application/x-subrip",
    }
    for name, mime in expected.items():
        response = httpx.head(base + name)
        assert (response.status_code, response.headers["content-type"]) == (200, mime), name


def test_nothing_outside_the_folder_no_hidden_files_no_listing(server, feed_dir):
    url, _ = server
    base = urlsplit(parts(url)[1]).path  # /TOKEN/
    mp3 = read_record(feed_dir).items[0].audio.split("/")[1]
    refused = [
        f"{base}.token",
        f"{base}.feed.json",
        f"{base}.lock",
        f"{base}episodes/",
        f"{base}episodes",
        f"{base}episodes/../.token",
        f"{base}../{base}feed.xml",
        f"{base}episodes/%2e%2e/.token",
        f"{base}episodes%2f{mp3}",
        f"{base}episodes%2F{mp3}",
        f"{base}episodes%5c{mp3}",
        f"{base}episodes/{mp3}/",
        f"{base}%2e%2e/%2e%2e/etc/passwd",
        f"{base}/episodes/{mp3}",
    ]
    for path in refused:
        assert raw_get(url, path) == 404, path
    assert raw_get(url, f"{base}episodes/{mp3}") == 200


def test_symlinks_pointing_out_are_refused(feed_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for phones")
    (feed_copy / "episodes" / "leak.vtt").symlink_to(secret)
    (feed_copy / "outside").symlink_to(tmp_path)
    inside = feed_copy / "episodes" / "inside.xml"
    inside.symlink_to(feed_copy / "feed.xml")
    process, url = start_server(feed_copy, tmp_path / "log")
    try:
        base = parts(url)[1]
        assert httpx.get(base + "episodes/leak.vtt").status_code == 404
        assert httpx.get(base + "outside/secret.txt").status_code == 404
        assert httpx.get(base + "episodes/inside.xml").status_code == 200
    finally:
        process.terminate()
        process.wait(10)


def test_one_log_line_per_request_on_stderr_token_masked(server):
    url, log = server
    marker = f"/probe-{random.randrange(10**9)}"
    httpx.get(url.replace("/feed.xml", marker))
    httpx.head(url)
    lines = log.read_text().splitlines()
    assert any(f'"GET /TOKEN{marker}" 404' in line for line in lines)
    assert any('"HEAD /TOKEN/feed.xml" 200' in line for line in lines)
    token = urlsplit(url).path.split("/")[1]
    assert not [line for line in lines if token in line]


def test_random_ranges_eight_at_a_time_are_byte_correct(audio):
    url, data = audio
    rng = random.Random(12)
    ranges = []
    for _ in range(200):
        start = rng.randrange(len(data))
        ranges.append((start, min(len(data) - 1, start + rng.randrange(1, 70000))))
    with httpx.Client(limits=httpx.Limits(max_connections=8)) as client:

        def fetch(span):
            reply = client.get(url, headers={"Range": f"bytes={span[0]}-{span[1]}"})
            return reply.status_code, reply.content

        with ThreadPoolExecutor(8) as pool:
            replies = list(pool.map(fetch, ranges))
    for (start, end), (status, body) in zip(ranges, replies):
        assert status == 206 and body == data[start : end + 1]


def test_new_token_replaces_the_secret(feed_copy, tmp_path):
    old = (feed_copy / ".token").read_text().strip()
    process, url = start_server(feed_copy, tmp_path / "log", "--new-token")
    try:
        new = (feed_copy / ".token").read_text().strip()
        assert new != old and f"/{new}/" in url
        assert httpx.get(url).status_code == 200
        assert httpx.get(url.replace(new, old)).status_code == 404
    finally:
        process.terminate()
        process.wait(10)


def test_lan_listens_everywhere_and_prints_the_lan_address(feed_copy, tmp_path):
    process, url = start_server(feed_copy, tmp_path / "log", "--lan")
    try:
        split = urlsplit(url)
        assert split.hostname == lan_address()
        local = url.replace(split.hostname, "127.0.0.1", 1)
        assert httpx.get(local).status_code == 200
        assert "every interface" in (tmp_path / "log").read_text()
    finally:
        process.terminate()
        process.wait(10)


def test_serving_a_folder_that_is_not_a_feed_fails_clearly(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "briefcast", "serve", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("Error: ") and run.stderr.count("\n") == 1
    assert "feed init" in run.stderr


@pytest.mark.skipif(shutil.which("gpo") is None, reason="gPodder's gpo is not installed")
def test_gpodder_subscribes_and_downloads_a_byte_identical_episode(server, feed_dir, tmp_path):
    url, _ = server
    env = {
        **os.environ,
        "GPODDER_HOME": str(tmp_path / "home"),
        "GPODDER_DOWNLOAD_DIR": str(tmp_path / "downloads"),
    }
    for command in (["subscribe", url], ["update"], ["download"]):
        run = subprocess.run(
            ["gpo", *command], env=env, capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stdout + run.stderr
    downloaded = sorted(Path(tmp_path / "downloads").rglob("*.mp3"))
    published = {p.name: p for p in (feed_dir / "episodes").glob("*.mp3")}
    assert sorted(p.name for p in downloaded) == sorted(published)
    for path in downloaded:
        assert path.read_bytes() == published[path.name].read_bytes()


def test_a_publish_while_serving_shows_at_once(feed_copy, tmp_path):
    process, url = start_server(feed_copy, tmp_path / "log")
    try:
        before = httpx.get(url)
        assert before.text.count("<item>") == 2
        remove_episode(feed_copy, "the-harbour-ferry-returns")
        after = httpx.get(url, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.text.count("<item>") == 1
        assert after.headers["etag"] != before.headers["etag"]
    finally:
        process.terminate()
        process.wait(10)
