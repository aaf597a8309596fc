"""Article → Script: clean, condense to a budget, rewrite for the ear, frame with intro and outro."""

from .build import DEFAULT_MINUTES, build_script, plan_article, script_from_plan
from .compose import estimate_seconds
from .scriptfile import script_from_markdown, script_to_dict, script_to_json, script_to_markdown
from .speech import spoken_script, spoken_segments, to_speech

__all__ = [
    "DEFAULT_MINUTES",
    "build_script",
    "estimate_seconds",
    "plan_article",
    "script_from_markdown",
    "script_from_plan",
    "script_to_dict",
    "script_to_json",
    "script_to_markdown",
    "spoken_script",
    "spoken_segments",
    "to_speech",
]
