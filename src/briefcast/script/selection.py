"""Greedy selection of sentences within a word budget, redundancy judged against everything chosen.

Selection is lazy-greedy MMR with redundancy judged at the level of facts: no two kept
sentences share more than half the shorter one's content words, and a sentence whose fact
weight is mostly said already is skipped — the more so when the article is far longer than the
budget. Sentences that cannot stand alone come only together with their predecessor. The body's
prose comes first: FAQ answers and key points stay only for facts it lacks.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .repeats import Phrases
from .terms import KEY_TERMS, MONTH_NAMES, Facts, term_facts

if TYPE_CHECKING:
    from .condense import Unit

DEPENDENT = re.compile(
    r"^[\"'“‘]?(?:this|that|these|those|he|she|it|they|his|her|its|their|them|however|but|also|and|"
    r"or|yet|still|meanwhile|moreover|furthermore|additionally|in addition|besides|instead|"
    r"nevertheless|nonetheless|such|thus|therefore|hence|likewise|similarly|otherwise|as a result|"
    r"in contrast|on the other hand|even so|despite this|because of this|the latter|the former)\b"
    r"(?!\s+(?:year|week|month|morning|afternoon|evening|season|summer|winter|spring|autumn|time|"
    r"century|decade|weekend|is\s+(?:the|a|an)\s+(?:first|second|latest)))",
    re.I,
)
REDUNDANT_SHARE = 0.5
NOVELTY_MIN = 0.4  # a sentence must bring at least this share of its fact weight anew,
STRICT_NOVELTY = 0.65  # ... rising to this when the article is far longer than the budget
LOOSE_RATIO = 3.5  # article words / budget up to which the loose bar applies
ANCHOR_NOVELTY = 0.75  # ... and more when it repeats a name, date or number already said
SHARED_KEYS = 4  # recurring terms shared with one chosen sentence that make a restatement
SUMMARY_SHARED_KEYS = 2  # ... for a key point or FAQ answer, which restates the body by design
OVERSHOOT = 0.5  # ... or past it by less than half the gap it fills
PROSE_FOR = 1.5  # a body sentence replaces key points it says in up to this many times their words
PROSE_FOR_ROOMY = 2.5  # ... rising to this where the budget holds most of the article (strict 0)
SOURCE_SHARE = 0.4  # a key point sums up the body sentence holding this share of its fact weight
SOURCE_TERMS = 3  # ... found among the sentences holding one of its rarest terms
SOURCE_CANDIDATES = 50  # ... the first this many for each term (a huge page repeats them)
REFRAIN = 3  # a date or number in this many sentences is the page's refrain
REPETITIVE_PAGE = 0.6  # restated share of a page that restates itself (news: 0.5 at most)
LOOSE_STRICT = 0.5  # ... whose own bar applies where the length ratio's is below this


def overlap_share(a: frozenset, b: frozenset) -> float:
    """Shared content words as a share of the shorter sentence's content words."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_dependent(text: str) -> bool:
    """True when a sentence opens with a word that points back ("He", "This", "However")."""
    return bool(DEPENDENT.match(text.strip()))


