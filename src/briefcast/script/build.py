"""Article → Script: clean, split, condense to the budget, rewrite for the ear, frame."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InputError
from ..models import Article, Chapter, PauseRules, Script, Segment
from .clean import is_recap_heading, row_detail, row_label
from .compose import (
    estimate_seconds,
    heading_title,
    intro_texts,
    key_terms_title,
    outro_text,
    short_title,
    transition_text,
)
from .condense import (
    Facts,
    Unit,
    content_terms,
    fact_weights,
    lead_of,
    news_prior,
    prepare,
    rank_filler_last,
    restated_share,
    score_units,
    select,
)
from .framing import frame_language, frame_words
from .parts import Part, article_parts, the_recap
from .repeats import Phrases, page_phrases, said_phrases, without_phrases
from .sentences import split_sentences
from .speech import spoken_words

DEFAULT_MINUTES = 5.0
SEGMENT_WORDS = 45  # a segment longer than this is split at a clause boundary


@dataclass
class Plan:
    """Everything condensing needs, computed once per article."""

    article: Article
    parts: list[Part]
    units: list[Unit]
    questions: list[str]
    scores: list[float]
    language: str
    facts: Facts | None = None
    """What each term is worth as a fact (see ``condense.fact_weights``)."""
    titles: dict[tuple[int, str], str] = field(default_factory=dict)
    """Chapter title of each part, computed on first use."""
    lead: list[int] = field(default_factory=list)
    """The story's lead (its first prose sentence, with the one it leans on): always read
    when the budget holds it."""
    phrases: Phrases = field(default_factory=Phrases)
    """The page's filler phrases said by each unit and question (see ``repeats``)."""
    restated: float = 0.0
    """How much the page restates itself (see ``condense.restated_share``)."""
    chosen: list[int] = field(default_factory=list)
    """Units kept by the latest assembly, in article order (benchmarks read the written text)."""
    rendered: frozenset[int] | None = None
    """Units whose audio exists (``briefing.keep_rendered``): later assemblies build on them."""


def script_from_plan(
    plan: Plan,
    *,
    words: int | None = None,
    minutes: float | None = None,
    wpm: float = 165.0,
    narrator: str = "narrator",
    host: str = "host",
    pauses: PauseRules = PauseRules(),
) -> Script:
    """``build_script`` on an already planned article (``plan.chosen`` then holds the units used)."""
    made: dict[float, tuple[Script, list[int]]] = {}

    def at(budget: float) -> Script:
        made[budget] = (assemble(plan, budget, narrator, host, wpm, pauses), plan.chosen)
        return made[budget][0]

    if words is not None:
        return at(max(1, int(words)))
    script, plan.chosen = made[fit_budget(at, minutes, wpm, pauses)]
    return script


def fit_budget(
    script_at: Callable[[float], Script], minutes: float | None, wpm: float, pauses: PauseRules
) -> float:
    """The body budget (spoken words) whose script ``script_at`` makes comes closest to
    ``minutes`` (default five) at ``wpm``; stops early when the text has nothing more to give."""
    target = (minutes if minutes is not None else DEFAULT_MINUTES) * 60.0
    budget = max(30.0, (target - 25.0) * wpm / 60.0 * 0.85)
    best: tuple[float, float] | None = None
    for _ in range(6):
        script = script_at(budget)
        seconds = estimate_seconds(script, wpm, pauses)
        miss = abs(seconds - target)
        if best is None or miss < best[0]:
            best = (miss, budget)
        body = script.body_words()
        if miss <= 0.02 * target or body == 0 or (seconds < target and body < budget * 0.9):
            break  # on target, or the article has nothing more to give
        body_seconds_per_word = max(0.2, (seconds - _frame_seconds(script, wpm)) / body)
        budget = max(20.0, budget + (target - seconds) / body_seconds_per_word)
    return best[1]


def _frame_seconds(script: Script, wpm: float) -> float:
    framing = [s.text for s in script.segments() if s.kind != "body"]
    return sum(spoken_words(t, script.language) for t in framing) * 60.0 / wpm


