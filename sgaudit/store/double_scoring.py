"""Double scoring: both auditors score the same interview or document review, blind.

The lead auditor's answers are the interview's ordinary answers (captured as usual);
the second auditor's go to `second_score`, each saved as it is chosen
(`save_second_score`). Neither sees the other's until both have finished:
`second_scores` gives a scorer only their own, and `score_pairs` holds back every
interview that either auditor has not finished, so a half-done second scoring is kept
but measured nowhere. Moderation of the items scored
far apart is in `sgaudit.store.moderation`.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import CAPTURE, READ_ANSWERS, VIEW_AGGREGATES
from sgaudit.errors import EditConflict, InvalidAnswer, SgauditError
from sgaudit.store.audits import audit_question_set
from sgaudit.store.changes import log_change
from sgaudit.store.interviews import check_answer
from sgaudit.store.models import Audit, Interview, Moderation, Response, SecondScore, utcnow
from sgaudit.store.scope import check, check_acting
from sgaudit.vocab import SELF_ASSESSMENT


def mark_double_scored(
    session: Session, interview: Interview, *, second_scorer: str = "", actor: str = ""
) -> None:
    """Mark an interview (or document review) to be scored by both auditors.

    The second scorer defaults to the audit's second auditor and must not be the one
    who captures the interview's ordinary answers.
    """
    check(session, CAPTURE, interview.audit)
    if interview.tier == SELF_ASSESSMENT:
        raise SgauditError(
            f"{interview.code} is the organisation's self-assessment, its own statement: "
            "the auditors do not score it, so it is not double-scored"
        )
    scorer = (second_scorer or interview.audit.auditor_2 or "").strip()
    if not scorer:
        raise SgauditError("name the second scorer: the audit names no second auditor")
    if interview.auditor and scorer == interview.auditor:
        raise SgauditError(
            f"{scorer} captures interview {interview.code}; the second score must come from "
            "the other auditor"
        )
    interview.double_scored, interview.second_scorer = True, scorer
    log_change(
        session,
        "double_score",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
        detail={"second_scorer": scorer},
    )
    session.commit()


def _require_second_scorer(interview: Interview, actor: str) -> None:
    if not interview.double_scored:
        raise SgauditError(f"interview {interview.code} is not marked as double-scored")
    if actor != interview.second_scorer:
        raise SgauditError(
            f"the second score of interview {interview.code} is {interview.second_scorer}'s "
            f"to give, not {actor or 'an unnamed user'}'s"
        )


def save_second_score(
    session: Session,
    interview: Interview,
    question_id: str,
    answer: str,
    *,
    actor: str,
    expected: str | None = None,
) -> None:
    """Record the second auditor's answer to one question (empty removes it); commits.

    The Double scoring page calls this as each answer is chosen, so a second scoring
    left half done is kept; it still reaches no agreement figure until the second
    auditor finishes it (`score_pairs`). `expected` is the answer the writer last saw
    stored ("" for none): when the stored answer has changed since (the same auditor in
    another window), nothing is written and `EditConflict` carries the stored answer.
    Every change is in the change log; saving the stored answer again changes nothing.
    """
    check(session, CAPTURE, interview.audit)
    check_acting(session, interview.audit, actor)
    _require_second_scorer(interview, actor)
    if interview.second_completed:
        raise SgauditError(
            f"the second scoring of interview {interview.code} is finished; reopen it to change it"
        )
    answer = (answer or "").strip()
    qs = audit_question_set(interview.audit)
    if answer:
        check_answer(qs, question_id, interview.tier, answer)
    elif question_id not in qs.questions_by_id:
        raise InvalidAnswer(f"unknown question id '{question_id}'")
    row = session.scalar(
        select(SecondScore).where(
            SecondScore.interview_id == interview.id, SecondScore.question_id == question_id
        )
    )
    stored = row.answer if row is not None else ""
    if expected is not None and (expected or "").strip() != stored:
        theirs = None
        if row is not None:
            at = row.updated_at.isoformat(timespec="seconds") if row.updated_at else None
            theirs = {"answer": stored, "updated_by": row.scorer, "updated_at": at}
        raise EditConflict(
            f"your second score of {question_id} of {interview.code}",
            theirs,
            message=(
                f"your second score of {question_id} of {interview.code} was changed in another "
                f"window to {stored or 'no answer'} since you opened it; nothing was saved. "
                "Keep the saved one or save yours again over it"
            ),
        )
    if answer == stored:
        return
    entity_id = f"{interview.id}:{question_id}"
    if not answer:
        session.delete(row)
        log_change(
            session,
            "second_clear",
            "response",
            entity_id,
            actor=actor,
            audit_id=interview.audit_id,
        )
        session.commit()
        return
    if row is None:
        row = SecondScore(interview_id=interview.id, question_id=question_id)
        session.add(row)
    row.answer, row.scorer, row.updated_at = answer, actor, utcnow()
    # The trail says that a second score was given, not which: the lead auditor reads the
    # audit history, and the scoring is blind until both have finished.
    log_change(
        session,
        "second_score",
        "response",
        entity_id,
        actor=actor,
        audit_id=interview.audit_id,
        detail={"answer": "given"},
    )
    session.commit()


def save_second_scores(
    session: Session, interview: Interview, answers: dict[str, str], *, actor: str
) -> None:
    """Record many of the second auditor's answers at once (question id -> answer), as
    `save_second_score` does each, in one transaction with one change-log entry; commits.

    All or nothing: an answer that is not on its question's scale refuses the lot.
    """
    check(session, CAPTURE, interview.audit)
    check_acting(session, interview.audit, actor)
    _require_second_scorer(interview, actor)
    if interview.second_completed:
        raise SgauditError(
            f"the second scoring of interview {interview.code} is finished; reopen it to change it"
        )
    qs = audit_question_set(interview.audit)
    cleaned = {qid: (answer or "").strip() for qid, answer in answers.items()}
    for qid, answer in cleaned.items():
        if answer:
            check_answer(qs, qid, interview.tier, answer)
    rows = {
        r.question_id: r
        for r in session.scalars(
            select(SecondScore).where(SecondScore.interview_id == interview.id)
        )
    }
    now = utcnow()
    for qid, answer in cleaned.items():
        row = rows.get(qid)
        if not answer:
            if row is not None:
                session.delete(row)
            continue
        if row is None:
            row = SecondScore(interview_id=interview.id, question_id=qid)
            session.add(row)
        row.answer, row.scorer, row.updated_at = answer, actor, now
    log_change(
        session,
        "second_scores",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
        detail={"answers": sum(1 for a in cleaned.values() if a)},
    )
    session.commit()


def set_second_completed(
    session: Session, interview: Interview, completed: bool = True, *, actor: str
) -> None:
    """The second auditor has finished (or reopens) their scoring of the interview."""
    check(session, CAPTURE, interview.audit)
    check_acting(session, interview.audit, actor)
    _require_second_scorer(interview, actor)
    interview.second_completed = completed
    log_change(
        session,
        "second_complete" if completed else "second_reopen",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
    )
    session.commit()


def second_scores(session: Session, interview: Interview, *, actor: str) -> dict[str, str]:
    """The second auditor's own answers (question id -> answer); only to that auditor."""
    check(session, READ_ANSWERS, interview.audit)
    check_acting(session, interview.audit, actor)
    _require_second_scorer(interview, actor)
    rows = session.execute(
        select(SecondScore.question_id, SecondScore.answer).where(
            SecondScore.interview_id == interview.id
        )
    )
    return dict(rows.all())


