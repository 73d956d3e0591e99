"""One count of an audit's fieldwork (`sgaudit.fieldwork`), the same in the store, the
report and every page: sessions, people heard (a document review hears nobody), and
the organisation's self-assessment counted apart, never as a session."""

from __future__ import annotations

from app_support import make_audit

from sgaudit.fieldwork import count_fieldwork
from sgaudit.report import build_report_context
from sgaudit.store import repo
from sgaudit.store.db import session_scope
from sgaudit.vocab import TIER_LABELS


def test_a_document_review_is_a_session_but_no_one_heard_and_the_self_assessment_is_apart():
    fieldwork = count_fieldwork(
        [
            ("dsl", "interview", 3, 3),
            ("dsl", "document_review", 2, 2),
            ("front_line", "focus_group", 5, 31),
            ("self_assessment", "survey", 1, 1),
        ]
    )
    assert (fieldwork.interviews, fieldwork.focus_groups, fieldwork.document_reviews) == (3, 5, 2)
    assert fieldwork.sessions == 10 and fieldwork.people == 34
    assert fieldwork.self_assessment == 1 and fieldwork.records == 11
    assert fieldwork.summary() == (
        "10 interviews, focus groups, surveys and document reviews (2 of them document "
        "reviews), with 34 people heard; plus the organisation's self-assessment, kept out "
        "of every score"
    )
    one = count_fieldwork([("board", "interview", 1, 1)])
    assert (
        one.summary() == "1 interview, focus group, survey or document review, with 1 person heard"
    )


def test_the_store_counts_what_the_analysis_reads_and_says_how_many_records_it_leaves_out(
    app_db,
):
    audit_id, interview_id = make_audit(app_db, mode="focus_group", people=4)
    with session_scope(app_db) as s:
        audit = repo.get_audit(s, audit_id)
        # started, nothing answered yet: held, but not counted
        assert repo.audit_fieldwork(s, audit).records_summary() == (
            "1 record: 0 interviews, focus groups, surveys and document reviews, with 0 "
            "people heard; and 1 not counted (no answers yet, or consent withdrawn)"
        )
        qid = repo.audit_question_set(audit).questions_for_tier("front_line")[0].id
        repo.save_answer(s, repo.get_interview(s, interview_id), qid, "agree")
    with session_scope(app_db) as s:
        fieldwork = repo.audit_fieldwork(s, repo.get_audit(s, audit_id))
        assert (fieldwork.focus_groups, fieldwork.people, fieldwork.not_counted) == (1, 4, 0)
        repo.withdraw_consent(s, repo.get_interview(s, interview_id))
    with session_scope(app_db) as s:
        fieldwork = repo.audit_fieldwork(s, repo.get_audit(s, audit_id))
        assert (fieldwork.sessions, fieldwork.people, fieldwork.not_counted) == (0, 0, 1)


def test_the_report_fieldwork_table_counts_as_the_store_does(demo_db):
    with session_scope(demo_db) as s:
        baseline, reaudit = (a.id for a in repo.list_audits(s))
        fieldwork = repo.audit_fieldwork(s, repo.get_audit(s, reaudit))
        method = build_report_context(s, reaudit, baseline).method
    # the demo re-audit: 80 sessions, 2 of them document reviews, 137 heads of which 135
    # are people; and the organisation's self-assessment
    assert (fieldwork.sessions, fieldwork.document_reviews, fieldwork.people) == (80, 2, 135)
    assert (fieldwork.self_assessment, fieldwork.records) == (1, 81)
    assert (method.sessions, method.people) == (fieldwork.sessions, fieldwork.people)
    assert method.total.document_reviews == fieldwork.document_reviews
    dsl = next(r for r in method.by_tier if r.label == TIER_LABELS["dsl"])
    assert (dsl.interviews, dsl.document_reviews, dsl.people) == (3, 2, 3)
    assert sum(r.people for r in method.by_area) == method.people
