"""The spoken frame around the condensed article: intro, transitions, outro, chapter titles."""

from __future__ import annotations

import math
import re
from collections import Counter

from ..lexicon import STOPWORDS
from ..models import PauseRules, Script
from .framing import date_words, frame_words, number_words, spoken_minutes
from .speech import spoken_words

MAX_TITLE = 60
TITLE_STOP = STOPWORDS  # words that never make a title term on their own
# Words that open a new clause or phrase: a title cut short ends before one of them.
CLAUSE_STARTS = frozenset(
    "as while after before because since when where which who that but or amid".split()
)
PHRASE_STARTS = CLAUSE_STARTS | frozenset(
    """and with without in on at by for from to into over under among against during despite
    than""".split()
)


def short_title(text: str, limit: int = MAX_TITLE) -> str:
    """A chapter title of at most ``limit`` characters, cut at a colon, else at a phrase
    boundary: before a conjunction or preposition, never after one ("… COVID-19 wave", not
    "… wave as cases surge in")."""
    text = " ".join(text.split()).strip(" .:;,-–—")
    if len(text) <= limit:
        return text
    head = re.split(r"\s*[:–—|]\s*|\s-\s", text)[0]
    if 12 <= len(head) <= limit:
        return head
    words = text[: limit + 1].rsplit(" ", 1)[0].split()
    for starts in (CLAUSE_STARTS, PHRASE_STARTS):  # a whole clause first, else a whole phrase
        for n in range(len(words) - 1, 1, -1):
            before = " ".join(words[:n])
            if (words[n].lower() in starts or before.endswith(",")) and len(before) >= 24:
                return before.rstrip(" ,;:-–—")
    while len(words) > 1 and words[-1].lower() in TITLE_STOP:
        words.pop()  # at least never end on "in", "of" or "the"
    return " ".join(words).rstrip(" ,;:-–—") or text[:limit]


def heading_title(heading: str, article_title: str = "") -> str:
    """A chapter title from a heading, at most 60 characters. A lead the heading shares with the
    article title is dropped: under "Zelensky US Peace Talks: Key Developments", the heading
    "Zelensky US Peace Talks: A New Hope for Resolution" becomes "A New Hope for Resolution"."""
    head, colon, rest = heading.partition(":")
    if colon and len(rest.split()) >= 2 and article_title:
        lead = {w.lower() for w in re.findall(r"[\w'’]+", head)}
        title_words = {w.lower() for w in re.findall(r"[\w'’]+", article_title)}
        if lead and lead <= title_words:
            return short_title(rest)
    return short_title(heading)


def key_terms_title(texts: list[str], document_frequency: Counter, documents: int) -> str:
    """A title from the chapter's two most distinctive terms, names first ("Miami and the
    United States")."""
    counts: Counter = Counter()
    surface: dict[str, str] = {}
    run = re.compile(r"[A-Z][\w'’-]+(?:\s+(?:of\s+)?[A-Z][\w'’-]+)*|[a-z][\w'’-]+")
    alone = Counter(
        m.group(0) for text in texts for m in run.finditer(text) if " " not in m.group(0)
    )
    for text in texts:
        # Runs of capitalised words are one term ("United States"), other words count alone;
        # a run of names that each stand alone elsewhere ("Ukraine Russia talks") is split.
        for match in run.finditer(text):
            tokens = match.group(0).split()
            if len(tokens) > 1 and all(alone[t] >= 1 for t in tokens if t != "of"):
                tokens = [t for t in tokens if t != "of"]
            else:
                tokens = [match.group(0)]
            for token in tokens:
                _count_term(token, counts, surface)
    if not counts:
        return "The main points"

    def weight(key: str) -> float:
        idf = math.log((documents + 1) / (document_frequency.get(key, 0) + 1)) + 1
        return counts[key] * idf * (1.5 if surface[key][0].isupper() else 1.0)

    picked: list[str] = []
    used: set[str] = set()
    for key in sorted(counts, key=weight, reverse=True):
        words = set(key.split())
        if words & used:
            continue  # "Ukraine" after "Ukraine Russia" says nothing new
        picked.append(_with_article(surface[key]))
        used |= words
        if len(picked) == 2:
            break
    title = " and ".join(picked)
    return short_title(title[0].upper() + title[1:])


def _count_term(token: str, counts: Counter, surface: dict[str, str]) -> None:
    token = re.sub(r"['’]s$", "", token)
    first = token.split()[0].lower()
    if " " not in token and (first in TITLE_STOP or len(first) < 3):
        return
    if " " in token and first in TITLE_STOP:
        token = token.split(" ", 1)[1]
    key = token.lower()
    counts[key] += 1
    if key not in surface or token[0].isupper():
        surface[key] = token


PLURAL_NAMES = {
    "states",
    "kingdom",
    "nations",
    "union",
    "republic",
    "netherlands",
    "philippines",
    "emirates",
    "government",
    "council",
    "commission",
    "parliament",
    "senate",
    "army",
}