def both_finished(interview: Interview) -> bool:
    return bool(interview.double_scored and interview.completed and interview.second_completed)


def score_pairs(session: Session, audit: Audit) -> pd.DataFrame:
    """Both auditors' answers per item of every double-scored interview both have finished.

    Columns: interview_id (the pseudonymous code), question_id, first (the lead's
    answer as scored, before any moderation), second ("" where one auditor did not
    answer the question), theme is added by the analysis. Interviews still being
    scored by either auditor are left out, so neither sees the other's answers early.
    """
    check(session, VIEW_AGGREGATES, audit)
    ivs = select(Interview.id, Interview.code).where(
        Interview.audit_id == audit.id,
        Interview.double_scored.is_(True),
        Interview.completed.is_(True),
        Interview.second_completed.is_(True),
    )
    done = dict(session.execute(ivs).all())
    columns = ["interview_id", "question_id", "first", "second"]
    if not done:
        return pd.DataFrame(columns=columns)
    firsts = pd.DataFrame(
        session.execute(
            select(Response.interview_id, Response.question_id, Response.answer).where(
                Response.interview_id.in_(done), Response.answer != ""
            )
        ).all(),
        columns=["iv", "question_id", "first"],
    )
    originals = pd.DataFrame(
        session.execute(
            select(Moderation.interview_id, Moderation.question_id, Moderation.first_answer).where(
                Moderation.interview_id.in_(done)
            )
        ).all(),
        columns=["iv", "question_id", "original"],
    )
    seconds = pd.DataFrame(
        session.execute(
            select(SecondScore.interview_id, SecondScore.question_id, SecondScore.answer).where(
                SecondScore.interview_id.in_(done)
            )
        ).all(),
        columns=["iv", "question_id", "second"],
    )
    out = firsts.merge(seconds, on=["iv", "question_id"], how="outer")
    out = out.merge(originals, on=["iv", "question_id"], how="left")
    # the lead's answer as first scored: moderation replaces it in the analysis only
    out["first"] = out["original"].fillna(out["first"]).fillna("")
    out["second"] = out["second"].fillna("")
    out["interview_id"] = out["iv"].map(done)
    return out.sort_values(["iv", "question_id"])[columns].reset_index(drop=True)
