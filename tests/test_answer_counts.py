"""Every interview keeps its number of answers, and every way of writing answers keeps
it right: capture, corrections, moderation, clearing, consent withdrawal, erasure, a
sheet import and re-import, a survey import, an archive restore, deleting audits and
organisations, an upgrade of an old store, and SQL that bypasses the library (so a
write path added tomorrow is counted too). After each, the kept counts are compared
with a recount of the answers, on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from test_access_rls import library_check_off, rls_world  # noqa: F401
from test_sheets_support import make_audit, write_csv

from sgaudit.archive import export_audit, import_archive
from sgaudit.questionnaire import load_question_set
from sgaudit.sheets import import_answers
from sgaudit.store import repo
from sgaudit.store.answer_counts import counts_by_audit, miscounted
from sgaudit.store.db import make_engine, session_scope, upgrade
from sgaudit.surveys import SurveyOptions, import_file

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "examples" / "surveys" / "surveymonkey.csv"
SURVEY_AREAS = ["Supported Housing", "Youth Services", "Day Opportunities", "Community Hub"]
TIER_MAP = "Volunteer=front_line,Front-line staff member=front_line,Team leader=manager"
HEADER = "interview_id,tier,service_area,mode,people,question_id,answer,note,consent\n"
SHEET = (
    HEADER
    + "FG-01,front_line,Supported Housing,focus_group,8,POL-01,agree,,yes\n"
    + "FG-01,front_line,Supported Housing,focus_group,8,POL-02,yes,,yes\n"
    + "FG-01,front_line,Supported Housing,focus_group,8,CUL-01,3,,yes\n"
    + "BD-01,board,Youth Services,interview,1,POL-01,disagree,,yes\n"
    + "BD-01,board,Youth Services,interview,1,CUL-01,2,,yes\n"
)
TRIGGERS = {"response_counted_insert", "response_counted_delete", "response_counted_move"}


def recounted(url: str) -> dict[int, dict[str, int]]:
    """Each audit's interviews and answers counted the slow way, from the rows."""
    with session_scope(url) as s:
        rows = s.execute(
            sa.text(
                "SELECT a.id, (SELECT count(*) FROM interview i WHERE i.audit_id = a.id), "
                "(SELECT count(*) FROM response r JOIN interview i ON i.id = r.interview_id "
                "WHERE i.audit_id = a.id) FROM audit a"
            )
        ).all()
    return {a: {"interviews": i, "answers": n} for a, i, n in rows}


def assert_kept_right(url: str) -> None:
    with session_scope(url) as s:
        assert miscounted(s) == {}
        audits = repo.list_audits(s)
        kept = repo.audits_counts(s, audits)
    assert kept == recounted(url)


def _interview(s, audit_id: int, code: str):
    return repo.find_interview(s, repo.get_audit(s, audit_id), code)


