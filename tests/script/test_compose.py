"""build_script: budget, framing, chapters, voices; and the seed article's essential facts."""

import re
from importlib import resources
from pathlib import Path

import pytest

from briefcast.article import parse_article, read_article
from briefcast.models import Article, Section
from briefcast.script import build_script, estimate_seconds, plan_article
from briefcast.script.build import split_segment
from briefcast.script.compose import heading_title, key_terms_title, short_title
from briefcast.script.condense import content_terms, overlap_share
from briefcast.script.sentences import split_sentences
from briefcast.script.speech import spoken_sentence

# The seed article is a third-party page: read from beside the project, never copied into it.
SEED = Path(__file__).resolve().parents[3] / "shared" / "samples" / "peace-talks.txt"
SAMPLE = Path(__file__).parents[1] / "data" / "tram-talks.txt"  # our own long, messy article
FAQ_ARTICLE = Path(__file__).resolve().parents[1] / "data" / "script-faq.md"
BUNDLED = Path(str(resources.files("briefcast") / "data" / "sample-article.md"))


@pytest.fixture(scope="module")
def bundled():
    if not BUNDLED.exists():
        pytest.skip("bundled sample article absent")
    return read_article(BUNDLED)


@pytest.mark.parametrize("words", [80, 150, 300])
def test_words_budget_caps_the_body_within_ten_percent(bundled, words):
    script = build_script(bundled, words=words)
    assert abs(script.body_words() - words) <= 0.1 * words


@pytest.mark.parametrize("minutes", [2, 4])
def test_minutes_target_the_whole_episode(bundled, minutes):
    script = build_script(bundled, minutes=minutes, wpm=160)
    assert abs(estimate_seconds(script, 160) - minutes * 60) <= 0.1 * minutes * 60


def test_default_is_five_minutes_or_the_whole_article(bundled):
    script = build_script(bundled, wpm=165)
    assert estimate_seconds(script, 165) <= 5 * 60 * 1.1


def test_framing_kinds_voices_and_chapters(bundled):
    script = build_script(bundled, words=250, narrator="nar", host="hos")
    segments = script.segments()
    assert segments[0].kind == "intro" and segments[-1].kind == "outro"
    assert all(s.voice == "hos" for s in segments if s.kind != "body")
    assert any(s.voice == "nar" for s in segments if s.kind == "body")
    intro = " ".join(s.text for s in segments if s.kind == "intro")
    # written on screen: the year as digits (the voice hears "twenty twenty-six")
    assert "Urban Forests" in intro and "minute" in intro and "2026" in intro
    assert "twenty twenty-six" in spoken_sentence(intro)
    for chapter in script.chapters[1:]:
        assert chapter.segments[0].kind == "transition"
        assert chapter.title.split(":")[0].split()[0] in chapter.segments[0].text
    assert all(len(c.title) <= 60 for c in script.chapters)
    assert (script.title, script.date, script.language) == (bundled.title, bundled.date, "en")
    assert all(len(s.text.split()) <= 45 for s in segments if s.kind == "body")


def test_chapters_follow_the_headings(bundled):
    headings = {s.title for s in bundled.sections if s.title}
    script = build_script(bundled, minutes=5)
    assert len(script.chapters) >= 3
    assert sum(c.title in headings for c in script.chapters) >= len(script.chapters) - 1


def test_paragraph_end_marks_the_last_segment_of_each_paragraph():
    article = parse_article(
        "# T\n\nAlpha one is here. Beta two is there.\n\nGamma three is far.\n", "md"
    )
    body = [s for s in build_script(article, words=100).segments() if s.kind == "body"]
    assert [s.paragraph_end for s in body] == [False, True, True]


def test_headingless_long_text_gets_key_term_chapters():
    paragraphs = [
        f"The river Severn flooded the town of Tewkesbury in spring number {i}. "
        f"Volunteers from Gloucester filled sandbags along the banks for week {i}."
        for i in range(60)
    ]
    script = build_script(Article("Floods", [Section(None, paragraphs)]), minutes=3)
    assert all(c.title and len(c.title) <= 60 for c in script.chapters)


