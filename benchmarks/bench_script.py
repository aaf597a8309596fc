"""Script-builder benchmark: ROUGE against reference summaries, next to LEAD and TextRank, and speed.

For each article/summary pair in ../shared/data/bbc-news-dev/ (N = the reference's word count)
the builder runs in-process — ``read_article`` then ``build_script(article, words=N)``, exactly
what ``briefcast script --words N --json`` runs, so the body segments are identical — and its
body segments are scored with rouge-score (ROUGE-1/2/L F1, stemming on). Two baselines get the
same budget in the same run: LEAD (the first N words) and TextRank (sumy, with our pysbd
splitter as its tokenizer since nltk's punkt data cannot be downloaded here).

Two views are printed:
- spoken: the script's body text as the listener hears it (after rewriting for the ear); the
  reference and both baselines go through the same rewriting, so numbers compare like with like.
- written: the same selected sentences before rewriting, against the untouched reference.

Then timings: a 2,500-word and a 100,000-word article scripted in-process (linear cost check).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from briefcast.article import parse_article, read_article
from briefcast.script import build_script, estimate_seconds, plan_article, spoken_script
from briefcast.script.build import script_from_plan
from briefcast.script.sentences import split_sentences
from briefcast.script.speech import to_speech

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bbc-news-dev"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "peace-talks.txt"
NEWS = Path(__file__).resolve().parent / "data" / "news-abstractive"
NEWS_LATER = NEWS.with_name("news-abstractive-2")  # written after the news prior was set
ESSENTIAL = {  # the seed article's essential facts (issue 11), each by words that say it
    "deadline": ("june",),
    "venue": ("miami",),
    "who is invited": ("both ukrain", "both parties", "both nations", "both ukraine"),
    "energy attacks": ("energy",),
    "effect on people": ("heating", "blackouts", "electricity"),
    "earlier round": ("abu dhabi", "second round"),
    "territory": ("territor",),
    "US elections": ("midterm",),
    "leaders' meeting": ("leaders",),
    "Ukraine's strikes": ("retaliatory",),
}


class PysbdTokenizer:
    """The tokenizer interface sumy expects, backed by pysbd (no nltk data needed)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return re.findall(r"[A-Za-z0-9]+(?:'[a-z]+)?", sentence)


def body_of(text: str) -> str:
    """Article text without its first line (the headline)."""
    return text.split("\n", 1)[1].strip() if "\n" in text else text