def test_every_write_path_keeps_the_answer_counts(any_db_url, tmp_path):
    url = any_db_url
    audit_id = make_audit(url)
    # capture: new answers, a changed one, one cleared by saving it empty
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        iv = repo.start_interview(
            s, audit, tier="front_line", service_area="Supported Housing", mode="interview"
        )
        code = iv.code
        for qid, answer in [("POL-01", "agree"), ("POL-02", "no"), ("CUL-01", "2")]:
            repo.save_answer(s, iv, qid, answer)
        repo.save_answer(s, iv, "POL-01", "strongly_agree")
        repo.save_answer(s, iv, "POL-02", "")
    assert_kept_right(url)
    with session_scope(url) as s:
        assert counts_by_audit(s, [audit_id])[audit_id] == {"interviews": 1, "answers": 2}

    # a correction that moves the interview to a tier not asked POL-01 erases that answer
    with session_scope(url) as s:
        erased = repo.correct_interview(
            s, _interview(s, audit_id, code), tier="service_user", erase_answers_outside_tier=True
        )
    assert erased == ["POL-01"]
    assert_kept_right(url)

    # a sheet import, a re-import that changes and adds answers, and one that clears
    with session_scope(url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "first.csv", SHEET))
    assert_kept_right(url)
    again = HEADER + (
        "FG-01,front_line,Supported Housing,focus_group,8,POL-01,neutral,,yes\n"
        "BD-01,board,Youth Services,interview,1,CUL-02,Board minutes each quarter,,yes\n"
    )
    with session_scope(url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "again.csv", again))
    assert_kept_right(url)
    blank = HEADER + "FG-01,front_line,Supported Housing,,,POL-02,,,yes\n"
    with session_scope(url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "blank.csv", blank), clear_blanks=True)
    assert_kept_right(url)
    with session_scope(url) as s:
        assert counts_by_audit(s, [audit_id])[audit_id] == {"interviews": 3, "answers": 6}

    # clearing one answer, withdrawing consent (the answers stay stored), erasing one
    with session_scope(url) as s:
        repo.clear_answer(s, _interview(s, audit_id, "FG-01"), "CUL-01")
    with session_scope(url) as s:
        repo.withdraw_consent(s, _interview(s, audit_id, "BD-01"))
    assert_kept_right(url)
    with session_scope(url) as s:
        repo.erase_interview(s, _interview(s, audit_id, code))
    assert_kept_right(url)

    # an archive exported and restored as a new audit
    with session_scope(url) as s:
        archive = export_audit(s, audit_id, tmp_path / "audit.zip")
    with session_scope(url) as s:
        restored = import_archive(s, archive, "Restored Trust").audit_id
    assert_kept_right(url)
    with session_scope(url) as s:
        both = counts_by_audit(s, [audit_id, restored])
    assert both[audit_id] == {"interviews": 2, "answers": 4}
    # the interview whose consent was withdrawn is not exported
    assert both[restored] == {"interviews": 1, "answers": 1}

    # a survey export, then the same export again (updates, never doubles)
    with session_scope(url) as s:
        org = repo.create_organisation(s, "Survey Trust", SURVEY_AREAS)
        survey_audit = repo.create_audit(s, org, "Staff survey", load_question_set()).id
    for _ in range(2):
        with session_scope(url) as s:
            import_file(s, survey_audit, SURVEY, SurveyOptions(tier_map=TIER_MAP))
        assert_kept_right(url)
    with session_scope(url) as s:
        assert counts_by_audit(s, [survey_audit])[survey_audit]["answers"] > 0

    # deleting: an audit, then an organisation with its audits
    with session_scope(url) as s:
        repo.erase_audit(s, repo.get_audit(s, audit_id))
    assert_kept_right(url)
    with session_scope(url) as s:
        repo.erase_organisation(s, repo.get_organisation(s, "Survey Trust"))
    assert_kept_right(url)
    assert set(recounted(url)) == {restored}


def test_sql_that_bypasses_the_library_is_counted_too(any_db_url):
    """The counts are the database's own: a new write path cannot forget them."""
    url = any_db_url
    audit_id = make_audit(url)
    with session_scope(url) as s:
        audit = repo.get_audit(s, audit_id)
        first = repo.start_interview(s, audit, tier="board", service_area="Youth Services").id
        second = repo.start_interview(s, audit, tier="board", service_area="Youth Services").id
    insert = sa.text(
        "INSERT INTO response (interview_id, question_id, answer, note, quotable, updated_at, "
        "updated_by, revision) VALUES (:i, :q, 'agree', '', false, '2026-01-01', '', 1)"
    )
    with session_scope(url) as s:
        s.execute(insert, [{"i": first, "q": q} for q in ("POL-01", "CUL-01", "CUL-02")])
        s.execute(insert, {"i": second, "q": "POL-01"})
    with session_scope(url) as s:  # one answer moved to the other interview
        s.execute(
            sa.text(
                "UPDATE response SET interview_id = :b WHERE interview_id = :a AND question_id = 'CUL-01'"
            ),
            {"a": first, "b": second},
        )
        s.execute(sa.text("UPDATE response SET answer = 'neutral'"))  # edits move nothing
    with session_scope(url) as s:
        assert counts_by_audit(s, [audit_id])[audit_id] == {"interviews": 2, "answers": 4}
        kept = dict(s.execute(sa.text("SELECT id, answer_count FROM interview ORDER BY id")).all())
    assert kept == {first: 2, second: 2}
    with session_scope(url) as s:
        s.execute(sa.text("DELETE FROM response WHERE question_id = 'POL-01'"))
    assert_kept_right(url)
    with session_scope(url) as s:  # the cascade from the interview to its answers
        s.execute(sa.text("DELETE FROM interview WHERE id = :i"), {"i": first})
    assert_kept_right(url)