def select(
    units: list[Unit],
    scores: list[float],
    budget: float,
    cost: Callable[[int], int],
    question_cost: Callable[[int], int] | None = None,
    diversity: float = 0.5,
    questions: list[frozenset] | None = None,
    facts: Facts | None = None,
    required: Sequence[int] = (),
    said_before: Sequence[frozenset] = (),
    phrases: Phrases | None = None,
    restated: float = 0.0,
    rendered: frozenset[int] | None = None,
) -> tuple[list[int], set[int]]:
    """Choose units within ``budget`` words (``cost`` gives a unit's spoken words); returns
    their indices in article order and the FAQ questions to ask.

    ``required`` units (a story's lead) come first whenever the budget holds them;
    ``said_before``: content words of sentences the episode has already (earlier stories),
    never said again. A unit whose facts (``facts``, from ``fact_weights``) are mostly said is
    skipped, and no two chosen sentences share more than half their content words; the bar
    rises when the article is far longer than the budget (``_restates``). A FAQ answer is read
    only under its question. No filler phrase of ``phrases`` is said more than
    ``repeats.PHRASE_LIMIT`` times. ``restated``: how much the page restates itself
    (``condense.restated_share``); ``rendered``: units with audio already (``_within_rendered``).
    """
    if facts is None:
        names = frozenset().union(*(u.names for u in units)) if units else frozenset()
        facts = term_facts([u.words for u in units], names, [])
    strict, repetitive = _bars(units, budget, restated)
    required, allowed = _within_rendered(units, rendered, required, budget, cost)

    def start() -> _Selection:
        state = _Selection(units, facts, budget, cost, question_cost, questions, strict, repetitive)
        state.allowed, state.kept_words = allowed, list(said_before)
        if phrases is not None:  # a copy: the counts grow as this selection speaks
            state.phrases = Phrases(phrases.units, phrases.questions, Counter(phrases.said))
        for i in required:
            state.add(i, forced=True)
        return state

    first = start()
    _fill(first, scores, diversity)
    # Prose first: the chosen body sentences are taken again before any FAQ answer or key point,
    # which then stays only for a fact that prose lacks; the room it leaves is filled again.
    state = start()
    by_score = sorted(first.chosen, key=lambda k: -scores[k])
    summary = [k for k in by_score if units[k].kind != "prose"]
    # A summary unit's fact is sought in the body at the summary unit's own rank: the prose
    # sentence that says it comes before weaker prose that shares its words and would block it.
    for i in by_score:
        if units[i].kind == "prose":
            state.add(i)
        else:
            _prose_for(state, i, scores, summary)
    for i in by_score:
        state.add(i)
    _fill(state, scores, diversity)
    return sorted(state.chosen, key=lambda k: units[k].position), state.asked


def _within_rendered(
    units: list[Unit],
    rendered: frozenset[int] | None,
    required: Sequence[int],
    budget: float,
    cost: Callable[[int], int],
) -> tuple[Sequence[int], frozenset[int] | None]:
    """The units a selection must take and the only ones it may (None: any), given the units
    a fit round has rendered: a budget that holds them all keeps them all and adds to them; a
    smaller one chooses among them only. Fitting a script to its real audio so renders each
    sentence once, however many rounds it takes."""
    if rendered is None:
        return required, None
    if sum(cost(i) for i in rendered) <= budget:
        return [*required, *sorted(rendered, key=lambda i: units[i].position)], None
    return required, rendered | frozenset(required)


def _bars(units: list[Unit], budget: float, restated: float) -> tuple[float, bool]:
    """How strict the bar for new facts is (0 to 1), and whether every sentence faces the bar
    for restatements (a page that restates itself, at a budget where ``strict`` is low)."""
    # The more the article offers beyond the budget, the stricter the bar for new facts: a long,
    # repetitive page states each fact many times, a tight report rarely twice.
    available = sum(len(u.text.split()) for u in units if u.kind != "echo")
    strict = min(1.0, max(0.0, (available / max(budget, 1.0) - LOOSE_RATIO) / LOOSE_RATIO))
    # A page that restates itself (``condense.restated_share``) keeps the bar for restatements
    # where the length ratio alone would drop it: at a long budget the rest of such a page is
    # the same facts again.
    return strict, restated >= REPETITIVE_PAGE and strict < LOOSE_STRICT


