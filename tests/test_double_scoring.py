"""Double scoring from blind scoring to the moderated score reaching the analysis."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from sgaudit import issuing
from sgaudit.errors import EditConflict, SgauditError, WorkflowError
from sgaudit.questionnaire import load_question_set
from sgaudit.store import double_scoring as ds
from sgaudit.store import moderation, repo
from sgaudit.store.account_models import AuditEvent
from sgaudit.store.db import session_scope
from sgaudit.store.frames import load_audit_data
from sgaudit.store.models import ChangeLog

LEAD, SECOND = "Asha Khan", "Ben Jones"
# question: (lead's answer, second auditor's answer)
SCORES = {
    "CUL-01": ("agree", "agree"),
    "CUL-02": ("strongly_agree", "neutral"),  # two points apart: moderation
    "CUL-03": ("disagree", "agree"),  # two points apart: moderation
    "CUL-04": ("agree", "strongly_agree"),  # one point: the lead's answer stands
    "CUL-08": ("yes", "yes"),
    "CAS-01": ("neutral", "neutral"),
    "CAS-03": ("partly", "dont_know"),  # incomplete pair
}


def _double_scored_interview(s):
    org = repo.create_organisation(s, "Pair Trust", ["Housing"])
    audit = repo.create_audit(
        s, org, "Audit 2026", load_question_set(), auditor_1=LEAD, auditor_2=SECOND
    )
    iv = repo.start_interview(
        s, audit, tier="front_line", service_area="Housing", auditor=LEAD, consent_confirmed=True
    )
    s.commit()
    ds.mark_double_scored(s, iv, actor=LEAD)
    for qid, (first, second) in SCORES.items():
        repo.save_answer(s, iv, qid, first, actor=LEAD)
        ds.save_second_score(s, iv, qid, second, actor=SECOND)
    return audit, iv


def test_neither_auditor_sees_the_others_scores_until_both_have_finished(db_url):
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)
        with pytest.raises(SgauditError, match="Ben Jones's to give"):
            ds.second_scores(s, iv, actor=LEAD)
        assert ds.second_scores(s, iv, actor=SECOND)["CUL-02"] == "neutral"
        assert ds.score_pairs(s, audit).empty
        repo.set_interview_completed(s, iv, actor=LEAD)
        assert ds.score_pairs(s, audit).empty  # the second auditor is still scoring
        ds.set_second_completed(s, iv, actor=SECOND)
        pairs = ds.score_pairs(s, audit)
        assert len(pairs) == len(SCORES)
        with pytest.raises(SgauditError, match="finished"):
            ds.save_second_score(s, iv, "CUL-05", "agree", actor=SECOND)


def test_the_second_score_comes_from_the_other_auditor(db_url):
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)
        with pytest.raises(SgauditError, match="captures interview"):
            ds.mark_double_scored(s, iv, second_scorer=LEAD, actor=LEAD)


def test_agreement_is_measured_and_far_apart_items_are_moderated_into_the_analysis(db_url):
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)
        repo.set_interview_completed(s, iv, actor=LEAD)
        ds.set_second_completed(s, iv, actor=SECOND)
        agreement = moderation.audit_agreement(s, audit)
        overall = agreement.overall
        assert (overall["items"], overall["complete_pairs"]) == (7, 6)
        assert overall["percent_agreement"] == pytest.approx(50.0)  # 3 of 6
        assert -1 <= overall["kappa"] <= 1 and overall["alpha"] is not None
        assert sorted(agreement.open_items["question_id"]) == ["CUL-02", "CUL-03"]
        # an open moderation item stops the audit being made final
        repo.submit_for_review(s, audit, actor=LEAD)
        for item in issuing.review_items(s, audit):
            repo.review_item(s, audit, item.key, "signed_off", actor=SECOND)
        with pytest.raises(WorkflowError, match="2 double-scored item"):
            issuing.finalise(s, audit.id, actor=LEAD)

        with pytest.raises(SgauditError, match="only the lead auditor"):
            moderation.moderate(s, iv, "CUL-02", "agree", reason="Seen the log.", actor=SECOND)
        with pytest.raises(SgauditError, match="reason"):
            moderation.moderate(s, iv, "CUL-02", "agree", reason=" ", actor=LEAD)
        moderation.moderate(
            s,
            iv,
            "CUL-02",
            "agree",
            actor=LEAD,
            reason="The supervision log shows it happens most months.",
        )
        moderation.moderate(
            s,
            iv,
            "CUL-03",
            "neutral",
            actor=LEAD,
            reason="Staff knew the route; the poster was out of date.",
        )

        after = moderation.audit_agreement(s, audit)
        assert after.open_items.empty and after.moderated == 2
        # agreement is still measured on what each auditor scored
        assert after.overall["percent_agreement"] == pytest.approx(50.0)
        answers = load_audit_data(s, audit.id).responses.set_index("question_id")["answer"]
        assert (answers["CUL-02"], answers["CUL-03"], answers["CUL-04"]) == (
            "agree",
            "neutral",
            "agree",
        )
        logged = s.scalars(sa.select(ChangeLog.detail).where(ChangeLog.action == "moderate"))
        assert {d["first"] for d in logged} == {"strongly_agree", "disagree"}
        issue = issuing.finalise(s, audit.id, actor=LEAD)
    # the report's method section states the agreement reached and the moderation
    method = issue.report_context["method"]
    assert "Both auditors scored 1 interview independently" in method["agreement"]
    assert "same answer on 50% of them" in method["agreement"]
    assert "2 items scored two or more scale points apart were settled" in method["agreement"]
    assert method["moderated"] == 2
    assert issue.report_context["version"] == "1.0"
    assert [(v["version"], v["issued_by"]) for v in issue.report_context["history"]] == [
        ("1.0", LEAD)
    ]


def test_the_cli_marks_measures_and_settles(db_url, run):
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)
        repo.set_interview_completed(s, iv, actor=LEAD)
        ds.set_second_completed(s, iv, actor=SECOND)
        audit_id, code = str(audit.id), iv.code
    code_, out, _ = run("agreement", audit_id, "--db", db_url)
    assert code_ == 0 and "1 double-scored interview; 0 items moderated." in out
    assert "overall" in out and "50.0" in out
    assert "reading" in out and "Reading of alpha: 0.80 or more" in out
    out = run("moderation", "list", audit_id, "--db", db_url)[1]
    assert f"{code} CUL-02: strongly_agree / neutral -> OPEN" in out
    refused = run(
        "moderation",
        "settle",
        audit_id,
        code,
        "CUL-02",
        "maybe",
        "--reason",
        "x",
        "--as",
        LEAD,
        "--db",
        db_url,
    )
    assert refused[0] == 1 and "not on the scale" in refused[2]
    out = run(
        "moderation",
        "settle",
        audit_id,
        code,
        "CUL-02",
        "agree",
        "--reason",
        "The log shows it.",
        "--as",
        LEAD,
        "--db",
        db_url,
    )[1]
    assert "agreed agree (was strongly_agree / neutral)" in out
    assert (
        "agreed agree (Asha Khan: The log shows it.)"
        in run("moderation", "list", audit_id, "--db", db_url)[1]
    )


def test_many_second_scores_are_saved_at_once_all_or_nothing_with_one_change_log_entry(db_url):
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)
        before = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog))
        with pytest.raises(SgauditError, match="not on the scale of CUL-04"):
            ds.save_second_scores(s, iv, {"CUL-05": "agree", "CUL-04": "sometimes"}, actor=SECOND)
        s.rollback()
        assert "CUL-05" not in ds.second_scores(s, iv, actor=SECOND)  # nothing was saved
        with pytest.raises(SgauditError, match="Ben Jones's to give"):
            ds.save_second_scores(s, iv, {"CUL-05": "agree"}, actor=LEAD)
        s.rollback()
        # a new answer, a changed one and a removed one, in one go
        ds.save_second_scores(
            s, iv, {"CUL-05": "agree", "CUL-02": "agree", "CUL-01": ""}, actor=SECOND
        )
        saved = ds.second_scores(s, iv, actor=SECOND)
        assert saved["CUL-05"] == "agree" and saved["CUL-02"] == "agree"
        assert "CUL-01" not in saved
        entries = s.scalars(sa.select(ChangeLog).order_by(ChangeLog.id)).all()[before:]
        assert [(e.action, e.entity) for e in entries] == [("second_scores", "interview")]
        assert entries[0].detail == {"answers": 2}


def test_a_half_done_second_scoring_is_kept_one_choice_at_a_time_and_stays_out_of_agreement(
    db_url,
):
    """The Double scoring page saves each choice as it is made: a second scoring left half
    done is in the store (the scorer's own), logged change by change, and no agreement
    figure counts it until the second auditor finishes."""
    with session_scope(db_url) as s:
        audit, iv = _double_scored_interview(s)
        repo.set_interview_completed(s, iv, actor=LEAD)
        before = s.scalar(sa.select(sa.func.count()).select_from(ChangeLog))
        ds.save_second_score(s, iv, "CUL-05", "agree", actor=SECOND, expected="")
        ds.save_second_score(s, iv, "CUL-05", "agree", actor=SECOND, expected="agree")  # same
        ds.save_second_score(s, iv, "CUL-01", "", actor=SECOND, expected="agree")  # removed
        saved = ds.second_scores(s, iv, actor=SECOND)
        assert saved["CUL-05"] == "agree" and "CUL-01" not in saved
        entries = s.scalars(sa.select(ChangeLog).order_by(ChangeLog.id)).all()[before:]
        assert [(e.action, e.entity_id) for e in entries] == [
            ("second_score", f"{iv.id}:CUL-05"),
            ("second_clear", f"{iv.id}:CUL-01"),
        ]
        # blind: neither the change log nor the trail the lead reads holds the score
        events = [
            e.detail
            for e in s.scalars(sa.select(AuditEvent).where(AuditEvent.entity == "response"))
            if e.detail.get("what") == "second_score"
        ]
        assert events
        assert "agree" not in json.dumps([e.detail for e in entries] + events)
        # the lead has finished, the second auditor has not: nothing is measured yet
        assert ds.score_pairs(s, audit).empty
        assert moderation.audit_agreement(s, audit).interviews == 0
        assert moderation.open_moderation_items(s, audit).empty
        ds.set_second_completed(s, iv, actor=SECOND)
        assert moderation.audit_agreement(s, audit).interviews == 1


def test_a_second_score_changed_meanwhile_in_another_window_is_not_overwritten(db_url):
    with session_scope(db_url) as s:
        _, iv = _double_scored_interview(s)
        # this window drew CUL-02 as "neutral"; another window of the same auditor changed it
        ds.save_second_score(s, iv, "CUL-02", "agree", actor=SECOND, expected="neutral")
        with pytest.raises(EditConflict, match="changed in another window") as refused:
            ds.save_second_score(s, iv, "CUL-02", "disagree", actor=SECOND, expected="neutral")
        assert refused.value.theirs["answer"] == "agree"
        assert ds.second_scores(s, iv, actor=SECOND)["CUL-02"] == "agree"
        # saving again from what is stored now goes through
        ds.save_second_score(s, iv, "CUL-02", "disagree", actor=SECOND, expected="agree")
        assert ds.second_scores(s, iv, actor=SECOND)["CUL-02"] == "disagree"
        with pytest.raises(SgauditError, match="unknown question"):
            ds.save_second_score(s, iv, "NOPE-01", "", actor=SECOND)
