"""Extractive condensing for speech: which sentences to keep within a word budget.

Importance combines graph centrality (LexRank-style PageRank over sentence similarity), closeness
to the article's centroid, position, and overlap with the title and headings. The similarity
graph is bounded — each sentence is compared with a few neighbours and with sentences found
through a window of an inverted index — so cost grows linearly with the article. Selection is
greedy MMR with a hard redundancy rule (no two kept sentences share more than half their
content words) and keeps sentences that cannot stand alone only together with their predecessor.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

STOPWORDS = set("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves said says say says mr mrs ms s t
one two also would could may might must shall us its it's new year years
""".split())
DEPENDENT = re.compile(
    r"^[\"'“‘]?(?:this|that|these|those|he|she|it|they|his|her|its|their|them|however|but|also|and|"
    r"or|yet|still|meanwhile|moreover|furthermore|additionally|in addition|besides|instead|"
    r"nevertheless|nonetheless|such|thus|therefore|hence|likewise|similarly|otherwise|as a result|"
    r"in contrast|on the other hand|even so|despite this|because of this|the latter|the former)\b"
    r"(?!\s+(?:year|week|month|morning|afternoon|evening|season|summer|winter|spring|autumn|time|"
    r"century|decade|weekend|is\s+(?:the|a|an)\s+(?:first|second|latest)))",
    re.I)
REDUNDANT_SHARE = 0.5
# Tuned on half of the BBC development pairs and checked on the other half (general signals only).
WEIGHTS = {"centrality": 1.0, "centroid": 0.25, "position": 0.25, "lead": 0.05, "title": 0.15,
           "heading": 0.05, "structure": 0.6, "length": 0.0}
GRAPH_NEIGHBOURS = 2      # sentences on each side always compared
POSTINGS_WINDOW = 20      # per shared word, how many nearby sentences to look at
TOP_K = 20                # strongest index matches kept per sentence


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
    """"prose", "faq" (an answer sentence), "table" (a row's detail) or "recap"."""
    question: int | None = None
    """For a FAQ answer: the index of its question in the caller's question list."""
    terms: Counter = field(default_factory=Counter)
    words: frozenset = frozenset()


def stem(word: str) -> str:
    """A light suffix stripper: enough to match "talks"/"talk" and "attacked"/"attacks"."""
    for suffix in ("ies", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word


def content_terms(text: str) -> Counter:
    """Stemmed content words of ``text`` with their counts (numbers kept, stopwords dropped)."""
    tokens = re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())
    return Counter(stem(t.split("'")[0].split("’")[0]) for t in tokens
                   if t not in STOPWORDS and (len(t) > 1 or t.isdigit()))


def prepare(units: list[Unit]) -> None:
    for unit in units:
        unit.terms = content_terms(unit.text)
        unit.words = frozenset(unit.terms)


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
    closeness = [sum(w * centroid[t] for t, w in vec.items()) / (norm * c_norm)
                 for vec, norm in zip(vectors, norms)]
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
            "structure": 1.0 if unit.kind in ("table", "recap") else 0.5 if unit.kind == "faq" else 0.0,
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
            for j in plist[max(0, at - POSTINGS_WINDOW): at + POSTINGS_WINDOW + 1]:
                if j != i:
                    candidates[j] += idf[term]
        near = {j for j in range(max(0, i - GRAPH_NEIGHBOURS), min(n, i + GRAPH_NEIGHBOURS + 1))
                if j != i}
        for j in near | {j for j, _ in candidates.most_common(TOP_K)}:
            key = (i, j) if i < j else (j, i)
            if key not in edges:
                weight = textrank_similarity(unit.words, units[j].words)
                if weight > 0:
                    edges[key] = weight
    return edges


def _pagerank(n: int, edges: dict[tuple[int, int], float], damping: float = 0.85,
              iterations: int = 40) -> list[float]:
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
        rank = (1 - damping) / n + damping * np.bincount(dst, weights=w * rank[src] / out[src],
                                                         minlength=n)
    rank /= rank.max()
    return rank.tolist()


def select(units: list[Unit], scores: list[float], budget: float, cost: Callable[[int], int],
           question_cost: Callable[[int], int] | None = None, diversity: float = 0.5,
           questions: list[frozenset] | None = None) -> tuple[list[int], set[int]]:
    """Choose units within ``budget`` words (``cost`` gives a unit's spoken words).

    Returns the chosen unit indices in article order and the FAQ questions to ask. A question
    is asked only when one of its answers is chosen and it repeats nothing already said.
    """
    chosen: list[int] = []
    chosen_set: set[int] = set()
    asked: set[int] = set()
    answered: set[int] = set()
    spent = 0
    heap = [(-s, i) for i, s in enumerate(scores)]
    heapq.heapify(heap)
    previous = _predecessors(units)
    kept_words: list[frozenset] = []

    def redundant(words: frozenset) -> bool:
        return any(overlap_share(words, other) > REDUNDANT_SHARE for other in kept_words)

    def similarity(i: int) -> float:
        words = units[i].words
        return max((overlap_share(words, other) for other in kept_words), default=0.0)

    # Lazy greedy: a stored value is an upper bound, since the redundancy penalty only grows.
    while heap and spent < budget * 0.97:
        _, i = heapq.heappop(heap)
        value = (1 - diversity) * scores[i] - diversity * similarity(i)
        if heap and value < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-value, i))
            continue
        if i in chosen_set:
            continue
        group = [i]
        if is_dependent(units[i].text):
            j = previous[i]
            if j is None:
                continue
            if j not in chosen_set:
                if is_dependent(units[j].text) and (previous[j] is None or previous[j] not in chosen_set):
                    continue
                group = [j, i]
        if any(redundant(units[g].words) for g in group):
            continue
        if len(group) == 2 and overlap_share(units[group[0]].words, units[i].words) > REDUNDANT_SHARE:
            continue
        extra = sum(cost(g) for g in group)
        new_questions = set()
        for g in group:
            q = units[g].question
            if q is not None and q not in answered and questions is not None and question_cost:
                if not redundant(questions[q]) and not any(
                        overlap_share(questions[q], units[h].words) > REDUNDANT_SHARE for h in group):
                    new_questions.add(q)
                    extra += question_cost(q)
        if spent + extra > budget * 1.05:
            continue
        for g in group:
            chosen.append(g)
            chosen_set.add(g)
            kept_words.append(units[g].words)
            if units[g].question is not None:
                answered.add(units[g].question)
        for q in new_questions:
            asked.add(q)
            kept_words.append(questions[q])
        spent += extra
    return sorted(chosen, key=lambda k: units[k].position), asked


def _predecessors(units: list[Unit]) -> list[int | None]:
    """The sentence each unit follows in its section (None for a section's first sentence)."""
    previous: list[int | None] = []
    last: dict[int, int] = {}
    for i, unit in enumerate(units):
        previous.append(last.get(unit.section))
        if unit.kind in ("faq",) and unit.question is not None and \
                (previous[-1] is None or units[previous[-1]].question != unit.question):
            previous[-1] = None  # an answer's first sentence follows its question, not the last answer
        last[unit.section] = i
    return previous
