import pytest
from click.testing import CliRunner

from briefcast.article import detect_language, parse_article, read_article
from briefcast.cli import cli
from briefcast.errors import InputError


def test_missing_folder_empty_and_binary_inputs_fail_with_one_line(tmp_path):
    cases = {
        tmp_path / "missing.txt": "not found",
        tmp_path: "is a folder",
    }
    (tmp_path / "empty.txt").write_text("   \n\n ")
    cases[tmp_path / "empty.txt"] = "empty"
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    cases[tmp_path / "image.png"] = "binary"
    (tmp_path / "zeros.txt").write_bytes(b"\x00" * 4096)
    cases[tmp_path / "zeros.txt"] = "binary"
    for path, message in cases.items():
        with pytest.raises(InputError) as info:
            read_article(path)
        assert message in str(info.value) and "\n" not in str(info.value)


def test_markdown_headings_sections_title_and_byline():
    text = (
        "# Urban Forests\n\n*By Jane Doe. Published 3 November 2026.*\n\nIntro text here.\n\n"
        "## Where It Began\n\nThe method came from Japan. It spread.\n\n"
        "- first item of a list\n- second item\n\n![photo](tree.jpg)\n"
    )
    article = parse_article(text, "md", name="forests")
    assert article.title == "Urban Forests"
    assert (article.author, article.date) == ("Jane Doe", "2026-11-03")
    assert [s.title for s in article.sections] == [None, "Where It Began"]
    assert article.sections[1].paragraphs == [
        "The method came from Japan. It spread.",
        "first item of a list",
        "second item",
    ]


def test_markdown_pipe_table_becomes_a_table_section():
    text = "# T\n\nSome text.\n\n## Key facts\n\n| Fact | Detail |\n|---|---|\n| Venue | Miami |\n| Date | June |\n"
    table = parse_article(text, "md").sections[-1]
    assert (table.kind, table.title, table.paragraphs) == (
        "keypoints",
        "Key facts",
        ["Venue | Miami", "Date | June"],
    )


def test_plain_text_headings_are_short_lines_without_final_punctuation():
    text = (
        "The Big Story\n\nFirst paragraph of prose. It goes on.\n\nWhat Happened Next\n\n"
        "Second paragraph of prose here.\n\nScroll to Top\n"
    )
    article = parse_article(text, "txt")
    assert article.title == "The Big Story"
    assert [(s.title, s.paragraphs) for s in article.sections] == [
        (None, ["First paragraph of prose. It goes on."]),
        ("What Happened Next", ["Second paragraph of prose here."]),
    ]


def test_hard_wrapped_plain_text_is_joined_into_paragraphs():
    text = "Title line\n\nThis paragraph was wrapped\nat a fixed width by an editor\nand must be one paragraph.\n"
    assert parse_article(text, "txt").sections[0].paragraphs == [
        "This paragraph was wrapped at a fixed width by an editor and must be one paragraph."
    ]


def test_html_keeps_headings_and_paragraphs_and_drops_page_chrome():
    html = """<html><head><title>Storm hits coast | Daily Planet</title>
    <meta property="article:published_time" content="2025-03-12T10:00:00Z"></head><body>
    <nav><a href="/">Home</a> News</nav><script>var x = 1;</script>
    <article><p>The storm arrived overnight.</p><h2>Damage</h2><p>Roofs were lost.</p>
    <ul><li>Power cut to 2,000 homes.</li></ul><div class="share-buttons">Share on Facebook</div>
    <aside>Most read</aside></article><footer>Copyright</footer></body></html>"""
    article = parse_article(html, "html")
    assert (article.title, article.source, article.date) == (
        "Storm hits coast",
        "Daily Planet",
        "2025-03-12",
    )
    assert [(s.title, s.paragraphs) for s in article.sections] == [
        (None, ["The storm arrived overnight."]),
        ("Damage", ["Roofs were lost.", "Power cut to 2,000 homes."]),
    ]


def test_unknown_extension_is_sniffed(tmp_path):
    path = tmp_path / "story.article"
    path.write_text("<html><body><h1>Hi there</h1><p>Text of the story.</p></body></html>")
    assert read_article(path).title == "Hi there"


def test_title_falls_back_to_the_file_stem(tmp_path):
    path = tmp_path / "my_best-story.txt"
    path.write_text(
        "This first line is a full sentence that ends with a stop.\n\nMore text here.\n"
    )
    assert read_article(path).title == "My best story"


