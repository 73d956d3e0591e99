"""Counts are written in the right number: "1 day", "2 days", never "day(s)".

A trustee reading "triaged within 1 day(s)" has to stop and work out what is meant; so
does an auditor reading "1 problem(s)". Every count the product prints goes through
`sgaudit.printed.count`, and no text the product shows (its strings and its docs) may
hold a "(s)" plural.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from sgaudit import printed
from sgaudit.registers.demo import demo_registers
from sgaudit.registers.indicators import compute_indicators

REPO = Path(__file__).resolve().parents[1]
PLURAL_IN_BRACKETS = re.compile(r"\b(?!erfc\()[A-Za-z]+\((s|es)\)")  # erfc(s): maths


@pytest.mark.parametrize(
    "n,noun,expected",
    [
        (1, "day", "1 day"),
        (2, "day", "2 days"),
        (0, "answer", "0 answers"),
        (1_065_634, "problem", "1,065,634 problems"),
        (1, "person", "1 person"),
    ],
)
def test_a_count_is_written_in_the_right_number(n, noun, expected):
    assert printed.count(n, noun, "people" if noun == "person" else None) == expected
    assert printed.count(5, "person", "people") == "5 people"


def _strings(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type == tokenize.STRING]


def test_no_text_the_product_shows_has_a_plural_in_brackets():
    found = []
    for folder in ("sgaudit", "app_pages"):
        for path in sorted((REPO / folder).rglob("*.py")):
            found += [
                f"{path.relative_to(REPO)}:{line}"
                for line, text in _strings(path)
                if PLURAL_IN_BRACKETS.search(text)
            ]
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        found += [
            f"{path.relative_to(REPO)}:{i}"
            for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if PLURAL_IN_BRACKETS.search(line)
        ]
    assert not found, found


def test_the_concerns_log_says_within_1_day_and_within_3_days():
    registers = demo_registers("2026-03-01", ["North", "South", "East"], "reaudit")
    ind = compute_indicators({"concerns": registers["concerns"]}, None, "2026-03-01")
    words = [i.detail for i in ind.scores]
    assert any(w.startswith("Concerns triaged within 1 day:") for w in words), words
    assert any(w.startswith("Dated referrals made within 3 days of the concern:") for w in words)
    assert not any("(s)" in w for w in words), words


def test_a_framework_requirement_of_one_year_or_one_month_is_singular():
    from sgaudit.registers.frameworks import load_framework
    from sgaudit.registers.mapping import settings_from
    from sgaudit.registers.training import requirement_words

    framework = load_framework("wales_national").with_overrides(
        {
            "groups": {
                "E": {
                    "refresher": {"hours": 8, "period_years": 1},
                    "induction": {"within_months": 1},
                    "cpd_log": {"expected": True, "within_months": 1},
                }
            }
        }
    )
    words = requirement_words(framework, "E", settings_from())
    assert (
        words
        == "8 h refresher per 1 year; induction within 1 month; CPD log (an entry in the last 1 month)"
    )


@pytest.mark.parametrize(
    "people,voices,expected",
    [
        (1, 1, "1 person"),
        (45, 45, "45 people"),
        (96, 45, "96 people in 45 voices"),
        (4, 1, "4 people in 1 voice"),
        (1200, 600, "1,200 people in 600 voices"),
    ],
)
def test_people_and_voices_are_both_said_only_when_focus_groups_made_them_differ(
    people, voices, expected
):
    assert printed.people_in_voices(people, voices) == expected


@pytest.mark.parametrize(
    ("gap", "expected"),
    [(16, "16 points below 60"), (1, "1 point below 60"), (0, "at 60"), (-2, "2 points above 60")],
)
def test_a_distance_below_the_weak_score_is_said_in_the_right_number(gap, expected):
    assert printed.below_line(gap, 60) == expected


@pytest.mark.parametrize(
    ("low", "high", "shown", "expected"),
    [
        (12.6, 17.4, 15, "13 to 17"),  # wholly below the line
        (-2.4, 17.6, 8, "2 above to 18 below"),  # reaching above it: no minus to turn round
        (0.2, 6.0, 4, "0 to 6"),
        (-9.0, -3.0, -5, "3 to 9 above"),
        (-1.0, 20.0, 25, "1 above to 25 below"),  # widened to take in the distance printed
        (None, 4.0, 2, ""),
    ],
)
def test_the_interval_of_a_distance_below_a_line_reads_without_a_negative_distance(
    low, high, shown, expected
):
    assert printed.below_interval(low, high, shown) == expected
