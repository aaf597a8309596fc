"""The words of an episode's frame (intro, transitions, outro, generic chapter titles) in each
language briefcast frames, with its dates and lengths said the way people say them there.

A language missing here gets no framing at all: never English words in another language's voice.
"""

from __future__ import annotations

import re

from ..lazy import lazy_import
from ..lexicon import word_list

num2words_lib = lazy_import("num2words")  # its language tables load on first use (0.07 s)

# A data table: one entry per language, the same keys in each.
FRAMES: dict[str, dict] = {
    "en": {
        "briefing": "Briefing",
        "from_on": "From {source}, published {date}.",
        "from": "From {source}.",
        "on": "Published {date}.",
        "length": "This episode runs {length}.",
        "chapters": "Coming up: {items}.",
        "main_points": "Here are the main points.",
        "overview": "an overview",
        "and": "and",
        "then": "then",
        "next": ("Next: {}.", "Now, {}.", "Moving on: {}.", "Turning to {}."),
        "finally": "Finally, {}.",
        "outro": "That was {title}{origin}. Thanks for listening.",
        "origin": ", from {source}",
        "a_minute": "about a minute",
        "minutes": "about {n} minutes",
        "stories": "{n} stories today: {items}.",
        "briefing_length": "This briefing runs {length}.",
        "story_first": ("First, from {source}: {title}.", "First: {title}."),
        "story": ("From {source}: {title}.", "Next: {title}."),
        "story_last": ("Finally, from {source}: {title}.", "Finally: {title}."),
        "briefing_outro": "That was your briefing of {n} stories. Thanks for listening.",
        "qa": "Questions and answers",
        "key_points": "Key points",
        "date": "{day} {month} {year}",
    },
    "de": {
        "briefing": "Nachrichten",
        "from_on": "Von {source}, veröffentlicht am {date}.",
        "from": "Von {source}.",
        "on": "Veröffentlicht am {date}.",
        "length": "Diese Folge dauert {length}.",
        "chapters": "Die Themen: {items}.",
        "main_points": "Hier das Wichtigste.",
        "overview": "ein Überblick",
        "and": "und",
        "then": "dann",
        "next": ("Weiter: {}.", "Jetzt: {}.", "Als Nächstes: {}.", "Nun zu {}."),
        "finally": "Zum Schluss: {}.",
        "outro": "Das war {title}{origin}. Danke fürs Zuhören.",
        "origin": ", von {source}",
        "a_minute": "etwa eine Minute",
        "minutes": "etwa {n} Minuten",
        "stories": "{n} Meldungen heute: {items}.",
        "briefing_length": "Diese Ausgabe dauert {length}.",
        "story_first": ("Zuerst, von {source}: {title}.", "Zuerst: {title}."),
        "story": ("Von {source}: {title}.", "Weiter: {title}."),
        "story_last": ("Zum Schluss, von {source}: {title}.", "Zum Schluss: {title}."),
        "briefing_outro": "Das waren {n} Meldungen. Danke fürs Zuhören.",
        "qa": "Fragen und Antworten",
        "key_points": "Das Wichtigste",
        "date": "{day}. {month} {year}",
    },
    "fr": {
        "briefing": "Le point",
        "from_on": "De {source}, publié le {date}.",
        "from": "De {source}.",
        "on": "Publié le {date}.",
        "length": "Cet épisode dure {length}.",
        "chapters": "Au programme : {items}.",
        "main_points": "Voici l'essentiel.",
        "overview": "un aperçu",
        "and": "et",
        "then": "puis",
        "next": ("Ensuite : {}.", "Maintenant, {}.", "Passons à {}.", "Place à {}."),
        "finally": "Enfin, {}.",
        "outro": "C'était {title}{origin}. Merci de votre écoute.",
        "origin": ", de {source}",
        "a_minute": "environ une minute",
        "minutes": "environ {n} minutes",
        "stories": "{n} sujets aujourd'hui : {items}.",
        "briefing_length": "Ce point dure {length}.",
        "story_first": ("D'abord, de {source} : {title}.", "D'abord : {title}."),
        "story": ("De {source} : {title}.", "Ensuite : {title}."),
        "story_last": ("Enfin, de {source} : {title}.", "Enfin : {title}."),
        "briefing_outro": "C'étaient vos {n} sujets. Merci de votre écoute.",
        "qa": "Questions et réponses",
        "key_points": "Points clés",
        "date": "{day} {month} {year}",
    },
    "es": {
        "briefing": "Resumen",
        "from_on": "De {source}, publicado el {date}.",
        "from": "De {source}.",
        "on": "Publicado el {date}.",
        "length": "Este episodio dura {length}.",
        "chapters": "En este episodio: {items}.",
        "main_points": "Aquí lo principal.",
        "overview": "un resumen",
        "and": "y",
        "then": "luego",
        "next": ("A continuación: {}.", "Ahora, {}.", "Seguimos con {}.", "Pasamos a {}."),
        "finally": "Por último, {}.",
        "outro": "Eso fue {title}{origin}. Gracias por escuchar.",
        "origin": ", de {source}",
        "a_minute": "alrededor de un minuto",
        "minutes": "unos {n} minutos",
        "stories": "{n} noticias hoy: {items}.",
        "briefing_length": "Este resumen dura {length}.",
        "story_first": ("Primero, de {source}: {title}.", "Primero: {title}."),
        "story": ("De {source}: {title}.", "A continuación: {title}."),
        "story_last": ("Por último, de {source}: {title}.", "Por último: {title}."),
        "briefing_outro": "Esas fueron sus {n} noticias. Gracias por escuchar.",
        "qa": "Preguntas y respuestas",
        "key_points": "Puntos clave",
        "date": "{day} de {month} de {year}",
    },
}


def frame_language(language: str | None) -> str | None:
    """The framing table's language for ``language`` ("en-GB" → "en"), None when it has none."""
    code = (language or "en").split("-")[0].split("_")[0].lower()
    return code if code in FRAMES else None


def frame_words(language: str | None) -> dict:
    """The framing words for ``language`` (English when none: for titles of unframed episodes)."""
    return FRAMES[frame_language(language) or "en"]


def spoken_minutes(seconds: float, language: str = "en") -> str:
    """A length as people say it: "about a minute", "about three minutes" (nearest minute;
    from twenty on, the nearest five)."""
    words = frame_words(language)
    minutes = seconds / 60
    if minutes < 1.5:
        return words["a_minute"]
    n = round(minutes) if minutes < 20 else 5 * round(minutes / 5)
    return words["minutes"].format(n=number_words(n, language))


def number_words(n: int, language: str = "en") -> str:
    """``n`` in words in ``language`` ("drei", "trois")."""
    return num2words_lib.num2words(n, lang=frame_language(language) or "en")


def date_words(iso: str, language: str = "en") -> str:
    """ "2025-03-12" → "12 March 2025" ("12. März 2025", "12 de marzo de 2025")."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return iso
    code = frame_language(language) or "en"
    month = word_list(f"months-{code}")[int(match.group(2)) - 1]
    month = month.capitalize() if code == "en" else month
    return frame_words(code)["date"].format(
        day=int(match.group(3)), month=month, year=match.group(1)
    )
