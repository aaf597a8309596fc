"""``briefcast feed push`` against a local S3 server (moto's server mode on 127.0.0.1): types and
cache lifetimes, only what changed, ``feed.xml`` last, the token in the prefix, ``--base-url``."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

import boto3
import feedparser
import httpx
import pytest
from click.testing import CliRunner
from test_cli import assert_clean_failure

from briefcast.cli import cli
from briefcast.feed import read_record, remove_episode
from briefcast.feed.push import push_feed

MOTO = shutil.which("moto_server") or str(sys.exec_prefix + "/bin/moto_server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server with an empty bucket; yields its endpoint URL."""
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "log").open("w")
    process = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        for _ in range(100):
            try:
                httpx.get(endpoint, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        client = boto3.client("s3", endpoint_url=endpoint)
        client.create_bucket(Bucket="pods")
        client.put_bucket_acl(Bucket="pods", ACL="public-read")  # as a podcast host is set up
        yield endpoint
    process.terminate()
    process.wait(10)


def test_push_uploads_everything_with_types_and_cache_lifetimes(s3, feed_copy):
    result = push_feed(feed_copy, "s3://pods/home", endpoint_url=s3)
    token = (feed_copy / ".token").read_text().strip()
    assert result.feed_url == f"{s3}/pods/home/{token}/feed.xml"
    assert result.uploaded[-1] == f"home/{token}/feed.xml"
    assert result.uploaded[-2] == f"home/{token}/index.html"
    names = {n for item in read_record(feed_copy).items for n in item.files()}
    assert {k.split("/", 2)[2] for k in result.uploaded} == names | {"feed.xml", "index.html"}
    client = boto3.client("s3", endpoint_url=s3)
    expected = {".mp3": "audio/mpeg", ".vtt": "text/vtt", ".xml": "application/rss+xml"}
    for key in result.uploaded:
        head = client.head_object(Bucket="pods", Key=key)
        suffix = "." + key.rsplit(".", 1)[1]
        if suffix in expected:
            assert head["ContentType"] == expected[suffix]
        short = key.endswith(("feed.xml", "index.html"))
        assert ("max-age=300" in head["CacheControl"]) == short
        assert ("immutable" in head["CacheControl"]) == (not short)


def test_the_pushed_feed_points_at_pushed_files(s3, feed_copy):
    url = push_feed(feed_copy, "s3://pods/read", endpoint_url=s3).feed_url
    reply = httpx.get(url)
    assert reply.status_code == 200, reply.text[:300]
    parsed = feedparser.parse(reply.content)
    assert not parsed.bozo and len(parsed.entries) == 2
    for entry in parsed.entries:
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(url.rsplit("/", 1)[0] + "/episodes/")
        body = httpx.get(enclosure.href).content
        assert len(body) == int(enclosure.length)
        assert body == (feed_copy / enclosure.href.split("/", 6)[6]).read_bytes()


def test_only_what_changed_and_removed_episodes_go(s3, feed_copy):
    first = push_feed(feed_copy, "s3://pods/again", endpoint_url=s3)
    second = push_feed(feed_copy, "s3://pods/again", endpoint_url=s3)
    assert second.uploaded == [] and len(second.unchanged) == len(first.uploaded)
    gone = remove_episode(feed_copy, "the-harbour-ferry-returns")
    third = push_feed(feed_copy, "s3://pods/again", endpoint_url=s3)
    assert [k.rsplit("/", 1)[1] for k in third.uploaded] == ["index.html", "feed.xml"]
    assert sorted(k.split("/", 2)[2] for k in third.deleted) == sorted(gone.files())


def test_cli_push_with_a_base_url(s3, feed_copy):
    result = CliRunner().invoke(
        cli,
        ["feed", "push", str(feed_copy), "s3://pods/pub", "--endpoint-url", s3,
         "--base-url", "https://cdn.example.org/pods/pub"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = (feed_copy / ".token").read_text().strip()
    feed_url = f"https://cdn.example.org/pods/pub/{token}/feed.xml"
    assert result.stdout == feed_url + "\n"
    assert "uploaded" in result.stderr
    body = boto3.client("s3", endpoint_url=s3).get_object(
        Bucket="pods", Key=f"pub/{token}/feed.xml"
    )
    parsed = feedparser.parse(body["Body"].read())
    assert parsed.entries[0].enclosures[0].href.startswith(feed_url.rsplit("/", 1)[0])


def test_push_without_credentials_says_what_to_set(s3, feed_copy, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = CliRunner().invoke(
        cli, ["feed", "push", str(feed_copy), "s3://pods/x", "--endpoint-url", s3]
    )
    assert_clean_failure(result, "credentials", "aws_access_key_id")


@pytest.mark.parametrize(
    "target, endpoint, words",
    [
        ("pods/x", None, ["s3://bucket/prefix"]),
        ("s3://pods/x", "http://127.0.0.1:9", ["push to s3://pods/x failed"]),
        ("s3://no-such-bucket/x", "{s3}", ["push to s3://no-such-bucket/x failed"]),
    ],
)
def test_push_failures_are_one_line(s3, feed_copy, target, endpoint, words):
    args = ["feed", "push", str(feed_copy), target]
    if endpoint:
        args += ["--endpoint-url", endpoint.format(s3=s3)]
    assert_clean_failure(CliRunner().invoke(cli, args), *words)