def plan_article(article: Article) -> Plan:
    """Cut the (already clean) article into sentences and score them (done once per build)."""
    if not article.sections:
        raise InputError("the article has no text to script; pass the article itself")
    language = article.language or "en"
    parts = article_parts(article)
    units: list[Unit] = []
    questions: list[str] = []
    paragraph = 0
    recap = the_recap(parts)
    for p, part in enumerate(parts):
        if part.kind == "faq":
            pairs = zip(part.paragraphs[0::2], part.paragraphs[1::2])
            for question, answer in pairs:
                questions.append(question)
                for sentence in split_sentences(answer, language):
                    units.append(
                        Unit(sentence, p, paragraph, len(units), "faq", len(questions) - 1)
                    )
                paragraph += 1
            continue
        kind = _unit_kind(part, p == recap)
        for text in part.paragraphs:
            row = part.kind == "keypoints"
            label, text = (row_label(text), row_detail(text)) if row else ("", text)
            for sentence in split_sentences(text, language):
                units.append(Unit(sentence, p, paragraph, len(units), kind, label=label))
            paragraph += 1
    prepare(units)
    headings = {p: part.title or "" for p, part in enumerate(parts)}
    scores = score_units(units, article.title, headings)
    labels = [
        row.split("|")[0]
        for part in parts
        if part.kind == "keypoints"
        for row in part.paragraphs
        if "|" in row
    ]
    extra = [title for title in headings.values() if title] + labels + questions
    facts = fact_weights(units, extra)
    scores = rank_filler_last(units, scores, facts)
    phrases = page_phrases([article.title, *extra], [u.text for u in units], questions)
    return Plan(
        article,
        parts,
        units,
        questions,
        scores,
        language,
        facts,
        lead=lead_of(units),
        phrases=phrases,
        restated=restated_share(units, facts),
    )


def _unit_kind(part: Part, is_the_recap: bool) -> str:
    """The kind of a (non-FAQ) part's units: "prose", "keypoints", "recap", or "echo"."""
    kind = (
        "keypoints"
        if part.kind == "keypoints"
        else "recap"
        if is_recap_heading(part.title)
        else "prose"
    )
    if kind != "prose" and not is_the_recap:
        kind = "echo"  # a second recap of the same facts: it informs importance, never read
    return kind


def assemble(
    plan: Plan, budget: float, narrator: str, host: str, wpm: float, pauses: PauseRules
) -> Script:
    """Select sentences within ``budget`` spoken body words and build the framed Script."""
    chosen, asked = choose(plan, budget)
    by_part: dict[int, list[int]] = {}
    for i in reading_order(plan, chosen, asked):
        by_part.setdefault(plan.units[i].section, []).append(i)
    chapters: list[Draft] = []
    for p, indices in sorted(
        by_part.items(), key=lambda item: (_summary_part(plan, item[0]), item[0])
    ):
        segments = read_units(plan, indices, asked, narrator, host)
        kind = (
            "qa"
            if any(plan.units[i].question in asked for i in indices)
            else "recap"
            if plan.parts[p].kind == "keypoints" or plan.units[indices[0]].kind == "recap"
            else "prose"
        )
        chapters.append(
            Draft(_part_title(plan, p, kind), segments, kind, bool(plan.parts[p].title))
        )
    chapters = _merge_short(chapters)
    return _frame(plan, [(c.title, c.segments) for c in chapters], narrator, host, wpm, pauses)


def choose(
    plan: Plan, budget: float, said_before: list[frozenset] = ()
) -> tuple[list[int], set[int]]:
    """The units (in article order) and FAQ questions read within ``budget`` spoken words;
    ``said_before`` holds the content words of sentences the episode already has."""
    language = plan.language
    # The intro and the outro name the title: its filler phrases are said twice already.
    framed = 2 if frame_language(language) is not None else 0
    title = said_phrases(plan.article.title, plan.phrases.filler)
    plan.phrases.said = Counter({p: n * framed for p, n in title.items()})
    chosen, asked = select(
        plan.units,
        news_prior(plan.units, plan.scores, budget),
        budget,
        cost=lambda i: spoken_words(plan.units[i].text, language),
        question_cost=lambda q: spoken_words(plan.questions[q], language),
        questions=[frozenset(content_terms(q)) for q in plan.questions],
        facts=plan.facts,
        required=plan.lead,
        said_before=said_before,
        phrases=plan.phrases,
        restated=plan.restated,
        rendered=plan.rendered,
    )
    plan.chosen = chosen
    return chosen, asked


