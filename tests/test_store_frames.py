"""Reading an audit for analysis: Arrow columns out of SQLite and PostgreSQL give the
same frame and the same analysis, cell for cell, and never a stale one."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from sgaudit.analysis import analyse
from sgaudit.analysis.data import AuditData
from sgaudit.analysis.synthetic import BENCH_AREAS, audit_of_size, synthetic_question_set
from sgaudit.store import frames, repo
from sgaudit.store.bulk import insert_audit_data
from sgaudit.store.db import session_scope


def store_audit(session, data: AuditData, name: str = "Frames Trust") -> int:
    """Put a synthetic audit into the store through the bulk write path; its id."""
    org = repo.create_organisation(session, name, list(BENCH_AREAS))
    audit = repo.create_audit(session, org, "Synthetic", synthetic_question_set())
    r = data.responses
    insert_audit_data(session, audit.id, r)
    return audit.id


@pytest.fixture(scope="module")
def synthetic():
    return audit_of_size(6_000, seed=3)


def _stored_and_loaded(url: str, data: AuditData) -> AuditData:
    with session_scope(url) as s:
        audit_id = store_audit(s, data)
    with session_scope(url) as s:
        return frames.load_audit_data(s, audit_id)


def test_the_frame_read_back_is_the_frame_written(db_url, synthetic):
    loaded = _stored_and_loaded(db_url, synthetic)
    expected = synthetic.responses.astype(loaded.responses.dtypes.to_dict()).reset_index(drop=True)
    pd.testing.assert_frame_equal(loaded.responses, expected)


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_the_same_analysis_cell_for_cell(db_url, pg_url, synthetic):
    on_sqlite = _stored_and_loaded(db_url, synthetic)
    on_postgres = _stored_and_loaded(pg_url, synthetic)
    pd.testing.assert_frame_equal(on_sqlite.responses, on_postgres.responses)
    assert analyse(on_sqlite).to_json_dict() == analyse(on_postgres).to_json_dict()
    # And both agree with the analysis of the frame before it was stored.
    assert analyse(on_sqlite).to_json_dict() == analyse(synthetic).to_json_dict()


def test_committed_audits_are_read_as_arrow_columns_not_rows(any_db_url, synthetic, monkeypatch):
    with session_scope(any_db_url) as s:
        audit_id = store_audit(s, synthetic)

    def no_row_reads(*_args):
        raise AssertionError("read row by row through the session")

    monkeypatch.setattr(frames, "_read_in_session", no_row_reads)
    with session_scope(any_db_url) as s:
        assert len(frames.responses_frame(s, audit_id)) == len(synthetic.responses)


def test_a_changed_answer_is_seen_by_the_next_analysis(any_db_url, synthetic):
    with session_scope(any_db_url) as s:
        audit_id = store_audit(s, synthetic)
    with session_scope(any_db_url) as s:
        before = frames.load_audit_data(s, audit_id)
        first = before.responses.iloc[0]
        audit = repo.get_audit(s, audit_id)
        (interview,) = [
            iv for iv in repo.list_interviews(s, audit) if iv.code == first["interview_id"]
        ]
        question = repo.audit_question_set(audit).questions_by_id[first["question_id"]]
        scale = repo.audit_question_set(audit).scales[question.scale]
        other = next(a for a in scale.allowed_answers(question.reverse) if a != first["answer"])
        repo.save_answer(s, interview, first["question_id"], other)  # commits
        after = frames.load_audit_data(s, audit_id)
    assert after.responses.iloc[0]["answer"] == other
    assert before.responses.iloc[0]["answer"] == first["answer"]


def test_rows_written_and_not_yet_committed_are_read_too(any_db_url, synthetic):
    with session_scope(any_db_url) as s:
        audit_id = store_audit(s, synthetic)  # not committed yet
        frame = frames.responses_frame(s, audit_id)
        assert len(frame) == len(synthetic.responses)
        s.commit()
        assert len(frames.responses_frame(s, audit_id)) == len(synthetic.responses)


def test_an_audit_without_answers_is_an_empty_frame_with_the_columns(db_url):
    with session_scope(db_url) as s:
        org = repo.create_organisation(s, "Empty Trust", ["A"])
        audit = repo.create_audit(s, org, "Nothing yet", synthetic_question_set())
        s.commit()
        frame = frames.responses_frame(s, audit.id)
    assert frame.empty
    assert list(frame.columns) == list(frames._DTYPES)


NOTES_THAT_TRY_TO_BREAK_A_TEXT_FORMAT = [
    "It's what the manager's note says",
    "'quoted at the start'",
    'double "quotes", and a comma',
    "two\nlines\r\nand a carriage return\r",
    "a tab\there, a backslash \\ and \\n written out",
    "NULL",
    "Ünïcödé – “curly” and emoji 🙂",
    "'",
    ",,,",
    "a NUL \x00 inside, and after it",
    "\x1e the joined read's own separator \x1e",
    "",
]


def test_notes_with_quotes_commas_and_new_lines_read_back_exactly(db_url):
    data = audit_of_size(600, seed=5)
    notes = data.responses["note"].tolist()
    for k, note in enumerate(NOTES_THAT_TRY_TO_BREAK_A_TEXT_FORMAT):
        notes[k * 7] = note
    data.responses["note"] = pd.Series(notes, index=data.responses.index, dtype="string")
    loaded = _stored_and_loaded(db_url, data)
    written = data.responses["note"].tolist()
    assert loaded.responses["note"].tolist() == written
    for k, note in enumerate(NOTES_THAT_TRY_TO_BREAK_A_TEXT_FORMAT):
        assert loaded.responses["note"].iloc[k * 7] == note


def test_a_slice_holding_the_separator_is_read_row_by_row_and_whole(db_url, monkeypatch):
    """A note holding the character the read joins texts with would split into two
    values: that slice is read row by row; the other slices are still read joined."""
    from sgaudit.store import sqlite_read

    monkeypatch.setattr(sqlite_read, "INTERVIEWS_PER_SLICE", 3)
    data = audit_of_size(600, seed=8)
    notes = data.responses["note"].tolist()
    notes[5] = f"one{sqlite_read.SEPARATOR}two"
    data.responses["note"] = pd.Series(notes, index=data.responses.index, dtype="string")
    row_reads = []
    real = sqlite_read._rows_table
    monkeypatch.setattr(
        sqlite_read, "_rows_table", lambda rows, types: row_reads.append(rows) or real(rows, types)
    )
    loaded = _stored_and_loaded(db_url, data)
    assert loaded.responses["note"].tolist() == notes
    assert len(row_reads) == 1  # only the slice with that note


def _expected_order(session, audit_id: int) -> pd.DataFrame:
    return pd.read_sql(
        text(
            "SELECT i.code, r.question_id, r.answer FROM interview i "
            "JOIN response r ON r.interview_id = i.id "
            "WHERE i.audit_id = :a ORDER BY i.id, r.id"
        ),
        session.connection(),
        params={"a": audit_id},
    )


@pytest.mark.parametrize("by_id", [True, False], ids=["scanned by id", "through the index"])
def test_an_answer_written_later_comes_last_in_its_interview(db_url, monkeypatch, by_id):
    """Answers are read in interview, then answer order, whichever way SQLite scans: an
    answer given to the first interview after the others were captured comes last in
    that interview, not last in the audit and not in question order."""
    from sgaudit.store import sqlite_read

    monkeypatch.setattr(sqlite_read, "_OWN_SHARE", 0.0 if by_id else 2.0)
    _an_answer_written_later_comes_last(db_url)


def test_postgresql_answers_come_in_interview_then_answer_order(pg_url):
    # The server returns them in whatever order its join gives (a hash join: the table's
    # order); the read puts them in interview, then answer order itself.
    _an_answer_written_later_comes_last(pg_url)


def _an_answer_written_later_comes_last(url: str) -> None:
    with session_scope(url) as s:
        audit_id = store_audit(s, audit_of_size(600, seed=9), "Late Answer Trust")
        s.commit()
        # The first interview's first answer, written again after every other answer.
        (first,) = s.execute(
            text(
                "SELECT r.id FROM response r JOIN interview i ON i.id = r.interview_id "
                "WHERE i.audit_id = :a ORDER BY i.id, r.id LIMIT 1"
            ),
            {"a": audit_id},
        ).one()
        columns = "interview_id, question_id, answer, note, quotable, updated_at, updated_by"
        s.execute(
            text(f"CREATE TEMP TABLE moved AS SELECT {columns} FROM response WHERE id = :r"),
            {"r": first},
        )
        s.execute(text("DELETE FROM response WHERE id = :r"), {"r": first})
        s.execute(text(f"INSERT INTO response ({columns}) SELECT {columns} FROM moved"))
        s.commit()
        frame = frames.responses_frame(s, audit_id)
        want = _expected_order(s, audit_id)
    assert frame["interview_id"].tolist() == want["code"].tolist()
    assert frame["question_id"].tolist() == want["question_id"].tolist()
    assert frame["answer"].tolist() == want["answer"].tolist()


def test_answers_of_other_audits_interleaved_by_id_are_left_out(db_url):
    """Two audits captured at the same time have interleaved interview ids; each read
    keeps only its own audit's answers, in interview then answer order."""
    first, second = audit_of_size(600, seed=6), audit_of_size(600, seed=7)
    with session_scope(db_url) as s:
        ids = [store_audit(s, first, "Interleave One"), store_audit(s, second, "Interleave Two")]
        # Move every other interview of the first audit into the second: ids interleave.
        s.execute(
            text(
                "UPDATE interview SET audit_id = :to, code = 'X' || code "
                "WHERE audit_id = :from AND id % 2 = 0"
            ),
            {"to": ids[1], "from": ids[0]},
        )
        s.commit()
        one, two = (frames.responses_frame(s, i) for i in ids)
        expected = {
            i: pd.read_sql(
                text(
                    "SELECT i.code, r.question_id, r.answer FROM interview i "
                    "JOIN response r ON r.interview_id = i.id "
                    "WHERE i.audit_id = :a ORDER BY i.id, r.id"
                ),
                s.connection(),
                params={"a": i},
            )
            for i in ids
        }
    for frame, audit_id in ((one, ids[0]), (two, ids[1])):
        want = expected[audit_id]
        assert frame["interview_id"].tolist() == want["code"].tolist()
        assert frame["question_id"].tolist() == want["question_id"].tolist()
        assert frame["answer"].tolist() == want["answer"].tolist()
    assert len(one) + len(two) == len(first.responses) + len(second.responses)


