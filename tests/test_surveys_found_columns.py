"""A survey export imports with at most a tier map: the tier and service area columns
are found by their answers, and free-text questions the audit does not ask are left out
and reported, while a question whose wording was edited is still refused."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from survey_exports import AREA_QUESTION, ROLE_QUESTION
from test_sheets_support import counts, make_audit

from sgaudit.errors import ImportError_
from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file

CORE = load_question_set()
REC01 = CORE.questions_by_id["REC-01"].wording("front_line")
REC03 = CORE.questions_by_id["REC-03"].wording("front_line")
TIER_MAP = "Volunteer=front_line,Team leader=manager"
ANYTHING_ELSE = "Is there anything else you would like to tell us?"


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    return url, make_audit(url, CORE)


def google_forms(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A Google Forms download: `Timestamp` first, then one column per question."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Timestamp", *header])
        for n, row in enumerate(rows, start=1):
            w.writerow([f"2026/03/{10 + n} 09:00:00 AM GMT", *row])
    return path


def run(url, audit_id, path, dry_run=False, **options):
    with session_scope(url) as s:
        return import_file(s, audit_id, path, SurveyOptions(**options), dry_run=dry_run)


def tiers_and_areas(url, audit_id) -> list[tuple[str, str, dict[str, str]]]:
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        return sorted(
            (
                iv.tier,
                iv.service_area,
                {q: r.answer for q, r in repo.interview_answers(s, iv).items()},
            )
            for iv in repo.list_interviews(s, audit)
        )


STAFF = [
    ["Volunteer", "Youth Services", "Agree", "More face to face training, please"],
    ["Team leader", "Community Hub", "Disagree", ""],
    ["Volunteer", "Supported Housing", "Strongly agree", "No"],
]


def test_the_role_and_service_questions_are_found_by_their_answers_with_only_a_tier_map(
    store, tmp_path
):
    url, audit_id = store
    path = google_forms(
        tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01, ANYTHING_ELSE], STAFF
    )
    result = run(url, audit_id, path, tier_map=TIER_MAP)
    assert (
        f"Tier from column '{ROLE_QUESTION}'; service area from column '{AREA_QUESTION}' "
        "(found by their answers)."
    ) in result.message()
    assert tiers_and_areas(url, audit_id) == [
        ("front_line", "Supported Housing", {"REC-01": "strongly_agree"}),
        ("front_line", "Youth Services", {"REC-01": "agree"}),
        ("manager", "Community Hub", {"REC-01": "disagree"}),
    ]


def test_a_role_column_whose_answers_are_tier_labels_needs_no_map(store, tmp_path):
    url, audit_id = store
    rows = [["Front-line staff and volunteers", "Youth Services", "Agree"],
            ["manager", "Community Hub", "Agree"]]  # fmt: skip
    path = google_forms(tmp_path / "staff.csv", ["Your group", "Where are you based?", REC01], rows)
    result = run(url, audit_id, path)
    assert "Tier from column 'Your group'; service area from column 'Where are you based?'" in (
        result.message()
    )
    assert [t[:2] for t in tiers_and_areas(url, audit_id)] == [
        ("front_line", "Youth Services"),
        ("manager", "Community Hub"),
    ]


def test_without_a_tier_map_the_role_question_is_named_with_its_answers_and_the_option(
    store, tmp_path
):
    url, audit_id = store
    path = google_forms(
        tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01], [r[:3] for r in STAFF]
    )
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path)
    (p,) = exc.value.problems
    assert p.column == ROLE_QUESTION
    assert "'Volunteer' (rows 2, 4), 'Team leader' (row 3)" in p.message
    assert '--tier-map "Volunteer=<tier>,Team leader=<tier>"' in p.message
    assert counts(url) == (0, 0)


def test_area_map_answers_count_as_service_areas_when_the_column_is_looked_for(store, tmp_path):
    url, audit_id = store
    rows = [["Volunteer", "Housing", "Agree"], ["Team leader", "Youth", "Agree"]]
    path = google_forms(tmp_path / "staff.csv", [ROLE_QUESTION, "Your team", REC01], rows)
    run(url, audit_id, path, tier_map=TIER_MAP,
        area_map="Housing=Supported Housing,Youth=Youth Services")  # fmt: skip
    assert [t[:2] for t in tiers_and_areas(url, audit_id)] == [
        ("front_line", "Supported Housing"),
        ("manager", "Youth Services"),
    ]


def test_two_columns_that_could_each_be_the_service_area_are_an_error_naming_both(store, tmp_path):
    url, audit_id = store
    rows = [["Volunteer", "Youth Services", "Community Hub", "Agree"]]
    header = [ROLE_QUESTION, AREA_QUESTION, "Where did you work before?", REC01]
    path = google_forms(tmp_path / "staff.csv", header, rows)
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_map=TIER_MAP)
    (p,) = exc.value.problems
    assert f"columns '{AREA_QUESTION}' and 'Where did you work before?'" in p.message
    assert "--area-column COLUMN" in p.message
    # The option settles it, and the other column is free text left out.
    result = run(url, audit_id, path, tier_map=TIER_MAP, area_column=AREA_QUESTION)
    assert result.free_text == ("Where did you work before?",)
    assert [t[:2] for t in tiers_and_areas(url, audit_id)] == [("front_line", "Youth Services")]


def test_the_named_columns_and_a_fixed_tier_still_work(store, tmp_path):
    url, audit_id = store
    path = google_forms(
        tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01], [r[:3] for r in STAFF]
    )
    result = run(url, audit_id, path, tier="front_line", area_column=AREA_QUESTION)
    # The role question is not needed then: it matches no question and is left out.
    assert result.found == () and result.free_text == (ROLE_QUESTION,)
    assert {t[0] for t in tiers_and_areas(url, audit_id)} == {"front_line"}


def test_a_free_text_question_the_audit_does_not_ask_is_reported_and_not_stored(store, tmp_path):
    url, audit_id = store
    path = google_forms(
        tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01, ANYTHING_ELSE], STAFF
    )
    result = run(url, audit_id, path, tier_map=TIER_MAP)
    assert result.free_text == (ANYTHING_ELSE,)
    assert (
        "Free-text columns left out, not kept (free text in an anonymous survey can identify "
        f"people): '{ANYTHING_ELSE}'. To keep one, send it to a free-text question of the set "
        "in a map file (--map FILE"
    ) in result.message()
    data = Path(url.removeprefix("sqlite:///")).read_bytes()
    assert b"face to face" not in data
    # Sent to a free-text question of the set with a map, the same column is kept.
    text_question = next(q.id for q in CORE.questions if q.scale == "text"
                         and "front_line" in {t.tier for t in q.tiers})  # fmt: skip
    map_file = tmp_path / "map.csv"
    map_file.write_text(f'column,maps_to\n"{ANYTHING_ELSE}",{text_question}\n', encoding="utf-8")
    result = run(url, audit_id, path, tier_map=TIER_MAP, column_map=map_file)
    assert result.free_text == ()
    kept = [a.get(text_question) for *_, a in tiers_and_areas(url, audit_id)]
    assert "More face to face training, please" in kept


def test_a_question_whose_wording_was_edited_is_still_refused_even_with_free_text_answers(
    store, tmp_path
):
    url, audit_id = store
    edited = REC03.replace("level", "levle")  # a typo fixed (or made) in the survey tool
    rows = [["Volunteer", "Youth Services", "Agree", "Not sure, ask my manager"]]
    path = google_forms(tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01, edited], rows)
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_map=TIER_MAP)
    (p,) = exc.value.problems
    assert p.column == edited and "nearest is REC-03" in p.message
    assert counts(url) == (0, 0)


def test_an_unknown_column_answered_in_scale_words_is_refused_as_a_question(store, tmp_path):
    url, audit_id = store
    rows = [["Volunteer", "Youth Services", "Agree", "Strongly agree"],
            ["Team leader", "Community Hub", "Agree", "Don't know"]]  # fmt: skip
    reworded = "Our safeguarding lead is easy to reach when I need them"
    path = google_forms(
        tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01, reworded], rows
    )
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_map=TIER_MAP)
    (p,) = exc.value.problems
    assert p.column == reworded and "looks like a question" in p.message
    assert "--ignore-column" in p.message
    assert counts(url) == (0, 0)


def test_an_unknown_column_of_numbers_is_refused_as_a_question_not_left_out(store, tmp_path):
    url, audit_id = store
    rows = [
        ["Volunteer", "Youth Services", "Agree", "5"],
        ["Team leader", "Community Hub", "", "3"],
    ]
    rating = "How well does your manager support you, from 1 to 5?"
    path = google_forms(tmp_path / "staff.csv", [ROLE_QUESTION, AREA_QUESTION, REC01, rating], rows)
    with pytest.raises(ImportError_) as exc:
        run(url, audit_id, path, tier_map=TIER_MAP)
    (p,) = exc.value.problems
    assert p.column == rating and "looks like a question" in p.message
    assert counts(url) == (0, 0)
