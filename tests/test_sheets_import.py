"""Long-format import: every kind of problem is reported with row and column, and a
file with any problem writes nothing (rows counted in the store before and after)."""

from __future__ import annotations

import pytest
from test_sheets_support import counts, make_audit, write_csv

from sgaudit.errors import ImportError_, Problem, SgauditError
from sgaudit.sheets import import_answers
from sgaudit.store import repo
from sgaudit.store.db import session_scope

HEADER = "interview_id,tier,service_area,question_id,answer,note,consent\n"
GOOD = (
    HEADER
    + "FL-01,front_line,Supported Housing,POL-01,agree,Knows where the policy is,yes\n"
    + "FL-01,front_line,Supported Housing,POL-02,no,,yes\n"
    + "FL-01,front_line,Supported Housing,CUL-01,3,,yes\n"
    + "BD-01,board,Youth Services,CUL-02,We get a quarterly report,,yes\n"
)


@pytest.fixture
def store(any_db_url):
    return any_db_url, make_audit(any_db_url)


def _import(url, audit_id, path, **kw):
    with session_scope(url) as s:
        return import_answers(s, audit_id, path, **kw)


def _refused(url, audit_id, path, **kw) -> list[Problem]:
    before = counts(url)
    with pytest.raises(ImportError_) as exc:
        _import(url, audit_id, path, **kw)
    assert counts(url) == before, "a refused file must write nothing"
    return exc.value.problems


def _one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_good_long_file_writes_every_answer_in_one_go(store, tmp_path):
    url, audit_id = store
    summary = _import(url, audit_id, write_csv(tmp_path / "a.csv", GOOD))
    assert (summary.interviews_created, summary.answers_created) == (2, 4)
    assert summary.format == "long"
    assert counts(url) == (2, 4)
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        fl = next(iv for iv in repo.list_interviews(s, audit) if iv.code == "FL-01")
        assert (fl.tier, fl.service_area, fl.mode, fl.people) == (
            "front_line",
            "Supported Housing",
            "interview",
            1,
        )
        answers = repo.interview_answers(s, fl)
        assert answers["POL-01"].note == "Knows where the policy is"
        assert answers["CUL-01"].answer == "3"


def test_importing_again_updates_the_same_interviews_instead_of_duplicating(store, tmp_path):
    url, audit_id = store
    path = write_csv(tmp_path / "a.csv", GOOD)
    _import(url, audit_id, path)
    again = _import(url, audit_id, path)
    assert (again.interviews_created, again.interviews_updated) == (0, 2)
    assert (again.answers_created, again.answers_updated) == (0, 4)
    assert counts(url) == (2, 4)


def test_dry_run_checks_and_counts_but_writes_nothing(store, tmp_path):
    url, audit_id = store
    summary = _import(url, audit_id, write_csv(tmp_path / "a.csv", GOOD), dry_run=True)
    assert summary.dry_run and summary.answers_written == 4
    assert "Nothing was written" in summary.message()
    assert counts(url) == (0, 0)


def test_dry_run_of_a_bad_file_reports_the_problems(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", HEADER + "FL-01,front_line,Supported Housing,POL-01,maybe,,yes\n"
    )
    problems = _refused(url, audit_id, path, dry_run=True)
    assert _one(problems).column == "answer"


def test_answers_match_labels_and_spellings_case_insensitively(store, tmp_path):
    url, audit_id = store
    text = (
        HEADER
        + "FL-01,Front line,supported housing,pol-01,Strongly Agree,,yes\n"
        + "FL-01,front_line,Supported Housing,POL-02,Don\u2019t know,,yes\n"
        + "FL-01,front_line,Supported Housing,CUL-01,2 - level 2,,yes\n"
        + "MG-01,Managers and team leaders,Community Hub,POL-01,N/A,,yes\n"
        + "BD-01,board,Youth Services,POL-01,dont know,,yes\n"
    )
    _import(url, audit_id, write_csv(tmp_path / "a.csv", text))
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        got = {
            (iv.code, qid): r.answer
            for iv in repo.list_interviews(s, audit)
            for qid, r in repo.interview_answers(s, iv).items()
        }
    assert got == {
        ("FL-01", "POL-01"): "strongly_agree",
        ("FL-01", "POL-02"): "dont_know",
        ("FL-01", "CUL-01"): "2",
        ("MG-01", "POL-01"): "na",
        ("BD-01", "POL-01"): "dont_know",
    }


