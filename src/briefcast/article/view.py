"""An Article as ``briefcast read`` shows it: Markdown for a reader, JSON for a program (and
for the extraction tests, which score exactly this)."""

from __future__ import annotations

import json
from typing import Any

from ..models import Article


def article_to_dict(article: Article) -> dict[str, Any]:
    """The article as ``read --json`` prints it: metadata and sections of title, kind and
    paragraphs."""
    return {
        "title": article.title,
        "author": article.author,
        "date": article.date,
        "site": article.source,
        "url": article.url,
        "language": article.language,
        "sections": [
            {"title": s.title, "kind": s.kind, "paragraphs": list(s.paragraphs)}
            for s in article.sections
        ],
    }


def articles_to_json(articles: list[Article]) -> str:
    """One article as a JSON object, several as a list of them."""
    data = [article_to_dict(a) for a in articles]
    return json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False) + "\n"


def article_to_markdown(article: Article) -> str:
    """The article as Markdown: title, metadata in a comment, a heading per section; a FAQ as
    bold questions with their answers, key points as a list."""
    meta = {
        "author": article.author,
        "date": article.date,
        "site": article.source,
        "url": article.url,
        "language": article.language,
    }
    lines = [f"# {article.title}", "<!--"]
    lines += [f"{key}: {value}" for key, value in meta.items() if value]
    lines += ["-->", ""]
    for section in article.sections:
        if section.title:
            lines += [f"## {section.title}", ""]
        if section.kind == "keypoints":
            lines += [f"- {row}" for row in section.paragraphs] + [""]
        elif section.kind == "faq":
            for i, paragraph in enumerate(section.paragraphs):
                lines += [f"**{paragraph}**" if i % 2 == 0 else paragraph, ""]
        else:
            for paragraph in section.paragraphs:
                lines += [paragraph, ""]
    return "\n".join(lines)


def articles_to_markdown(articles: list[Article]) -> str:
    """Several articles as Markdown, one after another, separated by a rule."""
    return "\n---\n\n".join(article_to_markdown(a) for a in articles)