def test_a_rolled_back_write_leaves_the_counts_as_they_were(any_db_url, tmp_path):
    url = any_db_url
    audit_id = make_audit(url)
    with session_scope(url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "first.csv", SHEET))
    bad = SHEET + "ZZ-01,front_line,Supported Housing,interview,1,POL-01,maybe,,yes\n"
    with session_scope(url) as s, pytest.raises(Exception, match="maybe"):
        import_answers(
            s, audit_id, write_csv(tmp_path / "bad.csv", bad + SHEET.replace("FG-01", "FG-02"))
        )
    assert_kept_right(url)
    with session_scope(url) as s:
        assert counts_by_audit(s, [audit_id])[audit_id] == {"interviews": 2, "answers": 5}


def test_the_check_finds_an_answer_written_without_the_triggers(db_url):
    """If a migration dropped the triggers, the recount would say so: the check can fail."""
    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        iv = repo.start_interview(s, audit, tier="board", service_area="Youth Services")
        repo.save_answer(s, iv, "POL-01", "agree")
        iv_id = iv.id
        s.execute(sa.text("DROP TRIGGER response_counted_insert"))
        repo.save_answer(s, iv, "CUL-01", "3")
    with session_scope(db_url) as s:
        assert miscounted(s) == {iv_id: (1, 2)}


def _triggers(url: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'response'::regclass"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'response'"
        names = set(conn.exec_driver_sql(sql).scalars())
    engine.dispose()
    return names


def test_a_store_at_the_newest_schema_has_the_counting_triggers(any_db_url):
    assert TRIGGERS <= _triggers(any_db_url)


def _old_store_with_answers(url: str) -> None:
    """A store at the schema before the counts, holding two interviews' answers."""
    engine = make_engine(url)
    upgrade(engine, "i11_erased_responses")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO organisation (name, created_at) VALUES ('Old', '2025-01-01')")
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit (organisation_id, title, auditor_1, auditor_2, scope, status, "
                "question_set_id, question_set_version, question_set_snapshot, created_at) "
                "VALUES (1, 'Old audit', 'Sam', '', 'both', 'in_progress', 'core', 1, '{}', "
                "'2025-01-01')"
            )
        )
        for code in ("FL-AAAAA", "FL-BBBBB", "FL-CCCCC"):
            conn.execute(
                sa.text(
                    "INSERT INTO interview (audit_id, code, tier, service_area, mode, auditor, "
                    "people, consent_confirmed, completed, created_at) VALUES (1, :c, "
                    "'front_line', 'Housing', 'interview', 'Sam', 1, true, false, '2025-01-01')"
                ),
                {"c": code},
            )
        for iv, qid in [(1, "REC-01"), (1, "REC-02"), (1, "REC-03"), (2, "REC-01")]:
            conn.execute(
                sa.text(
                    "INSERT INTO response (interview_id, question_id, answer, note, quotable, "
                    "updated_at, updated_by) VALUES (:i, :q, 'agree', '', false, '2025-01-01', '')"
                ),
                {"i": iv, "q": qid},
            )
    upgrade(engine)
    engine.dispose()


def test_upgrading_an_old_store_fills_the_counts_from_its_answers(tmp_path, request):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _old_store_with_answers(url)
    with session_scope(url) as s:
        counts = dict(s.execute(sa.text("SELECT code, answer_count FROM interview")).all())
        assert miscounted(s) == {}
    assert counts == {"FL-AAAAA": 3, "FL-BBBBB": 1, "FL-CCCCC": 0}
    assert TRIGGERS <= _triggers(url)


