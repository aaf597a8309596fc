"""Every rule of speech.py with a concrete input and the exact text a listener gets."""

import pytest

from briefcast.script import script_from_markdown, spoken_script
from briefcast.script.speech import REWRITES, said_as_word, to_speech

CASES = [
    # money
    ("Profits jumped to $1.13bn.", "Profits jumped to 1 point 1 3 billion dollars."),
    ("It paid £600m.", "It paid 600 million pounds."),
    ("A €5bn fund.", "A 5 billion euros fund."),
    ("It costs $300.", "It costs 300 dollars."),
    ("It costs $1.50.", "It costs 1 dollar 50 cents."),
    ("Only 50p.", "Only 50 pence."),
    ("From £8,000 to £12,000, most of it.", "From 8000 pounds to 12000 pounds, most of it."),
    ("A US$2m deal.", "A 2 million U S dollars deal."),
    ("Paris (France) voted.", "Paris, France, voted."),
    # percentages
    ("Sales rose 6.4%.", "Sales rose 6 point 4 percent."),
    # decimals: digit by digit after the point (Kokoro says "6.4" as "six. four"), not versions
    ("It was 3.25 or v2.0, build 3.5.1.", "It was 3 point 2 5 or v2.0, build 3.5.1."),
    ("Doors open at 7.45pm.", "Doors open at 7 45 p m."),
    ("Shares fell -3%.", "Shares fell minus 3 percent."),
    # ordinals and years
    ("The 4th quarter.", "The fourth quarter."),
    ("It happened in 1990.", "It happened in nineteen ninety."),
    ("Since 2005, sales grew.", "Since two thousand and five, sales grew."),
    ("The 2000 troops left.", "The 2000 troops left."),
    ("Music of the 1990s.", "Music of the nineteen nineties."),
    ("From 2003-2005.", "From two thousand and three to two thousand and five."),
    # dates and times
    ("On 12 March 2025.", "On the twelfth of March twenty twenty-five."),
    ("On March 12, 2025.", "On March twelfth, twenty twenty-five."),
    ("Due 2025-03-12.", "Due the twelfth of March twenty twenty-five."),
    ("At 10:30pm.", "At 10 30 p m."),
    ("At 9am.", "At 9 a m."),
    ("At 14:00 today.", "At 14 hundred today."),
    ("At 7:05.", "At 7 oh 5."),
    # abbreviations
    ("The U.S. and the U.K. agreed.", "The U S and the U K agreed."),
    ("Mr Smith met Dr. Jones.", "Mister Smith met Doctor Jones."),
    ("St Paul's on Baker St.", "Saint Paul's on Baker Street."),
    ("Cats vs. dogs.", "Cats versus dogs."),
    ("Fruit, e.g. apples.", "Fruit, for example apples."),
    ("The EU said.", "The E U said."),
    # acronyms as words or letters
    ("NATO allies met the FBI.", "Nato allies met the F B I."),
    ("AOL's users.", "A-O-L's users."),
    ("Three CEOs.", "Three C E O's."),
    ("US-brokered talks.", "U S brokered talks."),
    ("World War II ended.", "World War two ended."),
    # symbols and dashes
    ("Tom & Jerry.", "Tom and Jerry."),
    ("Open 24/7.", "Open twenty-four seven."),
    ("Rated 7/10.", "Rated 7 out of 10."),
    ("Three quarters is 3/4.", "Three quarters is three quarters."),
    ("Yes or no and/or maybe.", "Yes or no and or maybe."),
    ("It was late — very late.", "It was late, very late."),
    ("It hit 30°C.", "It hit 30 degrees Celsius."),
    ("It is 5km away.", "It is 5 kilometres away."),
    # links and e-mail
    ("See https://www.bbc.co.uk/news/123 for more.", "See bbc dot co dot uk for more."),
    ("Write to jane@example.com today.", "Write to jane at example dot com today."),
    ("Read [the report](https://x.org/r).", "Read the report."),
    # parentheses
    ("Profits (£600m) rose.", "Profits, 600 million pounds, rose."),
    ("The Securities Exchange Commission (SEC) said.", "The Securities Exchange Commission said."),
    ("As shown [1].", "As shown."),
    # tidying
    ("No final stop", "No final stop."),
]


@pytest.mark.parametrize("written,spoken", CASES)
def test_rule(written, spoken):
    assert to_speech(written) == spoken


@pytest.mark.parametrize(
    "acronym,word",
    [
        ("NATO", True),
        ("NASA", True),
        ("UNICEF", True),
        ("FBI", False),
        ("BBC", False),
        ("HTML", False),
        ("GDPR", False),
        ("OPEC", True),
        ("SEC", False),
    ],
)
def test_acronym_said_as_word_or_letters(acronym, word):
    assert said_as_word(acronym) is word


def test_other_languages_keep_numbers_but_lose_links():
    assert (
        to_speech("Voir https://exemple.fr/a (page) 2005.", "fr")
        == "Voir exemple dot fr, page, 2005."
    )


def test_output_is_plain_text():
    text = to_speech("**Bold** _it_ `code` | a # b 🎉 ~5")
    assert not set(text) & set("*_`|#🎉~")


def test_an_edited_script_is_shown_written_and_heard_spoken():
    script = script_from_markdown("# Fees\n\n## Costs\n\nThe US fee is £8,000 in 2005.\n")
    assert script.segments()[0].text == "The US fee is £8,000 in 2005."
    [heard] = spoken_script(script)
    assert heard.text == "The U S fee is 8000 pounds in two thousand and five."


def test_a_class_an_engine_speaks_itself_stays_written_and_the_rest_is_rewritten():
    written = "The US fee is £8,000 in 2005."
    assert to_speech(written, written=frozenset({"years"})) == "The U S fee is 8000 pounds in 2005."
    assert to_speech(written, written=frozenset({"money", "acronyms"})) == (
        "The US fee is £8,000 in two thousand and five."
    )


def test_each_voice_gets_the_rewriting_its_engine_needs_and_the_script_keeps_the_written_form():
    script = script_from_markdown(
        "# Fees\n\n## Costs\n\nThe fee rose in 2005.\n\n[host] The fee rose in 2005.\n"
    )
    narrator, host = spoken_script(script, {"host": frozenset({"years"})})
    assert narrator.text == "The fee rose in two thousand and five."
    assert host.text == "The fee rose in 2005."
    assert [s.text for s in script.segments()] == ["The fee rose in 2005."] * 2


def test_every_rewrite_class_names_a_rule_that_changes_some_text():
    samples = {
        "money": "£5",
        "percent": "5%",
        "dates": "5 June",
        "times": "7:45",
        "decades": "1990s",
        "fractions": "1/3",
        "ranges": "10-15",
        "units": "12km",
        "ordinals": "3rd",
        "years": "2005",
        "decimals": "3.5",
        "abbreviations": "Dr Who",
        "acronyms": "FBI",
        "symbols": "A & B",
    }
    assert set(samples) == REWRITES
    for name, text in samples.items():
        assert to_speech(text, written=frozenset({name})) != to_speech(text), name