def _prose_for(state: _Selection, i: int, scores: list[float], summary: list[int]) -> None:
    """Read the body's own sentence that says what summary unit ``i`` (a FAQ answer or key
    point) says, when one fits: the best-scored prose sentence after which ``i`` is no news,
    and no longer than ``PROSE_FOR`` times the ``summary`` units it makes no news."""
    units, facts = state.units, state.facts
    # Words are scarce only where the article far exceeds the budget: elsewhere the fuller prose
    # sentence (the venue with who is invited) is worth its extra words over a terse key point.
    longest = PROSE_FOR + (PROSE_FOR_ROOMY - PROSE_FOR) * (1.0 - state.strict)
    wanted = units[i]
    if not wanted.names or facts.novelty(wanted.words, state.said) < state.novelty_min:
        return
    candidates = sorted(
        (k for k, u in enumerate(units) if u.kind == "prose" and wanted.names & u.names),
        key=lambda k: -scores[k],
    )
    for k in candidates:
        covered = state.said | units[k].words
        if k in state.chosen or facts.novelty(wanted.words, covered) >= state.novelty_min:
            continue
        replaced = sum(
            state.cost(j)
            for j in summary
            if facts.novelty(units[j].words, covered) < state.novelty_min
        )
        if state.cost(k) <= longest * replaced and state.add(k):
            return


def _fill(state: _Selection, scores: list[float], diversity: float) -> None:
    """Add units by score less redundancy (lazy greedy) until the budget is spent."""
    heap = [(-s, i) for i, s in enumerate(scores) if i not in state.chosen]
    heapq.heapify(heap)
    # A stored value is an upper bound, since the redundancy penalty only grows.
    while heap and state.spent < state.budget * 0.97:
        _, i = heapq.heappop(heap)
        value = (1 - diversity) * scores[i] - diversity * state.similarity(i)
        if heap and value < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-value, i))
            continue
        state.add(i)


