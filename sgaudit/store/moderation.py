"""Moderation of double-scored items, and the agreement the two auditors reached.

An item the two auditors scored two or more points apart on its scale goes on the
moderation list. The lead auditor records the agreed answer and a reason; the
agreed answer replaces the interview's answer, so it is the one analysed (and the
change log keeps the answer it replaced), while both original answers stay on the
moderation record and agreement is always measured on them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sgaudit.access.policy import REVIEW_FINDINGS, VIEW_FINDINGS
from sgaudit.analysis.agreement import agreement_by_theme, moderation_candidates, scored_pairs
from sgaudit.errors import SgauditError
from sgaudit.questionnaire.models import QuestionSet
from sgaudit.store.audits import audit_question_set
from sgaudit.store.changes import log_change
from sgaudit.store.double_scoring import score_pairs
from sgaudit.store.interviews import check_answer, save_answer
from sgaudit.store.models import Audit, Interview, Moderation, Response, SecondScore
from sgaudit.store.scope import check, check_acting

MODERATION_POINTS = 2  # scale points apart that send an item to moderation


@dataclass(frozen=True)
class Agreement:
    """The agreement the auditors reached on an audit's double-scored interviews."""

    interviews: int
    table: pd.DataFrame  # agreement_by_theme: per theme, then 'overall'
    moderation: pd.DataFrame  # items two or more points apart, with agreed/reason/actor
    moderated: int

    @property
    def overall(self) -> dict:
        rows = self.table[self.table["theme"] == "overall"]
        return rows.iloc[0].to_dict() if len(rows) else {}

    @property
    def open_items(self) -> pd.DataFrame:
        return self.moderation[self.moderation["agreed"] == ""]


def audit_agreement(session: Session, audit: Audit) -> Agreement:
    """Agreement per theme and overall, and the moderation list, for the whole audit."""
    check(session, VIEW_FINDINGS, audit)
    qs = audit_question_set(audit)
    pairs = score_pairs(session, audit)
    if pairs.empty:
        # nothing double-scored (or not yet finished by both): no statistics to work out
        return no_agreement(qs)
    settled = pd.DataFrame(
        session.execute(
            select(
                Interview.code,
                Moderation.question_id,
                Moderation.agreed_answer,
                Moderation.reason,
                Moderation.actor,
            )
            .join(Interview, Interview.id == Moderation.interview_id)
            .where(Interview.audit_id == audit.id)
        ).all(),
        columns=SETTLED_COLUMNS,
    )
    return agreement_of(pairs, settled, qs)


SETTLED_COLUMNS = ["interview_id", "question_id", "agreed", "reason", "moderated_by"]


def agreement_of(pairs: pd.DataFrame, settled: pd.DataFrame, qs: QuestionSet) -> Agreement:
    """The agreement of `pairs` (score_pairs), with the moderations `settled` so far."""
    scored = scored_pairs(pairs, qs.questions_frame(), qs.scale_points_frame())
    table = agreement_by_theme(scored, [t.id for t in qs.themes])
    mod = moderation_candidates(scored, MODERATION_POINTS)
    mod = mod.merge(settled, on=["interview_id", "question_id"], how="left")
    for col in ("agreed", "reason", "moderated_by"):
        mod[col] = mod[col].fillna("")
    return Agreement(
        interviews=int(pairs["interview_id"].nunique()) if len(pairs) else 0,
        table=table,
        moderation=mod,
        moderated=int((mod["agreed"] != "").sum()),
    )


def no_agreement(qs: QuestionSet) -> Agreement:
    """What `agreement_of` gives when no interview is double-scored, built directly:
    no rows, the same columns and column types (a test holds the two equal)."""
    questions = qs.questions_frame()
    empty = {
        **{
            c: pd.Series([], dtype=object)
            for c in ("interview_id", "question_id", "first", "second")
        },
        "theme": pd.Series([], dtype=questions["theme"].dtype),
        "scale": pd.Series([], dtype=questions["scale"].dtype),
        "steps": pd.Series([], dtype="int64"),
        "first_pos": pd.Series([], dtype="float64"),
        "second_pos": pd.Series([], dtype="float64"),
        "complete": pd.Series([], dtype=bool),
        "agree": pd.Series([], dtype=bool),
        "difference": pd.Series([], dtype="float64"),
        "first_grid": pd.Series([], dtype="float64"),
        "second_grid": pd.Series([], dtype="float64"),
        **{c: pd.Series([], dtype=object) for c in ("agreed", "reason", "moderated_by")},
    }
    return Agreement(
        interviews=0,
        table=agreement_by_theme(pd.DataFrame()),
        moderation=pd.DataFrame(empty),
        moderated=0,
    )


def open_moderation_items(session: Session, audit: Audit) -> pd.DataFrame:
    """Items two or more points apart that the lead auditor has not yet moderated."""
    return audit_agreement(session, audit).open_items


def moderate(
    session: Session,
    interview: Interview,
    question_id: str,
    agreed_answer: str,
    *,
    reason: str,
    actor: str,
) -> Moderation:
    """The lead auditor settles one item: the agreed answer becomes the one analysed."""
    audit = interview.audit
    check(session, REVIEW_FINDINGS, audit)
    check_acting(session, audit, actor)
    if audit.auditor_1 and actor != audit.auditor_1:
        raise SgauditError(f"only the lead auditor ({audit.auditor_1}) moderates scores")
    if not reason.strip():
        raise SgauditError("give the reason for the agreed score")
    agreed_answer = agreed_answer.strip()
    check_answer(audit_question_set(audit), question_id, interview.tier, agreed_answer)
    if not (interview.completed and interview.second_completed):
        raise SgauditError(f"both auditors must finish scoring {interview.code} before moderation")
    first = session.scalar(
        select(Response).where(
            Response.interview_id == interview.id, Response.question_id == question_id
        )
    )
    second = session.scalar(
        select(SecondScore.answer).where(
            SecondScore.interview_id == interview.id, SecondScore.question_id == question_id
        )
    )
    row = session.scalar(
        select(Moderation).where(
            Moderation.interview_id == interview.id, Moderation.question_id == question_id
        )
    )
    if row is None:
        row = Moderation(
            interview_id=interview.id,
            question_id=question_id,
            first_answer=first.answer if first is not None else "",
            second_answer=second or "",
        )
        session.add(row)
    row.agreed_answer, row.reason, row.actor = agreed_answer, reason.strip(), actor
    save_answer(
        session,
        interview,
        question_id,
        agreed_answer,
        note=first.note if first is not None else "",
        quotable=first.quotable if first is not None else False,
        actor=actor,
        commit=False,
    )
    log_change(
        session,
        "moderate",
        "response",
        f"{interview.id}:{question_id}",
        actor=actor,
        audit_id=audit.id,
        detail={
            "first": row.first_answer,
            "second": row.second_answer,
            "agreed": agreed_answer,
            "reason": row.reason,
        },
    )
    session.commit()
    return row


def moderated_count(session: Session, audit: Audit) -> int:
    check(session, VIEW_FINDINGS, audit)
    return (
        session.scalar(
            select(func.count())
            .select_from(Moderation)
            .join(Interview, Interview.id == Moderation.interview_id)
            .where(Interview.audit_id == audit.id)
        )
        or 0
    )