def test_rows_without_answer_or_note_are_skipped_like_unused_template_rows(store, tmp_path):
    url, audit_id = store
    text = GOOD + ",front_line,,POL-01,,\n,board,,CUL-01,,,yes\n"
    summary = _import(url, audit_id, write_csv(tmp_path / "a.csv", text))
    assert summary.answers_written == 4


def test_a_missing_column_is_named(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", "interview_id,tier,question_id,answer\nFL-01,front_line,POL-01,agree\n"
    )
    p = _one(_refused(url, audit_id, path))
    assert (p.row, p.column) == (1, "service_area")
    assert "missing column" in p.message


def test_an_unknown_question_id_is_reported_at_its_cell(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", GOOD + "FL-01,front_line,Supported Housing,POL-99,agree,,yes\n"
    )
    p = _one(_refused(url, audit_id, path))
    assert (p.file, p.row, p.column) == ("a.csv", 6, "question_id")
    assert "unknown question id 'POL-99'" in p.message


def test_a_question_not_asked_of_the_tier_is_refused(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", HEADER + "SU-01,service_user,Youth Services,POL-01,agree,,yes\n"
    )
    p = _one(_refused(url, audit_id, path))
    assert (p.row, p.column) == (2, "question_id")
    assert "not asked of tier 'service_user'" in p.message
    assert "front_line, manager, board" in p.message


def test_an_answer_off_the_scale_lists_the_allowed_answers_weakest_first(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", HEADER + "FL-01,front_line,Supported Housing,POL-02,sometimes,,yes\n"
    )
    p = _one(_refused(url, audit_id, path))
    assert (p.row, p.column) == (2, "answer")
    # POL-02 is reverse-scored: its allowed answers are listed strongest-point-first
    assert "allowed: yes | partly | no | dont_know" in p.message


def test_na_is_off_the_scale_where_the_scale_does_not_allow_it(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", HEADER + "FL-01,front_line,Supported Housing,POL-02,n/a,,yes\n"
    )
    assert _one(_refused(url, audit_id, path)).column == "answer"


def test_unknown_tier_and_unknown_service_area_are_both_reported(store, tmp_path):
    url, audit_id = store
    path = write_csv(tmp_path / "a.csv", HEADER + "X-01,trustee,Head Office,POL-01,agree,,yes\n")
    problems = _refused(url, audit_id, path)
    by_col = {p.column: p for p in problems}
    assert set(by_col) == {"tier", "service_area"}
    assert "unknown tier 'trustee'" in by_col["tier"].message
    assert "Supported Housing, Youth Services, Community Hub" in by_col["service_area"].message
    assert all(p.row == 2 for p in problems)


def test_one_interview_cannot_change_tier_or_area_between_rows(store, tmp_path):
    url, audit_id = store
    text = (
        HEADER
        + "FL-01,front_line,Supported Housing,POL-01,agree,,yes\n"
        + "FL-01,board,Supported Housing,CUL-01,2,,yes\n"
        + "FL-01,front_line,Youth Services,POL-02,no,,yes\n"
    )
    problems = _refused(url, audit_id, write_csv(tmp_path / "a.csv", text))
    assert [(p.row, p.column) for p in problems] == [(3, "tier"), (4, "service_area")]
    assert "on row 2" in problems[0].message


def test_a_second_answer_to_the_same_question_in_one_interview_is_refused(store, tmp_path):
    url, audit_id = store
    text = GOOD + "FL-01,front_line,Supported Housing,pol-01,disagree,,yes\n"
    p = _one(_refused(url, audit_id, write_csv(tmp_path / "a.csv", text)))
    assert (p.row, p.column) == (6, "question_id")
    assert "answered twice" in p.message and "first on row 2" in p.message