@dataclass
class _Selection:
    """What ``select`` has chosen so far, and the tests a further unit must pass."""

    units: list[Unit]
    facts: Facts
    budget: float
    cost: Callable[[int], int]
    question_cost: Callable[[int], int] | None
    questions: list[frozenset] | None
    strict: float
    repetitive: bool = False
    """True on a page that restates itself, at a budget where ``strict`` is low."""
    chosen: list[int] = field(default_factory=list)
    asked: set[int] = field(default_factory=set)
    kept_words: list[frozenset] = field(default_factory=list)
    said: set[str] = field(default_factory=set)
    spent: int = 0
    phrases: Phrases = field(default_factory=lambda: Phrases())
    allowed: frozenset[int] | None = None
    """The only units that may be chosen (None: any)."""

    def __post_init__(self) -> None:
        self.previous = _predecessors(self.units)
        self.sources = _sources(self.units, self.facts)
        self.novelty_min = NOVELTY_MIN + (STRICT_NOVELTY - NOVELTY_MIN) * self.strict

    def redundant(self, words: frozenset) -> bool:
        return any(overlap_share(words, other) > REDUNDANT_SHARE for other in self.kept_words)

    def similarity(self, i: int) -> float:
        words = self.units[i].words
        pairwise = max((overlap_share(words, other) for other in self.kept_words), default=0.0)
        return max(pairwise, self.strict * (1.0 - self.facts.novelty(words, self.said)))

    def group(self, i: int) -> list[int] | None:
        """``i`` with the sentence it leans on ("He said…" needs its predecessor), or None."""
        units, chosen = self.units, self.chosen
        if i in chosen or units[i].kind == "echo":
            return None
        if not is_dependent(units[i].text):
            return [i]
        j = self.previous[i]
        if j is None:
            return None
        if j in chosen:
            return [i]
        if is_dependent(units[j].text) and (
            self.previous[j] is None or self.previous[j] not in chosen
        ):
            return None
        return [j, i]

    def restates_a_dated_fact(self, words: frozenset, names: frozenset) -> bool:
        """True when a sentence already chosen gives the same date with the same
        thing ("a resolution by June" once more), even where the page repeats that date so
        often that it counts as its topic. A date alone ("on 3 May") may come again."""
        # Months only: a number said again is as often a new fact ("up 5%", "5% of staff").
        dates = {t for t in names if t in self.said and t in MONTH_NAMES}
        if not dates:
            return False
        if any(self.facts.df.get(t, 0) >= REFRAIN for t in dates):
            return True  # a date the page keeps repeating ("by June") is one fact: said once
        things = {t for t in words - dates if self.facts.weight.get(t, 1.0) > 0}
        return any(dates & other and things & other for other in self.kept_words)

    def new_questions(self, group: list[int]) -> set[int] | None:
        """The questions the group's FAQ answers need asked; None when one cannot be asked."""
        needed = set()
        for g in group:
            q = self.units[g].question
            if q is None or q in self.asked:
                continue
            if self.questions is None or self.question_cost is None:
                return None  # an answer never stands without its question
            words = self.questions[q]
            if self.redundant(words) or any(
                overlap_share(words, self.units[h].words) > REDUNDANT_SHARE for h in group
            ):
                return None
            needed.add(q)
        return needed

    def fits(self, extra: int) -> bool:
        """True when taking ``extra`` more words leaves the length nearer the budget than now
        (whole sentences rarely land on it: an overshoot smaller than the gap it fills is
        closer than stopping short) without passing it by a tenth, or within 5% of it."""
        after = self.spent + extra
        if after <= self.budget * 1.05:
            return True
        return after - self.budget < OVERSHOOT * (self.budget - self.spent)

    def names_a_new_fact(self, group: list[int]) -> bool:
        """True when a key point's label names a fact not said yet and its detail says it
        ("Retaliatory Strikes": Ukraine has launched retaliatory strikes...): a table lists
        one fact a row, however many words the row shares with what was said. Not when the row
        names a name, number or date said already: it is then that fact again ("Storm Damage":
        storms cut power on the Eastgate line, once the Eastgate line's power cuts were told)."""
        units, weight = self.units, self.facts.weight
        if any(weight.get(t, 0.0) > 0 and t in self.said for g in group for t in units[g].names):
            return False
        return any(
            weight.get(t, 0.0) > 0 and t in units[g].words and t not in self.said
            for g in group
            for t in units[g].label_words
        )

    def source_says_again(self, g: int) -> bool:
        """True when ``g`` is a key point or FAQ answer and the body sentence it sums up, in
        more words, would say again what was said ("lack of heating and electricity" sums up
        "without heat or electricity", which restates "reliant on electricity for warmth")."""
        unit = self.units[g]
        if unit.kind == "prose" or any(
            self.facts.weight.get(t, 0.0) > 0 and t not in self.said for t in unit.names
        ):
            return False  # a name, number or date not said yet is a new fact in itself
        source = self.sources.get(g)
        if source is None or source in self.chosen:
            return False
        words = self.units[source].words
        if self.redundant(words):
            return True
        fresh = self.facts.novelty(words, self.said)
        return fresh < self.novelty_min or _restates(
            [source], self.units, self.facts, self.said, fresh, self.kept_words, SHARED_KEYS
        )

    def says_again(self, group: list[int], words: frozenset) -> bool:
        """True when the group's facts were said already, in these or other words."""
        units = self.units
        if any(self.redundant(units[g].words) for g in group):
            return True
        names = frozenset().union(*(units[g].names for g in group))
        if self.restates_a_dated_fact(words, names):
            return True
        if self.names_a_new_fact(group):
            return False
        fresh = self.facts.novelty(words, self.said)
        if fresh < self.novelty_min:
            return True  # says again what was said, in other words
        if any(self.source_says_again(g) for g in group):
            return True
        # A FAQ answer or key point only adds what the prose lacks, and so does every sentence
        # of a page that restates itself: they face the bar for restatements whatever the budget.
        summary = any(units[g].kind != "prose" for g in group)
        shared = SUMMARY_SHARED_KEYS if summary or self.repetitive else SHARED_KEYS
        return bool(self.strict or summary or self.repetitive) and _restates(
            group, units, self.facts, self.said, fresh, self.kept_words, shared
        )

    def add(self, i: int, forced: bool = False) -> bool:
        """Choose ``i`` (with what it needs) when it fits and says something new."""
        group = self.group(i)
        if group is None or (self.allowed is not None and not self.allowed.issuperset(group)):
            return False
        units = self.units
        words = frozenset().union(*(units[g].words for g in group))
        if not forced and self.says_again(group, words):
            return False
        asked = self.new_questions(group)
        if asked is None:
            return False
        spoken = self.phrases.of(group, asked)
        if not forced and not self.phrases.allows(spoken):
            return False  # the page's keyword phrase, said often enough already
        extra = sum(self.cost(g) for g in group) + sum(self.question_cost(q) for q in asked)
        if not self.fits(extra):
            return False
        for g in group:
            self.chosen.append(g)
            self.kept_words.append(units[g].words)
            self.said.update(units[g].words)
        for q in asked:
            self.asked.add(q)
            self.kept_words.append(self.questions[q])
        self.spent += extra
        self.phrases.said.update(spoken)
        return True


