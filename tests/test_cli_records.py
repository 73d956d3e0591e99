"""`sgaudit interview ...`, `audit erase`, `org erase`: correcting and erasing from the CLI."""

from __future__ import annotations

import pytest

from sgaudit.questionnaire import load_question_set
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def interview(db) -> tuple[int, str, str]:
    """(audit id, interview code, answered question id) of an interview with one answer."""
    with session_scope(db) as s:
        org = repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
        audit = repo.create_audit(s, org, "Baseline", load_question_set(), auditor_1="Sam")
        iv = repo.start_interview(
            s, audit, tier="front_line", service_area="Housing", consent_confirmed=True
        )
        qid = load_question_set().questions_for_tier("front_line")[0].id
        repo.save_answer(s, iv, qid, "agree", note="Said it plainly")
        return audit.id, iv.code, qid


def test_an_interview_is_corrected_from_the_cli(run, db, interview):
    audit_id, code, _ = interview
    status, out, err = run(
        "interview",
        "correct",
        audit_id,
        code,
        "--area",
        "Youth",
        "--date",
        "2026-03-02",
        "--as",
        "Ali",
        "--db",
        db,
    )
    assert status == 0, err
    assert f"Interview {code} corrected" in out
    with session_scope(db) as s:
        iv = repo.list_interviews(s, repo.get_audit(s, audit_id))[0]
        assert iv.service_area == "Youth" and str(iv.held_on) == "2026-03-02"
        assert s.query(ChangeLog).filter_by(action="correct", actor="Ali").count() == 1


def test_a_wrong_area_is_refused_with_the_areas_named(run, db, interview):
    audit_id, code, _ = interview
    status, _, err = run("interview", "correct", audit_id, code, "--area", "Nowhere", "--db", db)
    assert status == 1 and "unknown service area 'Nowhere'" in err and "Traceback" not in err


def test_withdraw_then_erase_an_interview_from_the_cli(run, db, interview):
    audit_id, code, _ = interview
    status, out, _ = run("interview", "withdraw", audit_id, code, "--db", db)
    assert status == 0 and "left out of every analysis" in out
    status, out, _ = run("interview", "erase", audit_id, code, "--yes", "--db", db)
    assert status == 0 and "erased with its 1 answer." in out
    with session_scope(db) as s:
        assert repo.list_interviews(s, repo.get_audit(s, audit_id)) == []
        assert "Said it plainly" not in str([c.detail for c in s.query(ChangeLog)])


def test_an_erasure_not_confirmed_erases_nothing(run, db, interview, monkeypatch):
    audit_id, code, qid = interview
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("n\n"))
    status, out, _ = run("interview", "clear-answer", audit_id, code, qid, "--db", db)
    assert status == 1 and "Nothing was erased" in out
    status, out, _ = run("interview", "clear-answer", audit_id, code, qid, "--yes", "--db", db)
    assert status == 0 and f"Answer {qid} of {code} erased" in out


def test_an_audit_and_an_organisation_are_erased_from_the_cli(run, db, interview):
    audit_id, _, _ = interview
    status, out, _ = run("audit", "erase", audit_id, "--yes", "--db", db)
    assert status == 0 and "1 interviews, 1 answers" in out
    status, out, _ = run("org", "erase", "Harbour Trust", "--yes", "--db", db)
    assert status == 0
    with session_scope(db) as s:
        assert repo.list_organisations(s) == [] and repo.list_audits(s) == []


def test_the_interviews_are_listed_with_their_consent_and_progress(run, db, interview):
    audit_id, code, _ = interview
    with session_scope(db) as s:
        audit = repo.get_audit(s, audit_id)
        group_code = repo.start_interview(
            s, audit, tier="service_user", service_area="Youth", mode="focus_group", people=5
        ).code
        other_code = repo.start_interview(
            s, audit, tier="board", service_area="Housing", consent_confirmed=True
        ).code
    status, out, err = run("interview", "withdraw", audit_id, other_code, "--db", db)
    assert status == 0, err
    status, out, err = run("interview", "list", audit_id, "--db", db)
    assert status == 0, err
    lines = {line.split()[0]: line.split() for line in out.splitlines()[2:-1]}
    asked = len(load_question_set().questions_for_tier("front_line"))
    assert lines[code][-3:] == ["given", f"1/{asked}", "no"]
    assert lines[group_code][1:] == ["People", "using", "services", "Youth", "Focus", "group",
                                     "5", "-", "not", "yet"] + lines[group_code][-2:]  # fmt: skip
    assert lines[other_code][-3] == "withdrawn"
    assert out.splitlines()[-1] == (
        "3 records; 1 with consent withdrawn, left out of every analysis, report and export."
    )
    with session_scope(db) as s:  # who saw the interviews is recorded
        from sgaudit.store.models import AuditEvent

        assert s.query(AuditEvent).filter(AuditEvent.action == "view_interviews").count() == 1
