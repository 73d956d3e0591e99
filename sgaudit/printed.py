"""How a score, a gap between two scores, a change and an interval are printed: one
rule for the report, the analysis' sentences, the app and `sgaudit compare`/`analyse`
(docs/report.md, "One number, one word").

- **A score is printed as the whole points it has reached** (rounded down): 69.8 is
  "69", so a printed score and its rating always agree (Green starts at 70, and 69.8 is
  Amber), and one score reads the same in every table, sentence and chart.
- **A gap or a change is the difference of the two printed scores**: "81 vs 48" is a
  gap of 33, never 34; "69 then, 71 now" is +2.
- **A change is called better or worse when it is at least the question set's
  `change_points`**, measured on the printed change; smaller is steady. "+5" is
  therefore either always "Better" or always "Steady", never both.
- **An interval is printed with each bound at the nearest whole point** (a half away
  from zero, so an interval turned round reads the same: "-26 to -22" is "22 to 26"),
  in every table and sentence: [21.97, 26.2] is "22 to 26" everywhere. A bound is not a
  score, so it is not rounded down; rounding it down made "21 to 26" in a finding beside
  "+22 to +26" in its table. Where the printed difference (the gap of the printed
  scores, up to a point from the unrounded one) would fall just outside the rounded
  interval, the interval is widened to take it in, never narrowed: a printed
  difference is never outside its printed interval.

No rounding happens before: the rating is decided on the unrounded score, and the
printed number must never leave that rating's band.
"""

from __future__ import annotations

import math
from typing import Literal

ChangeDirection = Literal["better", "worse", "same", "unsure", "not_comparable"]

# "unsure": as large as a change, but not clear of chance (`analysis.change_certainty`)
CHANGE_WORDS: dict[str, str] = {
    "better": "Better",
    "worse": "Worse",
    "same": "Steady",
    "unsure": "Unsure",
}
MINUS = "\u2212"  # a true minus sign, as printed


def score(value: float | None) -> int | None:
    """The score as printed: whole points reached (None for no score)."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return math.floor(value)


def gap(a: float | None, b: float | None) -> int | None:
    """The gap between two scores as printed: printed a minus printed b."""
    pa, pb = score(a), score(b)
    return None if pa is None or pb is None else pa - pb


def change_direction(delta: int | None, change_points: float) -> ChangeDirection:
    """better / worse / same for a printed change (not_comparable when there is none)."""
    if delta is None:
        return "not_comparable"
    if delta != 0 and delta >= change_points:
        return "better"
    if delta != 0 and delta <= -change_points:
        return "worse"
    return "same"


def change(
    old: float | None, new: float | None, change_points: float
) -> tuple[int | None, ChangeDirection]:
    """(printed change, its direction) from an old and a new score."""
    delta = gap(new, old)
    return delta, change_direction(delta, change_points)


def bound(value: float | None) -> int | None:
    """An interval bound as printed: the nearest whole point, a half away from zero
    (None for no bound). bound(-x) == -bound(x), so a flipped interval reads the same."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return None
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def interval(
    low: float | None, high: float | None, shown: int | None = None
) -> tuple[int, int] | None:
    """(low, high) as printed: each bound to the nearest whole point, widened to take in
    `shown`, the difference printed beside it, where rounding would leave it outside."""
    lo, hi = bound(low), bound(high)
    if lo is None or hi is None:
        return None
    if shown is not None:
        lo, hi = min(lo, shown), max(hi, shown)
    return lo, hi


def interval_text(
    low: float | None, high: float | None, shown: int | None = None, *, sign: bool = False
) -> str:
    """ "22 to 26" ("-26 to -22"); with sign, for a table: "+22 to +26", "−3 to +2".
    "" when there is no interval."""
    pair = interval(low, high, shown)
    if pair is None:
        return ""
    lo, hi = (signed(v) for v in pair) if sign else pair
    return f"{lo} to {hi}"


def below_line(gap: int, line: int) -> str:
    """How far a score sits below a line, as printed: "16 points below 60", "1 point
    below 60"; "at 60" when the printed scores are the same; "2 points above 60" for a
    negative distance below."""
    if gap == 0:
        return f"at {line}"
    return f"{count(abs(gap), 'point')} {'below' if gap > 0 else 'above'} {line}"


def below_interval(low: float | None, high: float | None, shown: int | None = None) -> str:
    """The interval of a distance below a line, in words a reader does not have to turn
    round: "13 to 18" when it lies wholly below; "2 above to 18 below" when it reaches
    above the line (a negative distance below is a distance above). "" for none."""
    pair = interval(low, high, shown)
    if pair is None:
        return ""
    lo, hi = pair
    if lo >= 0:
        return f"{lo} to {hi}"
    if hi <= 0:
        return f"{-hi} to {-lo} above"
    return f"{-lo} above to {hi} below"


def signed(delta: int) -> str:
    """+12, \u22128, 0."""
    if delta > 0:
        return f"+{delta}"
    if delta < 0:
        return f"{MINUS}{abs(delta)}"
    return "0"


def change_text(delta: int | None, direction: ChangeDirection) -> str:
    """ "+12 Better", "\u22128 Worse", "+2 Steady", "+9 Unsure", "Not comparable"."""
    if delta is None or direction == "not_comparable":
        return "Not comparable"
    return f"{signed(delta)} {CHANGE_WORDS[direction]}"


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun, in figures and in the right number: "1 day", "3 days",
    "0 answers", "1,065 problems". Never a plural in brackets: a reader should not have
    to work out whether one thing or several is meant. `plural_form` for an irregular plural
    ("1 person", "5 people")."""
    noun = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,} {noun}"


def people_in_voices(people: int, voices: int) -> str:
    """ "96 people in 45 voices" when focus groups made the two differ, else "45 people".
    The analysis counts a focus group as one voice, and so does the fieldwork guide: where
    the report counts both, it says both."""
    if people == voices:
        return count(people, "person", "people")
    return f"{people:,} people in {count(voices, 'voice')}"