def _with_article(term: str) -> str:
    """ "United States" → "the United States": names built on a common noun take "the"."""
    words = term.split()
    if len(words) > 1 and words[-1].lower() in PLURAL_NAMES:
        return "the " + term
    return term


def spoken_list(items: list[str], language: str = "en") -> str:
    """Titles as a spoken list; a title with "and" of its own is kept whole by "then"."""
    if len(items) <= 1:
        return "".join(items)
    words = frame_words(language)
    both = f" {words['and']} "
    joiner = f", {words['then']} " if any(both in item for item in items) else both
    return ", ".join(items[:-1]) + joiner + items[-1]


def intro_texts(
    title: str,
    source: str | None,
    date: str | None,
    chapter_titles: list[str],
    seconds: float,
    language: str = "en",
) -> list[str]:
    """The intro, one segment per sentence: title, source and date, length, chapters.

    The length is a sentence of its own because it is the one said last-minute: it is restated
    from the rendered audio (``restate_length``), and a short segment is all that re-renders.
    """
    words = frame_words(language)
    lines = [f"{title.rstrip('.')}."]
    when = date_words(date, language) if date else ""
    if source or when:
        key = "from_on" if source and when else "from" if source else "on"
        lines.append(words[key].format(source=source, date=when))
    lines.append(words["length"].format(length=spoken_minutes(seconds, language)))
    if len(chapter_titles) > 1:
        # An opening chapter named after the episode itself is no news to list: call it that.
        named = [t for t in chapter_titles if not title.lower().startswith(t.lower().rstrip("."))]
        listed = named if len(named) == len(chapter_titles) else [words["overview"], *named]
        lines.append(words["chapters"].format(items=spoken_list(listed, language)))
    else:
        lines.append(words["main_points"])
    return lines


def transition_text(chapter_title: str, index: int, last: bool, language: str = "en") -> str:
    """A short bridge naming the next chapter."""
    words = frame_words(language)
    nexts = words["next"]
    template = words["finally"] if last and index > 1 else nexts[(index - 1) % len(nexts)]
    return template.format(chapter_title.rstrip("."))


def outro_text(title: str, source: str | None, language: str = "en") -> str:
    """The closing line: what the episode was, and where it came from."""
    words = frame_words(language)
    origin = words["origin"].format(source=source) if source else ""
    return words["outro"].format(title=title.rstrip("."), origin=origin)


def briefing_intro_texts(
    title: str, headlines: list[str], seconds: float, language: str = "en"
) -> list[str]:
    """A briefing's intro: its title, its length (a sentence of its own, as in ``intro_texts``),
    then the rundown ("Three stories today: …")."""
    words = frame_words(language)
    count = number_words(len(headlines), language)
    rundown = words["stories"].format(
        n=count[0].upper() + count[1:],
        items=spoken_list([h.rstrip(".") for h in headlines], language),
    )
    length = words["briefing_length"].format(length=spoken_minutes(seconds, language))
    return [f"{title.rstrip('.')}.", length, rundown]


def story_transition_text(
    headline: str, source: str | None, index: int, count: int, language: str = "en"
) -> str:
    """The line before a briefing's story, naming it and its source ("From the BBC: …")."""
    key = "story_first" if index == 0 else "story_last" if index == count - 1 else "story"
    with_source, bare = frame_words(language)[key]
    template = with_source if source else bare
    return template.format(source=source, title=headline.rstrip("."))


def briefing_outro_text(count: int, language: str = "en") -> str:
    """A briefing's closing line."""
    return frame_words(language)["briefing_outro"].format(n=number_words(count, language))


def estimate_seconds(script: Script, wpm: float, pauses: PauseRules = PauseRules()) -> float:
    """Spoken length of ``script`` at ``wpm`` words per minute, with the pauses between segments
    (the words counted are those the voice says: "£8,000" is three)."""
    words = sum(spoken_words(s.text, script.language) for s in script.segments())
    return words * 60.0 / wpm + pauses.silence_in(script)


def speaking_rate(script: Script, seconds: float, wpm: float, pauses: PauseRules) -> float:
    """The words a minute of speech (pauses left out, as calibration measures) in ``script``,
    planned at ``wpm`` and found to play ``seconds``: ``estimate_seconds`` the other way."""
    silence = pauses.silence_in(script)
    speech = estimate_seconds(script, wpm, pauses) - silence
    return wpm * speech / max(seconds - silence, 1.0)


def restate_length(script: Script, seconds: float) -> Script:
    """``script`` with its intro's stated length ("about three minutes") made that of
    ``seconds``, the episode's measured length, rounded as people say it."""
    said = spoken_minutes(seconds, script.language)
    candidates = {spoken_minutes(60.0 * n, script.language) for n in range(1, 20)}
    candidates |= {spoken_minutes(60.0 * n, script.language) for n in range(20, 601, 5)}
    for segment in script.segments():
        if segment.kind != "intro":
            continue
        # the longest phrase first: "about twenty-two minutes" before "about two minutes"
        for phrase in sorted(candidates, key=len, reverse=True):
            if phrase in segment.text and phrase != said:
                segment.text = segment.text.replace(phrase, said)
                break
    return script
