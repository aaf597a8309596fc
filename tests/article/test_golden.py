"""Golden files for reading: tests/data/read-NAME.(html|md|txt) beside the exact
``briefcast read --json`` expected of it, read-NAME.json, one pair per furniture rule.

The command's output is compared, and so is ``read_article``'s own, so the two never differ.
Regenerate after a deliberate change with ``BRIEFCAST_REGENERATE=1 pytest
tests/article/test_golden.py`` and review the diff.
"""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefcast.article import article_to_dict, read_article
from briefcast.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data"
INPUTS = sorted(p for p in DATA.glob("read-*") if p.suffix in (".html", ".md", ".txt"))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_read_json_is_the_golden_file(path):
    result = CliRunner().invoke(cli, ["read", "--json", str(path)])
    assert result.exit_code == 0, result.output
    expected = path.with_suffix(".json")
    if os.environ.get("BRIEFCAST_REGENERATE"):
        expected.write_text(result.stdout, encoding="utf-8")
    assert expected.exists(), f"run with BRIEFCAST_REGENERATE=1 to create {expected.name}"
    assert result.stdout == expected.read_text(encoding="utf-8")
    assert json.loads(result.stdout) == article_to_dict(read_article(path))


def test_every_golden_input_has_its_expectation():
    assert len(INPUTS) >= 11
    assert all(p.with_suffix(".json").exists() for p in INPUTS)
