"""Rewrite written text for the ear: numbers, money, dates, abbreviations, acronyms, symbols.

The TTS stage receives plain, speakable text. Plain cardinals and decimals stay as digits
(every engine reads them and they keep the word budget honest); everything an engine would
misread — years, ordinals, money scales, times, acronyms, symbols — is spelled out here.
The rules are English; other languages get the language-neutral ones (links, brackets, dashes).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from num2words import num2words

MONTHS = (
    "January February March April May June July August September October November December"
).split()
MONTH_RE = "|".join(MONTHS)

_UNICODE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
        "\u2022": " ",
        "\u00b7": " ",
        "\u200b": "",
        "\u2032": "'",
    }
)

CURRENCY = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
    "¥": ("yen", "yen", "sen", "sen"),
    "₹": ("rupee", "rupees", "paisa", "paise"),
}
CURRENCY_WORDS = "dollars|pounds|euros|yen|rupees|francs|dollar|pound|euro"
SCALE = {
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "mn": "million",
    "million": "million",
    "bn": "billion",
    "b": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trillion": "trillion",
}

UNITS = {
    "km": "kilometres",
    "kg": "kilograms",
    "cm": "centimetres",
    "mm": "millimetres",
    "mph": "miles per hour",
    "km/h": "kilometres per hour",
    "kmh": "kilometres per hour",
    "kW": "kilowatts",
    "MW": "megawatts",
    "GW": "gigawatts",
    "kWh": "kilowatt hours",
    "GB": "gigabytes",
    "MB": "megabytes",
    "TB": "terabytes",
    "ft": "feet",
    "lb": "pounds",
    "lbs": "pounds",
    "mins": "minutes",
    "min": "minutes",
    "hrs": "hours",
    "sq": "square",
}

# Written abbreviations and what people say; matched as whole words, case-sensitive.
ABBREVIATIONS = (
    [
        (r"\be\.g\.,?", "for example"),
        (r"\bi\.e\.,?", "that is"),
        (r"\betc\.", "et cetera"),
        (r"\bvs\.?(?=\s)", "versus"),
        (r"\bv\.(?=\s)", "versus"),
        (r"\bapprox\.", "approximately"),
        (r"\bMr\.?(?=\s)", "Mister"),
        (r"\bMrs\.?(?=\s)", "Missus"),
        (r"\bMs\.?(?=\s)", "Miz"),
        (r"\bDr\.?(?=\s+[A-Z])", "Doctor"),
        (r"\bProf\.?(?=\s+[A-Z])", "Professor"),
        (r"\bSt\.?(?=\s+[A-Z])", "Saint"),
        (r"(?<=[a-z] )St\b\.?", "Street"),
        (r"\bGen\.(?=\s+[A-Z])", "General"),
        (r"\bSen\.(?=\s+[A-Z])", "Senator"),
        (r"\bGov\.(?=\s+[A-Z])", "Governor"),
        (r"\bRep\.(?=\s+[A-Z])", "Representative"),
        (r"\bJr\.?(?=[\s,.]|$)", "Junior"),
        (r"\bSr\.?(?=[\s,.]|$)", "Senior"),
        (r"\bMt\.?(?=\s+[A-Z])", "Mount"),
        (r"\bLtd\b\.?", "Limited"),
        (r"\bInc\b\.?", "Incorporated"),
        (r"\bCorp\b\.?", "Corporation"),
        (r"\bNo\.(?=\s*\d)", "number"),
        (r"\bnos?\.(?=\s*\d)", "number"),
        (r"\bU\.S\.A\.", "USA"),
        (r"\bU\.S\.", "US"),
        (r"\bU\.K\.", "UK"),
        (r"\bE\.U\.", "EU"),
        (r"\bU\.N\.", "UN"),
        (r"\bD\.C\.", "DC"),
    ]
    + [(rf"\b{m[:3]}\.(?=\s)", m) for m in MONTHS if len(m) > 3]
    + [(r"\bSept\.(?=\s)", "September")]
)
ABBREVIATIONS = [(re.compile(p), r) for p, r in ABBREVIATIONS]

# Acronyms people say as words although a pronounceability rule might not guess it, and the
# reverse (pronounceable-looking ones that are spelled out).
SAID_AS_WORDS = {
    "NATO",
    "NASA",
    "AIDS",
    "OPEC",
    "UNESCO",
    "UNICEF",
    "FIFA",
    "UEFA",
    "NAFTA",
    "ASEAN",
    "COVID",
    "OFCOM",
    "OFSTED",
    "BAFTA",
    "RADAR",
    "LASER",
    "SCUBA",
    "ISIS",
    "IKEA",
    "FEMA",
    "DARPA",
    "INTERPOL",
    "EFTA",
    "NIMBY",
    "GIF",
    "JPEG",
    "ASAP",
    "SARS",
    "MERS",
}
SPELLED = {
    "SEC",
    "AOL",
    "CEO",
    "USA",
    "FAQ",
    "BBC",
    "ITV",
    "IBM",
    "URL",
    "AI",
    "EU",
    "UK",
    "US",
    "UN",
    "OECD",
    "IOC",
    "ECB",
    "IMF",
    "WHO",
    "CIA",
    "NSA",
    "MIT",
    "UCLA",
    "AGM",
    "IPO",
    "ETA",
    "SUV",
    "OK",
    "DJ",
    "MP",
    "MEP",
    "PM",
    "GMT",
    "BST",
    "EST",
    "PST",
    "UTC",
    "CET",
    "VAT",
    "IRA",
    "UAE",
}
ROMAN = {"II": 2, "III": 3, "IV": 4, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "XI": 11, "XII": 12}
VOWELS = set("AEIOUY")
ONSETS = {
    "BL",
    "BR",
    "CH",
    "CL",
    "CR",
    "DR",
    "FL",
    "FR",
    "GL",
    "GR",
    "KL",
    "KR",
    "PL",
    "PR",
    "SC",
    "SH",
    "SK",
    "SL",
    "SM",
    "SN",
    "SP",
    "ST",
    "SW",
    "TH",
    "TR",
    "TW",
    "WH",
    "WR",
    "QU",
}
CODAS = {
    "CK",
    "CT",
    "FT",
    "LD",
    "LF",
    "LK",
    "LL",
    "LM",
    "LP",
    "LT",
    "MP",
    "ND",
    "NG",
    "NK",
    "NT",
    "PT",
    "RB",
    "RC",
    "RD",
    "RK",
    "RM",
    "RN",
    "RP",
    "RT",
    "SH",
    "SK",
    "SP",
    "SS",
    "ST",
    "TH",
    "CH",
    "PS",
    "TS",
    "DS",
    "RS",
    "NS",
    "MS",
    "LS",
    "KS",
    "GS",
}


def to_speech(text: str, language: str = "en") -> str:
    """Return ``text`` rewritten as plain text a TTS engine reads the way a person would."""
    text = _neutral_before(text)
    if language.split("-")[0].lower() == "en":
        for rule in ENGLISH_RULES:
            text = rule(text)
    return _tidy(text)


# --- language-neutral rules ---------------------------------------------------------------

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)
_EMAIL = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _neutral_before(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_UNICODE)
    text = _MD_LINK.sub(r"\1", text)
    text = re.sub(r"[*_`]{1,3}(?=\S)|(?<=\S)[*_`]{1,3}", "", text)
    text = _EMAIL.sub(lambda m: f"{_spoken_dots(m.group(1))} at {_spoken_dots(m.group(2))}", text)
    text = _URL.sub(lambda m: _short_url(m.group(0)), text)
    text = re.sub(r"\[\d+\]|\[citation needed\]", "", text)  # citation marks
    text = _parentheses(text)
    # Emoji and pictographs are not speakable.
    return "".join(
        ch for ch in text if ch == "°" or unicodedata.category(ch) not in ("So", "Cs", "Co")
    )


def _short_url(url: str) -> str:
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.I).split("/")[0]
    return _spoken_dots(host.rstrip(".,;:"))


def _spoken_dots(text: str) -> str:
    return " dot ".join(part for part in text.split(".") if part)


# --- English rules, applied in order ------------------------------------------------------


def _parentheses(text: str) -> str:
    # "(SEC)" after its full name only repeats it; other asides become a spoken aside.
    text = re.sub(r"\s*\((?:[A-Z][A-Z.&]{1,7}s?)\)", "", text)
    text = re.sub(
        r"\s*\(([^()]*)\)", lambda m: f", {m.group(1).strip()}," if m.group(1).strip() else "", text
    )
    return text


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _money(text: str) -> str:
    def scaled(m: re.Match) -> str:
        symbol, prefix, amount, scale = (
            m.group("sym"),
            m.group("pre") or "",
            m.group("num"),
            m.group("scale"),
        )
        one, many, sub_one, sub_many = CURRENCY[symbol]
        country = {
            "US": "US ",
            "A": "Australian ",
            "C": "Canadian ",
            "NZ": "New Zealand ",
            "HK": "Hong Kong ",
        }.get(prefix, "")
        if scale:
            return f"{amount} {SCALE[scale.lower()]} {country}{many}"
        value = _number(amount)
        whole, _, cents = amount.replace(",", "").partition(".")
        if cents and int(cents.ljust(2, "0")[:2]):
            main = f"{whole} {country}{one if int(whole) == 1 else many}"
            sub = int(cents.ljust(2, "0")[:2])
            return f"{main} {sub} {sub_one if sub == 1 else sub_many}"
        return f"{whole} {country}{one if value == 1 else many}"

    text = re.sub(
        r"(?P<pre>US|A|C|NZ|HK)?(?P<sym>[$£€¥₹])\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)"
        r"(?:\s?(?P<scale>bn|tn|mn|m|k|b|billion|million|trillion|thousand)\b)?",
        scaled,
        text,
    )
    text = re.sub(r"\b(\d+(?:\.\d+)?)p\b", r"\1 pence", text)
    # "600m pounds", "3bn euros": a scale letter before a currency word.
    text = re.sub(
        rf"\b(\d+(?:\.\d+)?)\s?(bn|tn|mn|m|k)\s+(?=(?:{CURRENCY_WORDS})\b)",
        lambda m: f"{m.group(1)} {SCALE[m.group(2)]} ",
        text,
    )
    return re.sub(
        r"\b(\d+(?:\.\d+)?)\s?(bn|tn)\b", lambda m: f"{m.group(1)} {SCALE[m.group(2)]}", text
    )


def _percent(text: str) -> str:
    text = re.sub(
        r"(?<![\w.])([+-])(?=\d[\d.,]*\s?%)",
        lambda m: "plus " if m.group(1) == "+" else "minus ",
        text,
    )
    return re.sub(r"(\d)\s?%", r"\1 percent", text)


def _ordinal(n: int) -> str:
    return num2words(n, to="ordinal")


def _dates(text: str) -> str:
    def iso(m: re.Match) -> str:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{day} {MONTHS[month - 1]} {year}"
        return m.group(0)

    def numeric(m: re.Match) -> str:
        a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
        day, month = (b, a) if b > 12 >= a else (a, b)  # day first unless that is impossible
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        return f"{day} {MONTHS[month - 1]} {year}"

    text = re.sub(r"\b(\d{4})-(\d{2})-(\d{2})\b", iso, text)
    text = re.sub(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", numeric, text)

    def day_month(m: re.Match) -> str:
        the = "" if m.group(1) else "the "
        return f"{m.group(1) or ''}{the}{_ordinal(int(m.group(2)))} of {m.group(3)}"

    text = re.sub(
        rf"(\bthe\s+)?\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\b",
        day_month,
        text,
        flags=re.I,
    )
    return re.sub(
        rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\d|:)",
        lambda m: f"{m.group(1)} {_ordinal(int(m.group(2)))}",
        text,
    )


def _times(text: str) -> str:
    def clock(m: re.Match) -> str:
        hour, minute, meridiem = int(m.group(1)), int(m.group(2)), m.group(3)
        suffix = f" {' '.join(meridiem.replace('.', '').lower())}" if meridiem else ""
        if minute == 0:
            spoken = f"{hour} hundred" if hour >= 13 or hour == 0 else f"{hour} o'clock"
            return f"{hour}{suffix}" if suffix else spoken
        return f"{hour} {'oh ' if minute < 10 else ''}{minute}{suffix}"

    text = re.sub(r"\b(\d{1,2}):(\d{2})(?:\s?([ap]\.?m\b\.?))?", clock, text, flags=re.I)
    return re.sub(
        r"\b(\d{1,2})\s?([ap])\.?m\b\.?",
        lambda m: f"{m.group(1)} {m.group(2).lower()} m",
        text,
        flags=re.I,
    )


def _ordinals(text: str) -> str:
    return re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: _ordinal(int(m.group(1))), text)


def _decades(text: str) -> str:
    def decade(m: re.Match) -> str:
        spoken = num2words(int(m.group(1)), to="year")
        return spoken[:-1] + "ies" if spoken.endswith("y") else spoken + "s"

    text = re.sub(r"\b(1[0-9][0-9]0|20[0-9]0)'?s\b", decade, text)
    return re.sub(r"(?<!\w)'([2-9]0)s\b", lambda m: num2words(int(m.group(1)))[:-1] + "ies", text)


def _ranges(text: str) -> str:
    return re.sub(r"(?<![\d.,/-])(\d[\d,.]*)\s?[-–]\s?(\d[\d,.]*)(?![\d/])", r"\1 to \2", text)


_PLURAL_AFTER = re.compile(r"\s+(?:[a-z]+s|per|percent)\b")


def _years(text: str) -> str:
    def year(m: re.Match) -> str:
        rest = text[m.end() : m.end() + 20]
        if _PLURAL_AFTER.match(rest) and not re.match(
            r"\s+(?:results|accounts|elections|was|is|has)\b", rest
        ):
            return m.group(0)  # "2000 troops" is a count, not a year
        return num2words(int(m.group(0)), to="year")

    return re.sub(r"(?<![\d.,$£€#])\b(1[1-9]\d\d|20\d\d)\b(?![.,]\d|\s?%|\w)", year, text)


_FRACTIONS = {
    "1/2": "one half",
    "1/3": "one third",
    "2/3": "two thirds",
    "1/4": "one quarter",
    "3/4": "three quarters",
    "24/7": "twenty-four seven",
    "9/11": "nine eleven",
}


def _fractions(text: str) -> str:
    def fraction(m: re.Match) -> str:
        return _FRACTIONS.get(m.group(0), f"{m.group(1)} out of {m.group(2)}")

    return re.sub(r"(?<![\d/])(\d{1,3})/(\d{1,3})(?![\d/])", fraction, text)


def _units(text: str) -> str:
    text = re.sub(r"(\d)\s?°\s?C\b", r"\1 degrees Celsius", text)
    text = re.sub(r"(\d)\s?°\s?F\b", r"\1 degrees Fahrenheit", text)
    text = re.sub(r"(\d)\s?°", r"\1 degrees", text)
    units = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
    return re.sub(
        rf"(\d)\s?({units})(?![\w/])", lambda m: f"{m.group(1)} {UNITS[m.group(2)]}", text
    )


def _abbreviations(text: str) -> str:
    for pattern, spoken in ABBREVIATIONS:
        text = pattern.sub(spoken, text)
    return text


def said_as_word(acronym: str) -> bool:
    """Whether people say an all-capitals acronym as a word (NATO) rather than letters (FBI)."""
    if acronym in SAID_AS_WORDS:
        return True
    if acronym in SPELLED or len(acronym) < 4:
        return False
    if sum(ch in VOWELS for ch in acronym) < 2:
        return False
    runs = re.findall(r"[^AEIOUY]+", acronym)
    if any(len(r) > 2 for r in runs):
        return False
    head = re.match(r"[^AEIOUY]*", acronym).group(0)
    tail = re.search(r"[^AEIOUY]*$", acronym).group(0)
    return (len(head) < 2 or head in ONSETS) and (len(tail) < 2 or tail in CODAS)


def spell_letters(acronym: str) -> str:
    """Letters an engine spells one by one; an "A" is hyphen-joined since espeak reads a lone A as "uh"."""
    if "A" in acronym:
        return "-".join(acronym)
    return " ".join(acronym)


def _acronyms(text: str) -> str:
    def roman(m: re.Match) -> str:
        name, numeral = m.group(1), m.group(2)
        if name in ("War", "Phase", "Part", "Chapter", "Act", "Volume", "Type"):
            return f"{name} {num2words(ROMAN[numeral])}"
        return f"{name} the {_ordinal(ROMAN[numeral])}"

    text = re.sub(rf"\b([A-Z][a-z]+) ({'|'.join(ROMAN)})\b", roman, text)

    def acronym(m: re.Match) -> str:
        word, tail = m.group(1), m.group(2) or ""
        if said_as_word(word):
            return word.capitalize() + tail
        spelled = spell_letters(word)
        if tail == "s":
            tail = "'s"  # "CEOs" → "C E O's" (an engine reads a lone "Os" as "oss")
        return spelled + tail

    text = re.sub(r"\b([A-Z]{2,})('s|s)?\b", acronym, text)
    # "U S-brokered": the hyphen after spelled letters only glues a letter to a word.
    return re.sub(r"\b([A-Z]) ?-(?=[a-z])", r"\1 ", text)


def _symbols(text: str) -> str:
    text = re.sub(r"\s*&\s*", " and ", text)
    text = re.sub(r"(?<=\d)\s*[x×]\s*(?=\d)", " by ", text)
    text = re.sub(r"\s+[–—-]{1,2}\s+|\s*[—]\s*|\s*--\s*", ", ", text)
    text = re.sub(r"(?<=\s)-(?=\d)|^-(?=\d)", "minus ", text)
    text = re.sub(r"\+(?=\s*\d)", "plus ", text)
    text = re.sub(r"(?<=\w)\+(?!\w)", " plus", text)
    text = re.sub(r"\s=\s", " equals ", text)
    text = re.sub(r"#(?=\d)", "number ", text)
    text = re.sub(r"\band/or\b", "and or", text)
    text = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z])", " or ", text)
    text = re.sub(r"~\s*(?=\d)", "about ", text)
    text = re.sub(r"@(?=\w)", "", text)  # social handles: the name is enough
    text = re.sub(r"[#|<>{}\[\]^\\~*_•]", " ", text)
    return re.sub(r"\s/\s", " or ", text)


ENGLISH_RULES = [
    _money,
    _percent,
    _dates,
    _times,
    _decades,
    _fractions,
    _ranges,
    _units,
    _ordinals,
    _years,
    _abbreviations,
    _acronyms,
    _symbols,
]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([.!?])\s*,", r"\1", text)
    text = re.sub(r"^[,;:\s]+", "", text)
    text = re.sub(r'"\s*"', "", text)
    if text and text[-1].isalnum():
        text += "."
    return text


@lru_cache(maxsize=65536)
def spoken_sentence(sentence: str, language: str = "en") -> str:
    """``to_speech`` with a cache: the condenser asks for the same sentences repeatedly."""
    return to_speech(sentence, language)
