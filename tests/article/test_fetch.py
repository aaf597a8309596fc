"""URLs: fetched from a server the test starts on 127.0.0.1, redirects followed and the final
URL kept, pages cached (``--refresh`` fetches anew), every failure one line with exit 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefcast.article import fetch, read_article
from briefcast.cli import cli

from .conftest import DATA

PAGE = (DATA / "read-share-buttons.html").read_text("utf-8")


def read_cli(*args: str):
    return CliRunner().invoke(cli, ["read", *args])


def test_a_url_reads_like_the_file_and_keeps_the_final_url_after_redirects(site):
    site.add("/tram", PAGE)
    start = site.add("/old-tram", "", status=301, Location=site.url + "/tram")
    result = read_cli("--json", start)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = json.loads((DATA / "read-share-buttons.json").read_text("utf-8"))
    assert data == {**expected, "url": site.url + "/tram"}
    agent = site.requests[0][1]
    assert agent.startswith("briefcast/") and "briefcast" in agent


def test_a_fetched_page_is_cached_and_refresh_fetches_it_again(site):
    url = site.add("/cached", PAGE)
    assert read_cli(url).exit_code == 0
    assert read_cli(url).exit_code == 0
    assert site.hits("/cached") == 1
    site.add("/cached", PAGE.replace("six months", "seven months"))
    result = read_cli("--refresh", url)
    assert site.hits("/cached") == 2
    assert "after seven months of track repairs" in result.stdout


def test_a_damaged_cache_entry_is_fetched_anew(site):
    url = site.add("/damaged", PAGE)
    read_article(url)
    for entry in (fetch.cache_folder("pages")).glob("*.page"):
        entry.write_bytes(b"not a cache entry")
    assert read_article(url).title == "Tram Line Reopens"
    assert site.hits("/damaged") == 2


def test_plain_text_with_a_declared_charset(site):
    text = "Harbour Café Reopens\n\nThe café on the quay reopened on Monday after repairs.\n"
    url = site.add("/note.txt", text.encode("latin-1"), Content_Type="text/plain; charset=latin-1")
    article = read_article(url)
    assert article.title == "Harbour Café Reopens"
    assert article.url == url


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(fetch, "CONNECT_TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "READ_TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "MAX_BYTES", 1000)


@pytest.mark.parametrize(
    "path,route,message",
    [
        ("/missing", None, "answered 404 not found; check the address"),
        ("/error", (500, {}, "oops"), "answered 500 internal server error"),
        ("/slow", (200, {}, PAGE), "did not answer in time; try again later"),
        (
            "/photo",
            (200, {"Content_Type": "image/png"}, b"\x89PNG"),
            "is image/png, not an article",
        ),
        ("/huge", (200, {"Content_Length": "20000000"}, b""), "is too large (20,000,000 bytes)"),
        (
            "/long",
            (200, {"Content_Length": ""}, "<p>" + "word " * 500 + "</p>"),
            "is too large (over 1,000 bytes)",
        ),
        ("/empty", (200, {}, "<html><body><nav>Home</nav></body></html>"), "has no article text"),
        ("/loop", (302, {"Location": "/loop"}, ""), "redirects too many times"),
    ],
)
def test_each_failure_is_one_line_and_exit_2(site, quick, path, route, message):
    if route is not None:
        status, headers, body = route
        site.add(path, body, status=status, **headers)
    url = site.url + path
    result = read_cli(url)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {url}")
    assert message in lines[0].lower()


def test_a_refused_connection_is_one_line(site):
    result = read_cli("http://127.0.0.1:9/nothing-listens-here")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot fetch http://127.0.0.1:9/nothing-listens-here")
    assert len(result.stderr.splitlines()) == 1


def test_script_takes_a_url_as_build_does(site):
    url = site.add("/tram", PAGE)
    result = CliRunner().invoke(cli, ["script", url, "--words", "40"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Tram Line Reopens\n")
    assert "The tram line to the harbour reopened on Sunday" in result.stdout
    assert site.hits("/tram") == 1
    again = CliRunner().invoke(cli, ["script", url, "--words", "40", "--refresh"])
    assert again.exit_code == 0 and site.hits("/tram") == 2
