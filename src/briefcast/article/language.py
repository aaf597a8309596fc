"""An article's language, told by py3langid (a maintained langid.py) from its text."""

from __future__ import annotations

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_identifier: LanguageIdentifier | None = None
MIN_CONFIDENCE = 0.5
"""Below this (normalised) probability the text is too short or mixed to tell: "en"."""


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language; "en" when there is too little to tell."""
    global _identifier
    sample = text[:20000]
    if not any(c.isalpha() for c in sample):
        return "en"
    if _identifier is None:  # the model takes ~0.1 s to load: only when first asked
        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    language, confidence = _identifier.classify(sample)
    return language if confidence >= MIN_CONFIDENCE else "en"
