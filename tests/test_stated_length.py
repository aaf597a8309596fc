"""The intro promises the length the listener gets: the rendered episode's, as people say it."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefcast.pipeline import BuildOptions, build
from briefcast.script.framing import spoken_minutes

ARTICLE = Path(__file__).parent / "data" / "e2e-article.md"


@pytest.mark.parametrize("minutes", [1.0, 2.0])
def test_the_intro_states_the_rendered_length(tmp_path, minutes):
    result = build(ARTICLE, BuildOptions(out_dir=tmp_path, minutes=minutes, progress=False))
    intro = " ".join(s.text for s in result.script.segments() if s.kind == "intro")
    assert spoken_minutes(result.episode.duration_ms / 1000) in intro
