from briefcast.script.sentences import segmenter, split_sentences


def test_abbreviations_decimals_initials_and_quotes_do_not_split():
    text = (
        "Mr. Smith went to Washington D.C. on Jan. 5. The U.S. economy grew 3.5% in 2024. "
        'J. K. Rowling agreed. "Is it over?" he asked. Then it fell.'
    )
    assert split_sentences(text) == [
        "Mr. Smith went to Washington D.C. on Jan. 5.",
        "The U.S. economy grew 3.5% in 2024.",
        "J. K. Rowling agreed.",
        '"Is it over?" he asked.',
        "Then it fell.",
    ]


def test_whitespace_is_normalised_and_empty_input_gives_nothing():
    assert split_sentences("  One.\n  Two.  ") == ["One.", "Two."]
    assert split_sentences("   ") == []


def test_segmenter_is_cached_per_language_with_english_fallback():
    assert segmenter("en") is segmenter("en")
    assert segmenter("xx").language == "en"
