"""Reading benchmark: how much of a real page's article `briefcast read` keeps and how much of
its boilerplate it drops, next to plain ``trafilatura.extract`` in the same run, and how fast.

For each page of ../shared/data/html-dev/ (real pages with the keep/drop snippets of
trafilatura's own evaluation set; see its SOURCE.md) the text scored is what ``briefcast read``
shows: ``read_article(page)`` in-process, its title, section titles and paragraphs. A snippet
counts when it is found in the whitespace-collapsed, lower-cased text. Printed: the share of
must-keep snippets kept, the share of boilerplate snippets dropped, pages refused, and seconds
per page; then the time to read one page of about 200 kB (the median of 5 reads, warm).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import trafilatura

from briefcast.article import read_article
from briefcast.errors import BriefcastError

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html-dev"


def normal(text: str) -> str:
    return " ".join(text.split()).lower()


def briefcast_text(path: Path) -> str | None:
    try:
        article = read_article(path)
    except BriefcastError:
        return None
    parts = [article.title]
    for section in article.sections:
        parts += [section.title or "", *section.paragraphs]
    return "\n".join(parts)


def trafilatura_text(path: Path) -> str | None:
    return trafilatura.extract(path.read_bytes())


def score(name, extract, expect: dict) -> dict:
    kept = keep = dropped = drop = refused = 0
    seconds = 0.0
    misses = []
    for page, want in expect.items():
        start = time.perf_counter()
        text = extract(DATA / "pages" / page)
        seconds += time.perf_counter() - start
        if text is None:
            refused += 1
            text = ""
        text = normal(text)
        hits = [normal(s) in text for s in want["with"]]
        kept += sum(hits)
        keep += len(hits)
        misses += [f"{page}: kept-miss {s!r}" for s, h in zip(want["with"], hits) if not h]
        leaks = [normal(s) not in text for s in want["without"]]
        dropped += sum(leaks)
        drop += len(leaks)
        misses += [f"{page}: drop-miss {s!r}" for s, h in zip(want["without"], leaks) if not h]
    return {
        "name": name,
        "kept": kept / keep,
        "dropped": dropped / drop,
        "refused": refused,
        "seconds": seconds / len(expect),
        "misses": misses,
    }


def page_of_size(size: int) -> Path:
    pages = sorted((DATA / "pages").glob("*.html"), key=lambda p: abs(p.stat().st_size - size))
    return pages[0]


def main() -> int:
    if not DATA.is_dir():
        print(f"no benchmark data at {DATA}", file=sys.stderr)
        return 1
    expect = json.loads((DATA / "expect.json").read_text("utf-8"))
    cold = time.perf_counter()
    read_article(DATA / "pages" / next(iter(expect)))  # trafilatura builds its stoplists
    cold = time.perf_counter() - cold
    results = [
        score("briefcast read", briefcast_text, expect),
        score("trafilatura.extract", trafilatura_text, expect),
    ]
    print(f"{len(expect)} pages from {DATA}")
    print(f"{'':22} {'kept':>7} {'dropped':>8} {'refused':>8} {'s/page':>8}")
    for r in results:
        print(
            f"{r['name']:22} {r['kept']:7.1%} {r['dropped']:8.1%} {r['refused']:8d}"
            f" {r['seconds']:8.3f}"
        )
    ours, base = results
    print(
        f"ratios briefcast/trafilatura: kept {ours['kept'] / base['kept']:.3f}, dropped"
        f" {ours['dropped'] / base['dropped']:.3f}, time {ours['seconds'] / base['seconds']:.2f}"
    )
    page = page_of_size(200_000)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        read_article(page)
        times.append(time.perf_counter() - start)
    size = page.stat().st_size / 1000
    print(
        f"one page of {size:.0f} kB ({page.name}): {statistics.median(times):.3f} s (median of 5)"
    )
    print(f"first read in a process (trafilatura sets itself up): {cold:.3f} s")
    if "-v" in sys.argv:
        for r in results:
            print(f"\n{r['name']} misses:", *r["misses"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
