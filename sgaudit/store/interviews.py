"""Interviews and their answers: the capture path (one answer, one transaction)."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import CAPTURE, READ_ANSWERS
from sgaudit.errors import InvalidAnswer, NotFound, SgauditError
from sgaudit.limits import MAX_PEOPLE
from sgaudit.questionnaire import QuestionSet
from sgaudit.store.audits import audit_question_set
from sgaudit.store.changes import _CODE_ALPHABET, TIER_CODE_PREFIX, log_change
from sgaudit.store.concurrency import flush_or_conflict, require_revision
from sgaudit.store.models import (
    Audit,
    Interview,
    Response,
    utcnow,
)
from sgaudit.store.scope import check
from sgaudit.vocab import CAPTURE_TIERS, MODES, SELF_ASSESSMENT


# ---- interviews -----------------------------------------------------------------------
def new_respondent_code(session: Session, audit: Audit, tier: str) -> str:
    """A fresh pseudonymous code such as 'FL-7K3QX', unique within the audit."""
    prefix = TIER_CODE_PREFIX.get(tier, "RS")
    for _ in range(50):
        code = prefix + "-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(5))
        exists = session.scalar(
            select(Interview.id).where(Interview.audit_id == audit.id, Interview.code == code)
        )
        if not exists:
            return code
    raise SgauditError("could not generate a unique respondent code")  # pragma: no cover


def validate_interview_fields(
    audit: Audit, tier: str, service_area: str, mode: str, people: int
) -> list[str]:
    """Problems with an interview's fields (empty list when all is well)."""
    problems = []
    if tier not in CAPTURE_TIERS:
        problems.append(f"unknown tier '{tier}'; expected one of {', '.join(CAPTURE_TIERS)}")
    if service_area not in audit.organisation.area_names:
        problems.append(
            f"unknown service area '{service_area}'; {audit.organisation.name} has "
            f"{', '.join(audit.organisation.area_names)}"
        )
    if mode not in MODES:
        problems.append(f"unknown mode '{mode}'; expected one of {', '.join(MODES)}")
    if not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
        problems.append(f"people must be a whole number from 1 to {MAX_PEOPLE}, not '{people}'")
    return problems


def refuse_second_self_assessment(session: Session, audit: Audit) -> None:
    """An audit has one self-assessment: the organisation's one statement about itself."""
    first = session.scalar(
        select(Interview.code).where(
            Interview.audit_id == audit.id, Interview.tier == SELF_ASSESSMENT
        )
    )
    if first is not None:
        raise SgauditError(
            f"this audit already has a self-assessment ({first}); an audit has one, the "
            "organisation's own statement: continue that one"
        )


def start_interview(
    session: Session,
    audit: Audit,
    *,
    tier: str,
    service_area: str,
    mode: str = "interview",
    held_on: date | None = None,
    auditor: str = "",
    people: int = 1,
    consent_confirmed: bool = False,
    code: str | None = None,
    actor: str = "",
) -> Interview:
    check(session, CAPTURE, audit)
    problems = validate_interview_fields(audit, tier, service_area, mode, people)
    if problems:
        raise SgauditError("; ".join(problems))
    if mode == "focus_group" and people < 2:
        raise SgauditError("a focus group needs a head count of at least 2")
    if tier == SELF_ASSESSMENT:
        refuse_second_self_assessment(session, audit)
    if code is None:
        code = new_respondent_code(session, audit, tier)
    elif session.scalar(
        select(Interview.id).where(Interview.audit_id == audit.id, Interview.code == code)
    ):
        raise SgauditError(f"interview '{code}' already exists in this audit")
    iv = Interview(
        audit_id=audit.id,
        code=code,
        tier=tier,
        service_area=service_area,
        mode=mode,
        held_on=held_on,
        auditor=auditor,
        people=people,
        consent_confirmed=consent_confirmed,
    )
    session.add(iv)
    session.flush()
    log_change(
        session,
        "create",
        "interview",
        iv.id,
        actor=actor,
        audit_id=audit.id,
        detail={"code": code, "tier": tier, "mode": mode},
    )
    return iv


def get_interview(session: Session, interview_id: int) -> Interview:
    iv = session.get(Interview, interview_id)
    if iv is None:
        raise NotFound(f"no interview with id {interview_id}")
    check(session, READ_ANSWERS, iv.audit)
    return iv


