"""Extractive condensing for speech: which sentences to keep within a word budget.

Importance combines graph centrality (LexRank-style PageRank over sentence similarity), closeness
to the article's centroid, position, and overlap with the title and headings. The similarity
graph is bounded — each sentence is compared with a few neighbours and with sentences found
through a window of an inverted index — so cost grows linearly with the article. Selection is
greedy MMR with redundancy judged at the level of facts across everything chosen: content words
are normalised (stems, one token per country however written or spoken, months, numbers), no
two kept sentences share more than half the shorter one's content words, and a sentence whose
fact weight is mostly said already is skipped — the more so when the article is far longer than
the budget. Sentences that cannot stand alone come only together with their predecessor.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .repeats import Phrases
from .terms import KEY_TERMS, MONTH_NAMES, Facts, content_terms, name_terms, term_facts

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
FAQ_STRUCTURE = 0.5  # a FAQ answer's bonus relative to a key-point row (it restates the prose)
NOVELTY_MIN = 0.4  # a sentence must bring at least this share of its fact weight anew,
STRICT_NOVELTY = 0.65  # ... rising to this when the article is far longer than the budget
LOOSE_RATIO = 3.5  # article words / budget up to which the loose bar applies
ANCHOR_NOVELTY = 0.75  # ... and more when it repeats a name, date or number already said
SHARED_KEYS = 4  # recurring terms shared with one chosen sentence that make a restatement
OVERSHOOT = 0.5  # ... or past it by less than half the gap it fills
REFRAIN = 3  # a date or number in this many sentences is the page's refrain
# Tuned on half of the BBC development pairs and checked on the other half (general signals only).
WEIGHTS = {
    "centrality": 1.0,
    "centroid": 0.25,
    "position": 0.25,
    "lead": 0.05,
    "title": 0.15,
    "heading": 0.05,
    "structure": 0.6,
    "length": 0.0,
}
GRAPH_NEIGHBOURS = 2  # sentences on each side always compared
POSTINGS_WINDOW = 20  # per shared word, how many nearby sentences to look at
TOP_K = 20  # strongest index matches kept per sentence


@dataclass
class Unit:
    """One candidate sentence with where it sits in the article."""

    text: str
    section: int
    paragraph: int
    """Global paragraph number (unique across sections)."""
    position: int
    """Global sentence order."""
    kind: str = "prose"
    """"prose", "faq" (an answer sentence), "keypoints" (a row's detail), "recap" (a summary
    section's sentence) or "echo" (a second recap: it counts for importance but is never chosen)."""
    question: int | None = None
    """For a FAQ answer: the index of its question in the caller's question list."""
    terms: Counter = field(default_factory=Counter)
    words: frozenset = frozenset()
    names: frozenset = frozenset()
    """Terms that are names, numbers or dates."""


def prepare(units: list[Unit]) -> None:
    for unit in units:
        unit.terms = content_terms(unit.text)
        unit.words = frozenset(unit.terms)
        unit.names = frozenset(name_terms(unit.text))


def overlap_share(a: frozenset, b: frozenset) -> float:
    """Shared content words as a share of the shorter sentence's content words."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def is_dependent(text: str) -> bool:
    """True when a sentence opens with a word that points back ("He", "This", "However")."""
    return bool(DEPENDENT.match(text.strip()))


def score_units(units: list[Unit], title: str, headings: dict[int, str]) -> list[float]:
    """Importance of each unit in [0, 1]-ish: centrality, centroid, position, title overlap."""
    n = len(units)
    if n == 0:
        return []
    df: Counter = Counter()
    for unit in units:
        df.update(unit.words)
    idf = {t: math.log((n + 1) / (c + 0.5)) + 1.0 for t, c in df.items()}
    vectors = [{t: c * idf[t] for t, c in u.terms.items()} for u in units]
    norms = [math.sqrt(sum(v * v for v in vec.values())) or 1.0 for vec in vectors]

    centrality = _pagerank(n, _bounded_edges(units, idf))
    centroid: Counter = Counter()
    for vec in vectors:
        centroid.update(vec)
    c_norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    closeness = [
        sum(w * centroid[t] for t, w in vec.items()) / (norm * c_norm)
        for vec, norm in zip(vectors, norms)
    ]
    top_close = max(closeness) or 1.0
    title_words = frozenset(content_terms(title))
    longest = max(len(u.words) for u in units) or 1
    scores = []
    first_in_section: dict[int, int] = {}
    for i, unit in enumerate(units):
        first_in_section.setdefault(unit.section, i)
        heading = frozenset(content_terms(headings.get(unit.section, "")))
        features = {
            "centrality": centrality[i],
            "centroid": closeness[i] / top_close,
            "position": 1.0 / math.sqrt(1.0 + unit.position),
            "lead": 1.0 if first_in_section[unit.section] == i else 0.0,
            "title": len(unit.words & title_words) / len(title_words) if title_words else 0.0,
            "heading": len(unit.words & heading) / len(heading) if heading else 0.0,
            "structure": 1.0
            if unit.kind in ("keypoints", "recap")
            else FAQ_STRUCTURE
            if unit.kind == "faq"
            else 0.0,
            "length": math.sqrt(len(unit.words) / longest),
        }
        score = sum(WEIGHTS[k] * v for k, v in features.items())
        scores.append(score * (0.5 if len(unit.text.split()) < 6 else 1.0))
    return scores


def textrank_similarity(a: frozenset, b: frozenset) -> float:
    """Shared words over log lengths (Mihalcea & Tarau 2004): favours informative sentences."""
    shared = len(a & b)
    return shared / (math.log(len(a) + 1) + math.log(len(b) + 1)) if shared else 0.0


def _bounded_edges(units: list[Unit], idf: dict[str, float]) -> dict[tuple[int, int], float]:
    """Similarity edges, each sentence linked to its neighbours and its top index matches only."""
    n = len(units)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        for term in unit.words:
            postings[term].append(i)
    edges: dict[tuple[int, int], float] = {}
    for i, unit in enumerate(units):
        candidates: Counter = Counter()
        for term in unit.words:
            plist = postings[term]
            if len(plist) < 2:
                continue
            at = bisect_left(plist, i)
            for j in plist[max(0, at - POSTINGS_WINDOW) : at + POSTINGS_WINDOW + 1]:
                if j != i:
                    candidates[j] += idf[term]
        near = {
            j
            for j in range(max(0, i - GRAPH_NEIGHBOURS), min(n, i + GRAPH_NEIGHBOURS + 1))
            if j != i
        }
        for j in near | {j for j, _ in candidates.most_common(TOP_K)}:
            key = (i, j) if i < j else (j, i)
            if key not in edges:
                weight = textrank_similarity(unit.words, units[j].words)
                if weight > 0:
                    edges[key] = weight
    return edges


def _pagerank(
    n: int, edges: dict[tuple[int, int], float], damping: float = 0.85, iterations: int = 40
) -> list[float]:
    if not edges:
        return [1.0] * n
    pairs = np.array(list(edges.keys()), dtype=np.int64)
    weights = np.array(list(edges.values()), dtype=np.float64)
    src = np.concatenate([pairs[:, 0], pairs[:, 1]])
    dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
    w = np.concatenate([weights, weights])
    out = np.bincount(src, weights=w, minlength=n)
    out[out == 0] = 1.0
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        rank = (1 - damping) / n + damping * np.bincount(
            dst, weights=w * rank[src] / out[src], minlength=n
        )
    rank /= rank.max()
    return rank.tolist()


def fact_weights(units: list[Unit], extra_texts: list[str] = ()) -> Facts:
    """The Facts of an article's units; ``extra_texts`` (headings, table labels, FAQ questions)
    count as sentences too: a word the page uses as a label is a topic of its own."""
    names = frozenset().union(*(u.names for u in units)) if units else frozenset()
    return term_facts([u.words for u in units], names, extra_texts)


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
) -> tuple[list[int], set[int]]:
    """Choose units within ``budget`` words (``cost`` gives a unit's spoken words).

    Returns the chosen unit indices in article order and the FAQ questions to ask. ``required``
    units (a story's lead) come first whenever the budget holds them; ``said_before`` are the
    content words of sentences already in the episode (earlier stories of a briefing), never
    said again. Redundancy is judged against everything chosen: a unit whose facts (``facts``,
    from ``fact_weights``) are mostly said already is skipped, and no two chosen sentences share
    more than half their content words. When the article is far longer than the budget the bar
    rises (see ``_restates``). A FAQ answer is read only under its own question. ``phrases``
    holds the page's filler phrases: none is said more than ``repeats.PHRASE_LIMIT`` times.
    """
    facts = fact_weights(units) if facts is None else facts
    # The more the article offers beyond the budget, the stricter the bar for new facts: a long,
    # repetitive page states each fact many times, a tight report rarely twice.
    available = sum(len(u.text.split()) for u in units if u.kind != "echo")
    strict = min(1.0, max(0.0, (available / max(budget, 1.0) - LOOSE_RATIO) / LOOSE_RATIO))
    state = _Selection(units, facts, budget, cost, question_cost, questions, strict)
    if phrases is not None:  # a copy: the counts grow as this selection speaks
        state.phrases = Phrases(phrases.units, phrases.questions, Counter(phrases.said))
    state.kept_words += list(said_before)
    for i in required:
        state.add(i, forced=True)
    heap = [(-s, i) for i, s in enumerate(scores)]
    heapq.heapify(heap)
    # Lazy greedy: a stored value is an upper bound, since the redundancy penalty only grows.
    while heap and state.spent < budget * 0.97:
        _, i = heapq.heappop(heap)
        value = (1 - diversity) * scores[i] - diversity * state.similarity(i)
        if heap and value < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-value, i))
            continue
        state.add(i)
    return sorted(state.chosen, key=lambda k: units[k].position), state.asked


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
    chosen: list[int] = field(default_factory=list)
    asked: set[int] = field(default_factory=set)
    kept_words: list[frozenset] = field(default_factory=list)
    said: set[str] = field(default_factory=set)
    spent: int = 0
    phrases: Phrases = field(default_factory=lambda: Phrases())

    def __post_init__(self) -> None:
        self.previous = _predecessors(self.units)
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

    def add(self, i: int, forced: bool = False) -> bool:
        """Choose ``i`` (with what it needs) when it fits and says something new."""
        group = self.group(i)
        if group is None:
            return False
        units = self.units
        words = frozenset().union(*(units[g].words for g in group))
        if not forced:
            if any(self.redundant(units[g].words) for g in group):
                return False
            fresh = self.facts.novelty(words, self.said)
            if fresh < self.novelty_min:
                return False  # says again what was said, in other words
            if self.strict and _restates(
                group, units, self.facts, self.said, fresh, self.kept_words
            ):
                return False
            names = frozenset().union(*(units[g].names for g in group))
            if self.restates_a_dated_fact(words, names):
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
) -> bool:
    """True when the group's key terms were all said, shares several of the article's recurring
    terms with one chosen sentence (the same fact in other words), or repeats a name, number or
    date already given and brings little else ("by June" once more)."""
    for g in group:
        words = units[g].words
        keys = facts.key_terms(words)
        if len(keys) >= KEY_TERMS and all(t in said for t in keys):
            return True
        recurring = {t for t in words if facts.weight.get(t, 0.0) > 0 and facts.df.get(t, 0) >= 2}
        if len(recurring) >= SHARED_KEYS and any(
            len(recurring & other) >= SHARED_KEYS for other in kept
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
