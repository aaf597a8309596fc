"""Briefings: several stories in one script, one chapter each, the minutes shared among them."""

import json
import logging
from pathlib import Path

import pytest

from briefcast.article import read_article
from briefcast.script import (
    build_script,
    estimate_seconds,
    script_from_markdown,
    script_to_json,
    script_to_markdown,
)
from briefcast.script.sentences import split_sentences

STORIES = sorted((Path(__file__).resolve().parents[1] / "data" / "briefing").glob("*.md"))


@pytest.fixture(scope="module")
def articles():
    found = [read_article(p) for p in STORIES]
    for n, article in enumerate(found):
        article.url = f"https://news.example/{n}"
    return found


def text_of(article):
    return " ".join(" ".join(p.split()) for section in article.sections for p in section.paragraphs)


def body(chapter):
    return [s.text for s in chapter.segments if s.kind == "body"]


def test_five_stories_make_five_chapters_each_with_its_lead_and_only_its_sentences(articles):
    script = build_script(articles, minutes=3, wpm=165)
    assert [c.title for c in script.chapters] == [a.title for a in articles]
    for chapter, article in zip(script.chapters, articles):
        lead = split_sentences(article.sections[0].paragraphs[0])[0]
        assert " ".join(body(chapter)).startswith(lead)
        # each segment is a sentence of its own story (or a piece of a long one)
        assert all(text in text_of(article) for text in body(chapter)), chapter.title
        assert chapter.source == article.source and chapter.url == article.url
    assert abs(estimate_seconds(script, 165) - 180) <= 18


def test_framing_gives_the_rundown_and_names_each_source(articles):
    script = build_script(articles, minutes=3)
    intro = " ".join(s.text for s in script.segments() if s.kind == "intro")
    assert "This briefing runs about three minutes. Five stories today: " in intro
    for chapter in script.chapters:
        transition = next(s for s in chapter.segments if s.kind != "intro")
        assert transition.kind == "transition"
        assert transition.text.endswith(f"rom {chapter.source}: {chapter.title}.")
    assert script.segments()[-1].kind == "outro"


def test_a_fact_two_stories_share_is_said_once(articles):
    script = build_script(articles, minutes=3)
    said = [t for t in (s.text for s in script.segments()) if "raised interest rates to 5.25%" in t]
    assert len(said) == 1, said


def test_the_minutes_go_to_the_stories_that_have_more_to_say(articles):
    short = build_script(articles, minutes=2)
    long = build_script(articles, minutes=4)
    assert estimate_seconds(long, 165) > estimate_seconds(short, 165) + 60
    assert all(len(body(b)) >= len(body(a)) for a, b in zip(short.chapters, long.chapters))


def test_too_few_minutes_for_the_leads_keeps_every_lead_with_a_warning(articles, caplog):
    with caplog.at_level(logging.WARNING, logger="briefcast"):
        script = build_script(articles, words=40)
    assert "leads alone" in caplog.text
    for chapter, article in zip(script.chapters, articles):
        assert body(chapter) == split_sentences(article.sections[0].paragraphs[0])[:1]


def test_the_script_file_and_json_keep_each_story_source_and_url(articles):
    script = build_script(articles[:2], words=80)
    text = script_to_markdown(script)
    assert f"<!-- url: {articles[0].url} -->" in text
    again = script_from_markdown(text)
    assert [(c.source, c.url) for c in again.chapters] == [(a.source, a.url) for a in articles[:2]]
    assert again == script
    data = json.loads(script_to_json(script))
    assert data["chapters"][1]["url"] == articles[1].url
    assert data["chapters"][1]["source"] == articles[1].source
