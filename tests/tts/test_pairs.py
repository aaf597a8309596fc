"""Narrator/host pairs: which profiles a build uses when no voice is named, by what is
installed and what config.toml says."""

from __future__ import annotations

import pytest

from briefcast.errors import VoiceError
from briefcast.pipeline import BuildOptions, choose_voices
from briefcast.tts.pairs import config_path, default_pair, known_pairs


def chosen(language: str = "en", **options) -> tuple[str, str]:
    narrator, host = choose_voices(language, BuildOptions(**options))
    return narrator.name, host.name


def write_config(text: str) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(text)


@pytest.fixture(autouse=True)
def own_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_pairs_in_order_of_preference():
    assert list(known_pairs()) == ["kokoro", "joe-heart", "espeak"]
    assert (known_pairs()["kokoro"].narrator, known_pairs()["kokoro"].host) == ("heart", "michael")


def test_without_voice_packs_the_espeak_pair_as_before():
    assert default_pair("en") is None
    assert chosen() == ("narrator", "host")
    assert chosen("fr") == ("narrator-fr", "host-fr")


def test_installed_kokoro_pack_gives_the_kokoro_pair(kokoro_installed):
    assert chosen() == ("heart", "michael")
    assert chosen(single_voice=True) == ("heart", "heart")
    assert chosen(voice="narrator") == ("narrator", "michael")
    assert chosen("fr") == ("narrator-fr", "host-fr")  # the pair speaks English only


def test_config_chooses_the_espeak_pair_over_installed_voices(kokoro_installed):
    write_config('[voices]\npair = "espeak"\n')
    assert chosen() == ("narrator", "host")


def test_config_naming_a_pair_whose_pack_is_missing_says_how_to_get_it():
    write_config('[voices]\npair = "joe-heart"\n')
    with pytest.raises(
        VoiceError,
        match=r"chooses voice pair joe-heart, but voice pack "
        r"piper-joe is not installed \(`briefcast voices get piper-joe`\)",
    ):
        chosen()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[voices]\npair = "opera"\n', "no voice pair 'opera'; choose one of kokoro, joe-heart"),
        ("[voices\n", "config.toml .*; fix or remove it"),
    ],
)
def test_bad_config_is_one_clear_error(text, message):
    write_config(text)
    with pytest.raises(VoiceError, match=message):
        chosen()
