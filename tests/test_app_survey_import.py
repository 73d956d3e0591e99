"""The app's answer-file upload takes a survey export as downloaded, through the same
path as `sgaudit import`: checked first, then imported, personal columns dropped."""

from __future__ import annotations

from datetime import datetime

from app_support import app, assert_clean, button, make_audit, open_page, problems_table
from survey_exports import AREA_QUESTION, ROLE_QUESTION, Respondent, surveymonkey

from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope

CORE = load_question_set()


def test_a_surveymonkey_export_is_checked_then_imported_with_a_tier_map(app_db, tmp_path):
    audit_id, _ = make_audit(app_db)
    rec01 = CORE.questions_by_id["REC-01"].wording("front_line")
    people = [
        Respondent(str(n), datetime(2026, 3, 14, 10, n), "Volunteer", "Youth", {rec01: "Agree"},
                   name="Kim Example", email="kim@example.org")
        for n in (1, 2)
    ]  # fmt: skip
    data = surveymonkey(
        tmp_path / "Staff.csv", [rec01], [], people, open_ended="Anything else to tell us?"
    ).read_bytes()
    at = app(audit=audit_id)
    open_page(at, "interview")
    at.file_uploader(key="sheet_upload").upload("Staff.csv", data, "text/csv")
    at.text_input(key="sheet_tier_col").input(ROLE_QUESTION)
    at.text_input(key="sheet_area_col").input(AREA_QUESTION)
    at.text_input(key="sheet_tier_map").input("Volunteer=front_line")
    at.text_area(key="sheet_skip").input("Anything else to tell us?")
    at.run()
    button(at, "Check file").click().run()
    assert_clean(at)
    message = at.success[0].value
    assert "as SurveyMonkey export" in message and "Nothing was written" in message
    assert "not kept: IP Address, Email Address, First Name, Last Name, Custom Data 1" in message
    button(at, "Import").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        interviews = repo.list_interviews(s, repo.get_audit(s, audit_id))
        assert sorted(iv.response_key or "" for iv in interviews) == [
            "", "surveymonkey:1", "surveymonkey:2"
        ]  # fmt: skip


def _upload_and_check(at, name: str, data: bytes):
    at.file_uploader(key="sheet_upload").upload(name, data, "text/csv")
    at.run()
    button(at, "Check file").click().run()
    assert_clean(at)
    return at


def _problems(at) -> list[dict]:
    assert at.error and "The file was refused" in at.error[0].value
    table = problems_table(at)
    return table.to_dict("records")


def test_without_a_tier_map_the_refusal_names_the_page_field_to_fill_in_not_an_option(
    app_db, tmp_path
):
    audit_id, _ = make_audit(app_db)
    rec01 = CORE.questions_by_id["REC-01"].wording("front_line")
    people = [Respondent(str(n), datetime(2026, 3, 14, 10, n), role, area, {rec01: "Agree"})
              for n, (role, area) in enumerate([("Volunteer", "Youth"), ("Team leader", "Housing")])]  # fmt: skip
    data = surveymonkey(
        tmp_path / "Staff.csv", [rec01], [], people, open_ended="Anything else to tell us?"
    ).read_bytes()
    at = app(audit=audit_id)
    open_page(at, "interview")
    _upload_and_check(at, "Staff.csv", data)
    (problem,) = _problems(at)
    assert problem["column"] == ROLE_QUESTION
    assert "'Volunteer' (row 3), 'Team leader' (row 4)" in problem["problem"]
    assert "the field 'Role answers as tiers', e.g. Volunteer=<tier>" in problem["problem"]
    assert "--" not in problem["problem"]
    # Filling in that one field imports it; the free-text question is left out and said so.
    at.text_input(key="sheet_tier_map").input("Volunteer=front_line,Team leader=manager")
    button(at, "Check file").click().run()
    assert_clean(at)
    message = at.success[0].value
    assert f"Tier from column '{ROLE_QUESTION}'; service area from column '{AREA_QUESTION}'" in (
        message
    )
    assert "Free-text columns left out, not kept" in message and "'Anything else to tell us?'" in (
        message
    )


def test_an_unknown_column_is_refused_naming_the_field_that_skips_it(app_db, tmp_path):
    audit_id, _ = make_audit(app_db)
    rec01 = CORE.questions_by_id["REC-01"].wording("front_line")
    reworded = "Our safeguarding lead is easy to reach"
    people = [Respondent("1", datetime(2026, 3, 14, 10, 1), "front_line", "Youth",
                         {rec01: "Agree", reworded: "Strongly agree"})]  # fmt: skip
    data = surveymonkey(tmp_path / "Staff.csv", [], [rec01, reworded], people).read_bytes()
    at = app(audit=audit_id)
    open_page(at, "interview")
    _upload_and_check(at, "Staff.csv", data)
    (problem,) = _problems(at)
    assert problem["column"] == reworded
    assert "skip it with the field 'Columns to skip' (one column per line)" in problem["problem"]
    assert "--ignore-column" not in problem["problem"]
    at.text_area(key="sheet_skip").input(reworded)
    button(at, "Check file").click().run()
    assert_clean(at)
    assert "Would write 1 answer " in at.success[0].value