def read_units(
    plan: Plan, indices: list[int], asked: set[int], narrator: str, host: str
) -> list[Segment]:
    """The segments that read ``indices`` (in that order): each asked question in the host's
    voice before its first answer, long sentences split, paragraph ends kept."""
    units = plan.units
    segments: list[Segment] = []
    for n, i in enumerate(indices):
        unit = units[i]
        q = unit.question if unit.question in asked else None
        if q is not None and (n == 0 or units[indices[n - 1]].question != q):
            segments.append(Segment(plan.questions[q], voice=host))
        nxt = units[indices[n + 1]] if n + 1 < len(indices) else None
        pieces = split_segment(unit.text)
        for k, piece in enumerate(pieces):
            end = k == len(pieces) - 1 and (nxt is None or nxt.paragraph != unit.paragraph)
            segments.append(Segment(piece, voice=narrator, paragraph_end=end))
    return segments


@dataclass
class Draft:
    """A chapter being assembled: its kind decides what it may be merged with."""

    title: str
    segments: list[Segment]
    kind: str
    """"prose", "qa" (questions with their answers) or "recap"."""
    headed: bool = False
    """True when the title comes from a heading of the article."""


def reading_order(plan: Plan, chosen: list[int], asked: set[int]) -> list[int]:
    """Chosen units in reading order: the body's prose first, then FAQ, key points and recap,
    part by part in article order (a FAQ answer is chosen only with its question, so each
    question is followed by its own answers)."""
    units = plan.units
    return sorted(
        chosen,
        key=lambda i: (_summary_part(plan, units[i].section), units[i].section, units[i].position),
    )


def _summary_part(plan: Plan, p: int) -> bool:
    """True for a part that restates the body (FAQ, key points, a recap section)."""
    return plan.parts[p].kind in ("faq", "keypoints") or is_recap_heading(plan.parts[p].title)


def _part_title(plan: Plan, p: int, kind: str = "prose") -> str:
    key = (p, kind)
    if key not in plan.titles:
        plan.titles[key] = _title_of(plan, p, kind)
    return plan.titles[key]


def _title_of(plan: Plan, p: int, kind: str) -> str:
    part = plan.parts[p]
    words = frame_words(plan.language)
    if part.kind == "keypoints" or (kind == "recap" and not part.title):
        return words["key_points"]
    if kind == "qa":
        return words["qa"]
    if part.title and part.kind != "faq":
        heading = heading_title(part.title, plan.article.title)
        if not said_phrases(
            heading, frozenset(said_phrases(plan.article.title, plan.phrases.filler))
        ):
            return heading  # a heading stuffed with the title's keyword phrase is not repeated
    elif p == 0 or len(plan.parts) == 1 or _about_the_title(plan, part):
        # The lead before the first heading tells the story the title names (its main clause).
        return short_title(plan.article.title.split(":")[0])
    df: Counter = Counter()
    for other in plan.parts:
        df.update({w.lower() for t in other.paragraphs for w in re.findall(r"[A-Za-z'’-]+", t)})
    texts = [without_phrases(t, plan.phrases.filler) for t in part.paragraphs]
    return key_terms_title(texts, df, len(plan.parts))


def _about_the_title(plan: Plan, part: Part) -> bool:
    title = set(content_terms(plan.article.title))
    text = set(content_terms(" ".join(part.paragraphs)))
    return bool(title) and len(title & text) >= 0.6 * len(title)


CHAPTER_WORDS = 60
"""Words a chapter holds on average at least (about 20 s): a page of many short headed sections
is read in fewer chapters rather than as a transition every sentence."""


