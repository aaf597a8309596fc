"""Extractive condensing for speech: which sentences to keep within a word budget.

Importance combines graph centrality (LexRank-style PageRank over sentence similarity), closeness
to the article's centroid, position, and overlap with the title and headings. The similarity
graph is bounded — each sentence is compared with a few neighbours and with sentences found
through a window of an inverted index — so cost grows linearly with the article. Content words
are normalised (stems, one token per country however written or spoken, months, numbers);
choosing within the budget is ``selection.select``.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..lazy import lazy_import

# ``select`` and its tests of overlap are in ``selection``; callers find them here as before.
from .selection import is_dependent as is_dependent
from .selection import overlap_share as overlap_share
from .selection import select as select
from .terms import KEY_TERMS, Facts, content_terms, name_terms, possessor_terms, term_facts

np = lazy_import("numpy")

FAQ_STRUCTURE = 0.5  # a FAQ answer's bonus relative to a key-point row (it restates the prose)
# The opening prior (``news_prior``): none while the budget is a third of the article or more,
# full at a quarter or less (summary length), worth the whole score range for the first sentence.
PRIOR_FROM = 3.0
PRIOR_SPAN = 1.0
LEAD_PRIOR = 1.0
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
    label: str = ""
    """For a key point: its row's label ("Retaliatory Strikes"), which names the row's fact."""
    label_words: frozenset = frozenset()
    owners: frozenset = frozenset()
    """Terms used only as a possessor ("the operator's chief executive", ``possessor_terms``)."""


def prepare(units: list[Unit]) -> None:
    for unit in units:
        unit.terms = content_terms(unit.text)
        unit.words = frozenset(unit.terms)
        unit.names = frozenset(name_terms(unit.text))
        unit.label_words = frozenset(content_terms(unit.label))
        unit.owners = frozenset(possessor_terms(unit.text))


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
        # In the text's order, not the set's: ties among the top matches (and float sums) must
        # not depend on string hashing, or a build differs from run to run.
        for term in unit.terms:
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


def rank_filler_last(units: list[Unit], scores: list[float], facts: Facts) -> list[float]:
    """Scores with fact-free sentences (no name, number, place or date beyond the story's own
    topic, as SEO pages pad with) below every sentence that carries a fact."""
    top = max(scores, default=0.0)
    return [
        score - top - 1.0 if not any(facts.weight.get(t, 0.0) > 0 for t in unit.names) else score
        for unit, score in zip(units, scores)
    ]


def news_prior(units: list[Unit], scores: list[float], budget: float) -> list[float]:
    """Scores with the story's opening prose sentences raised, in order, the more the shorter
    the budget is against the article: a news story front-loads what matters (the inverted
    pyramid), so at a summary's length its first sentences are the summary."""
    available = sum(len(u.text.split()) for u in units if u.kind == "prose")
    shortness = min(1.0, max(0.0, (available / max(budget, 1.0) - PRIOR_FROM) / PRIOR_SPAN))
    if not shortness:
        return scores
    top = max(scores, default=0.0) - min(scores, default=0.0)
    raised = list(scores)
    rank = 0
    for i, unit in enumerate(units):
        if unit.kind != "prose" or len(unit.text.split()) < 6:
            continue
        raised[i] += top * LEAD_PRIOR * shortness / (1.0 + rank)
        rank += 1
    return raised


def restated_share(units: list[Unit], facts: Facts) -> float:
    """Share of the prose sentences whose key terms were all said by sentences before them: how
    much the page restates itself (on BBC and other news 0.5 at most, on an SEO page 0.7)."""
    said: set[str] = set()
    restated = prose = 0
    for unit in units:
        if unit.kind != "prose":
            continue
        keys = facts.key_terms(unit.words)
        prose += 1
        restated += len(keys) >= KEY_TERMS and all(k in said for k in keys)
        said.update(unit.words)
    return restated / prose if prose else 0.0


def lead_of(units: list[Unit]) -> list[int]:
    """The first real sentence of the story: the first prose sentence of at least six words
    (shorter ones are datelines or captions left by the page)."""
    for i, unit in enumerate(units):
        if unit.kind == "prose" and len(unit.text.split()) >= 6:
            return [i]
    return []
