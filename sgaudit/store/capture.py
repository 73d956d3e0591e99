"""Live capture of interviews: consent, and how far each interview has got.

What a capture screen (the app's Interview page) needs beyond `repo`: confirming
consent on an interview that was started without it, and answered / asked counts per
interview and per theme, cheap enough to refresh after every single answer.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, joinedload

from sgaudit.access.policy import CAPTURE, READ_ANSWERS
from sgaudit.errors import NotFound
from sgaudit.questionnaire.models import Question
from sgaudit.store.erasure import withdraw_consent
from sgaudit.store.models import Audit, ChangeLog, Interview, Response
from sgaudit.store.repo import audit_question_set, audit_ref, log_change
from sgaudit.store.scope import check


def confirm_consent(
    session: Session, interview: Interview, confirmed: bool = True, *, actor: str = ""
) -> None:
    """Record that the respondent or respondents agreed to take part (or take that back), and commit.

    Taking it back is a withdrawal of consent (`erasure.withdraw_consent`): the interview
    leaves every analysis, report and export. Giving it again brings the interview back.
    """
    check(session, CAPTURE, interview.audit)
    if not confirmed:
        withdraw_consent(session, interview, actor=actor)
        return
    if interview.consent_confirmed and interview.consent_withdrawn_at is None:
        return  # given already: saying it again is no change for the trail
    interview.consent_confirmed = True
    interview.consent_withdrawn_at = None
    log_change(
        session,
        "consent",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
    )
    session.commit()


def interview_for_capture(session: Session, interview_id: int) -> Interview:
    """The interview with its audit loaded, leaving out the audit's big JSON snapshots.

    What saving one answer needs: `save_answer` reaches the question set through
    `audit_question_set`, which is cached per audit, so the snapshot is only read (and
    parsed) when the cache is cold. Raises NotFound for an unknown id.
    """
    interview = session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(
            joinedload(Interview.audit).options(
                defer(Audit.question_set_snapshot), defer(Audit.framework_snapshot)
            )
        )
    )
    if interview is None:
        raise NotFound(f"no interview with id {interview_id}")
    check(session, READ_ANSWERS, interview.audit)
    return interview


def answer_counts(session: Session, audit: Audit) -> dict[int, int]:
    """Number of answered questions per interview id (interviews with none are absent).

    A response holding only a note, with no answer yet, does not count as answered.
    """
    check(session, READ_ANSWERS, audit)
    rows = session.execute(
        select(Response.interview_id, func.count())
        .join(Interview, Interview.id == Response.interview_id)
        .where(Interview.audit_id == audit.id, Response.answer != "")
        .group_by(Response.interview_id)
    )
    return {interview_id: count for interview_id, count in rows}


@dataclass(frozen=True)
class ThemeProgress:
    theme: str
    answered: int
    asked: int

    @property
    def done(self) -> bool:
        return self.answered >= self.asked


def theme_progress(questions: Sequence[Question], answered: Collection[str]) -> list[ThemeProgress]:
    """Answered / asked per theme for one interview, themes in the order of `questions`.

    `questions` are the questions put to the interview's tier
    (`QuestionSet.questions_for_tier`); `answered` the ids that have an answer.
    """
    asked: dict[str, int] = {}
    done: dict[str, int] = {}
    for q in questions:
        asked[q.theme] = asked.get(q.theme, 0) + 1
        done[q.theme] = done.get(q.theme, 0) + (q.id in answered)
    return [ThemeProgress(theme, done[theme], n) for theme, n in asked.items()]


@dataclass(frozen=True)
class InterviewSummary:
    """One line of an audit's list of interviews, for choosing one to resume."""

    id: int
    code: str
    tier: str
    service_area: str
    mode: str
    people: int
    auditor: str
    held_on: date | None
    consent_confirmed: bool
    completed: bool
    answered: int
    asked: int
    consent_withdrawn: bool = False  # left out of analysis, reports and exports


def interview_summaries(
    session: Session, audit: Audit, interview_id: int | None = None
) -> list[InterviewSummary]:
    """Every interview of the audit (or just `interview_id`) with answered / asked counts.

    Oldest first. Reads plain columns, not ORM objects: an audit may hold hundreds.
    """
    check(session, READ_ANSWERS, audit)
    qs = audit_question_set(audit)
    counted = (
        select(Response.interview_id, func.count().label("answered"))
        .join(Interview, Interview.id == Response.interview_id)
        .where(Interview.audit_id == audit.id, Response.answer != "")
    )
    if interview_id is not None:
        counted = counted.where(Response.interview_id == interview_id)
    answered = counted.group_by(Response.interview_id).subquery()
    stmt = (
        select(
            Interview.id,
            Interview.code,
            Interview.tier,
            Interview.service_area,
            Interview.mode,
            Interview.people,
            Interview.auditor,
            Interview.held_on,
            Interview.consent_confirmed,
            Interview.completed,
            func.coalesce(answered.c.answered, 0),
            Interview.consent_withdrawn_at,
        )
        .outerjoin(answered, answered.c.interview_id == Interview.id)
        .where(Interview.audit_id == audit.id)
        .order_by(Interview.id)
    )
    if interview_id is not None:
        stmt = stmt.where(Interview.id == interview_id)
    asked_by_tier: dict[str, int] = {}
    out = []
    for row in session.execute(stmt):
        tier = row.tier
        if tier not in asked_by_tier:
            asked_by_tier[tier] = len(qs.questions_for_tier(tier))
        out.append(
            InterviewSummary(
                *row[:10],
                answered=row[10],
                asked=asked_by_tier[tier],
                consent_withdrawn=row[11] is not None,
            )
        )
    return out


def audit_revision(session: Session, audit_id: int) -> tuple:
    """A value that changes whenever the audit's interviews, answers or registers change.

    The key under which a screen may cache the audit's analysis: one cheap query
    instead of re-reading every response.
    """
    audit_ref(session, audit_id)
    answers = (
        select(func.max(Response.updated_at), func.count(Response.id))
        .join(Interview, Interview.id == Response.interview_id)
        .where(Interview.audit_id == audit_id)
    )
    latest, n_answers = session.execute(answers).one()
    n_interviews, n_completed = session.execute(
        select(
            func.count(Interview.id), func.count(Interview.id).filter(Interview.completed)
        ).where(Interview.audit_id == audit_id)
    ).one()
    # Register imports replace rows (SQLite may reuse their ids), so the audit trail,
    # which only grows, marks each import; reviews of findings do not change the analysis.
    last_change = session.scalar(
        select(func.max(ChangeLog.id)).where(
            ChangeLog.audit_id == audit_id,
            ChangeLog.entity.not_in(("finding", "recommendation")),
        )
    )
    return (str(latest), n_answers, n_interviews, n_completed, last_change)