def test_segments_longer_than_the_limit_are_split_at_clauses():
    text = ", ".join(["word " * 10] * 12).strip() + "."
    pieces = split_segment(text)
    assert len(pieces) > 1 and all(len(p.split()) <= 45 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_titles():
    assert (
        short_title("A very long heading: with a subtitle that goes on and on and on forever")
        == "A very long heading"
    )
    assert len(short_title("word " * 40)) <= 60
    assert (
        key_terms_title(["The United States and Russia met. The United States said no."], {}, 1)
        == "The United States and Russia"
    )
    # Names that stand alone elsewhere are not glued into one term by a run of capitals.
    assert (
        key_terms_title(
            ["Ukraine Russia talks stalled. Ukraine said Russia attacked. Ukraine waits."], {}, 1
        )
        == "Ukraine and Russia"
    )
    assert (
        heading_title(
            "Zelensky US Peace Talks: A New Hope for Resolution",
            "Zelensky US Peace Talks: Key Developments",
        )
        == "A New Hope for Resolution"
    )
    assert (
        heading_title("Energy: The Winter Ahead", "Zelensky US Peace Talks")
        == "Energy: The Winter Ahead"
    )


SEED_FACTS = {
    "deadline": "june",
    "venue": "miami",
    "invited": "both",
    "energy attacks": "energy",
    "effect on people": ("heating", "blackouts", "electricity"),
    "earlier round": ("abu dhabi", "second round"),
    "territory": "territor",
    "us elections": "midterm",
    "leaders' meeting": "leaders",
    "ukraine's strikes": "retaliatory",
}
OWN_FACTS = {  # the same kinds of fact in our own article
    "deadline": "by september",
    "venue": "corn exchange",
    "invited": "invited",
    "storm damage": ("power lines", "fallen cables", "substation"),
    "effect on people": ("stranded", "missing work", "missed work", "in the cold"),
    "earlier round": ("grange hotel", "dunmore"),
    "shifts": ("longer shifts", "timetable"),
    "elections": "elections",
    "leaders' meeting": ("leaders", "chief executive"),
    "staff's own walkout": "walkout",
}


def facts_in(script, facts: dict) -> list[str]:
    text = " ".join(s.text for s in script.segments()).lower()
    return [
        k for k, v in facts.items() if any(w in text for w in ([v] if isinstance(v, str) else v))
    ]


@pytest.fixture(scope="module", params=[3, 8], ids=lambda m: f"{m}min")
def seed_script(request):
    if not SEED.exists():
        pytest.skip(f"the seed article is not beside the project ({SEED})")
    return build_script(read_article(SEED), minutes=request.param, wpm=165)


@pytest.fixture(scope="module", params=[3, 8], ids=lambda m: f"{m}min")
def own_script(request):
    return build_script(read_article(SAMPLE), minutes=request.param, wpm=165)


def test_seed_article_carries_the_essential_facts(seed_script):
    present = facts_in(seed_script, SEED_FACTS)
    assert present == list(SEED_FACTS), sorted(set(SEED_FACTS) - set(present))
    assert estimate_seconds(seed_script, 165) <= 8 * 60 * 1.1
    assert len(seed_script.chapters) >= 3


def test_own_article_carries_its_essential_facts(own_script):
    """The key point whose label names a fact of its own ("Ticket Office Walkout") is read
    though its words (staff, walkout, ticket) are near what the prose said."""
    present = facts_in(own_script, OWN_FACTS)
    # All ten, the leaders' meeting too, though it has no name, number or date ("the operator's
    # chief executive and the union's general secretary") and names the parties of the invitation.
    assert present == list(OWN_FACTS), sorted(set(OWN_FACTS) - set(present))
    assert len(own_script.chapters) >= 3


def test_a_key_point_never_blocks_the_fuller_body_sentence(own_script):
    """The lead's second sentence (the venue and who is invited) is read, not the shorter key
    point that gives only the venue; and a key point whose body sentence restates what was said
    ("who is invited" again) is left out."""
    body = [s.text for s in own_script.segments() if s.kind == "body"]
    assert any("have been invited to talks at the Corn Exchange" in t for t in body), body
    assert not any("may meet at the Corn Exchange" in t for t in body)
    # "who is invited" said once: test_nearby_budgets_keep_the_lead_and_every_fact_once


def test_a_repetitive_page_is_not_padded_at_a_long_budget(tmp_path):
    """At 8 minutes a page that says its facts again and again gives its distinct content
    once (a shorter episode) rather than its restatements."""
    article = read_article(SAMPLE)
    three, eight = (build_script(article, minutes=m, wpm=165) for m in (3, 8))
    assert estimate_seconds(eight, 165) < 6 * 60
    for fact in ("by september", "corn exchange", "grange hotel", "walkout", "eastgate"):
        said = [s.text for s in eight.segments() if s.kind == "body" and fact in s.text.lower()]
        assert len(said) <= 1, (fact, said)
    assert eight.body_words() >= three.body_words()


@pytest.fixture(
    scope="module",
    params=[(SEED, 3), (SEED, 8), (SAMPLE, 3), (SAMPLE, 8)],
    ids=lambda p: f"{p[0].stem}-{p[1]}min",
)
def long_script(request):
    """A long, repetitive page at 3 and 8 minutes: the seed (when beside the project) and ours."""
    path, minutes = request.param
    if not path.exists():
        pytest.skip(f"the seed article is not beside the project ({path})")
    return build_script(read_article(path), minutes=minutes, wpm=165)


def test_long_article_never_repeats_itself(long_script):
    sentences = [
        s for seg in long_script.segments() if seg.kind == "body" for s in split_sentences(seg.text)
    ]
    words = [frozenset(content_terms(s)) for s in sentences]
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            assert overlap_share(words[i], words[j]) <= 0.5, (sentences[i], sentences[j])


def test_long_article_has_no_furniture_or_table_syntax(long_script):
    text = " ".join(s.text for s in long_script.segments())
    for bad in (
        "webp",
        "Listen to this article",
        "Scroll to Top",
        "|",
        "Key Point Details",
        "Previous Talks Outcome",
        "Location of Talks",
        "Last Round Outcome",
        "Venue of Talks",
        "Share",
    ):
        assert bad.lower() not in text.lower()


def questions_and_what_follows(script):
    """Each host question in the body with the narrator segments after it, up to the next
    question or the end of its chapter."""
    runs = []
    for chapter in script.chapters:
        current = None
        for segment in chapter.segments:
            if segment.kind != "body":
                continue
            if segment.voice == "host":
                current = (segment.text, [])
                runs.append(current)
            elif current is not None:
                current[1].append(segment.text)
    return runs


def written_faq(article):
    """Question → its answer as the script shows them (written), for every FAQ section."""
    pairs = {}
    for section in article.sections:
        if section.kind == "faq":
            for question, answer in zip(section.paragraphs[0::2], section.paragraphs[1::2]):
                pairs[question] = " ".join(split_sentences(answer))
    return pairs


def assert_questions_followed_by_own_answers(article, script):
    faq = written_faq(article)
    runs = questions_and_what_follows(script)
    for question, following in runs:
        assert question in faq, question
        assert following, f"{question!r} is asked but not answered"
        for text in following:
            assert text in faq[question], f"{question!r} is followed by another answer: {text!r}"
    return runs


@pytest.mark.parametrize("words", [40, 60, 90, 140])
def test_each_spoken_question_is_followed_by_its_own_answer(words):
    article = read_article(FAQ_ARTICLE)
    script = build_script(article, words=words)
    runs = assert_questions_followed_by_own_answers(article, script)
    if words >= 90:
        assert len(runs) >= 2  # the FAQ is read as questions and answers, not dropped
    # An answer read without its question is never placed after some other question.
    asked = {q for q, _ in runs}
    for chapter in script.chapters:
        seen_question = False
        for segment in (s for s in chapter.segments if s.kind == "body"):
            seen_question |= segment.voice == "host"
            orphan = [
                q for q, a in written_faq(article).items() if q not in asked and segment.text in a
            ]
            assert not (seen_question and orphan and segment.voice != "host"), segment.text


def test_seed_article_questions_are_followed_by_their_own_answers(seed_script):
    assert_questions_followed_by_own_answers(read_article(SEED), seed_script)


def test_own_article_questions_are_followed_by_their_own_answers(own_script):
    assert_questions_followed_by_own_answers(read_article(SAMPLE), own_script)


def test_long_article_states_each_fact_once(long_script):
    body = [
        s.text.lower() for s in long_script.segments() if s.kind == "body" and s.voice != "host"
    ]
    # The distinctive facts the page repeats again and again: each is stated at most once.
    for fact in (
        "june",
        "miami",
        "midterm",
        "abu dhabi",
        "blackout",
        "retaliatory",
        "heating",
        "trilateral",
        "by september",
        "corn exchange",
        "grange hotel",
        "walkout",
        "eastgate",
    ):
        said = [t for t in body if fact in t]
        assert len(said) <= 1, (fact, said)
    # No sentence restates most of the rare content of an earlier one (shorter sentence's words).
    sentences = [frozenset(content_terms(s)) for t in body for s in split_sentences(t)]
    for i, a in enumerate(sentences):
        for b in sentences[i + 1 :]:
            assert overlap_share(a, b) <= 0.5


def test_long_article_has_at_most_one_recap_chapter(long_script):
    recaps = [
        c.title
        for c in long_script.chapters
        if re.search(r"summary|key points|in brief|takeaways", c.title, re.I)
    ]
    assert len(recaps) <= 1, recaps
    intro = " ".join(s.text for s in long_script.segments() if s.kind == "intro")
    assert "Frequently Asked" not in intro and "Ukraine Russia and" not in intro
    assert all(len(c.title) <= 60 for c in long_script.chapters)


WRITTEN_ONLY = re.compile(
    r"\b[A-Z](?: [A-Z]\b|-[A-Z]\b)|\b(?:twenty|nineteen) (?:hundred|oh|ten|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety)|\btwo thousand\b"
)


@pytest.mark.parametrize(
    "path",
    [BUNDLED, FAQ_ARTICLE, *sorted((FAQ_ARTICLE.parent).glob("script-*.txt")), SAMPLE, SEED],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("minutes", [1, 3])
def test_scripts_show_the_written_form(path, minutes):
    """Script text, chapter titles and framing say "US" and "2005", never "U S" or a year in words."""
    if not path.exists():
        pytest.skip(f"{path.name} absent")
    script = build_script(read_article(path), minutes=minutes)
    shown = [c.title for c in script.chapters] + [s.text for s in script.segments()]
    for text in shown:
        assert not WRITTEN_ONLY.search(text), text


@pytest.mark.parametrize(
    "path",
    [BUNDLED, FAQ_ARTICLE, *sorted((FAQ_ARTICLE.parent).glob("script-*.txt")), SAMPLE, SEED],
    ids=lambda p: p.name,
)
@pytest.mark.parametrize(
    "length", [{"words": 40}, {"words": 200}, {"minutes": 1}, {"minutes": 3}, {"minutes": 8}]
)
def test_the_lead_is_read_first(path, length):
    """The story's first real sentence opens the body at every budget that can hold it."""
    if not path.exists():
        pytest.skip(f"{path.name} absent")
    article = read_article(path)
    script = build_script(article, **length)
    first_prose = next(s for s in article.sections if s.kind == "prose")
    lead = next(
        t for p in first_prose.paragraphs for t in split_sentences(p) if len(t.split()) >= 6
    )
    body = [s for s in script.segments() if s.kind == "body"]
    assert " ".join(s.text for s in body).startswith(lead)
    assert body[0].voice != "host"  # never an answer or a question first


def test_fact_free_filler_ranks_below_every_sentence_with_a_fact():
    paragraphs = [
        "The council in Truro approved a new tram line on Tuesday, to open in 2028.",
        "This represents a pivotal moment that underscores the critical importance of progress.",
        "The line will cost £1.2bn and have 12 stops between the station and Threemilestone.",
        "Such developments highlight the evolving landscape and the broader strategic vision.",
        "Work on the depot at Langarth starts in March, the council said.",
    ]
    plan = plan_article(Article("Tram", [Section(None, paragraphs)]))
    filler = [i for i, u in enumerate(plan.units) if "pivotal" in u.text or "landscape" in u.text]
    facts = [i for i in range(len(plan.units)) if i not in filler]
    assert max(plan.scores[i] for i in filler) < min(plan.scores[i] for i in facts)


# Facts the page states again and again, each by words that say it: at most once in the body.
DISTINCT = {
    SEED: ("june", "miami", "midterm", "abu dhabi", "blackout", "retaliatory", "trilateral"),
    SAMPLE: ("by september", "corn exchange", "grange hotel", "walkout", "eastgate", "halbury"),
}
# Budgets where main still fails (issue 11): a strict xfail, so fixing one fails the test here.
KNOWN_GAPS = {
    (SAMPLE, 2.8): "the staff's walkout is left out, and three body sentences name Halbury",
}


@pytest.mark.parametrize(
    "path, minutes",
    [
        pytest.param(
            path,
            minutes,
            id=f"{path.stem}-{minutes}min",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[path, minutes])]
            if (path, minutes) in KNOWN_GAPS
            else [],
        )
        for path in (SEED, SAMPLE)
        for minutes in (2.8, 3.0, 3.2, 7.5, 8.0, 8.5)
    ],
)
def test_nearby_budgets_keep_the_lead_and_every_fact_once(path, minutes):
    """A few words more or less of budget never drop the lead or an essential fact, nor say a
    fact twice: the bars for restatement do not jump with the budget."""
    if not path.exists():
        pytest.skip(f"the seed article is not beside the project ({path})")
    article = read_article(path)
    script = build_script(article, minutes=minutes, wpm=165)
    body = [s.text for s in script.segments() if s.kind == "body"]
    first_prose = next(s for s in article.sections if s.kind == "prose")
    lead = next(
        t for p in first_prose.paragraphs for t in split_sentences(p) if len(t.split()) >= 6
    )
    assert body[0].startswith(lead)
    facts = SEED_FACTS if path == SEED else OWN_FACTS
    present = facts_in(script, facts)
    assert present == list(facts), sorted(set(facts) - set(present))
    spoken = [s.text.lower() for s in script.segments() if s.kind == "body" and s.voice != "host"]
    for fact in DISTINCT[path]:
        said = [t for t in spoken if fact in t]
        assert len(said) <= 1, (fact, said)
