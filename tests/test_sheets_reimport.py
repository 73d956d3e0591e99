"""Importing a sheet again never destroys typed data: a blank cell means "no change"
(unless --clear-blanks), every real change is listed before it is made, a changed head
count is applied, and the change log keeps one entry per import with old and new
values (a note's text is never copied)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_sheets_support import counts, make_audit, write_csv

from sgaudit.sheets import import_answers
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog

HEADER = "interview_id,tier,service_area,mode,people,question_id,answer,note,consent\n"
FIRST = (
    HEADER
    + "FG-01,front_line,Supported Housing,focus_group,8,POL-01,agree,Secret words,yes\n"
    + "FG-01,front_line,Supported Housing,focus_group,8,CUL-01,3,,yes\n"
)


@pytest.fixture
def store(any_db_url, tmp_path):
    url, audit_id = any_db_url, make_audit(any_db_url)
    with session_scope(url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "first.csv", FIRST))
    return url, audit_id


def _stored(url, audit_id):
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        (iv,) = repo.list_interviews(s, audit)
        answers = repo.interview_answers(s, iv)
        return iv.people, {q: (r.answer, r.note) for q, r in answers.items()}


def _import_logs(url, audit_id):
    with session_scope(url) as s:
        return [
            c.detail
            for c in s.scalars(
                select(ChangeLog).where(
                    ChangeLog.audit_id == audit_id, ChangeLog.action == "import"
                )
            )
        ]


def test_a_blank_answer_in_a_reimport_leaves_the_stored_answer(store, tmp_path):
    url, audit_id = store
    blank = HEADER + "FG-01,front_line,Supported Housing,,,POL-01,,,yes\n"
    with session_scope(url) as s:
        summary = import_answers(s, audit_id, write_csv(tmp_path / "b.csv", blank))
    assert summary.changes == ()
    assert _stored(url, audit_id) == (8, {"POL-01": ("agree", "Secret words"), "CUL-01": ("3", "")})


def test_clear_blanks_removes_a_blank_answer(store, tmp_path):
    url, audit_id = store
    blank = HEADER + "FG-01,front_line,Supported Housing,,,POL-01,,,yes\n"
    with session_scope(url) as s:
        summary = import_answers(
            s, audit_id, write_csv(tmp_path / "b.csv", blank), clear_blanks=True
        )
    assert [c.field for c in summary.changes] == ["removed"]
    assert _stored(url, audit_id)[1] == {"CUL-01": ("3", "")}


def test_a_changed_head_count_is_applied_and_listed(store, tmp_path):
    url, audit_id = store
    more = HEADER + "FG-01,front_line,Supported Housing,focus_group,60,CUL-01,3,,yes\n"
    with session_scope(url) as s:
        summary = import_answers(s, audit_id, write_csv(tmp_path / "m.csv", more))
    assert [(c.field, c.old, c.new) for c in summary.changes] == [("people", 8, 60)]
    assert "interview FG-01: people '8' -> '60'" in summary.changes_text()
    assert _stored(url, audit_id)[0] == 60


def test_dry_run_lists_every_change_and_writes_nothing(store, tmp_path):
    url, audit_id = store
    changed = HEADER + "FG-01,front_line,Supported Housing,,,POL-01,disagree,Other words,yes\n"
    before = _stored(url, audit_id)
    with session_scope(url) as s:
        summary = import_answers(s, audit_id, write_csv(tmp_path / "c.csv", changed), dry_run=True)
    text = summary.changes_text()
    assert "2 stored values would change" in text
    assert "interview FG-01, POL-01: answer 'agree' -> 'disagree'" in text
    assert "interview FG-01, POL-01: note changed (text not shown)" in text
    assert "Secret words" not in text and "Other words" not in text
    assert _stored(url, audit_id) == before


def test_changes_are_reported_before_they_are_written(store, tmp_path):
    url, audit_id = store
    changed = HEADER + "FG-01,front_line,Supported Housing,,,CUL-01,1,,yes\n"
    seen = []

    def before_writing(summary):
        seen.append((summary.changes_text(), _stored(url, audit_id)[1]["CUL-01"]))

    with session_scope(url) as s:
        import_answers(
            s, audit_id, write_csv(tmp_path / "c.csv", changed), before_writing=before_writing
        )
    ((text, stored_then),) = seen
    assert "CUL-01: answer '3' -> '1'" in text
    assert stored_then == ("3", "")  # listed while the old value was still stored
    assert _stored(url, audit_id)[1]["CUL-01"] == ("1", "")


def test_one_change_log_entry_per_import_with_old_and_new_but_no_note_text(store, tmp_path):
    url, audit_id = store
    changed = HEADER + "FG-01,front_line,Supported Housing,,60,POL-01,disagree,Other words,yes\n"
    with session_scope(url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "c.csv", changed))
    first, second = _import_logs(url, audit_id)
    assert (first["file"], first["answers_created"], first["changes"]) == ("first.csv", 2, [])
    assert second["file"] == "c.csv"
    assert {"interview": "FG-01", "field": "people", "old": 8, "new": 60} in second["changes"]
    assert {
        "interview": "FG-01",
        "question": "POL-01",
        "field": "answer",
        "old": "agree",
        "new": "disagree",
    } in second["changes"]
    assert {
        "interview": "FG-01",
        "question": "POL-01",
        "field": "note",
        "changed": True,
    } in second["changes"]
    assert "words" not in repr(second)
    # Not one log line per answer: the import is one entry.
    with session_scope(url) as s:
        n = len(list(s.scalars(select(ChangeLog).where(ChangeLog.entity == "response"))))
    assert n == 0


def test_the_cli_lists_changes_on_a_dry_run(run, store, tmp_path):
    url, audit_id = store
    changed = HEADER + "FG-01,front_line,Supported Housing,,,CUL-01,1,,yes\n"
    path = write_csv(tmp_path / "c.csv", changed)
    code, out, err = run("import", audit_id, path, "--dry-run", "--db", url)
    assert code == 0, err
    assert "CUL-01: answer '3' -> '1'" in out
    assert counts(url) == (1, 2)
