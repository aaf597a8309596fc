"""How the script builder reads a recognised page structure: a recap heading, a table row.

Recognising furniture, FAQs and key-point tables is the reader's job (``briefcast.article``):
the builder receives an Article that is already clean.
"""

from __future__ import annotations

import re

from ..lexicon import RECAP_HEADINGS

RECAP_HEADING = re.compile(r"\b(?:" + "|".join(map(re.escape, RECAP_HEADINGS)) + r")\b", re.I)


def is_recap_heading(title: str | None) -> bool:
    """True for a heading that announces a recap ("Key points", "At a glance")."""
    return bool(title and RECAP_HEADING.search(title))


def row_detail(row: str) -> str:
    """What a table row says, for the ear: its sentence, or "label: value, value"."""
    cells = [c.strip() for c in row.split("|") if c.strip()]
    if len(cells) >= 2 and len(cells[-1].split()) >= 5:
        return cells[-1]
    if len(cells) >= 2:
        return f"{cells[0]}: {', '.join(cells[1:])}."
    return row


def row_label(row: str) -> str:
    """A table row's label (its first cell) when the row reads as a sentence after it."""
    cells = [c.strip() for c in row.split("|") if c.strip()]
    return cells[0] if len(cells) >= 2 and len(cells[-1].split()) >= 5 else ""