def test_bad_date_quotable_and_people_are_reported(store, tmp_path):
    url, audit_id = store
    text = (
        "interview_id,tier,service_area,question_id,answer,note,date,quotable,people,mode,consent\n"
        "FG-01,front_line,Youth Services,POL-01,agree,,31/02/2025,perhaps,x,focus group,yes\n"
    )
    problems = _refused(url, audit_id, write_csv(tmp_path / "a.csv", text))
    assert {p.column for p in problems} == {"date", "quotable", "people"}
    assert all(p.row == 2 for p in problems)


def test_a_focus_group_needs_a_head_count(store, tmp_path):
    url, audit_id = store
    text = (
        "interview_id,tier,service_area,question_id,answer,mode,consent\n"
        "FG-01,front_line,Youth Services,POL-01,agree,focus_group,yes\n"
    )
    p = _one(_refused(url, audit_id, write_csv(tmp_path / "a.csv", text)))
    # the file has no people column, so the problem points at the row and names it
    assert (p.row, p.column) == (2, None)
    assert "focus group" in p.message and "'people' column" in p.message


def test_optional_columns_are_stored_once_per_interview(store, tmp_path):
    url, audit_id = store
    text = (
        "Interview ID,Tier,Service area,Question ID,Answer,Note,Date,Auditor,Mode,Quotable,People,Consent\n"
        "FG-01,front_line,Youth Services,POL-01,agree,We all know the policy,2025-03-04,A. Auditor,Focus group,yes,6,yes\n"
        "FG-01,front_line,Youth Services,CUL-01,1,,,,,,,yes\n"
    )
    _import(url, audit_id, write_csv(tmp_path / "a.csv", text))
    with session_scope(url) as s:
        (iv,) = repo.list_interviews(s, repo.get_audit(s, audit_id))
        assert (iv.mode, iv.people, iv.auditor, str(iv.held_on)) == (
            "focus_group",
            6,
            "A. Auditor",
            "2025-03-04",
        )
        answers = repo.interview_answers(s, iv)
        assert answers["POL-01"].quotable and not answers["CUL-01"].quotable


def test_a_name_instead_of_a_code_is_refused(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv", HEADER + "Jane Smith,front_line,Youth Services,POL-01,agree,,yes\n"
    )
    p = _one(_refused(url, audit_id, path))
    assert p.column == "interview_id" and "never a name" in p.message


def test_an_existing_interview_with_another_tier_is_not_silently_reused(store, tmp_path):
    url, audit_id = store
    _import(url, audit_id, write_csv(tmp_path / "a.csv", GOOD))
    path = write_csv(
        tmp_path / "b.csv", HEADER + "FL-01,manager,Supported Housing,POL-01,agree,,yes\n"
    )
    p = _one(_refused(url, audit_id, path))
    assert p.column == "interview_id" and "already exists" in p.message


def test_an_unknown_column_is_refused_unless_ignored(store, tmp_path):
    url, audit_id = store
    text = "interview_id,tier,service_area,question_id,answer,notes,consent\nFL-01,front_line,Youth Services,POL-01,agree,hi,yes\n"
    path = write_csv(tmp_path / "a.csv", text)
    p = _one(_refused(url, audit_id, path))
    assert (p.row, p.column) == (1, "notes") and "--ignore-column" in p.message
    assert _import(url, audit_id, path, ignore_columns=["notes"]).answers_written == 1


def test_every_problem_in_a_file_is_listed_at_once(store, tmp_path):
    url, audit_id = store
    text = (
        HEADER
        + "FL-01,front_line,Supported Housing,POL-01,agree,,yes\n"
        + "FL-02,front_line,Nowhere,POL-01,agree,,yes\n"
        + "FL-03,front_line,Youth Services,POL-77,agree,,yes\n"
        + "FL-04,front_line,Youth Services,POL-01,lots,,yes\n"
    )
    problems = _refused(url, audit_id, write_csv(tmp_path / "a.csv", text))
    assert [p.row for p in problems] == [3, 4, 5]
    assert "3 problems; nothing was imported" in str(ImportError_(problems))


