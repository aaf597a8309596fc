"""Body prose comes before FAQ and key points at every budget; they add only what it lacks."""

from pathlib import Path

import pytest

from briefcast.article import read_article
from briefcast.script import build_script

ARTICLE = Path(__file__).resolve().parents[1] / "data" / "script-keypoints-first.txt"


@pytest.mark.parametrize("budget", [{"words": 40}, {"words": 90}, {"words": 300}, {"minutes": 1}])
def test_prose_is_read_before_key_points_that_open_the_page(budget):
    script = build_script(read_article(ARTICLE), **budget)
    titles = [c.title for c in script.chapters]
    body = [s.text for c in script.chapters for s in c.segments if s.kind == "body"]
    assert body[0].startswith("The city council approved a tram line")
    if "Key points" in titles:
        assert titles.index("Key points") == len(titles) - 1


def test_a_key_point_the_prose_already_says_is_not_read_again():
    script = build_script(read_article(ARTICLE), words=300)
    body = " ".join(s.text for s in script.segments() if s.kind == "body")
    assert body.count("£120m") == 1 and body.count("September 2028") == 1
    assert "every thirty minutes through the night" in body  # a fact only the key points hold
