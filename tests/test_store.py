"""The store on SQLite and on a real PostgreSQL server: answers are durable and isolated."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from sgaudit.errors import InvalidAnswer, NotFound, SgauditError
from sgaudit.questionnaire.models import (
    AnswerScale,
    Question,
    QuestionSet,
    ScalePoint,
    Theme,
    TierWording,
)
from sgaudit.store import repo
from sgaudit.store.db import get_engine, session_scope
from sgaudit.store.frames import responses_frame
from sgaudit.store.models import ChangeLog, Interview, Recommendation, Response


def tiny_set(version: int = 1) -> QuestionSet:
    yn = AnswerScale(
        label="yes/no",
        points=(ScalePoint(value="no", label="No"), ScalePoint(value="yes", label="Yes")),
        allow_na=True,
    )
    note = AnswerScale(label="text", kind="text", allow_dont_know=False)
    return QuestionSet(
        id="tiny",
        title="Tiny",
        version=version,
        scales={"yn": yn, "text": note},
        themes=(Theme(id="culture", title="Culture"),),
        questions=(
            Question(
                id="CUL-01",
                theme="culture",
                scale="yn",
                tiers=(
                    TierWording(tier="front_line", text="Do you feel able to raise a concern?"),
                    TierWording(tier="board", text="How do you know staff can raise concerns?"),
                ),
            ),
            Question(
                id="CUL-02",
                theme="culture",
                scale="text",
                tiers=(TierWording(tier="front_line", text="What would make it easier?"),),
            ),
        ),
    )


def make_audit(session: Session):
    org = repo.create_organisation(session, "Harbour Trust", ["Housing", "Youth"])
    return repo.create_audit(
        session,
        org,
        "Baseline 2026",
        tiny_set(),
        start_date=date(2026, 3, 1),
        auditor_1="Auditor A",
        auditor_2="Auditor B",
        scope="both",
    )


def test_the_migrations_create_every_table(any_db_url):
    names = set(sa.inspect(get_engine(any_db_url)).get_table_names())
    assert {
        "organisation",
        "service_area",
        "audit",
        "interview",
        "response",
        "finding_review",
        "recommendation",
        "register_entry",
        "change_log",
        "alembic_version",
    } <= names


def test_an_answer_is_durable_the_moment_it_is_saved(any_db_url):
    with session_scope(any_db_url) as s:
        audit = make_audit(s)
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        s.commit()
        repo.save_answer(
            s,
            iv,
            "CUL-01",
            "yes",
            note="We talk about it <always> & openly",
            quotable=True,
            actor="Auditor A",
        )
        audit_id, iv_id = audit.id, iv.id
    # a brand-new connection (as after a crash or a closed browser) sees it
    get_engine(any_db_url).dispose()
    with session_scope(any_db_url) as s:
        row = s.scalar(sa.select(Response).where(Response.interview_id == iv_id))
        assert (row.answer, row.note, row.quotable) == (
            "yes",
            "We talk about it <always> & openly",
            True,
        )
        frame = responses_frame(s, audit_id)
        assert frame.loc[0, "interview_id"].startswith("FL-")
        assert list(frame["answer"]) == ["yes"]


def test_saving_again_updates_the_same_row_and_an_empty_answer_clears_it(any_db_url):
    with session_scope(any_db_url) as s:
        audit = make_audit(s)
        iv = repo.start_interview(s, audit, tier="front_line", service_area="Youth")
        repo.save_answer(s, iv, "CUL-01", "no")
        repo.save_answer(s, iv, "CUL-01", "yes")
        assert s.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
        assert repo.interview_answers(s, iv)["CUL-01"].answer == "yes"
        repo.save_answer(s, iv, "CUL-01", "")
        assert repo.interview_answers(s, iv) == {}


def test_answers_off_the_scale_or_for_another_tier_are_refused(any_db_url):
    with session_scope(any_db_url) as s:
        audit = make_audit(s)
        board = repo.start_interview(s, audit, tier="board", service_area="Housing")
        with pytest.raises(InvalidAnswer, match="not on the scale"):
            repo.save_answer(s, board, "CUL-01", "maybe")
        with pytest.raises(InvalidAnswer, match="not asked of tier 'board'"):
            repo.save_answer(s, board, "CUL-02", "anything")
        with pytest.raises(InvalidAnswer, match="unknown question id"):
            repo.save_answer(s, board, "NOPE-1", "yes")
        repo.save_answer(s, board, "CUL-01", "dont_know")


def test_two_auditors_writing_to_one_audit_at_once_keep_both_answers(any_db_url):
    with session_scope(any_db_url) as s:
        audit = make_audit(s)
        a = repo.start_interview(s, audit, tier="front_line", service_area="Housing")
        b = repo.start_interview(s, audit, tier="board", service_area="Housing")
        ids = (a.id, b.id)
    from sgaudit.access import LOCAL_ADMIN
    from sgaudit.store.scope import PRINCIPAL

    factory = sa.orm.sessionmaker(
        bind=get_engine(any_db_url), expire_on_commit=False, info={PRINCIPAL: LOCAL_ADMIN}
    )
    s1, s2 = factory(), factory()
    try:
        iv1, iv2 = s1.get(Interview, ids[0]), s2.get(Interview, ids[1])
        repo.save_answer(s1, iv1, "CUL-01", "yes", actor="Auditor A")
        repo.save_answer(s2, iv2, "CUL-01", "no", actor="Auditor B")
        repo.save_answer(s1, iv1, "CUL-02", "More time in supervision", actor="Auditor A")
    finally:
        s1.close()
        s2.close()
    with session_scope(any_db_url) as s:
        rows = s.execute(
            sa.select(Response.interview_id, Response.answer, Response.updated_by)
        ).all()
        assert sorted(rows) == sorted(
            [
                (ids[0], "yes", "Auditor A"),
                (ids[1], "no", "Auditor B"),
                (ids[0], "More time in supervision", "Auditor A"),
            ]
        )
        actors = {
            r.actor for r in s.scalars(sa.select(ChangeLog).where(ChangeLog.action == "answer"))
        }
        assert actors == {"Auditor A", "Auditor B"}


def test_the_audit_keeps_its_question_set_snapshot_when_the_files_change(any_db_url):
    with session_scope(any_db_url) as s:
        audit = make_audit(s)
        audit_id = audit.id
    with session_scope(any_db_url) as s:
        audit = repo.get_audit(s, audit_id)
        qs = repo.audit_question_set(audit)
        assert (qs.id, qs.version) == ("tiny", 1)
        assert qs.question("CUL-01").wording("board").startswith("How do you know")


def test_a_reaudit_carries_the_previous_recommendations_over(any_db_url):
    with session_scope(any_db_url) as s:
        base = make_audit(s)
        repo.save_recommendation(
            s,
            base,
            theme="culture",
            text="Publish a speak-up route",
            priority="high",
            owner="Chair",
        )
        again = repo.create_audit(
            s, base.organisation, "Re-audit 2027", tiny_set(2), previous_audit=base
        )
        recs = repo.list_recommendations(s, again)
        assert [(r.text, r.priority, r.owner) for r in recs] == [
            ("Publish a speak-up route", "high", "Chair")
        ]
        assert recs[0].carried_from_id is not None
        assert s.scalar(sa.select(sa.func.count()).select_from(Recommendation)) == 2


def test_interview_fields_are_checked_against_the_organisation(db_url):
    with session_scope(db_url) as s:
        audit = make_audit(s)
        with pytest.raises(SgauditError, match="unknown service area 'Garden'"):
            repo.start_interview(s, audit, tier="front_line", service_area="Garden")
        with pytest.raises(SgauditError, match="unknown tier"):
            repo.start_interview(s, audit, tier="volunteer", service_area="Housing")
        with pytest.raises(SgauditError, match="focus group needs a head count"):
            repo.start_interview(
                s, audit, tier="front_line", service_area="Housing", mode="focus_group", people=1
            )


def test_respondent_codes_are_pseudonymous_and_unique(db_url):
    with session_scope(db_url) as s:
        audit = make_audit(s)
        codes = {
            repo.start_interview(s, audit, tier="manager", service_area="Youth").code
            for _ in range(40)
        }
        assert len(codes) == 40
        assert all(c.startswith("MG-") and len(c) == 8 for c in codes)


def test_unknown_audit_is_a_clear_not_found(db_url):
    with session_scope(db_url) as s:
        with pytest.raises(NotFound, match="no audit with id 999"):
            repo.get_audit(s, 999)
        with pytest.raises(NotFound, match="must be a number"):
            repo.get_audit(s, "abc")


def test_a_register_import_replaces_the_previous_one(any_db_url):
    with session_scope(any_db_url) as s:
        audit = make_audit(s)
        repo.replace_register(s, audit, "policies", [{"document": "Safeguarding policy"}])
        repo.replace_register(s, audit, "policies", [{"document": "A"}, {"document": "B"}])
        s.commit()
        assert repo.register_records(s, audit) == {
            "policies": [{"document": "A"}, {"document": "B"}]
        }
