import pytest

from briefcast.article import parse_article
from briefcast.article.furniture import is_furniture
from briefcast.article.sections import faq_pairs
from briefcast.article.text import split_table_row, table_rows

FURNITURE = [
    "image 00c3fda1 1d24 4360 921e 82ec878d15fb.webp",
    "hero-photo_2.JPG",
    "Listen to this article",
    "Scroll to Top",
    "Back to top",
    "Share this article on Facebook",
    "Follow us on Twitter",
    "Sign up for our newsletter",
    "Advertisement",
    "Related articles",
    "5 min read",
    "We use cookies to improve your browsing experience. Accept all cookies to continue.",
    "By Jane Doe, BBC News",
    "Published 12 March 2025",
    "Updated 3 hours ago",
    "Home > World > Europe",
    "Image credit: Getty Images",
    "© 2025 Example Media. All rights reserved.",
    "https://example.com/story",
    "* * *",
    "[Skip to main content](#main)".strip("[]"),
    "01-17-2011",
    "Subscribe now to our eNATION edition for the full story.",
    "Follow The Gleaner on Twitter and Instagram.",
    "Unterstütze unseren Journalismus mit einem Abo.",
    "Also read: Station car park to close for repairs",
    "Auch lesen: Diese 3 Sternzeichen verschenken ihr Herz",
    "Category: Press Releases",
    "page.html - Created 03-10-2004 2:20pm - Last Modified: 03-10-2004 2:20pm",
    "│ 2023       │ 42,000   │",
    "$ pip install briefcast",
]
PROSE = [
    "Zelensky US Peace Talks: A New Hope for Resolution",
    "Summary",
    "Frequently Asked Questions",
    "Readers shared their stories of the flood with the council.",
    "The share price fell by a third after the results.",
    "Back to the future",
    "Video games now outsell films.",
    "How long before a plot looks like a forest?",
    "Share prices fell by a fifth after the news of the merger.",
    "Support for the plan grew among members of the union and our readers.",
    "The museum was created on 3 May 1901.",
    "Follow-up checks found no damage to the wall.",
    "Get ready for a long winter, the forecasters told us.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_recognised(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", PROSE)
def test_article_lines_are_kept(line):
    assert not is_furniture(line)


def test_faq_pairs_alternate_question_and_answer_and_join_multi_paragraph_answers():
    paragraphs = ["What happened?", "A storm hit.", "It was big.", "When?", "On Monday."]
    assert faq_pairs(paragraphs) == [
        "What happened?",
        "A storm hit. It was big.",
        "When?",
        "On Monday.",
    ]


def test_faq_with_question_and_answer_in_one_paragraph():
    paragraphs = [
        "Do the trees need care? No. After three years they manage alone.",
        "Can any town do this? Almost any town can.",
    ]
    assert faq_pairs(paragraphs) == [
        "Do the trees need care?",
        "No. After three years they manage alone.",
        "Can any town do this?",
        "Almost any town can.",
    ]


def test_prose_is_not_a_faq():
    assert faq_pairs(["Why does it matter? Nobody knows.", "It rained all day."]) is None


LOWER = {"talks", "negotiating", "attacks", "recent", "the", "continues"}


@pytest.mark.parametrize(
    "row,label,detail",
    [
        (
            "Zelensky’s Statement The US seeks to resolve the war with Russia by June.",
            "Zelensky’s Statement",
            "The US seeks to resolve the war with Russia by June.",
        ),
        (
            "Location of Talks Negotiating teams may meet in Miami for discussions.",
            "Location of Talks",
            "Negotiating teams may meet in Miami for discussions.",
        ),
        (
            "Ongoing Russian Attacks Russia continues to attack the energy grid.",
            "Ongoing Russian Attacks",
            "Russia continues to attack the energy grid.",
        ),
        (
            "Previous Talks Outcome Recent US-brokered talks in Abu Dhabi showed no progress.",
            "Previous Talks Outcome",
            "Recent US-brokered talks in Abu Dhabi showed no progress.",
        ),
        ("Revenue | 42.09bn dollars in the year", "Revenue", "42.09bn dollars in the year"),
    ],
)
def test_table_rows_pasted_as_text_split_into_label_and_sentence(row, label, detail):
    assert split_table_row(row, LOWER) == (label, detail)


def test_a_block_of_key_point_rows_is_a_table_but_prose_lines_are_not():
    block = [
        "Key Point Details",
        "Location of Talks Negotiating teams may meet in Miami for discussions.",
        "Civilian Impact Many Ukrainians are facing severe conditions this winter.",
        "Retaliatory Strikes Ukraine has launched strikes against military targets.",
    ]
    rows = table_rows(block, LOWER)
    assert (
        rows
        and rows[0] == "Location of Talks | Negotiating teams may meet in Miami for discussions."
    )
    prose = [
        "The talks began on Monday in a hotel near the airport.",
        "Both delegations arrived late and left early without a statement.",
        "Officials said a second round was planned for next month.",
    ]
    assert table_rows(prose, LOWER) is None


def test_read_article_drops_furniture_and_marks_faq_once_for_the_script_builder():
    text = (
        "# T\n\nListen to this article\n\nReal text here about the storm.\n\n"
        "## FAQ\n\nWhat happened?\n\nA storm.\n\nWhen?\n\nMonday.\n"
    )
    article = parse_article(text, "md")
    assert [(s.title, s.kind, s.paragraphs) for s in article.sections] == [
        (None, "prose", ["Real text here about the storm."]),
        ("FAQ", "faq", ["What happened?", "A storm.", "When?", "Monday."]),
    ]
