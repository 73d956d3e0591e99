"""Consent withdrawal and erasure in the store: what leaves the analysis, what the log keeps."""

from __future__ import annotations

import json

import pytest

from sgaudit.sheets.export import answers_frame
from sgaudit.store import capture, repo
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.store.models import Audit, ChangeLog, Interview, Organisation, Response

SECRET = "Said the manager shouts at night staff"


def _audit_with_two(s, core_set, title="Baseline", org=None):
    org = org or repo.create_organisation(s, "Harbour Trust", ["Housing", "Youth"])
    audit = repo.create_audit(s, org, title, core_set, auditor_1="Sam")
    first_q = core_set.questions_for_tier("front_line")[0].id
    ivs = []
    for _ in range(2):
        iv = repo.start_interview(
            s, audit, tier="front_line", service_area="Housing", consent_confirmed=True
        )
        repo.save_answer(s, iv, first_q, "agree", note=SECRET, actor="Sam")
        ivs.append(iv)
    return audit, ivs, first_q


def _log_text(s) -> str:
    return json.dumps(
        [
            [c.action, c.entity, c.entity_id, c.detail]
            for c in s.query(ChangeLog).order_by(ChangeLog.id)
        ]
    )


def test_withdrawn_consent_leaves_analysis_and_every_export_until_consent_is_given_again(
    any_db_url, core_set, tmp_path
):
    from sgaudit.archive import audit_document

    with session_scope(any_db_url) as s:
        audit, (kept, withdrawn), _ = _audit_with_two(s, core_set)
        capture.confirm_consent(s, withdrawn, False, actor="Sam")
        data = load_audit_data(s, audit.id)
        assert set(data.responses["interview_id"]) == {kept.code}
        assert set(answers_frame(s, audit.id)["interview_id"]) == {kept.code}
        archived = json.dumps(audit_document(s, audit.id)["interviews"])
        assert withdrawn.code not in archived and kept.code in archived
        assert s.query(ChangeLog).filter_by(action="withdraw_consent").count() == 1
        assert capture.interview_summaries(s, audit, withdrawn.id)[0].consent_withdrawn

        capture.confirm_consent(s, withdrawn, True, actor="Sam")
        assert set(load_audit_data(s, audit.id).responses["interview_id"]) == {
            kept.code,
            withdrawn.code,
        }


def test_saying_consent_or_an_answer_again_changes_nothing_in_the_store_or_the_trail(
    any_db_url, core_set
):
    """A widget callback can fire twice for one change (a page left mid-note): the same
    consent, the same withdrawal or the same answer said again is no new version, no new
    author and no new line in the trail, and the first withdrawal keeps its date."""
    with session_scope(any_db_url) as s:
        _, (iv, _), first_q = _audit_with_two(s, core_set)
        row = repo.save_answer(s, iv, first_q, "agree", note=SECRET, actor="Sam")
        revision, lines = row.revision, s.query(ChangeLog).count()
        again = repo.save_answer(s, iv, first_q, "agree", note=SECRET, actor="Ali")
        assert (again.revision, again.updated_by) == (revision, "Sam")
        capture.confirm_consent(s, iv, True, actor="Ali")  # given at the start already
        assert s.query(ChangeLog).count() == lines

        capture.confirm_consent(s, iv, False, actor="Sam")
        withdrawn_at = iv.consent_withdrawn_at
        capture.confirm_consent(s, iv, False, actor="Ali")
        assert iv.consent_withdrawn_at == withdrawn_at
        assert s.query(ChangeLog).filter_by(action="withdraw_consent").count() == 1
        capture.confirm_consent(s, iv, True, actor="Sam")
        assert s.query(ChangeLog).filter_by(action="consent").count() == 1
        # a real change is still a new version
        changed = repo.save_answer(s, iv, first_q, "disagree", note=SECRET, actor="Ali")
        assert changed.revision == revision + 1 and changed.updated_by == "Ali"


def test_erasing_an_interview_removes_its_answers_and_leaves_only_who_and_when_in_the_log(
    any_db_url, core_set
):
    with session_scope(any_db_url) as s:
        audit, (kept, erased), _ = _audit_with_two(s, core_set)
        erased_id = erased.id
        assert repo.erase_interview(s, erased, actor="Ali") == 1
        assert s.get(Interview, erased_id) is None
        assert s.query(Response).filter_by(interview_id=erased_id).count() == 0
        line = s.query(ChangeLog).filter_by(action="erase", entity="interview").one()
        assert (line.actor, line.entity_id, line.audit_id) == ("Ali", str(erased_id), audit.id)
        assert line.at is not None
        # the kept interview's answer is still in the log; the erased one's is not
        logged = [c.detail for c in s.query(ChangeLog).filter_by(entity="response")]
        assert {"answer": "agree", "revision": 1} in logged and {"erased": True} in logged
        assert len(load_audit_data(s, audit.id).responses) == 1