def _merge_short(chapters: list[Draft]) -> list[Draft]:
    """Prose chapters too short to stand alone join a prose neighbour, unless both have article
    headings (each title holds what it says); the merged chapter keeps the first one's title
    unless only the second has a heading. Questions and answers and the recap are never
    merged: an answer must follow its own question, and the recap comes once."""
    total = sum(len(s.text.split()) for c in chapters for s in c.segments)
    minimum = max(20, total / 8)

    def size(c: Draft) -> int:
        return sum(len(s.text.split()) for s in c.segments)

    chapters = list(chapters)

    def partners(k: int) -> list[int]:
        # Two chapters with headings of their own stay apart (either title would misname half),
        # unless there are so many that the listener hears more transitions than news.
        crowded = len(chapters) > max(3, total / CHAPTER_WORDS)
        return [
            o
            for o in (k - 1, k + 1)
            if 0 <= o < len(chapters)
            and chapters[o].kind == "prose"
            and (crowded or not (chapters[k].headed and chapters[o].headed))
        ]

    while len(chapters) > 1:
        candidates = [
            k
            for k, c in enumerate(chapters)
            if c.kind == "prose" and size(c) < minimum and partners(k)
        ]
        if not candidates:
            break
        smallest = min(candidates, key=lambda k: size(chapters[k]))
        other = min(partners(smallest), key=lambda o: size(chapters[o]))
        a, b = sorted((smallest, other))
        first, second = chapters[a], chapters[b]
        # The merged chapter opens with the first one's sentences, so it keeps the first one's
        # title, unless only the second has a heading of the article.
        keep = first if first.headed or not second.headed else second
        merged = first.segments + second.segments
        merged[len(first.segments) - 1].paragraph_end = True
        chapters[a : b + 1] = [Draft(keep.title, merged, "prose", first.headed or second.headed)]
    return chapters


def split_segment(text: str, limit: int = SEGMENT_WORDS) -> list[str]:
    """Split a long sentence at clause boundaries into pieces of at most ``limit`` words."""
    words = text.split()
    if len(words) <= limit:
        return [text]
    clauses = re.split(r"(?<=[;:,])\s+", text)
    pieces: list[str] = []
    for clause in clauses:
        if pieces and len(pieces[-1].split()) + len(clause.split()) <= limit:
            pieces[-1] += " " + clause
        else:
            pieces.append(clause)
    out: list[str] = []
    for piece in pieces:
        tokens = piece.split()
        out += [" ".join(tokens[k : k + limit]) for k in range(0, len(tokens), limit)]
    return out


def _frame(
    plan: Plan,
    chapters: list[tuple[str, list[Segment]]],
    narrator: str,
    host: str,
    wpm: float,
    pauses: PauseRules,
) -> Script:
    article = plan.article
    titles = [title for title, _ in chapters] or [short_title(article.title)]
    script = Script(
        title=article.title,
        chapters=[Chapter(t, list(s)) for t, s in chapters] or [Chapter(titles[0], [])],
        source=article.source,
        date=article.date,
        author=article.author,
        language=plan.language,
    )
    if frame_language(plan.language) is None:
        return script  # no framing in a language we cannot frame in (plan_script said so)
    for index, chapter in enumerate(script.chapters[1:], start=1):
        text = transition_text(
            chapter.title, index, index == len(script.chapters) - 1, plan.language
        )
        chapter.segments.insert(0, Segment(text, voice=host, kind="transition"))
    script.chapters[-1].segments.append(
        Segment(outro_text(article.title, article.source, plan.language), voice=host, kind="outro")
    )
    seconds = 0.0
    for _ in range(2):  # the intro states the length, which includes the intro itself
        intro = [
            Segment(t, voice=host, kind="intro", paragraph_end=False)
            for t in intro_texts(
                article.title, article.source, article.date, titles, seconds, plan.language
            )
        ]
        intro[-1].paragraph_end = True
        trial = Script(
            script.title,
            [Chapter(script.chapters[0].title, intro + script.chapters[0].segments)]
            + script.chapters[1:],
            script.source,
            script.date,
            script.author,
            script.language,
        )
        seconds = estimate_seconds(trial, wpm, pauses)
    return trial
