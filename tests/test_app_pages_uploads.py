"""The auditor app through AppTest: files coming in, and the app on PostgreSQL.

A refused upload (report template, answer sheet, register) changes nothing and says
why; a good one is stored. Answers captured in the app land in PostgreSQL too.
"""

from __future__ import annotations

import pytest
from app_support import (
    REPO,
    answer_radios,
    app,
    assert_clean,
    button,
    make_audit,
    open_page,
    problems_table,
)

from sgaudit.questionnaire import load_question_set
from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope


# ---- uploads are checked and change nothing when refused ---------------------------------
def _audit_with_answers(url: str) -> int:
    audit_id, interview_id = make_audit(url, people=4, mode="focus_group")
    with session_scope(url) as s:
        iv = repo.get_interview(s, interview_id)
        qs = load_question_set()
        for q in qs.questions_for_tier("front_line")[:6]:
            if qs.scales[q.scale].kind != "text":
                repo.save_answer(s, iv, q.id, qs.allowed_answers(q.id)[0])
    return audit_id


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("template.docx", b"this is not a Word file", "refused"),
        ("big.docx", b"0" * (11 * 1024 * 1024), "limit"),
    ],
    ids=["not a Word template", "over the size limit"],
)
def test_a_bad_template_is_refused_and_no_report_is_made(app_db, name, content, said):
    audit_id = _audit_with_answers(app_db)
    at = app(audit=audit_id)
    open_page(at, "report")
    at.file_uploader[0].upload(name, content)
    at.run()
    button(at, "Generate report").click().run()
    assert_clean(at)
    assert at.error and said in at.error[0].value
    assert "sg_report" not in at.session_state


def _refused_upload(audit_id: int, page: str, key: str, name: str, content: bytes):
    """Upload `content` on `page` and press Import: the app refuses it, says nothing was
    changed, and lists the problems; returns that table."""
    at = app(audit=audit_id)
    open_page(at, page)
    at.file_uploader(key=key).upload(name, content, "text/csv")
    at.run()
    button(at, "Import").click().run()
    assert_clean(at)
    assert at.error and "Nothing was changed" in at.error[0].value
    return problems_table(at)


def test_a_bad_answer_sheet_lists_every_problem_and_imports_nothing(app_db):
    audit_id, interview_id = make_audit(app_db)
    with session_scope(app_db) as s:
        code = repo.get_interview(s, interview_id).code
    sheet = (
        "interview_id,tier,service_area,question_id,answer,note\n"
        f"{code},front_line,Housing,NOPE-99,agree,\n"
        f"{code},front_line,Housing,{load_question_set().questions_for_tier('front_line')[0].id},"
        "maybe,\n"
    ).encode()
    problems = _refused_upload(audit_id, "interview", "sheet_upload", "answers.csv", sheet)
    assert len(problems) >= 2 and set(problems["row"]) >= {"row 2", "row 3"}
    with session_scope(app_db) as s:
        assert capture.answer_counts(s, repo.get_audit(s, audit_id)) == {}


def test_a_good_answer_sheet_is_checked_then_imported(app_db):
    audit_id, interview_id = make_audit(app_db)
    qs = load_question_set()
    q = next(q for q in qs.questions_for_tier("front_line") if qs.scales[q.scale].kind != "text")
    sheet = (
        "interview_id,tier,service_area,question_id,answer,note,consent\n"
        f"PAPER-1,front_line,Youth,{q.id},dont_know,from a paper form,yes\n"
    ).encode()
    at = app(audit=audit_id)
    open_page(at, "interview")
    at.file_uploader(key="sheet_upload").upload("answers.csv", sheet, "text/csv")
    at.run()
    button(at, "Check file").click().run()
    assert at.success and "Nothing was written" in at.success[0].value
    with session_scope(app_db) as s:
        assert len(repo.list_interviews(s, repo.get_audit(s, audit_id))) == 1
    button(at, "Import").click().run()
    assert_clean(at)
    with session_scope(app_db) as s:
        interviews = repo.list_interviews(s, repo.get_audit(s, audit_id))
        assert [iv.code for iv in interviews][-1] == "PAPER-1"
        assert repo.interview_answers(s, interviews[-1])[q.id].note == "from a paper form"


# ---- registers -------------------------------------------------------------------------
def test_a_bad_register_file_lists_every_problem_and_stores_nothing(app_db):
    audit_id, _ = make_audit(app_db)
    bad = (REPO / "examples" / "registers" / "bad_training.csv").read_bytes()
    key = "register_upload_training"
    problems = _refused_upload(audit_id, "registers", key, "bad_training.csv", bad)
    assert len(problems) >= 2 and {"row", "column", "problem"} <= set(problems.columns)
    with session_scope(app_db) as s:
        assert repo.register_records(s, repo.get_audit(s, audit_id)) == {}


def test_a_register_is_imported_and_its_indicators_shown(app_db):
    audit_id = _audit_with_answers(app_db)
    policies = (REPO / "examples" / "registers" / "policies.csv").read_bytes()
    at = app(audit=audit_id)
    open_page(at, "registers")
    at.segmented_control(key="register_kind").set_value("policies").run()
    at.file_uploader(key="register_upload_policies").upload("policies.csv", policies, "text/csv")
    at.run()
    button(at, "Import").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    with session_scope(app_db) as s:
        stored = repo.register_records(s, repo.get_audit(s, audit_id))
    assert len(stored["policies"]) == policies.decode().count("\n") - 1
    (indicators,) = [d.value for d in at.table if "indicator" in d.value.columns]
    assert len(indicators) >= 1
    assert set(indicators["register"]) == {"Policy register"}


def test_choosing_a_training_framework_is_stored_on_the_audit(app_db):
    audit_id, _ = make_audit(app_db)
    at = app(audit=audit_id)
    open_page(at, "registers")
    at.selectbox(key="register_framework").set_value("wales_national").run()
    assert_clean(at)
    with session_scope(app_db) as s:
        assert repo.get_audit(s, audit_id).framework_id == "wales_national"


# ---- PostgreSQL ------------------------------------------------------------------------
@pytest.mark.postgres
def test_answers_captured_in_the_app_are_stored_in_postgresql(pg_url, monkeypatch):
    monkeypatch.setenv("SGAUDIT_DATABASE_URL", pg_url)
    audit_id, interview_id = make_audit(pg_url, people=3, mode="focus_group")
    at = app(audit=audit_id, interview=interview_id)
    open_page(at, "interview")
    key = answer_radios(at)[0].key
    at.radio(key=key).set_value("dont_know").run()
    assert_clean(at)
    with session_scope(pg_url) as s:
        stored = repo.interview_answers(s, repo.get_interview(s, interview_id))
    assert stored[key.rsplit(":", 1)[1]].answer == "dont_know"
    for page in ("dashboard", "findings", "report"):
        open_page(at, page)
