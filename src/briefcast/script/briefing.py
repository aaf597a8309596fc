"""Briefings: many stories in one episode, one chapter per story, the minutes shared among them.

Each story is planned on its own (so a chapter only ever reads its own story's sentences),
its lead is always read, the rest of the budget goes to the stories by how much each has to
say, and a sentence that repeats what an earlier story said is not read again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..models import Article, Chapter, PauseRules, Script, Segment
from .build import (
    Plan,
    choose,
    fit_budget,
    plan_article,
    read_units,
    reading_order,
    script_from_plan,
)
from .compose import (
    briefing_intro_texts,
    briefing_outro_text,
    estimate_seconds,
    short_title,
    story_transition_text,
)
from .framing import FRAMES, date_words, frame_language, frame_words
from .speech import spoken_words

log = logging.getLogger(__name__)


@dataclass
class Briefing:
    """Several planned stories and what frames them."""

    plans: list[Plan]
    title: str
    date: str | None
    language: str
    leads_only: bool = False
    """Set when the latest assembly had room for the leads only (the user gets a warning)."""
    chosen: list[list[int]] = field(default_factory=list)
    """Units kept by the latest assembly, per story."""


def plan_script(articles: Article | list[Article], title: str | None = None) -> Plan | Briefing:
    """Plan one article (a Plan) or several (a Briefing, titled ``title`` or by its date).
    A language the framing has no words for gets one warning: the episode is left unframed."""
    if isinstance(articles, Article):
        articles = [articles]
    if len(articles) == 1:
        plan = plan_article(articles[0])
        if title:
            plan.article.title = title
    else:
        plan = plan_briefing(articles, title)
    if frame_language(plan.language) is None:
        log.warning(
            "no intro, transitions or outro in language %r (briefcast frames episodes in %s); "
            "the article is read as it is",
            plan.language,
            ", ".join(FRAMES),
        )
    return plan


def plan_briefing(articles: list[Article], title: str | None = None) -> Briefing:
    """Plan each story of a briefing. Its date is the newest story's; its title, unless given,
    that date ("Briefing, 1 December 2026"), or the first headline when no story is dated."""
    plans = [plan_article(a) for a in articles]
    dates = sorted(a.date for a in articles if a.date)
    date = dates[-1] if dates else None
    languages = [p.language for p in plans]
    language = max(dict.fromkeys(languages), key=languages.count)
    named = date_words(date, language) if date else short_title(articles[0].title)
    return Briefing(plans, title or f"{frame_words(language)['briefing']}, {named}", date, language)


def script_for_plan(
    plan: Plan | Briefing,
    *,
    words: int | None = None,
    minutes: float | None = None,
    wpm: float = 165.0,
    narrator: str = "narrator",
    host: str = "host",
    pauses: PauseRules = PauseRules(),
) -> Script:
    """The Script of a planned article or briefing: ``words`` caps the body, ``minutes`` (default
    five) targets the whole episode at ``wpm``. A briefing whose leads alone overrun the length
    asked keeps every lead, with a warning."""
    kw = {"words": words, "minutes": minutes, "wpm": wpm, "narrator": narrator, "host": host}
    if isinstance(plan, Plan):
        return script_from_plan(plan, **kw, pauses=pauses)
    made: dict[float, Script] = {}

    def at(budget: float) -> Script:
        made[budget] = assemble_briefing(plan, budget, narrator, host, wpm, pauses)
        return made[budget]

    if words is not None:
        script = at(max(1, int(words)))
    else:
        best = fit_budget(at, minutes, wpm, pauses)
        script = made[best]
        assemble_briefing(plan, best, narrator, host, wpm, pauses)  # the best's chosen and flag
    if plan.leads_only:
        log.warning(
            "the %d stories' leads alone take longer than the length asked; each story is "
            "read to its lead only",
            len(plan.plans),
        )
    return script


def build_script(
    articles: Article | list[Article],
    *,
    title: str | None = None,
    words: int | None = None,
    minutes: float | None = None,
    wpm: float = 165.0,
    narrator: str = "narrator",
    host: str = "host",
    pauses: PauseRules = PauseRules(),
) -> Script:
    """Condense one article, or several as a briefing, into a spoken Script (see
    ``script_for_plan`` for the lengths)."""
    return script_for_plan(
        plan_script(articles, title),
        words=words,
        minutes=minutes,
        wpm=wpm,
        narrator=narrator,
        host=host,
        pauses=pauses,
    )


def keep_rendered(plan: Plan | Briefing) -> None:
    """Build later assemblies on the sentences rendered so far (the latest assembly's and any
    before it): a script that holds them all keeps them all, a shorter one is made of them only
    (see ``select``)."""
    stories = [(plan, plan.chosen)] if isinstance(plan, Plan) else zip(plan.plans, plan.chosen)
    for story, chosen in stories:
        story.rendered = (story.rendered or frozenset()) | frozenset(chosen)


def story_shares(briefing: Briefing, budget: float) -> list[float]:
    """Each story's body budget: its lead, plus the rest of ``budget`` in proportion to what
    the story has left to say (never more than it has)."""
    leads, totals = [], []
    for plan in briefing.plans:
        cost = [spoken_words(u.text, plan.language) for u in plan.units]
        leads.append(float(sum(cost[i] for i in plan.lead)))
        totals.append(float(sum(c for c, u in zip(cost, plan.units) if u.kind != "echo")))
    shares = list(leads)
    briefing.leads_only = sum(leads) >= budget
    for _ in range(len(shares)):  # hand out what is left; a story that is full gives it back
        rest = budget - sum(shares)
        room = [t - s for s, t in zip(shares, totals)]
        if rest <= 1 or sum(room) <= 1:
            break
        scale = rest / sum(room)
        shares = [s + min(r, r * scale) for s, r in zip(shares, room)]
    return shares


def assemble_briefing(
    briefing: Briefing, budget: float, narrator: str, host: str, wpm: float, pauses: PauseRules
) -> Script:
    """One chapter per story, titled with its headline, within ``budget`` body words."""
    said: list[frozenset] = []
    chapters: list[Chapter] = []
    briefing.chosen = []
    # Every story's lead is read, so a later lead's fact is never said earlier in passing.
    leads = [[plan.units[i].words for i in plan.lead] for plan in briefing.plans]
    for k, (plan, share) in enumerate(zip(briefing.plans, story_shares(briefing, budget))):
        later_leads = [words for other in leads[k + 1 :] for words in other]
        chosen, asked = choose(plan, share, said_before=said + later_leads)
        briefing.chosen.append(chosen)
        said += [plan.units[i].words for i in chosen]
        segments = read_units(plan, reading_order(plan, chosen, asked), asked, narrator, host)
        article = plan.article
        chapters.append(
            Chapter(short_title(article.title), segments, source=article.source, url=article.url)
        )
    return _frame_briefing(briefing, chapters, host, wpm, pauses)


def _frame_briefing(
    briefing: Briefing, chapters: list[Chapter], host: str, wpm: float, pauses: PauseRules
) -> Script:
    """The rundown intro, a transition naming each story and its source, and the outro."""
    language = briefing.language
    count = len(chapters)
    script = Script(briefing.title, chapters, date=briefing.date, language=language)
    if frame_language(language) is None:
        return script
    for n, chapter in enumerate(chapters):
        text = story_transition_text(chapter.title, chapter.source, n, count, language)
        chapter.segments.insert(0, Segment(text, voice=host, kind="transition"))
    chapters[-1].segments.append(
        Segment(briefing_outro_text(count, language), voice=host, kind="outro")
    )
    body = chapters[0].segments
    seconds = 0.0
    for _ in range(2):  # the intro states the length, which includes the intro itself
        texts = briefing_intro_texts(briefing.title, [c.title for c in chapters], seconds, language)
        intro = [Segment(t, voice=host, kind="intro", paragraph_end=False) for t in texts]
        intro[-1].paragraph_end = True
        chapters[0].segments = intro + body
        seconds = estimate_seconds(script, wpm, pauses)
    return script
