"""The library side of live capture (sgaudit.store.capture): consent, progress, revision."""

from __future__ import annotations

import pytest

from sgaudit.errors import NotFound
from sgaudit.store import audits as store_audits
from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope
from sgaudit.store.models import ChangeLog


def _audit(session, core_set):
    org = repo.create_organisation(session, "Harbour Trust", ["Housing", "Youth"])
    return repo.create_audit(session, org, "Baseline", core_set, auditor_1="Sam")


def test_consent_given_after_the_interview_started_is_stored_and_logged(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        audit = _audit(s, core_set)
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        assert not iv.consent_confirmed
        capture.confirm_consent(s, iv, actor="Sam")
        iv_id = iv.id
    with session_scope(any_db_url) as s:
        assert repo.get_interview(s, iv_id).consent_confirmed
        assert s.query(ChangeLog).filter_by(action="consent", entity_id=str(iv_id)).count() == 1


def test_a_note_without_an_answer_does_not_count_as_answered(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        audit = _audit(s, core_set)
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        first, second = core_set.questions_for_tier("front_line")[:2]
        repo.save_answer(s, iv, first.id, "dont_know")
        repo.save_answer(s, iv, second.id, "", note="wanted to think about it")
        assert capture.answer_counts(s, audit) == {iv.id: 1}
        progress = capture.theme_progress(core_set.questions_for_tier("front_line"), {first.id})
        assert sum(p.answered for p in progress) == 1
        assert sum(p.asked for p in progress) == len(core_set.questions_for_tier("front_line"))
        assert [p.theme for p in progress] == list(
            dict.fromkeys(q.theme for q in core_set.questions_for_tier("front_line"))
        )


def test_theme_progress_is_done_when_every_question_of_the_theme_is_answered(core_set):
    questions = core_set.questions_for_tier("board")
    theme = questions[0].theme
    ids = {q.id for q in questions if q.theme == theme}
    by_theme = {p.theme: p for p in capture.theme_progress(questions, ids)}
    assert by_theme[theme].done
    assert not any(p.done for t, p in by_theme.items() if t != theme)


def test_interview_summaries_count_answers_against_the_questions_asked_of_the_tier(
    any_db_url, core_set
):
    with session_scope(any_db_url) as s:
        audit = _audit(s, core_set)
        fl = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        bd = repo.start_interview(s, audit, tier="board", service_area="Youth")
        repo.save_answer(s, fl, core_set.questions_for_tier("front_line")[0].id, "dont_know")
        repo.set_interview_completed(s, bd)
        rows = {r.code: r for r in capture.interview_summaries(s, audit)}
    assert rows[fl.code].answered == 1
    assert rows[fl.code].asked == len(core_set.questions_for_tier("front_line"))
    assert rows[bd.code].answered == 0 and rows[bd.code].completed
    assert rows[bd.code].asked == len(core_set.questions_for_tier("board"))
    with session_scope(any_db_url) as s:
        (only,) = capture.interview_summaries(s, repo.get_audit(s, audit.id), fl.id)
    assert only == rows[fl.code]


def test_audit_revision_changes_with_every_answer_and_not_otherwise(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        audit = _audit(s, core_set)
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        qid = core_set.questions_for_tier("front_line")[0].id
        before = capture.audit_revision(s, audit.id)
        assert capture.audit_revision(s, audit.id) == before
        repo.save_answer(s, iv, qid, "dont_know")
        after_answer = capture.audit_revision(s, audit.id)
        assert after_answer != before
        repo.save_answer(s, iv, qid, "na")
        assert capture.audit_revision(s, audit.id) != after_answer
        repo.replace_register(s, audit, "policies", [{"document": "Safeguarding policy"}])
        after_register = capture.audit_revision(s, audit.id)
        repo.replace_register(s, audit, "policies", [{"document": "Whistleblowing policy"}])
        assert capture.audit_revision(s, audit.id) != after_register


def test_reviewing_a_finding_leaves_the_revision_so_the_cached_analysis_stays(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        audit = _audit(s, core_set)
        before = capture.audit_revision(s, audit.id)
        repo.add_own_finding(s, audit, theme="culture", summary="Staff fear blame.")
        repo.save_recommendation(s, audit, theme="culture", text="Run a listening exercise.")
        assert capture.audit_revision(s, audit.id) == before


def test_an_interview_loaded_for_capture_saves_answers_like_any_other(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        audit = _audit(s, core_set)
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        iv_id = iv.id
    qid = core_set.questions_for_tier("front_line")[0].id
    store_audits._snapshot_cache.clear()  # a cold cache: the snapshot must still load on demand
    with session_scope(any_db_url) as s:
        loaded = capture.interview_for_capture(s, iv_id)
        repo.save_answer(s, loaded, qid, "dont_know", note="n")
        assert repo.audit_question_set(loaded.audit).id == core_set.id
    with session_scope(any_db_url) as s:
        assert repo.interview_answers(s, repo.get_interview(s, iv_id))[qid].answer == "dont_know"


def test_loading_an_unknown_interview_for_capture_says_so(any_db_url):
    with session_scope(any_db_url) as s, pytest.raises(NotFound):
        capture.interview_for_capture(s, 999)