def list_interviews(session: Session, audit: Audit) -> list[Interview]:
    check(session, READ_ANSWERS, audit)
    return list(
        session.scalars(
            select(Interview).where(Interview.audit_id == audit.id).order_by(Interview.id)
        )
    )


def set_interview_completed(
    session: Session, interview: Interview, completed: bool = True, *, actor: str = ""
) -> None:
    check(session, CAPTURE, interview.audit)
    interview.completed = completed
    log_change(
        session,
        "complete" if completed else "reopen",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
    )
    session.commit()


# ---- answers --------------------------------------------------------------------------
def check_answer(question_set: QuestionSet, question_id: str, tier: str, answer: str) -> None:
    """Raise InvalidAnswer unless `answer` is allowed for this question at this tier."""
    q = question_set.questions_by_id.get(question_id)
    if q is None:
        raise InvalidAnswer(f"unknown question id '{question_id}'")
    if tier not in q.asked_of:
        raise InvalidAnswer(
            f"question {question_id} is not asked of tier '{tier}' (asked of "
            f"{', '.join(q.asked_of)})"
        )
    scale = question_set.scales[q.scale]
    if scale.kind == "text":
        return
    allowed = scale.allowed_answers(q.reverse)
    if answer not in allowed:
        raise InvalidAnswer(
            f"'{answer}' is not on the scale of {question_id}; allowed: {' | '.join(allowed)}"
        )


def save_answer(
    session: Session,
    interview: Interview,
    question_id: str,
    answer: str | None,
    *,
    note: str = "",
    quotable: bool = False,
    actor: str = "",
    commit: bool = True,
    expected_revision: int | None = None,
) -> Response | None:
    """Record one answer (insert or update) and commit it at once.

    An empty answer with an empty note removes the response. Concurrent auditors on
    other interviews never touch this row, so nothing of theirs is overwritten. Two
    writers on the same answer: `expected_revision` (the revision the writer opened,
    0 for none) makes a write from an older revision fail with `EditConflict`, which
    carries the stored version; a write racing another is refused the same way.
    """
    check(session, CAPTURE, interview.audit)
    qs = audit_question_set(interview.audit)
    answer = (answer or "").strip()
    note = note or ""
    if answer:
        check_answer(qs, question_id, interview.tier, answer)
    elif question_id not in qs.questions_by_id:
        raise InvalidAnswer(f"unknown question id '{question_id}'")

    def stored() -> Response | None:
        return session.scalar(
            select(Response).where(
                Response.interview_id == interview.id, Response.question_id == question_id
            )
        )

    what = f"the answer to {question_id} of {interview.code}"
    row = stored()
    require_revision(row, expected_revision, what)
    if not answer and not note.strip():
        if row is not None:
            session.delete(row)
            flush_or_conflict(session, what, stored)
            log_change(
                session,
                "clear",
                "response",
                f"{interview.id}:{question_id}",
                actor=actor,
                audit_id=interview.audit_id,
            )
        if commit:
            session.commit()
        return None
    if row is None:
        row = Response(interview_id=interview.id, question_id=question_id)
        session.add(row)
    old = {"answer": row.answer or "", "quotable": bool(row.quotable)}
    new = {"answer": answer, "quotable": bool(quotable)}
    if qs.scales[qs.questions_by_id[question_id].scale].kind == "text":
        # A text answer is the respondent's own words: the trail says only that it changed.
        old["answer"], new["answer"] = "", "changed" if old["answer"] != answer else ""
    note_changed = (row.note or "") != note
    if (row.answer, row.note, bool(row.quotable)) == (answer, note, bool(quotable)):
        # The same answer saved again (a widget's callback firing twice) is no change:
        # no new revision for the other auditor to be warned about, no new author.
        if commit:
            session.commit()
        return row
    row.answer, row.note, row.quotable, row.updated_by = answer, note, bool(quotable), actor
    row.updated_at = utcnow()
    flush_or_conflict(session, what, stored)
    log_change(
        session,
        "answer",
        "response",
        f"{interview.id}:{question_id}",
        actor=actor,
        audit_id=interview.audit_id,
        # every version is in the trail, with the revision it became
        detail={"answer": answer, "revision": row.revision},
        old=old,
        new=new,
        note_changed=note_changed,
    )
    if commit:
        session.commit()
    return row


def interview_answers(session: Session, interview: Interview) -> dict[str, Response]:
    check(session, READ_ANSWERS, interview.audit)
    rows = session.scalars(select(Response).where(Response.interview_id == interview.id))
    return {r.question_id: r for r in rows}
