"""The script file: Markdown a person can edit (and read back), and JSON for programs.

Markdown layout (see docs/script-format.md)::

    # Title
    <!--
    source: BBC News
    date: 2025-03-12
    language: en
    narrator: narrator
    -->

    ## Chapter title

    [host intro] A segment in the host's voice, of kind intro.
    [host intro] Consecutive lines are segments of one spoken paragraph.

    A line without a marker is article text read by the narrator.
    [pause 2s]
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import ScriptFileError
from ..models import Chapter, Script, Segment

KINDS = ("intro", "body", "transition", "outro")
META_KEYS = ("source", "date", "author", "language", "narrator")
CHAPTER_KEYS = ("source", "url")  # a briefing's story: where it comes from
TAG = re.compile(r"^\[([^\]]*)\]\s*(.*)$")
CONTINUES = "<!-- paragraph continues -->"
PAUSE = re.compile(r"^\[pause\s+(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(ms|s)?\]$", re.I)


def _seconds(value: float) -> str:
    short = format(value, "g")
    return f"{short if float(short) == value else repr(value)}s"


def default_voice(script: Script) -> str:
    """The voice of most body segments: it needs no marker in the Markdown."""
    voices = (
        [s.voice for s in script.segments() if s.kind == "body"]
        or [s.voice for s in script.segments()]
        or ["narrator"]
    )
    return max(dict.fromkeys(voices), key=voices.count)


def script_to_markdown(script: Script) -> str:
    """The script as editable Markdown; ``script_from_markdown`` reads it back unchanged."""
    narrator = default_voice(script)
    lines = [f"# {script.title}", "<!--"]
    for key in META_KEYS:
        value = narrator if key == "narrator" else getattr(script, key)
        if value is not None:
            lines.append(f"{key}: {value}")
    lines += ["-->", ""]
    for chapter in script.chapters:
        lines += [f"## {chapter.title}"]
        lines += [
            f"<!-- {k}: {getattr(chapter, k)} -->" for k in CHAPTER_KEYS if getattr(chapter, k)
        ]
        lines += [""]
        for segment in chapter.segments:
            tags = ([segment.voice] if segment.voice != narrator else []) + (
                [segment.kind] if segment.kind != "body" else []
            )
            lines.append(f"[{' '.join(tags)}] {segment.text}" if tags else segment.text)
            if segment.pause_after is not None:
                lines.append(f"[pause {_seconds(segment.pause_after)}]")
            if segment.paragraph_end:
                lines.append("")
        if chapter.segments and not chapter.segments[-1].paragraph_end:
            lines += [CONTINUES, ""]  # rare: only a hand-made Script ends a chapter mid-paragraph
    return "\n".join(lines).rstrip("\n") + "\n"


def script_from_markdown(text: str) -> Script:
    """Parse a script file (as written by ``script_to_markdown`` or edited by hand)."""
    title: str | None = None
    meta: dict[str, str] = {}
    chapters: list[Chapter] = []
    last: Segment | None = None
    in_comment = False
    held: Segment | None = None  # a segment marked as continuing its paragraph

    def end_paragraph() -> None:
        if last is not None and last is not held:
            last.paragraph_end = True

    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        if line == CONTINUES:
            held = last
            continue
        if in_comment or line.startswith("<!--"):
            in_comment = _comment_line(line, meta, title is not None, chapters)
            continue
        if not line:
            end_paragraph()
            continue
        if line.startswith("# ") or line == "#":
            title = _title(line, number, title)
            continue
        if title is None:
            raise ScriptFileError(f"line {number}: a script file must start with '# Title'")
        if line.startswith("##"):
            chapter_title = line.lstrip("#").strip()
            if not chapter_title:
                raise ScriptFileError(f"line {number}: empty chapter title; write one after '## '")
            end_paragraph()
            chapters.append(Chapter(chapter_title))
            last = None
            continue
        if line.lower().startswith("[pause"):
            _pause(line, number, last)
            continue
        if not chapters:
            chapters.append(Chapter(title))
        last = _segment(line, number, meta.get("narrator", "narrator"))
        chapters[-1].segments.append(last)
    if title is None:
        raise ScriptFileError("the script file is empty; it must start with '# Title'")
    if in_comment:
        raise ScriptFileError("an HTML comment '<!--' is never closed; add '-->'")
    end_paragraph()
    return Script(
        title=title,
        chapters=chapters,
        source=meta.get("source"),
        date=meta.get("date"),
        author=meta.get("author"),
        language=meta.get("language", "en"),
    )


def _title(line: str, number: int, title: str | None) -> str:
    """The episode title of a '# ' line (there is exactly one, and it is not empty)."""
    if title is not None:
        raise ScriptFileError(f"line {number}: a second '# ' title; use '## ' for chapters")
    title = line[1:].strip()
    if not title:
        raise ScriptFileError(f"line {number}: the '# ' title is empty; write the episode title")
    return title


def _pause(line: str, number: int, last: Segment | None) -> None:
    """Set the pause after ``last`` from a '[pause 2s]' line."""
    pause = PAUSE.match(line)
    if not pause:
        raise ScriptFileError(f"line {number}: bad pause {line!r}; write e.g. [pause 2s]")
    if last is None:
        raise ScriptFileError(f"line {number}: [pause] must follow a line of text")
    value = float(pause.group(1))
    last.pause_after = value / 1000 if (pause.group(2) or "s").lower() == "ms" else value


def _comment_line(line: str, meta: dict[str, str], titled: bool, chapters: list[Chapter]) -> bool:
    """Read ``key: value`` lines of the header comment (episode metadata) and of a comment right
    under a chapter heading (its story's source and URL); return whether the comment is open."""
    body = line.removeprefix("<!--")
    closed = body.endswith("-->")
    body = body.removesuffix("-->").strip()
    key, sep, value = body.partition(":")
    key = key.strip().lower()
    if not (sep and titled):
        return not closed
    if not chapters and key in META_KEYS:
        meta[key] = value.strip()
    elif chapters and not chapters[-1].segments and key in CHAPTER_KEYS:
        setattr(chapters[-1], key, value.strip())
    return not closed


def _segment(line: str, number: int, narrator: str) -> Segment:
    voice, kind, text = narrator, "body", line
    tag = TAG.match(line)
    if tag:
        text = tag.group(2).strip()
        voices = []
        for token in tag.group(1).split():
            if token.lower() in KINDS:
                kind = token.lower()
            elif re.fullmatch(r"[\w.+-]+", token):
                voices.append(token)
            else:
                raise ScriptFileError(
                    f"line {number}: bad marker [{tag.group(1)}]; "
                    "write [voice], [kind] or [voice kind], e.g. [host intro]"
                )
        if len(voices) > 1:
            raise ScriptFileError(
                f"line {number}: marker [{tag.group(1)}] names two voices; keep one"
            )
        voice = voices[0] if voices else voice
        if not text:
            raise ScriptFileError(f"line {number}: marker [{tag.group(1)}] has no text after it")
    return Segment(text=text, voice=voice, kind=kind, paragraph_end=False)


def script_to_dict(script: Script) -> dict[str, Any]:
    """The script as plain data: title, metadata, chapters of segments (text, voice, kind…)."""
    chapters = []
    for chapter in script.chapters:
        segments = []
        for s in chapter.segments:
            item: dict[str, Any] = {"text": s.text, "voice": s.voice, "kind": s.kind}
            if s.pause_after is not None:
                item["pause_after"] = s.pause_after
            item["paragraph_end"] = s.paragraph_end
            segments.append(item)
        story = {k: getattr(chapter, k) for k in CHAPTER_KEYS if getattr(chapter, k)}
        chapters.append({"title": chapter.title, **story, "segments": segments})
    return {
        "title": script.title,
        "source": script.source,
        "date": script.date,
        "author": script.author,
        "language": script.language,
        "chapters": chapters,
    }


def script_to_json(script: Script) -> str:
    """``script_to_dict`` as indented JSON text (UTF-8 characters kept), ending in a newline."""
    return json.dumps(script_to_dict(script), ensure_ascii=False, indent=2) + "\n"
