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
from sqlalchemy.orm import Session

from sgaudit.questionnaire.models import Question
from sgaudit.store.models import Audit, ChangeLog, Interview, Response
from sgaudit.store.repo import audit_question_set, list_interviews, log_change


def confirm_consent(
    session: Session, interview: Interview, confirmed: bool = True, *, actor: str = ""
) -> None:
    """Record that the respondent(s) agreed to take part (or take that back), and commit."""
    interview.consent_confirmed = confirmed
    log_change(
        session,
        "consent" if confirmed else "withdraw_consent",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
    )
    session.commit()


def answer_counts(session: Session, audit: Audit) -> dict[int, int]:
    """Number of answered questions per interview id (interviews with none are absent).

    A response holding only a note, with no answer yet, does not count as answered.
    """
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


def interview_summaries(session: Session, audit: Audit) -> list[InterviewSummary]:
    """Every interview of the audit with its answered / asked counts, oldest first."""
    qs = audit_question_set(audit)
    counts = answer_counts(session, audit)
    asked_by_tier: dict[str, int] = {}
    out = []
    for iv in list_interviews(session, audit):
        if iv.tier not in asked_by_tier:
            asked_by_tier[iv.tier] = len(qs.questions_for_tier(iv.tier))
        out.append(
            InterviewSummary(
                id=iv.id,
                code=iv.code,
                tier=iv.tier,
                service_area=iv.service_area,
                mode=iv.mode,
                people=iv.people,
                auditor=iv.auditor,
                held_on=iv.held_on,
                consent_confirmed=iv.consent_confirmed,
                completed=iv.completed,
                answered=counts.get(iv.id, 0),
                asked=asked_by_tier[iv.tier],
            )
        )
    return out


def audit_revision(session: Session, audit_id: int) -> tuple:
    """A value that changes whenever the audit's interviews, answers or registers change.

    The key under which a screen may cache the audit's analysis: one cheap query
    instead of re-reading every response.
    """
    answers = (
        select(func.max(Response.updated_at), func.count(Response.id))
        .join(Interview, Interview.id == Response.interview_id)
        .where(Interview.audit_id == audit_id)
    )
    latest, n_answers = session.execute(answers).one()
    n_interviews, n_completed = session.execute(
        select(func.count(Interview.id), func.count(Interview.id).filter(Interview.completed))
        .where(Interview.audit_id == audit_id)
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
