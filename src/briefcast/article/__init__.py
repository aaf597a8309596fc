"""Inputs → Article: files (text, Markdown, HTML, any encoding), URLs and RSS/Atom source
feeds, read into cleaned Articles (furniture gone, FAQs and key points marked)."""

from .language import detect_language
from .read import parse_article, read_article, sniff_format
from .sources import read_sources, record_used, used_items
from .view import article_to_dict, article_to_markdown, articles_to_json, articles_to_markdown

__all__ = [
    "article_to_dict",
    "article_to_markdown",
    "articles_to_json",
    "articles_to_markdown",
    "detect_language",
    "parse_article",
    "read_article",
    "read_sources",
    "record_used",
    "sniff_format",
    "used_items",
]