def test_clearing_one_answer_erases_it_and_its_note(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        _, (iv, _), qid = _audit_with_two(s, core_set)
        assert repo.clear_answer(s, iv, qid, actor="Sam")
        assert qid not in repo.interview_answers(s, iv)
        assert not repo.clear_answer(s, iv, qid, actor="Sam")
        entity = f"{iv.id}:{qid}"
        details = [c.detail for c in s.query(ChangeLog).filter_by(entity_id=entity)]
        assert "agree" not in json.dumps(details)


def test_erasing_an_audit_removes_everything_of_it_and_a_re_audit_keeps_its_own(
    any_db_url, core_set
):
    with session_scope(any_db_url) as s:
        audit, _, _ = _audit_with_two(s, core_set)
        repo.save_recommendation(s, audit, theme="dsl", text="Name a deputy DSL")
        reaudit = repo.create_audit(
            s, audit.organisation, "Re-audit", core_set, previous_audit=audit
        )
        s.flush()
        audit_id, reaudit_id = audit.id, reaudit.id
        counts = repo.erase_audit(s, audit, actor="Sam")
        assert counts["interviews"] == 2 and counts["answers"] == 2
        assert s.get(Audit, audit_id) is None
        again = s.get(Audit, reaudit_id)
        assert again is not None and again.previous_audit_id is None
        assert SECRET not in _log_text(s) and "agree" not in _log_text(s)
        assert s.query(ChangeLog).filter_by(action="erase", entity="audit").count() == 1


def test_erasing_an_organisation_erases_all_its_audits(any_db_url, core_set):
    with session_scope(any_db_url) as s:
        audit, _, _ = _audit_with_two(s, core_set)
        org = audit.organisation
        _audit_with_two(s, core_set, title="Second", org=org)
        org_id = org.id
        totals = repo.erase_organisation(s, org, actor="Sam")
        assert totals["audits"] == 2 and totals["answers"] == 4
        assert s.get(Organisation, org_id) is None
        assert s.query(Audit).count() == 0 and s.query(Response).count() == 0
        assert SECRET not in _log_text(s)
        assert "Harbour Trust" not in _log_text(s)


# ---- correction --------------------------------------------------------------------------
def test_an_interview_is_corrected_in_place_and_the_change_is_logged(any_db_url, core_set):
    from datetime import date

    from sgaudit.store.corrections import correct_interview

    with session_scope(any_db_url) as s:
        _, (iv, _), qid = _audit_with_two(s, core_set)
        correct_interview(
            s,
            iv,
            service_area="Youth",
            mode="focus_group",
            people=5,
            held_on=date(2026, 3, 2),
            actor="Ali",
        )
        assert (iv.service_area, iv.mode, iv.people, iv.held_on) == (
            "Youth",
            "focus_group",
            5,
            date(2026, 3, 2),
        )
        line = s.query(ChangeLog).filter_by(action="correct").one()
        assert line.actor == "Ali"
        assert line.detail["changed"]["service_area"] == ["Housing", "Youth"]
        assert qid in repo.interview_answers(s, iv)


def test_a_tier_change_lists_the_answers_that_no_longer_fit_before_anything_changes(
    any_db_url, core_set
):
    from sgaudit.errors import SgauditError
    from sgaudit.store.corrections import answers_outside_tier, correct_interview

    front_line = {q.id for q in core_set.questions_for_tier("front_line")}
    board = {q.id for q in core_set.questions_for_tier("board")}
    only_front_line = sorted(front_line - board)[0]
    with session_scope(any_db_url) as s:
        _, (iv, _), _ = _audit_with_two(s, core_set)
        repo.save_answer(s, iv, only_front_line, "agree")
        outside = answers_outside_tier(s, iv, "board")
        assert only_front_line in outside
        with pytest.raises(SgauditError, match=only_front_line):
            correct_interview(s, iv, tier="board")
        assert iv.tier == "front_line"
        erased = correct_interview(s, iv, tier="board", erase_answers_outside_tier=True)
        assert erased == outside and iv.tier == "board"
        assert not set(repo.interview_answers(s, iv)) - board
