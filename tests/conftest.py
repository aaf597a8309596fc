"""Shared test set-up: every test run uses its own segment cache, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def isolated_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("briefcast-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFCAST_CACHE_DIR", str(cache))
        # Nor the user's voice packs and config.toml: what is installed there picks the voices.
        mp.setenv("BRIEFCAST_DATA_DIR", str(tmp_path_factory.mktemp("briefcast-data")))
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("briefcast-config")))
        yield cache


@pytest.fixture(scope="session")
def kokoro_data(tmp_path_factory) -> Path:
    """A data folder with the kokoro pack installed by `voices get kokoro --from` (skips when the
    registry packages it is assembled from are absent)."""
    from kokoro_assets import kokoro_missing, kokoro_source

    from briefcast.tts.packs import get_pack

    reason = kokoro_missing()
    if reason:
        pytest.skip(reason)
    data = tmp_path_factory.mktemp("kokoro-data")
    source = kokoro_source(tmp_path_factory.mktemp("kokoro-source"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFCAST_DATA_DIR", str(data))
        get_pack("kokoro", source)
    return data


@pytest.fixture
def kokoro_installed(kokoro_data, monkeypatch) -> Path:
    """The kokoro pack installed, for this test only."""
    monkeypatch.setenv("BRIEFCAST_DATA_DIR", str(kokoro_data))
    return kokoro_data
