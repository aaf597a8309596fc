"""A page's keyword phrase, stuffed into title, headings and sentences, is said at most twice."""

from briefcast.article import read_article
from briefcast.script import build_script
from briefcast.script.repeats import PHRASE_LIMIT, filler_phrases

STUFFED = """# Cheap Rail Travel Tips: Save on Every Journey

Northern Rail will cut off-peak fares between Leeds and York by 20% from 4 March, the operator \
said on Monday.

## Cheap Rail Travel Tips for Commuters

Our Cheap Rail Travel Tips start with the railcard: a Two Together card costs £30 a year and \
takes a third off most fares.

Commuters in Sheffield can save £400 a year with a season ticket bought before April, \
Cheap Rail Travel Tips experts say.

Booking twelve weeks ahead on the TransPennine route saves up to £25 on a return to Manchester.

## More Cheap Rail Travel Tips

Split tickets between Harrogate and London can halve the price, and more Cheap Rail Travel Tips \
follow below.

The Cheap Rail Travel Tips above apply to Avanti trains from Euston as well, where advance \
singles start at £19.

Flexi season tickets for two days a week in Bradford cost £62 a month, Northern said.
"""


def said(script, phrase: str) -> int:
    text = " ".join(s.text for s in script.segments()).lower()
    return text.count(phrase)


def test_a_stuffed_keyword_phrase_is_said_at_most_twice_in_the_whole_script(tmp_path):
    path = tmp_path / "stuffed.md"
    path.write_text(STUFFED, encoding="utf-8")
    article = read_article(path)
    for budget in ({"words": 60}, {"words": 400}, {"minutes": 3}):
        script = build_script(article, **budget)
        assert said(script, "cheap rail travel tips") <= PHRASE_LIMIT, budget
    # The facts around it are still told: the lead, and sentences that do not stuff it.
    script = build_script(article, words=400)
    body = " ".join(s.text for s in script.segments() if s.kind == "body")
    assert "Northern Rail will cut off-peak fares" in body
    assert "Harrogate" not in body or "Euston" not in body  # both carry the phrase: one at most
    assert "Flexi season tickets" in body and "TransPennine" in body


def test_ordinary_repeated_names_are_not_filler():
    texts = [
        "The Bank of England raised rates on Thursday.",
        "Economists at the Bank of England expect inflation to fall.",
        "The Bank of England governor spoke in London.",
        "Lenders followed the Bank of England within hours.",
        "Prime Minister Rishi Sunak welcomed the decision in Leeds.",
    ]
    assert filler_phrases(texts) == frozenset()
    stuffed = [f"{t} Cheap Rail Travel Tips help." for t in texts[:4]]
    assert ("cheap", "rail", "travel", "tips") in filler_phrases(stuffed)
