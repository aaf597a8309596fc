"""Article → Script: clean, split, condense to the budget, rewrite for the ear, frame."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import InputError
from ..models import Article, Chapter, PauseRules, Script, Segment
from .clean import clean_article, is_recap_heading, row_detail
from .compose import (
    estimate_seconds,
    intro_texts,
    key_terms_title,
    outro_text,
    short_title,
    transition_text,
)
from .condense import Unit, content_terms, prepare, score_units, select
from .sentences import split_sentences
from .speech import spoken_sentence

DEFAULT_MINUTES = 5.0
SEGMENT_WORDS = 45          # a segment longer than this is split at a clause boundary
MIN_SECTION_WORDS = 30      # shorter sections are merged into a neighbour before condensing
LONG_UNTITLED_WORDS = 900   # a heading-less article longer than this gets key-term chapters


@dataclass
class Part:
    """A future chapter: one section, or several merged, with its title."""

    title: str | None
    kind: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """Everything condensing needs, computed once per article."""

    article: Article
    parts: list[Part]
    units: list[Unit]
    questions: list[str]
    scores: list[float]
    language: str
    titles: dict[int, str] = field(default_factory=dict)
    """Chapter title of each part, computed on first use."""
    chosen: list[int] = field(default_factory=list)
    """Units kept by the latest assembly, in article order (benchmarks read the written text)."""


def build_script(article: Article, *, words: int | None = None, minutes: float | None = None,
                 wpm: float = 165.0, narrator: str = "narrator", host: str = "host",
                 pauses: PauseRules = PauseRules()) -> Script:
    """Condense ``article`` into a spoken Script.

    ``words`` caps the condensed body (framing comes on top); ``minutes`` targets the whole
    episode at ``wpm`` words per minute with ``pauses``. Neither given: five minutes.
    """
    return script_from_plan(plan_article(article), words=words, minutes=minutes, wpm=wpm,
                            narrator=narrator, host=host, pauses=pauses)


def script_from_plan(plan: Plan, *, words: int | None = None, minutes: float | None = None,
                     wpm: float = 165.0, narrator: str = "narrator", host: str = "host",
                     pauses: PauseRules = PauseRules()) -> Script:
    """``build_script`` on an already planned article (``plan.chosen`` then holds the units used)."""
    if words is not None:
        return assemble(plan, max(1, int(words)), narrator, host, wpm, pauses)
    target = (minutes if minutes is not None else DEFAULT_MINUTES) * 60.0
    budget = max(30.0, (target - 25.0) * wpm / 60.0 * 0.85)
    best: tuple[float, Script, list[int]] | None = None
    for _ in range(6):
        script = assemble(plan, budget, narrator, host, wpm, pauses)
        seconds = estimate_seconds(script, wpm, pauses)
        miss = abs(seconds - target)
        if best is None or miss < best[0]:
            best = (miss, script, plan.chosen)
        body = script.body_words()
        if miss <= 0.02 * target or body == 0 or (seconds < target and body < budget * 0.9):
            break  # on target, or the article has nothing more to give
        body_seconds_per_word = max(0.2, (seconds - _frame_seconds(script, wpm)) / body)
        budget = max(20.0, budget + (target - seconds) / body_seconds_per_word)
    plan.chosen = best[2]
    return best[1]


def _frame_seconds(script: Script, wpm: float) -> float:
    return sum(len(s.text.split()) for s in script.segments() if s.kind != "body") * 60.0 / wpm


def plan_article(article: Article) -> Plan:
    """Clean the article, cut it into sentences and score them (done once per build)."""
    article = clean_article(article)
    if not article.sections:
        raise InputError("the article has no text to script; pass the article itself")
    language = article.language or "en"
    parts = _parts(article)
    units: list[Unit] = []
    questions: list[str] = []
    paragraph = 0
    for p, part in enumerate(parts):
        if part.kind == "faq":
            pairs = zip(part.paragraphs[0::2], part.paragraphs[1::2])
            for question, answer in pairs:
                questions.append(question)
                for sentence in split_sentences(answer, language):
                    units.append(Unit(sentence, p, paragraph, len(units), "faq", len(questions) - 1))
                paragraph += 1
            continue
        kind = "table" if part.kind == "table" else "recap" if is_recap_heading(part.title) else "prose"
        for text in part.paragraphs:
            text = row_detail(text) if part.kind == "table" else text
            for sentence in split_sentences(text, language):
                units.append(Unit(sentence, p, paragraph, len(units), kind))
            paragraph += 1
    prepare(units)
    headings = {p: part.title or "" for p, part in enumerate(parts)}
    scores = score_units(units, article.title, headings)
    return Plan(article, parts, units, questions, scores, language)


def _parts(article: Article) -> list[Part]:
    """Sections as future chapters: tiny ones merged, a long heading-less text cut in parts."""
    parts: list[Part] = []
    for section in article.sections:
        words = sum(len(p.split()) for p in section.paragraphs)
        mergeable = section.kind == "prose" and words < MIN_SECTION_WORDS
        if mergeable and parts and parts[-1].kind == "prose":
            parts[-1].paragraphs += section.paragraphs
            continue
        parts.append(Part(section.title, section.kind, list(section.paragraphs)))
    # A short first section (title-less lead) joins the next prose section.
    if len(parts) > 1 and parts[0].kind == parts[1].kind == "prose" and \
            sum(len(p.split()) for p in parts[0].paragraphs) < MIN_SECTION_WORDS:
        parts[1].paragraphs = parts[0].paragraphs + parts[1].paragraphs
        parts[1].title = parts[1].title or parts[0].title
        del parts[0]
    if len(parts) == 1 and parts[0].title is None:
        return _split_long(parts[0])
    return parts


def _split_long(part: Part) -> list[Part]:
    words = sum(len(p.split()) for p in part.paragraphs)
    if words <= LONG_UNTITLED_WORDS or len(part.paragraphs) < 4:
        return [part]
    count = min(6, max(2, round(words / 600)))
    size = words / count
    chunks: list[Part] = [Part(None, "prose")]
    seen = 0
    for paragraph in part.paragraphs:
        if seen >= size * len(chunks) and len(chunks) < count:
            chunks.append(Part(None, "prose"))
        chunks[-1].paragraphs.append(paragraph)
        seen += len(paragraph.split())
    return chunks


def assemble(plan: Plan, budget: float, narrator: str, host: str, wpm: float,
             pauses: PauseRules) -> Script:
    """Select sentences within ``budget`` spoken body words and build the framed Script."""
    language = plan.language
    units = plan.units
    spoken = [None] * len(units)

    def say(i: int) -> str:
        if spoken[i] is None:
            spoken[i] = spoken_sentence(units[i].text, language)
        return spoken[i]

    question_words = [frozenset(content_terms(q)) for q in plan.questions]
    chosen, asked = select(units, plan.scores, budget, cost=lambda i: len(say(i).split()),
                           question_cost=lambda q: len(spoken_sentence(plan.questions[q], language).split()),
                           questions=question_words)
    plan.chosen = chosen
    by_part: dict[int, list[int]] = {}
    for i in chosen:
        by_part.setdefault(units[i].section, []).append(i)
    chapters: list[tuple[str, list[Segment]]] = []
    for p, indices in sorted(by_part.items()):
        part = plan.parts[p]
        segments: list[Segment] = []
        for n, i in enumerate(indices):
            unit = units[i]
            q = unit.question
            if q is not None and q in asked and (n == 0 or units[indices[n - 1]].question != q):
                segments.append(Segment(spoken_sentence(plan.questions[q], language), voice=host))
            nxt = units[indices[n + 1]] if n + 1 < len(indices) else None
            pieces = split_segment(say(i))
            for k, piece in enumerate(pieces):
                end = k == len(pieces) - 1 and (nxt is None or nxt.paragraph != unit.paragraph)
                segments.append(Segment(piece, voice=narrator, paragraph_end=end))
        chapters.append((_part_title(plan, p), segments))
    chapters = _merge_short(chapters)
    return _frame(plan, chapters, narrator, host, wpm, pauses)


def _part_title(plan: Plan, p: int) -> str:
    if p not in plan.titles:
        plan.titles[p] = _title_of(plan, p)
    return plan.titles[p]


def _title_of(plan: Plan, p: int) -> str:
    part = plan.parts[p]
    if part.kind == "table":
        return "Key points"
    if part.title:
        return short_title(part.title)
    df: Counter = Counter()
    for other in plan.parts:
        df.update({w.lower() for t in other.paragraphs for w in re.findall(r"[A-Za-z'’-]+", t)})
    return key_terms_title(part.paragraphs, df, len(plan.parts))


def _merge_short(chapters: list[tuple[str, list[Segment]]]) -> list[tuple[str, list[Segment]]]:
    """Chapters too short to stand alone join a neighbour; the longer one's title is kept."""
    total = sum(len(s.text.split()) for _, segs in chapters for s in segs)
    minimum = max(20, total / 8)

    def size(segs: list[Segment]) -> int:
        return sum(len(s.text.split()) for s in segs)

    chapters = list(chapters)
    while len(chapters) > 1:
        smallest = min(range(len(chapters)), key=lambda k: size(chapters[k][1]))
        if size(chapters[smallest][1]) >= minimum:
            break
        if smallest == 0:
            other = 1
        elif smallest == len(chapters) - 1:
            other = smallest - 1
        else:
            before, after = size(chapters[smallest - 1][1]), size(chapters[smallest + 1][1])
            other = smallest - 1 if before <= after else smallest + 1
        a, b = sorted((smallest, other))
        title = chapters[a][0] if size(chapters[a][1]) >= size(chapters[b][1]) else chapters[b][0]
        merged = chapters[a][1] + chapters[b][1]
        merged[len(chapters[a][1]) - 1].paragraph_end = True
        chapters[a:b + 1] = [(title, merged)]
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
        out += [" ".join(tokens[k:k + limit]) for k in range(0, len(tokens), limit)]
    return out