def test_an_answer_saved_between_the_reads_statements_is_put_on_its_own_interview(
    db_url, monkeypatch
):
    """The read finds each interview's run of answer ids with one statement and reads the
    answers with the next. Another auditor clearing the store's last answer and saving one
    for a different interview in between gives the new answer the freed id, with the same
    count: the read must still put it on the interview it was saved for."""
    import sqlite3

    from sgaudit.store import sqlite_read

    with session_scope(db_url) as s:
        audit_id = store_audit(s, audit_of_size(600, seed=10), "Race Trust")
        s.commit()
    path = db_url.removeprefix("sqlite:///")
    other = sqlite3.connect(path)
    (last_id, last_interview) = other.execute(
        "SELECT id, interview_id FROM response ORDER BY id DESC LIMIT 1"
    ).fetchone()
    (first_interview,) = other.execute("SELECT min(interview_id) FROM response").fetchone()
    assert first_interview != last_interview
    real_runs = sqlite_read._runs

    def runs_then_another_auditor_saves(cursor, first, last):
        found = real_runs(cursor, first, last)
        other.execute("DELETE FROM response WHERE id = ?", (last_id,))
        other.execute(
            "INSERT INTO response (interview_id, question_id, answer, note, quotable, "
            "updated_at, updated_by) VALUES (?, 'LATE-01', 'Yes', 'saved meanwhile', 0, "
            "'2026-11-26 07:00:00', 'second auditor')",
            (first_interview,),
        )
        other.commit()
        return found

    monkeypatch.setattr(sqlite_read, "_runs", runs_then_another_auditor_saves)
    with session_scope(db_url) as s:
        frame = frames.responses_frame(s, audit_id)
        want = _expected_order(s, audit_id)
    other.close()
    late = frame[frame["question_id"] == "LATE-01"]
    codes = want.loc[want["question_id"] == "LATE-01", "code"].tolist()
    assert late["interview_id"].tolist() == codes
    assert frame["interview_id"].tolist() == want["code"].tolist()
    assert frame["question_id"].tolist() == want["question_id"].tolist()
