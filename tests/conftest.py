"""Shared test set-up: every test run uses its own segment cache, never the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def isolated_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("briefcast-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFCAST_CACHE_DIR", str(cache))
        yield cache
