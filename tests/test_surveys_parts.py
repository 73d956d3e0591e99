"""The pieces of survey recognition, each on small hand-made cases."""

from __future__ import annotations

import pandas as pd
import pytest

from sgaudit.errors import SgauditError
from sgaudit.surveys.detect import merge_two_header_rows, recognise
from sgaudit.surveys.maps import parse_value_map
from sgaudit.surveys.matching import normalise_wording
from sgaudit.surveys.respondents import draw_codes
from sgaudit.surveys.times import completion_dates


@pytest.mark.parametrize(
    "edited",
    [
        "I know the person’s own words matter.",
        "i know the person's own words matter",
        "I  know the\tperson's own words matter?",
        "I know the person‘s own words matter …",
        "“I know the person's own words matter”",
    ],
)
def test_wording_ignores_case_spaces_quotes_apostrophes_and_end_punctuation(edited):
    assert normalise_wording(edited) == normalise_wording("I know the person's own words matter")


def test_a_changed_word_is_not_the_same_wording():
    assert normalise_wording("my work history") != normalise_wording("my employment history")


def test_surveymonkey_header_rows_become_one_header_per_column():
    first = ["Respondent ID", "IP Address", "Your role?", "Agree?", "", "", "Tick all", ""]
    second = ["", "", "Response", "Staff listen", "Records kept", "", "Option A", "Option B"]
    assert merge_two_header_rows(first, second) == [
        "Respondent ID", "IP Address", "Your role?", "Agree? [Staff listen]",
        "Agree? [Records kept]", "", "Tick all [Option A]", "Tick all [Option B]",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "second", "tool"),
    [
        (["ID", "Start time", "Completion time", "Email", "Name", "Q1"], None, "microsoft_forms"),
        (["Timestamp", "Email Address", "Q1"], None, "google_forms"),
        (["Respondent ID", "Collector ID", "Start Date", "Q1"], ["", "", "", "Response"],
         "surveymonkey"),
        (["SubmissionDate", "q1", "meta-instanceID", "KEY"], None, "odk"),
        (["start", "q1", "_id", "_uuid", "_submission_time"], None, "kobo"),
        (["interview_id", "tier", "REC-01"], None, "wide"),
    ],
)  # fmt: skip
def test_each_tool_is_recognised_from_its_header(header, second, tool):
    assert recognise(header, second).id == tool


def test_completion_times_read_month_first_or_day_first_whichever_fits_every_value():
    us = pd.Series(["3/14/2027 10:22:33", "3/1/2027 09:00:00"])
    uk = pd.Series(["14/03/2027 10:22", "01/03/2027 09:00"])
    assert completion_dates(us, ("mdy", "dmy"))[0].tolist() == ["2027-03-14", "2027-03-01"]
    assert completion_dates(uk, ("mdy", "dmy"))[0].tolist() == ["2027-03-14", "2027-03-01"]
    stamped = pd.Series(["2027/03/14 10:22:33 PM GMT+1", "2027-03-15T08:00:00.000Z", ""])
    assert completion_dates(stamped, ("ymd",))[0].tolist() == ["2027-03-14", "2027-03-15", ""]
    assert completion_dates(pd.Series(["soon"]), ("mdy",))[1] == "soon"


def test_a_value_map_takes_quoted_answers_with_commas():
    got = parse_value_map('Volunteer=front_line, "Staff, paid"=front_line', "--tier-map")
    assert got == {"Volunteer": "front_line", "Staff, paid": "front_line"}
    with pytest.raises(SgauditError, match="--tier-map: 'Volunteer' is not ANSWER=VALUE"):
        parse_value_map("Volunteer", "--tier-map")


def test_codes_are_drawn_at_random_unique_and_never_an_existing_one():
    # 100 000 respondents once gave 19 clashing hash codes; drawn and checked, none.
    tiers = pd.Series(["front_line"] * 100_000 + ["board"] * 10)
    taken = set(draw_codes(pd.Series(["front_line"] * 100), set()))
    codes = draw_codes(tiers, taken)
    assert codes.is_unique and not set(codes) & taken
    assert codes.str.match(r"^(FL|BD)-S[A-Z2-9]{7}$").all()
    assert codes.iloc[-1].startswith("BD-S")