def _restates(
    group: list[int],
    units: list[Unit],
    facts: Facts,
    said: set[str],
    fresh: float,
    kept: list[frozenset],
    shared_keys: int = SHARED_KEYS,
) -> bool:
    """True when the group's key terms were all said, shares several of the article's recurring
    terms with one chosen sentence (the same fact in other words), or repeats a name, number or
    date already given and brings little else ("by June" once more)."""
    for g in group:
        # A possessor is not what the sentence is about: "the operator's chief executive and the
        # union's general secretary may now meet" is a new fact after "the operator and the union
        # are invited", however often the page names those two.
        words = units[g].words - units[g].owners
        keys = facts.key_terms(words)
        if len(keys) >= KEY_TERMS and all(t in said for t in keys):
            return True
        recurring = {t for t in words if facts.weight.get(t, 0.0) > 0 and facts.df.get(t, 0) >= 2}
        if len(recurring) >= shared_keys and any(
            len(recurring & other) >= shared_keys for other in kept
        ):
            return True
    names = frozenset().union(*(units[g].names for g in group))
    return fresh < ANCHOR_NOVELTY and any(facts.weight.get(t, 1.0) > 0 and t in said for t in names)


def _predecessors(units: list[Unit]) -> list[int | None]:
    """The sentence each unit follows in its section (None for a section's first sentence)."""
    previous: list[int | None] = []
    last: dict[int, int] = {}
    for i, unit in enumerate(units):
        previous.append(last.get(unit.section))
        if (
            unit.kind in ("faq",)
            and unit.question is not None
            and (previous[-1] is None or units[previous[-1]].question != unit.question)
        ):
            previous[-1] = (
                None  # an answer's first sentence follows its question, not the last answer
            )
        last[unit.section] = i
    return previous


def _sources(units: list[Unit], facts: Facts) -> dict[int, int]:
    """For each key point and FAQ answer, the body sentence it sums up: the prose sentence with
    all its names and most of the fact weight of its recurring terms (``SOURCE_SHARE``), looked
    for among the sentences that hold one of its rarest terms, so that cost stays linear."""
    postings: dict[str, list[int]] = {}
    for k, unit in enumerate(units):
        if unit.kind == "prose":
            for t in unit.words:
                postings.setdefault(t, []).append(k)
    weight = facts.weight
    sources = {}
    for i, unit in enumerate(units):
        if unit.kind not in ("keypoints", "faq"):
            continue
        # Terms the page uses once (this unit's own wording) cannot be in any source.
        weighted = {t for t in unit.words if weight.get(t, 0.0) > 0 and facts.df.get(t, 0) >= 2}
        names = unit.names & weighted
        total = sum(weight[t] for t in weighted)
        rarest = sorted(weighted, key=lambda t: (facts.df.get(t, 0), t))[:SOURCE_TERMS]
        candidates = {k for t in rarest for k in postings.get(t, ())[:SOURCE_CANDIDATES]}
        shared = {
            k: sum(weight[t] for t in weighted & units[k].words)
            for k in candidates
            if names <= units[k].words
        }
        best = max(shared, key=lambda k: (shared[k], -k), default=None)
        if best is not None and shared[best] >= SOURCE_SHARE * total:
            sources[i] = best
    return sources