def test_a_file_wrong_throughout_lists_its_first_problems_and_counts_the_rest(
    store, tmp_path, monkeypatch
):
    # The wrong audit's sheet: every answer off the scale and every tier unknown. The
    # first problems by row are listed (both kinds, in row order), one line counts the
    # rest, and the count is the file's whole.
    from sgaudit.sheets import validate

    monkeypatch.setattr(validate, "MAX_LISTED", 10)
    url, audit_id = store
    rows = [f"X-{k:03},trustee,Supported Housing,POL-01,lots,,yes\n" for k in range(40)]
    problems = _refused(url, audit_id, write_csv(tmp_path / "a.csv", HEADER + "".join(rows)))
    listed, counted = problems[:-1], problems[-1]
    assert len(listed) == 10 and all(p.more == 0 for p in listed)
    assert [p.row for p in listed] == [2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert {p.column for p in listed} == {"tier", "answer"}
    assert counted.more == 70 and counted.row is None
    assert "and 70 more problems" in counted.message
    error = ImportError_(problems)
    assert error.count == 80 and str(error).startswith("80 problems; nothing was imported")
    assert len(str(error).splitlines()) == 12


def test_a_file_that_is_not_utf8_is_an_encoding_problem_with_advice(store, tmp_path):
    url, audit_id = store
    path = write_csv(
        tmp_path / "a.csv",
        HEADER + "FL-01,front_line,Youth Services,POL-01,agree,caf\u00e9 \u2013 ok,yes\n",
        encoding="cp1252",
    )
    p = _one(_refused(url, audit_id, path))
    assert "not UTF-8" in p.message and "--encoding cp1252" in p.message
    summary = _import(url, audit_id, path, encoding="cp1252")
    assert summary.answers_written == 1
    with session_scope(url) as s:
        (iv,) = repo.list_interviews(s, repo.get_audit(s, audit_id))
        assert repo.interview_answers(s, iv)["POL-01"].note == "caf\u00e9 \u2013 ok"


def test_utf8_with_bom_and_semicolons_are_read(store, tmp_path):
    url, audit_id = store
    path = write_csv(tmp_path / "a.csv", GOOD.replace(",", ";"), encoding="utf-8-sig")
    assert _import(url, audit_id, path).answers_written == 4


@pytest.mark.parametrize(
    "name, content",
    [
        ("broken.xlsx", b"this is not a workbook"),
        ("empty.csv", b""),
        ("answers.pdf", b"%PDF-1.4"),
        ("quote.csv", b'interview_id,tier\n"FL-01,front_line\n'),
    ],
)
def test_an_unreadable_file_is_refused_cleanly(store, tmp_path, name, content):
    url, audit_id = store
    path = tmp_path / name
    path.write_bytes(content)
    problems = _refused(url, audit_id, path)
    assert problems and problems[0].file == name


def test_a_missing_file_is_refused(store, tmp_path):
    url, audit_id = store
    assert "not found" in _one(_refused(url, audit_id, tmp_path / "nope.csv")).message


def test_a_wide_file_is_refused_here_and_imported_by_the_survey_path_with_consent(store, tmp_path):
    """One way in for survey exports: the long-sheet importer refuses a wide file,
    writing nothing, and `surveys.import_file` stores its respondents with consent given
    (a form without a consent question takes submitting as consent)."""
    from sgaudit.surveys import SurveyOptions, import_file

    url, audit_id = store
    path = write_csv(
        tmp_path / "survey.csv",
        "Timestamp,Your role,Where do you work?,POL-01 I know where the policy is\n"
        "2025/03/01 10:02:11,Front line,Supported Housing,Agree\n",
    )
    with pytest.raises(SgauditError, match="survey.csv is not a long answer sheet"):
        _import(url, audit_id, path)
    assert counts(url) == (0, 0)
    with session_scope(url) as s:
        import_file(s, audit_id, path, SurveyOptions())
        (interview,) = repo.list_interviews(s, repo.get_audit(s, audit_id))
        assert interview.consent_confirmed and interview.mode == "survey"