@pytest.mark.postgres
def test_upgrading_an_old_postgres_store_fills_the_counts(postgres_server):
    import time

    name = f"old{int(time.time() * 1000) % 10**9}"
    admin = sa.create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"{postgres_server}/{name}"
    try:
        _old_store_with_answers(url)
        with session_scope(url) as s:
            counts = dict(s.execute(sa.text("SELECT code, answer_count FROM interview")).all())
            assert miscounted(s) == {}
        assert counts == {"FL-AAAAA": 3, "FL-BBBBB": 1, "FL-CCCCC": 0}
        assert TRIGGERS <= _triggers(url)
    finally:
        from sgaudit.store import db as store_db

        store_db.dispose_engines()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_counts_follow_row_level_security(rls_world, library_check_off):  # noqa: F811
    """Through the app's role, with only the database's policies in force: a lead of
    organisation A saves an answer (the trigger may update A's interview) and sees A's
    counts only, the same as a recount by the owner."""
    from access_world import QUESTION

    world, app_url = rls_world
    with session_scope(app_url, principal=world.principal("lead")) as s:
        audit = repo.get_audit(s, world.audit_ids["A-open"])
        iv = repo.start_interview(
            s, audit, tier="front_line", service_area=audit.organisation.service_areas[0].name
        )
        repo.save_answer(s, iv, QUESTION, "disagree")
        seen = dict(
            s.execute(
                sa.text("SELECT audit_id, sum(answer_count) FROM interview GROUP BY audit_id")
            ).all()
        )
    owner = recounted(world.url)
    a_audits = {world.audit_ids["A-final"], world.audit_ids["A-open"]}
    assert set(seen) == a_audits
    assert {a: int(n) for a, n in seen.items()} == {a: owner[a]["answers"] for a in a_audits}
    assert owner[world.audit_ids["B-open"]]["answers"] > 0


def test_a_failed_bulk_insert_on_sqlite_leaves_no_answer_and_the_trigger_in_place(db_url):
    """The bulk path drops the per-answer trigger for its insert, inside its own
    transaction: a failure half-way takes its rows back and puts the trigger back, so
    the next writer's answer is counted."""
    import pandas as pd

    from sgaudit.store.bulk import insert_responses

    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        audit = repo.get_audit(s, audit_id)
        iv = repo.start_interview(s, audit, tier="board", service_area="Youth Services")
        repo.save_answer(s, iv, "POL-01", "agree")
        iv_id = iv.id
    answers = pd.DataFrame(
        {
            "interview_pk": [iv_id, iv_id],
            "question_id": ["CUL-01", "POL-01"],  # POL-01 is already answered
            "answer": ["3", "agree"],
            "note": ["", ""],
            "quotable": [False, False],
        }
    )
    with session_scope(db_url) as s:
        with pytest.raises(Exception, match="UNIQUE"):
            insert_responses(s, answers)
        # the session goes on (as a caller that caught the error might) and commits
        repo.save_answer(s, repo.get_interview(s, iv_id), "CUL-02", "Minutes each quarter")
    with session_scope(db_url) as s:
        stored = set(
            s.execute(
                sa.text("SELECT question_id FROM response WHERE interview_id = :i"), {"i": iv_id}
            ).scalars()
        )
    assert stored == {"POL-01", "CUL-02"}
    assert_kept_right(db_url)  # CUL-02 was counted by the trigger, back in place
    assert TRIGGERS <= _triggers(db_url)


def test_a_bulk_insert_on_sqlite_leaves_the_trigger_as_it_found_it(db_url, tmp_path):
    """After an import (the trigger dropped and made again inside the transaction) the
    store holds the same trigger, word for word, and it still counts a saved answer."""

    def trigger_sql():
        with session_scope(db_url) as s:
            return s.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE name = 'response_counted_insert'")
            ).scalar()

    before = trigger_sql()
    audit_id = make_audit(db_url)
    with session_scope(db_url) as s:
        import_answers(s, audit_id, write_csv(tmp_path / "first.csv", SHEET))
    assert trigger_sql() == before
    with session_scope(db_url) as s:
        repo.save_answer(s, _interview(s, audit_id, "BD-01"), "CUL-02", "Minutes")
    assert_kept_right(db_url)
