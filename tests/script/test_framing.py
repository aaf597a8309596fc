"""The frame in the article's language, its stated length, and chapter titles cut at phrases."""

import logging

import pytest

from briefcast.models import Article, Section
from briefcast.script import build_script, restate_length
from briefcast.script.compose import short_title
from briefcast.script.framing import spoken_minutes

TEXTS = {
    "de": "Der Stadtrat hat am Dienstag eine neue Straßenbahnlinie beschlossen. Sie verbindet den "
    "Flughafen mit dem Hauptbahnhof und soll im Jahr 2028 fertig sein. Die Linie kostet 1,2 "
    "Milliarden Euro.",
    "fr": "Le conseil municipal a approuvé mardi une nouvelle ligne de tramway. Elle reliera "
    "l'aéroport à la gare centrale d'ici 2028. La ligne coûtera 1,2 milliard d'euros.",
    "es": "El ayuntamiento aprobó el martes una nueva línea de tranvía. Unirá el aeropuerto con la "
    "estación central en 2028. La línea costará 1.200 millones de euros.",
    "it": "Il consiglio comunale ha approvato martedì una nuova linea del tram. Collegherà "
    "l'aeroporto alla stazione centrale entro il 2028. La linea costerà 1,2 miliardi di euro.",
}
FRAMED = {
    "de": ("etwa eine Minute", "Danke fürs Zuhören", "Von Stadtblatt, veröffentlicht am 3. März"),
    "fr": ("environ une minute", "Merci de votre écoute", "De Stadtblatt, publié le 3 mars 2026"),
    "es": ("alrededor de un minuto", "Gracias por escuchar", "publicado el 3 de marzo de 2026"),
}


def article(language):
    paragraphs = TEXTS[language].split(". ")
    return Article(
        "Tram",
        [Section(None, paragraphs)],
        source="Stadtblatt",
        date="2026-03-03",
        language=language,
    )


@pytest.mark.parametrize("language", sorted(FRAMED))
def test_the_frame_is_in_the_article_language(language):
    script = build_script(article(language), minutes=1)
    framing = " ".join(s.text for s in script.segments() if s.kind != "body")
    for words in FRAMED[language]:
        assert words in framing
    assert "Thanks for listening" not in framing and "minute," not in framing


def test_other_languages_are_read_unframed_with_one_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="briefcast"):
        script = build_script(article("it"), minutes=1)
    assert {s.kind for s in script.segments()} == {"body"}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "'it'" in warnings[0].getMessage()


@pytest.mark.parametrize(
    "seconds,said",
    [
        (50, "about a minute"),
        (157, "about three minutes"),
        (490, "about eight minutes"),
        (1490, "about twenty-five minutes"),
    ],
)
def test_lengths_are_rounded_as_people_say_them(seconds, said):
    assert spoken_minutes(seconds) == said


def test_the_intro_states_the_measured_length():
    script = build_script(article("de"), minutes=1)
    restate_length(script, 157)
    intro = " ".join(s.text for s in script.segments() if s.kind == "intro")
    assert "etwa drei Minuten" in intro and "eine Minute" not in intro


def test_titles_are_cut_at_a_phrase_boundary():
    title = "Americas at risk of further COVID-19 wave as cases surge in Brazil and Mexico"
    assert short_title(title) == "Americas at risk of further COVID-19 wave"
    assert not short_title("word " * 30 + "of the").endswith((" of", " the"))
