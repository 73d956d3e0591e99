"""Wide survey exports: one row per respondent, one column per question."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from test_sheets_support import counts, make_audit, write_csv

from sgaudit.errors import ImportError_
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.surveys import SurveyOptions, import_file

# A Google-Forms-like export: timestamp, then the tier and area questions, then items.
FORMS = (
    "Timestamp,Your role,Where do you work?,POL-01 I know where the policy is,"
    "POL-02: Is the policy out of date?,Culture [CUL-01 How embedded is it?]\n"
    "2025/03/01 10:02:11,Front line,Supported Housing,Agree,No,3 - level 3\n"
    "2025/03/01 10:05:40,Front line,Youth Services,Strongly disagree,,1\n"
    "2025/03/02 09:00:00,Managers and team leaders,Youth Services,Neither agree nor disagree,,\n"
)


@pytest.fixture
def store(any_db_url):
    return any_db_url, make_audit(any_db_url)


def _import(url, audit_id, path, **kw):
    with session_scope(url) as s:
        return import_file(s, audit_id, path, SurveyOptions(**kw)).summary


def _answers(url, audit_id):
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        return {
            (iv.tier, iv.service_area, iv.mode, qid): r.answer
            for iv in repo.list_interviews(s, audit)
            for qid, r in repo.interview_answers(s, iv).items()
        }


def test_a_forms_export_imports_with_named_tier_and_area_columns(store, tmp_path):
    url, audit_id = store
    path = write_csv(tmp_path / "forms.csv", FORMS)
    summary = _import(
        url, audit_id, path, tier_column="Your role", area_column="Where do you work?"
    )
    assert summary.format == "google_forms"
    assert (summary.interviews_created, summary.answers_created) == (3, 6)
    assert _answers(url, audit_id) == {
        ("front_line", "Supported Housing", "survey", "POL-01"): "agree",
        ("front_line", "Supported Housing", "survey", "POL-02"): "no",
        ("front_line", "Supported Housing", "survey", "CUL-01"): "3",
        ("front_line", "Youth Services", "survey", "POL-01"): "strongly_disagree",
        ("front_line", "Youth Services", "survey", "CUL-01"): "1",
        ("manager", "Youth Services", "survey", "POL-01"): "neutral",
    }


def test_importing_the_same_survey_twice_does_not_duplicate_respondents(store, tmp_path):
    url, audit_id = store
    path = write_csv(tmp_path / "forms.csv", FORMS)
    opts = {"tier_column": "Your role", "area_column": "Where do you work?"}
    _import(url, audit_id, path, **opts)
    again = _import(url, audit_id, path, **opts)
    assert again.interviews_created == 0 and again.interviews_updated == 3
    assert counts(url) == (3, 6)


def test_respondent_codes_are_pseudonymous_and_carry_the_tier(store, tmp_path):
    url, audit_id = store
    _import(
        url,
        audit_id,
        write_csv(tmp_path / "forms.csv", FORMS),
        tier_column="Your role",
        area_column="Where do you work?",
    )
    with session_scope(url) as s:
        codes = [iv.code for iv in repo.list_interviews(s, repo.get_audit(s, audit_id))]
    assert [c[:4] for c in codes] == ["FL-S", "FL-S", "MG-S"]
    assert len(set(codes)) == 3


def test_a_fixed_tier_and_area_apply_to_the_whole_file(store, tmp_path):
    url, audit_id = store
    text = "Respondent ID,POL-01,CUL-01\n101,agree,2\n102,disagree,\n"
    summary = _import(
        url, audit_id, write_csv(tmp_path / "s.csv", text), tier="board", area="community hub"
    )
    assert summary.answers_written == 3
    assert {k[:2] for k in _answers(url, audit_id)} == {("board", "Community Hub")}


def test_columns_named_tier_and_service_area_are_used_without_options(store, tmp_path):
    url, audit_id = store
    text = "tier,service_area,POL-01\nfront_line,Youth Services,agree\n"
    assert _import(url, audit_id, write_csv(tmp_path / "s.csv", text)).answers_written == 1


def test_without_a_tier_source_the_user_is_told_how_to_give_one(store, tmp_path):
    url, audit_id = store
    before = counts(url)
    with pytest.raises(ImportError_) as exc:
        _import(
            url, audit_id, write_csv(tmp_path / "s.csv", "POL-01\nagree\n"), area="Youth Services"
        )
    (p,) = exc.value.problems
    assert "--tier-column" in p.message and "--tier" in p.message
    assert counts(url) == before


def test_personal_data_columns_are_dropped_as_read_and_reported(store, tmp_path):
    url, audit_id = store
    text = "Email address,Full name,POL-01\nsam@example.org,Sam Example,agree\n"
    with session_scope(url) as s:
        result = import_file(
            s,
            audit_id,
            write_csv(tmp_path / "s.csv", text),
            SurveyOptions(tier="front_line", area="Youth Services"),
        )
    assert result.dropped == ("Email address", "Full name")
    assert "not kept: Email address, Full name" in result.message()
    assert counts(url) == (1, 1)
    if url.startswith("sqlite"):
        stored = Path(url.removeprefix("sqlite:///")).read_bytes()
        assert b"sam@example.org" not in stored and b"Sam Example" not in stored


def test_microsoft_forms_anonymous_name_and_email_columns_are_ignored(store, tmp_path):
    url, audit_id = store
    text = (
        "ID,Start time,Completion time,Email,Name,Last modified time,POL-01\n"
        "1,3/1/25 10:00,3/1/25 10:04,anonymous,,,Agree\n"
    )
    summary = _import(
        url,
        audit_id,
        write_csv(tmp_path / "ms.csv", text),
        tier="front_line",
        area="Youth Services",
    )
    assert summary.answers_written == 1


def test_a_question_in_the_header_that_mentions_a_name_is_still_a_question(store, tmp_path):
    url, audit_id = store
    text = "POL-01 I know the name of our DSL\nagree\n"
    summary = _import(
        url, audit_id, write_csv(tmp_path / "s.csv", text), tier="front_line", area="Youth Services"
    )
    assert summary.answers_written == 1


def test_wide_problems_point_at_the_answer_cell(store, tmp_path):
    url, audit_id = store
    text = "Role,Area,POL-01,POL-02,Comments\nfront_line,Youth Services,agree,sometimes,\nboard,Mars,agree,,\n"
    with pytest.raises(ImportError_) as exc:
        _import(
            url,
            audit_id,
            write_csv(tmp_path / "s.csv", text),
            tier_column="Role",
            area_column="Area",
        )
    got = [(p.row, p.column) for p in exc.value.problems]
    # an empty column matching no question is left out as free text (and reported in
    # the summary of an import that goes through), not a problem (docs/formats.md)
    assert got == [(None, "Area"), (2, "POL-02")]
    area = exc.value.problems[0].message
    assert "'Mars' (row 3)" in area and "--area-map" in area
    assert counts(url) == (0, 0)


def test_a_question_not_asked_of_the_respondents_tier_is_refused(store, tmp_path):
    url, audit_id = store
    text = "POL-02\nno\n"
    with pytest.raises(ImportError_) as exc:
        _import(
            url, audit_id, write_csv(tmp_path / "s.csv", text), tier="board", area="Youth Services"
        )
    (p,) = exc.value.problems
    assert (p.row, p.column) == (2, "POL-02") and "not asked of tier 'board'" in p.message


def test_bad_fixed_tier_is_reported_once(store, tmp_path):
    url, audit_id = store
    text = "POL-01,CUL-01\nagree,1\nagree,2\n"
    with pytest.raises(ImportError_) as exc:
        _import(
            url,
            audit_id,
            write_csv(tmp_path / "s.csv", text),
            tier="trustees",
            area="Youth Services",
        )
    tier_problems = [p for p in exc.value.problems if "--tier" in p.message]
    assert len(tier_problems) == 1


def test_a_wide_xlsx_export_imports(store, tmp_path):
    url, audit_id = store
    wb = Workbook()
    ws = wb.active
    ws.append(["Response ID", "Tier", "Service area", "POL-01", "CUL-01"])
    ws.append([1, "Front line", "Supported Housing", "Agree", 4])
    ws.append([2, "board", "Youth Services", "Don't know", None])
    wb.save(tmp_path / "survey.xlsx")
    summary = _import(url, audit_id, tmp_path / "survey.xlsx")
    assert summary.answers_written == 3
    got = _answers(url, audit_id)
    assert got[("front_line", "Supported Housing", "survey", "CUL-01")] == "4"
    assert got[("board", "Youth Services", "survey", "POL-01")] == "dont_know"