def lead(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def textrank(text: str, n: int, rewrite=lambda sentence: sentence) -> str:
    """sumy's TextRank ranking; sentences taken best first (optionally rewritten) up to N words."""
    parser = PlaintextParser.from_string(text, PysbdTokenizer())
    summarizer = TextRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = list(parser.document.sentences)
    ratings = summarizer.rate_sentences(parser.document)
    ranked = sorted(range(len(sentences)), key=lambda i: ratings.get(sentences[i], 0), reverse=True)
    picked, total = [], 0
    for i in ranked:
        if total >= n:
            break
        words = rewrite(str(sentences[i])).split()
        picked.append((i, " ".join(words[: n - total])))
        total += min(len(words), n - total)
    return " ".join(t for _, t in sorted(picked))


def spoken_textrank(text: str, n: int) -> str:
    """TextRank's ranking of the written text, its sentences rewritten for the ear, N spoken words."""
    return textrank(text, n, rewrite=to_speech)


def rouge_table(pairs: list[tuple[str, dict[str, str]]]) -> dict[str, dict[str, float]]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals: dict[str, dict[str, list[float]]] = {}
    for reference, systems in pairs:
        for name, summary in systems.items():
            scores = scorer.score(reference, summary)
            row = totals.setdefault(name, {k: [] for k in scores})
            for key, value in scores.items():
                row[key].append(value.fmeasure)
    return {name: {k: statistics.mean(v) for k, v in row.items()} for name, row in totals.items()}


def print_table(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'system':<12}{'ROUGE-1':>9}{'ROUGE-2':>9}{'ROUGE-L':>9}")
    for name, row in table.items():
        print(f"{name:<12}{row['rouge1']:>9.4f}{row['rouge2']:>9.4f}{row['rougeL']:>9.4f}")


def rouge_benchmark() -> None:
    articles = sorted((DATA / "articles").glob("*.txt"))
    spoken_pairs, written_pairs = [], []
    budgets, seconds, tr_seconds = [], [], []
    for path in articles:
        reference = (DATA / "summaries" / path.name).read_text(encoding="utf-8", errors="replace")
        n = len(reference.split())
        text = body_of(path.read_text(encoding="utf-8", errors="replace"))
        start = time.perf_counter()
        plan = plan_article(read_article(path))
        script = script_from_plan(plan, words=n)
        seconds.append(time.perf_counter() - start)
        body = " ".join(s.text for s in spoken_script(script) if s.kind == "body")
        written = " ".join(plan.units[i].text for i in plan.chosen)
        budgets.append(script.body_words() / n)
        start = time.perf_counter()
        tr_written = textrank(text, n)
        tr_seconds.append(time.perf_counter() - start)
        spoken_text = to_speech(text.replace("\n", " \n "))
        spoken_pairs.append(
            (
                to_speech(reference),
                {
                    "briefcast": body,
                    "LEAD": lead(spoken_text, n),
                    "TextRank": spoken_textrank(text, n),
                },
            )
        )
        written_pairs.append(
            (reference, {"briefcast": written, "LEAD": lead(text, n), "TextRank": tr_written})
        )
    print(f"{len(articles)} articles from {DATA}; budget N = reference summary words")
    print_table(
        "spoken (script body vs reference, all rewritten for the ear)", rouge_table(spoken_pairs)
    )
    print_table(
        "written (same selection before rewriting vs untouched reference)",
        rouge_table(written_pairs),
    )
    print(
        f"\nbody words / N: mean {statistics.mean(budgets):.3f}, min {min(budgets):.3f}, "
        f"max {max(budgets):.3f}"
    )
    print(
        f"seconds per article: briefcast {statistics.mean(seconds):.4f} "
        f"(read + plan + script), TextRank {statistics.mean(tr_seconds):.4f}"
    )


def long_article(words: int) -> str:
    """A long Markdown article made of the dev articles under headings, repeated to ``words``."""
    pieces, total = ["# A long compilation"], 0
    sources = sorted((DATA / "articles").glob("*.txt")) if DATA.exists() else []
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sources]
    if not texts and SAMPLE.exists():
        texts = [SAMPLE.read_text(encoding="utf-8")]
    k = 0
    while total < words:
        text = texts[k % len(texts)]
        head, body = text.split("\n", 1)
        chunk = " ".join(body.split()[: words - total])
        # Keep paragraphs: cut the original body rather than re-flowing it.
        paragraphs = [p for p in body.strip().split("\n\n") if p.strip()]
        kept, count = [], 0
        for p in paragraphs:
            if count >= words - total:
                break
            kept.append(p)
            count += len(p.split())
        pieces += [f"## {head.strip()} ({k // len(texts) + 1})", *kept]
        total += count or len(chunk.split())
        k += 1
    return "\n\n".join(pieces)