def _frame(plan: Plan, chapters: list[tuple[str, list[Segment]]], narrator: str, host: str,
           wpm: float, pauses: PauseRules) -> Script:
    article = plan.article
    titles = [title for title, _ in chapters] or [short_title(article.title)]
    script = Script(title=article.title, chapters=[Chapter(t, list(s)) for t, s in chapters] or
                    [Chapter(titles[0], [])], source=article.source, date=article.date,
                    author=article.author, language=plan.language)
    for index, chapter in enumerate(script.chapters[1:], start=1):
        text = transition_text(chapter.title, index, index == len(script.chapters) - 1, plan.language)
        chapter.segments.insert(0, Segment(text, voice=host, kind="transition"))
    script.chapters[-1].segments.append(
        Segment(outro_text(article.title, article.source, plan.language), voice=host, kind="outro"))
    seconds = 0.0
    for _ in range(2):  # the intro states the length, which includes the intro itself
        intro = [Segment(t, voice=host, kind="intro", paragraph_end=False)
                 for t in intro_texts(article.title, article.source, article.date, titles,
                                      seconds, plan.language)]
        intro[-1].paragraph_end = True
        trial = Script(script.title, [Chapter(script.chapters[0].title,
                                              intro + script.chapters[0].segments)]
                       + script.chapters[1:], script.source, script.date, script.author,
                       script.language)
        seconds = estimate_seconds(trial, wpm, pauses)
    return trial
