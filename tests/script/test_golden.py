"""Golden files: tests/data/NAME.(txt|md) beside the exact expected NAME.json (article) or NAME.md (script).

``article-*`` inputs are compared as parsed Articles, ``script-*`` inputs as the script file
``build_script(article, words=60)`` writes. Regenerate after a deliberate change with
``BRIEFCAST_REGENERATE=1 pytest tests/script/test_golden.py`` and review the diff.
"""

import dataclasses
import json
import os
from pathlib import Path

import pytest

from briefcast.article import read_article
from briefcast.script import build_script, script_to_markdown

DATA = Path(__file__).resolve().parents[1] / "data"
INPUTS = sorted(
    p
    for p in DATA.iterdir()
    if p.name.startswith(("article-", "script-"))
    and p.suffix in (".txt", ".md")
    and not p.name.endswith(".script.md")
    and not (p.suffix == ".md" and p.with_suffix(".txt").exists())
)


def actual(path: Path) -> tuple[Path, str]:
    article = read_article(path)
    if path.name.startswith("article-"):
        data = dataclasses.asdict(article)
        data.pop("path")
        return path.with_suffix(".json"), json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return path.with_suffix(".script.md"), script_to_markdown(build_script(article, words=60))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden(path):
    expected_path, text = actual(path)
    if os.environ.get("BRIEFCAST_REGENERATE"):
        expected_path.write_text(text, encoding="utf-8")
    assert expected_path.exists(), f"run with BRIEFCAST_REGENERATE=1 to create {expected_path.name}"
    assert text == expected_path.read_text(encoding="utf-8")