@pytest.mark.parametrize(
    "text,language",
    [
        ("The cat sat on the mat and it was happy with the sun.", "en"),
        ("Der Hund und die Katze sind in dem Haus, das ist nicht schön.", "de"),
        ("Le chat et le chien sont dans la maison, pour une nuit.", "fr"),
        ("El perro y el gato están en la casa de los vecinos, por la noche.", "es"),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "scripts.html",
            "<html><body><script>alert(1)</script><style>p{}</style></body></html>",
            "has no article text once page furniture is removed",
        ),
        (
            "furniture.txt",
            "Share on Facebook\n\nListen to this article\n\nScroll to Top\n",
            "has no article text once page furniture is removed",
        ),
        ("title.md", "# Only a title\n", "has no article text"),
        (
            "feed.xml",
            '<?xml version="1.0"?><rss><channel><title>x</title></channel></rss>',
            "is a feed without items",
        ),
        ("blank.md", "\n\n   \n", "is empty"),
    ],
)
def test_read_refuses_what_is_no_article_with_one_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["read", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path} ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_one_long_sentence_and_ten_megabytes_of_text_are_read(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("A Long Story\n\n" + "word " * 5000 + "end.\n\n" + "More text here. " * 600000)
    article = read_article(path)
    assert article.sections[0].paragraphs[0].endswith("word end.")
    assert len(article.sections[0].paragraphs[1]) > 9_000_000


SETTINGS_PAGE = """<html><head><title>Match settings explained</title></head><body><article>
<h1>Match settings explained</h1>
<p>Every option of the match menu, what it changes and the values it takes, one table a menu.
The defaults suit most players, but a few are worth changing before your first season.</p>
<h2>{heading}</h2>
<table><tr><th>Option</th><th>Value</th></tr>
{rows}
</table>
<p>Change them from the pause menu at any time; a match in progress keeps its old values.</p>
</article></body></html>"""


def test_a_table_whose_first_cells_explain_is_read_but_a_grid_of_figures_is_not():
    explained = "".join(
        f"<tr><td>{name} sets how fast a player of the team can run.</td><td>1-100</td></tr>"
        for name in ("Sprint speed", "Acceleration", "Shot error")
    )
    page = SETTINGS_PAGE.format(heading="Player movement", rows=explained)
    tables = [s for s in parse_article(page, "html").sections if s.kind == "keypoints"]
    assert [(s.title, s.paragraphs[0]) for s in tables] == [
        ("Player movement", "Sprint speed sets how fast a player of the team can run. | 1-100")
    ]
    figures = "".join(f"<tr><td>{y}</td><td>{y * 3 % 97}</td></tr>" for y in range(2019, 2024))
    page = SETTINGS_PAGE.format(heading="Player movement", rows=figures)
    sections = parse_article(page, "html").sections
    assert "keypoints" not in [s.kind for s in sections]
    assert "2021" not in " ".join(p for s in sections for p in s.paragraphs)


LEDE_PAGE = """<html><head><title>Harbour plan approved</title></head><body><article>
<h1>Harbour plan approved</h1>
<div class="teaser"><span>Anzeige</span><p>The town's harbour plan was approved last night
after two years of argument, and building starts in the spring.</p></div>
{body}
<div class="teaser"><p>Read more about the quay</p></div>
</article></body></html>"""


def test_a_lede_trafilatura_skips_is_read_in_its_place_but_a_short_teaser_is_not():
    body = "".join(
        f"<p>The harbour board met on Monday evening to discuss item {i} of the plan, and"
        " members argued for an hour about the cost of the new quay wall before voting.</p>"
        for i in range(1, 6)
    )
    paragraphs = parse_article(LEDE_PAGE.format(body=body), "html").sections[0].paragraphs
    assert paragraphs[0].startswith("The town's harbour plan was approved last night after two")
    assert len(paragraphs) == 6 and "item 1 of" in paragraphs[1]
    assert "Read more" not in " ".join(paragraphs)


SUMMARY_PAGE = """<html><head><title>Quay Wall Vote</title>
<meta name="description" content="{description}"></head><body><article><h1>Quay Wall Vote</h1>
{shown}{body}</article></body></html>"""
QUAY_BODY = "".join(
    f"<p>The harbour board met on Monday evening to discuss item {i} of the plan, and members"
    " argued for an hour about the cost of the new quay wall before voting.</p>"
    for i in range(1, 5)
)
QUAY_SUMMARY = (
    "After two years of argument the harbour board has approved the new quay wall, and"
    " building will start in the spring."
)


def test_a_description_the_page_only_states_in_its_metadata_is_not_read():
    page = SUMMARY_PAGE.format(description=QUAY_SUMMARY, shown="", body=QUAY_BODY)
    paragraphs = parse_article(page, "html").sections[0].paragraphs
    assert len(paragraphs) == 4 and paragraphs[0].startswith("The harbour board met")
    shown = SUMMARY_PAGE.format(description=QUAY_SUMMARY, shown="", body=QUAY_BODY).replace(
        "<article>", f"<div class='dek'><h2>{QUAY_SUMMARY}</h2></div><article>"
    )
    assert parse_article(shown, "html").sections[0].paragraphs == [QUAY_SUMMARY, *paragraphs]


EMBEDDED_PAGE = """<html><head><title>Quay Wall Vote</title>
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}",
"articleBody": "{text}"}}</script></head><body><article><h1>Quay Wall Vote</h1>
<h2>The vote</h2>{body}</article></body></html>"""


def test_an_articles_data_replaces_the_main_text_only_when_it_holds_twice_as_much():
    items = [
        f"Item {i} of the plan was approved after a long argument about its cost and its date."
        for i in range(1, 25)
    ]
    body = "".join(f"<p>{item}</p>" for item in items[:6])
    text = "\\n".join(items)
    shorter = EMBEDDED_PAGE.format(headline="Quay Wall Vote", text=text[:900], body=body)
    assert [s.title for s in parse_article(shorter, "html").sections] == ["The vote"]
    longer = EMBEDDED_PAGE.format(headline="Quay Wall Vote", text=text, body=body)
    assert parse_article(longer, "html").sections[0].paragraphs == items
    other = EMBEDDED_PAGE.format(headline="Another Story", text=text, body=body)
    assert [s.title for s in parse_article(other, "html").sections] == ["The vote"]


def test_a_paragraph_with_inline_markup_both_extractors_find_is_read_once():
    body = "".join(
        f"<p>In <em>The Harbour Years</em>, chapter {i} follows the board through a winter of"
        " arguments about the <a href='/quay'>new quay wall</a>, its cost and its date.</p>"
        for i in range(1, 6)
    )
    page = f"<html><body><article><h1>Harbour Years</h1>{body}</article></body></html>"
    article = parse_article(page, "html")
    assert [p for s in article.sections for p in s.paragraphs] == [
        f"In The Harbour Years, chapter {i} follows the board through a winter of arguments"
        " about the new quay wall, its cost and its date."
        for i in range(1, 6)
    ]
