"""`briefcast read` prints Markdown by default: what a reader checks when a page reads badly."""

from click.testing import CliRunner

from briefcast.cli import cli

from .conftest import DATA

LEDE = (
    "A new footbridge over the river opened on Tuesday, joining the old town to the station "
    "side for the first time in forty years."
)
EXPECTED = f"""# New Footbridge Links the Two Halves of Town
<!--
author: Priya Shah
date: 2025-06-03
site: Riverside Gazette
url: https://gazette.example/news/footbridge
language: en
-->

{LEDE}

The bridge cost 3.4 million pounds and was paid for by the county and a railway grant.

## What people said

Shopkeepers on the old town side said they hoped commuters would now walk through the high street.

## Questions and answers

**Can cyclists use the bridge?**

Yes, but they are asked to walk across at busy times.

**Is it lit at night?**

Yes, lights along the rail stay on until one in the morning.
"""


def test_read_prints_the_article_as_markdown():
    result = CliRunner().invoke(cli, ["read", str(DATA / "read-web-page.html")])
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED
    assert result.stderr == ""


def test_several_inputs_are_printed_one_after_another():
    inputs = [str(DATA / "read-web-page.html"), str(DATA / "read-skip-link.md")]
    result = CliRunner().invoke(cli, ["read", *inputs])
    first, second = result.stdout.split("\n---\n\n")
    assert first == EXPECTED
    assert second.startswith("# Council Opens New Library in Old Post Office\n")