def time_script(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        article = parse_article(text, "md")
        build_script(article, minutes=5)
        best = min(best, time.perf_counter() - start)
    return best


def speed_benchmark() -> None:
    if not DATA.exists() and not SAMPLE.exists():
        print("\nspeed: no data (../shared/data/bbc-news-dev or the sample) — skipped")
        return
    small, large = long_article(2500), long_article(100_000)
    small_words, large_words = len(small.split()), len(large.split())
    t_small = time_script(small, 5)
    t_large = time_script(large, 1)
    start = time.perf_counter()
    textrank(small, 400)
    t_tr = time.perf_counter() - start
    print("\nspeed (parse + build_script, in-process, best of runs):")
    print(
        f"  {small_words:>7} words: {t_small:.3f} s   (target < 0.3 s; sumy TextRank alone on "
        f"the same text: {t_tr:.3f} s)"
    )
    print(f"  {large_words:>7} words: {t_large:.3f} s   (target < 10 s)")
    ratio = (t_large / t_small) / (large_words / small_words)
    print(f"  time ratio / word ratio = {ratio:.2f} (about 1 means linear cost)")


def seed_check() -> None:
    """The seed article at 1, 3 and 8 minutes: its lead, its essential facts, none said twice."""
    if not SAMPLE.exists():
        return
    article = read_article(SAMPLE)
    for minutes in (1, 3, 8):
        start = time.perf_counter()
        plan = plan_article(article)
        script = script_from_plan(plan, minutes=minutes)
        elapsed = time.perf_counter() - start
        body = [s.text.lower() for s in script.segments() if s.kind == "body" and s.voice != "host"]
        present = [k for k, words in ESSENTIAL.items() if any(w in " ".join(body) for w in words)]
        twice = [
            k for k, words in ESSENTIAL.items() if sum(any(w in t for w in words) for t in body) > 1
        ]
        print(
            f"\nseed {SAMPLE.name} at --minutes {minutes}: {len(script.chapters)} chapters, "
            f"{script.body_words()} body words, {estimate_seconds(script, 165) / 60:.2f} min at "
            f"165 wpm, {elapsed:.3f} s; lead in: {plan.lead[0] in plan.chosen}; essential facts "
            f"{len(present)}/{len(ESSENTIAL)} (missing: {', '.join(sorted(set(ESSENTIAL) - set(present))) or '-'}); "
            f"said twice: {', '.join(twice) or '-'}"
        )


def lead_sentences(article, count: int) -> str:
    """The article's first ``count`` sentences (LEAD-3 with 3)."""
    paragraphs = [p for section in article.sections for p in section.paragraphs]
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    return " ".join(sentences[:count])


def news_benchmark(folder: Path, note: str) -> None:
    """ROUGE on news the condenser was not tuned on, against abstractive highlights: briefcast
    at the reference length next to LEAD at the same length and LEAD-3, all on written text."""
    pairs, wins, losses, leads_kept = [], 0, 0, 0
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    for path in sorted(p for p in folder.glob("*.md") if p.with_suffix(".ref").exists()):
        reference = path.with_suffix(".ref").read_text(encoding="utf-8")
        n = len(reference.split())
        article = read_article(path)
        plan = plan_article(article)
        script_from_plan(plan, words=n)
        written = " ".join(plan.units[i].text for i in plan.chosen)
        words = " ".join(p for section in article.sections for p in section.paragraphs)
        systems = {
            "briefcast": written,
            "LEAD": lead(words, n),
            "LEAD-3": lead_sentences(article, 3),
        }
        pairs.append((reference, systems))
        ours, theirs = (
            scorer.score(reference, systems[k])["rouge2"].fmeasure for k in ("briefcast", "LEAD")
        )
        wins += ours > theirs + 1e-9
        losses += ours < theirs - 1e-9
        leads_kept += bool(plan.chosen) and plan.chosen[0] == (plan.lead or [-1])[0]
    print(f"\n{len(pairs)} news stories with abstractive highlights from {folder.name}/ ({note})")
    print_table(
        "written, budget N = highlight words (LEAD-3: first three sentences)", rouge_table(pairs)
    )
    print(
        f"briefcast vs LEAD on ROUGE-2: {wins} wins, {losses} losses; "
        f"lead kept in {leads_kept} of {len(pairs)}"
    )


def briefing_check() -> None:
    """Five news articles at --minutes 5: a chapter per story with its lead and only its own
    sentences, the whole (estimated at 165 wpm) within 10% of five minutes."""
    paths = sorted((DATA / "articles").glob("*.txt"))[
        :: max(1, len(list(DATA.glob("articles/*.txt"))) // 5)
    ][:5]
    articles = [read_article(p) for p in paths]
    start = time.perf_counter()
    script = build_script(articles, minutes=5, wpm=165)
    elapsed = time.perf_counter() - start
    own, leads = 0, 0
    for chapter, article in zip(script.chapters, articles):
        text = " ".join(" ".join(q.split()) for s in article.sections for q in s.paragraphs)
        body = [s.text for s in chapter.segments if s.kind == "body"]
        own += all(t in text for t in body)  # a long sentence is read in pieces
        leads += " ".join(body).startswith(split_sentences(article.sections[0].paragraphs[0])[0])
    print(
        f"\nbriefing of {len(articles)} articles at --minutes 5: {len(script.chapters)} chapters, "
        f"{leads} with their lead, {own} with only their own sentences, "
        f"{estimate_seconds(script, 165) / 60:.2f} min at 165 wpm, planned in {elapsed:.3f} s"
    )


def main() -> int:
    if not DATA.exists():
        print(f"no benchmark data at {DATA}; skipped", file=sys.stderr)
    else:
        rouge_benchmark()
        briefing_check()
    news_benchmark(NEWS, "the set the news prior was measured on")
    news_benchmark(NEWS_LATER, "unseen: written after the condenser's settings were fixed")
    speed_benchmark()
    seed_check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
