"""Numbers for the ear: money, percentages, dates, times, ordinals, decades, ranges, years,
fractions and units, rewritten as a person says them (plain cardinals stay digits)."""

from __future__ import annotations

import re

from ..lazy import lazy_import
from ..lexicon import MONTHS as MONTH_NAMES

num2words_lib = lazy_import("num2words")  # its language tables load on first use (0.07 s)

MONTHS = [m.capitalize() for m in MONTH_NAMES]
MONTH_RE = "|".join(MONTHS)

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
    return num2words_lib.num2words(n, to="ordinal")


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
    # British style, "7.45pm": a clock only with its am/pm (else a decimal)
    text = re.sub(r"\b(\d{1,2})\.(\d{2})\s?([ap]\.?m\b\.?)", clock, text, flags=re.I)
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
        spoken = num2words_lib.num2words(int(m.group(1)), to="year")
        return spoken[:-1] + "ies" if spoken.endswith("y") else spoken + "s"

    text = re.sub(r"\b(1[0-9][0-9]0|20[0-9]0)'?s\b", decade, text)
    return re.sub(
        r"(?<!\w)'([2-9]0)s\b",
        lambda m: num2words_lib.num2words(int(m.group(1)))[:-1] + "ies",
        text,
    )


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
        return num2words_lib.num2words(int(m.group(0)), to="year")

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


# A decimal on its own ("3.5", "1,234.75"; not "v2.0", "3.5.1" or "192.168.1.1").
DECIMAL = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?!\.?\d)")


def _decimals(text: str) -> str:
    """ "3.5" → "3 point 5", "2.25" → "2 point 2 5": kokoro-onnx's phonemizer splits a decimal
    at its point and says "three. five" (``make bench-speech``); espeak-ng and Piper say either
    form the same. The digits stay digits, so the word count of the budget is unchanged."""
    return DECIMAL.sub(lambda m: f"{m.group(1)} point {' '.join(m.group(2))}", text)


NUMBER_RULES = {
    "money": _money,
    "percent": _percent,
    "dates": _dates,
    "times": _times,
    "decades": _decades,
    "fractions": _fractions,
    "ranges": _ranges,
    "units": _units,
    "ordinals": _ordinals,
    "years": _years,
    "decimals": _decimals,
}
"""The rules by rewrite class, in the order they apply (money before plain numbers, dates before
years)."""
