"""Article → Script: clean, condense to a budget, rewrite for the ear, frame with intro and outro."""

from .briefing import Briefing, build_script, keep_rendered, plan_script, script_for_plan
from .build import DEFAULT_MINUTES, Plan, plan_article, script_from_plan
from .compose import estimate_seconds, restate_length, speaking_rate
from .scriptfile import script_from_markdown, script_to_dict, script_to_json, script_to_markdown
from .speech import spoken_script, spoken_segments, to_speech

__all__ = [
    "DEFAULT_MINUTES",
    "Briefing",
    "Plan",
    "build_script",
    "estimate_seconds",
    "keep_rendered",
    "plan_article",
    "plan_script",
    "restate_length",
    "script_for_plan",
    "script_from_markdown",
    "script_from_plan",
    "script_to_dict",
    "script_to_json",
    "script_to_markdown",
    "speaking_rate",
    "spoken_script",
    "spoken_segments",
    "to_speech",
]
