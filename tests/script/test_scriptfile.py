import json
from importlib import resources
from pathlib import Path

import pytest

from briefcast.article import read_article
from briefcast.errors import ScriptFileError
from briefcast.models import Chapter, Script, Segment
from briefcast.script import (
    build_script,
    script_from_markdown,
    script_to_dict,
    script_to_json,
    script_to_markdown,
)

BUNDLED = Path(str(resources.files("briefcast") / "data" / "sample-article.md"))
SAMPLE = Path(__file__).parents[1] / "data" / "tram-talks.txt"


@pytest.mark.parametrize(
    "path,kw", [(BUNDLED, {"minutes": 3}), (BUNDLED, {"words": 120}), (SAMPLE, {"minutes": 3})]
)
def test_built_scripts_round_trip_exactly(path, kw):
    if not path.exists():
        pytest.skip(f"{path} absent")
    script = build_script(read_article(path), host="host", narrator="narrator", **kw)
    assert script_from_markdown(script_to_markdown(script)) == script


def test_hand_made_script_with_pauses_voices_and_odd_paragraphs_round_trips():
    script = Script(
        "Title",
        [
            Chapter(
                "One",
                [
                    Segment("Hello.", "anna", "intro", paragraph_end=False),
                    Segment("Body text.", "bob", pause_after=2.0),
                    Segment("More.", "bob", pause_after=0.1 + 0.2, paragraph_end=False),
                ],
            ),
            Chapter("Two", [Segment("Ask?", "anna"), Segment("Bye.", "anna", "outro")]),
        ],
        source="Daily Planet",
        date="2025-03-12",
        author="Jane Doe",
        language="fr",
    )
    assert script_from_markdown(script_to_markdown(script)) == script


def test_markdown_layout_is_what_the_docs_describe():
    script = Script(
        "T",
        [
            Chapter(
                "C",
                [Segment("Hi.", "host", "intro"), Segment("Text.", "narrator", pause_after=1.5)],
            )
        ],
    )
    assert script_to_markdown(script) == (
        "# T\n<!--\nlanguage: fr\nnarrator: narrator\n-->\n\n## C\n\n[host intro] Hi.\n\nText.\n[pause 1.5s]\n".replace(
            "fr", "en"
        )
    )


def test_an_edited_file_parses():
    text = (
        "# My episode\n\n## Start\n\n[host intro] Welcome.\n\nA sentence the user rewrote.\n"
        "A new sentence the user added.\n[pause 500ms]\n\nA new paragraph.\n\n## End\n\n[host outro] Bye.\n"
    )
    script = script_from_markdown(text)
    assert [c.title for c in script.chapters] == ["Start", "End"]
    body = script.chapters[0].segments
    assert [(s.text, s.voice, s.kind, s.paragraph_end) for s in body] == [
        ("Welcome.", "host", "intro", True),
        ("A sentence the user rewrote.", "narrator", "body", False),
        ("A new sentence the user added.", "narrator", "body", True),
        ("A new paragraph.", "narrator", "body", True),
    ]
    assert body[2].pause_after == 0.5


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "empty"),
        ("Some text\n", "start with '# Title'"),
        ("# A\n# B\n", "second '# ' title"),
        ("# A\n\n[pause 2s]\n", "must follow a line"),
        ("# A\n\n## C\n\nText.\n[pause soon]\n", "bad pause"),
        ("# A\n\n## C\n\n[host intro]\n", "no text"),
        ("# A\n\n## C\n\n[anna bob] Hi.\n", "two voices"),
        ("# A\n<!-- never closed\n", "never closed"),
        ("# A\n\n##\n", "empty chapter title"),
    ],
)
def test_malformed_files_raise_script_file_error(text, message):
    with pytest.raises(ScriptFileError, match=message.replace("(", r"\(")):
        script_from_markdown(text)


def test_json_has_the_documented_shape():
    script = Script(
        "T",
        [Chapter("C", [Segment("Hi.", "host", "intro"), Segment("Text.", pause_after=1.0)])],
        source="S",
        date="2025-01-02",
    )
    data = json.loads(script_to_json(script))
    assert data == script_to_dict(script)
    assert {k: data[k] for k in ("title", "source", "date", "language")} == {
        "title": "T",
        "source": "S",
        "date": "2025-01-02",
        "language": "en",
    }
    first, second = data["chapters"][0]["segments"]
    assert first == {"text": "Hi.", "voice": "host", "kind": "intro", "paragraph_end": True}
    assert second["pause_after"] == 1.0 and second["kind"] == "body"


def test_the_documented_example_parses():
    doc = Path(__file__).resolve().parents[2] / "docs" / "script-format.md"
    if not doc.exists():
        pytest.skip("docs/script-format.md absent")
    example = doc.read_text(encoding="utf-8").split("```markdown\n", 1)[1].split("```", 1)[0]
    script = script_from_markdown(example)
    assert [c.title for c in script.chapters] == ["Repairs and costs", "What happens next"]
    assert script.segments()[3].pause_after == 2.0
