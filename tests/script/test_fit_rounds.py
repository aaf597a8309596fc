"""Fitting a script to the real audio: a second round reads what the first rendered, so the
rounds between them render each sentence once (``keep_rendered``)."""

from pathlib import Path

import pytest

from briefcast.article import read_article
from briefcast.script import keep_rendered, plan_script, script_for_plan

DATA = Path(__file__).resolve().parents[1] / "data"
STORIES = sorted((DATA / "briefing").glob("*.md"))


def body(script) -> list[str]:
    return [s.text for s in script.segments() if s.kind == "body"]


@pytest.mark.parametrize(
    "sources", [[DATA / "tram-talks.txt"], STORIES], ids=["one article", "briefing"]
)
@pytest.mark.parametrize("first_wpm", [150.0, 190.0])
def test_a_refit_keeps_what_was_rendered_or_reads_only_that(sources, first_wpm):
    """A round off by 10% either way, as a voice that reads slower or faster than it measured:
    a longer script says every sentence the first said, a shorter one only sentences it said."""
    articles = [read_article(p) for p in sources]
    plan = plan_script(articles)
    first = body(script_for_plan(plan, minutes=3, wpm=first_wpm))
    keep_rendered(plan)
    changed = False
    for wpm in (first_wpm * 0.9, first_wpm * 1.1):
        again = body(script_for_plan(plan, minutes=3, wpm=wpm))
        if wpm > first_wpm:
            assert set(first) <= set(again)
        else:
            assert set(again) <= set(first)
        assert len(again) == len(set(again))  # and never a sentence twice
        changed |= again != first
    assert changed  # (the article had more, or less, to give)


def test_a_fresh_plan_chooses_anew():
    """Without a rendered round (``briefcast script``), each length is chosen on its own."""
    plan = plan_script(read_article(DATA / "tram-talks.txt"))
    script_for_plan(plan, minutes=3, wpm=150)
    assert plan.rendered is None
