"""Plain-English wording for the board report: scores, tiers, dates, lists, RAG colours.

Everything a trustee reads in a generated sentence goes through these helpers, so the
report speaks with one voice: whole-number scores, tiers named as people ("front-line
staff", "trustees"), "and" before the last item of a list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date

from sgaudit.vocab import TIER_LABELS, TIER_SHORT_LABELS, TIERS

# Column headings for the theme x tier tables (one list with the app: sgaudit.vocab).
TIER_SHORT: dict[str, str] = TIER_SHORT_LABELS

# How a sentence names the people of a tier.
TIER_PEOPLE: dict[str, str] = {
    "service_user": "people who use services",
    "front_line": "front-line staff",
    "manager": "managers",
    "dsl": "the safeguarding team",
    "senior_leader": "senior leaders",
    "board": "trustees",
}

SCOPE_LABELS: dict[str, str] = {
    "children": "Children and young people",
    "adults": "Adults at risk",
    "both": "Children, young people and adults at risk",
}

PRIORITY_LABELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
SEVERITY_LABELS: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}

# Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008), used by the charts.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Light fills for RAG table cells. Black text stays readable on all of them, they
# stay distinct in greyscale (dark to light: red, amber, green) and the cell always
# carries the label in words as well.
RAG_FILLS: dict[str, str] = {
    "red": "F4B8A0",
    "amber": "FBE3A6",
    "green": "B8E0CF",
    "blue": "BFDDF2",
}
RAG_LINE_COLOURS: dict[str, str] = {
    "red": OKABE_ITO["vermillion"],
    "amber": OKABE_ITO["orange"],
    "green": OKABE_ITO["bluish_green"],
    "blue": OKABE_ITO["blue"],
}
# Fills by position for bands whose labels are not red / amber / green.
_GRADIENT_FILLS: tuple[str, ...] = ("F4B8A0", "F8CFA0", "FBE3A6", "D9EBC0", "B8E0CF", "BFDDF2")
SUPPRESSED_FILL = "E4E4E4"
BLANK_FILL = "FFFFFF"

_INVALID_XML = re.compile(
    "[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def clean_text(value: object) -> str:
    """`value` as text that is legal in a Word document.

    Characters XML cannot hold (control characters other than tab and newline, lone
    surrogates, U+FFFE/U+FFFF) are removed; Windows and old Mac line ends become "\\n".
    Nothing else is touched: `<`, `&`, braces, emoji and right-to-left script pass.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID_XML.sub("", text)


def whole(value: float | None) -> int | None:
    """A score as a whole number, rounded as the analysis' own sentences round it.

    (Python's round: 72.5 -> 72, 73.5 -> 74; the same rule keeps a table cell and a
    finding's sentence from ever disagreeing by one.)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(round(float(value)))


def percent(rate: float | None) -> str:
    """A 0-1 rate as "12%" ("" for none)."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return ""
    return f"{whole(rate * 100)}%"


def signed(points: float | int) -> str:
    """A change in points with its sign: "+12", "−8" (true minus sign), "0"."""
    value = whole(points) or 0
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{abs(value)}"
    return "0"


def rag_title(label: str | None) -> str:
    """A RAG label as shown: "Green" for "green"."""
    if not label:
        return ""
    return label.replace("_", " ").strip().capitalize()


def rag_fill(label: str | None, band_labels: Sequence[str]) -> str:
    """The cell fill (hex, no '#') for a RAG label, by name or by its band's position."""
    if not label:
        return BLANK_FILL
    key = label.lower()
    if key in RAG_FILLS:
        return RAG_FILLS[key]
    labels = [b.lower() for b in band_labels]
    if key in labels and len(labels) > 1:
        i = labels.index(key)
        pos = round(i / (len(labels) - 1) * (len(_GRADIENT_FILLS) - 1))
        return _GRADIENT_FILLS[pos]
    return BLANK_FILL


def rag_line_colour(label: str | None, band_labels: Sequence[str]) -> str:
    """A strong Okabe-Ito colour for a RAG label (chart markers and band edges)."""
    if label and label.lower() in RAG_LINE_COLOURS:
        return RAG_LINE_COLOURS[label.lower()]
    labels = [b.lower() for b in band_labels]
    ramp = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], OKABE_ITO["bluish_green"], OKABE_ITO["blue"]]
    if label and label.lower() in labels and len(labels) > 1:
        i = labels.index(label.lower())
        return ramp[round(i / (len(labels) - 1) * (len(ramp) - 1))]
    return OKABE_ITO["black"]


def tier_label(tier: str) -> str:
    return TIER_LABELS.get(tier, tier.replace("_", " ").capitalize())


def tier_people(tier: str) -> str:
    return TIER_PEOPLE.get(tier, tier.replace("_", " "))


def capitalise(text: str) -> str:
    """First letter upper-cased, the rest left alone ("front-line staff" -> "Front-line staff")."""
    return text[:1].upper() + text[1:] if text else text


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """"A", "A and B", "A, B and C"."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "one theme", "three themes", "no themes", "12 themes": words up to ten, as prose
    writes them."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{number_word(count) if 0 <= count <= 10 else count} {word}"


def number_word(count: int) -> str:
    """Small numbers in words, as a report writes them ("three themes")."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve")
    return words[count] if 0 <= count < len(words) else str(count)


def long_date(value: date | None) -> str:
    """"3 March 2026" ("" for none)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B %Y')}"


def short_date(value: date | None) -> str:
    """"30 Sep 2026" ("" for none): for narrow table cells."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b %Y')}"


def date_range(start: date | None, end: date | None) -> str:
    """"3 to 14 March 2026", "28 February to 14 March 2026", or one date."""
    if start and end:
        if start == end:
            return long_date(start)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day} to {long_date(end)}"
        if start.year == end.year:
            return f"{start.day} {start.strftime('%B')} to {long_date(end)}"
        return f"{long_date(start)} to {long_date(end)}"
    return long_date(start or end)


def tier_order(tiers: Iterable[str]) -> list[str]:
    rank = {t: i for i, t in enumerate(TIERS)}
    return sorted(dict.fromkeys(tiers), key=lambda t: (rank.get(t, len(TIERS)), t))
