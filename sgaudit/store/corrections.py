"""Correcting an interview's record: tier, service area, mode, date and head count.

A slip made in the field (the wrong tier chosen, the wrong service area) is corrected
in place; every correction is a line in the change log. Changing the tier can leave
answers to questions the new tier is not asked: they are listed first and the change
is refused until the auditor agrees to erase them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.access.policy import CAPTURE, READ_ANSWERS
from sgaudit.errors import NotFound, SgauditError
from sgaudit.store import redaction
from sgaudit.store.audits import audit_question_set
from sgaudit.store.changes import log_change
from sgaudit.store.interviews import refuse_second_self_assessment, validate_interview_fields
from sgaudit.store.models import Audit, Interview, Response, utcnow
from sgaudit.store.scope import check
from sgaudit.vocab import SELF_ASSESSMENT

CORRECTABLE = ("tier", "service_area", "mode", "held_on", "people")


def find_interview(session: Session, audit: Audit, code: str) -> Interview:
    """The audit's interview with respondent code `code` (e.g. 'FL-7K3QX')."""
    check(session, READ_ANSWERS, audit)
    interview = session.scalar(
        select(Interview).where(Interview.audit_id == audit.id, Interview.code == code.strip())
    )
    if interview is None:
        raise NotFound(f"audit {audit.id} has no interview '{code}'")
    return interview


def answers_outside_tier(session: Session, interview: Interview, tier: str) -> list[str]:
    """Ids of the interview's answered questions that `tier` is not asked, in id order."""
    check(session, READ_ANSWERS, interview.audit)
    questions = audit_question_set(interview.audit).questions_by_id
    stored = session.scalars(
        select(Response.question_id).where(Response.interview_id == interview.id)
    )
    return sorted(
        qid for qid in stored if qid not in questions or tier not in questions[qid].asked_of
    )


def correct_interview(
    session: Session,
    interview: Interview,
    *,
    tier: str | None = None,
    service_area: str | None = None,
    mode: str | None = None,
    held_on: date | None = None,
    people: int | None = None,
    erase_answers_outside_tier: bool = False,
    actor: str = "",
) -> list[str]:
    """Correct the fields given (None leaves a field as it is) and commit.

    Returns the ids of the answers erased because the new tier is not asked them; if
    there are such answers and `erase_answers_outside_tier` is False, nothing changes
    and SgauditError names them.
    """
    check(session, CAPTURE, interview.audit)
    new = {
        "tier": tier if tier is not None else interview.tier,
        "service_area": service_area if service_area is not None else interview.service_area,
        "mode": mode if mode is not None else interview.mode,
        "held_on": held_on if held_on is not None else interview.held_on,
        "people": people if people is not None else interview.people,
    }
    if new["mode"] != "focus_group" and people is None:
        new["people"] = 1 if mode is not None else interview.people
    problems = validate_interview_fields(
        interview.audit, new["tier"], new["service_area"], new["mode"], new["people"]
    )
    if new["mode"] == "focus_group" and new["people"] < 2:
        problems.append("a focus group needs a head count of at least 2")
    if problems:
        raise SgauditError("; ".join(problems))
    if new["tier"] == SELF_ASSESSMENT and interview.tier != SELF_ASSESSMENT:
        refuse_second_self_assessment(session, interview.audit)
    outside = answers_outside_tier(session, interview, new["tier"])
    if outside and not erase_answers_outside_tier:
        raise SgauditError(
            f"interview {interview.code}: {printed.count(len(outside), 'answer')} "
            f"{'is' if len(outside) == 1 else 'are'} to questions the "
            f"tier '{new['tier']}' is not asked ({', '.join(outside)}); erase them to change "
            "the tier, or keep the tier"
        )
    changed = {
        field: [_plain(getattr(interview, field)), _plain(value)]
        for field, value in new.items()
        if getattr(interview, field) != value
    }
    if not changed:
        return []
    for qid in outside:
        erased = redaction.erased_text_of(session, [interview.id], qid)
        redaction.redact_answer(session, interview, qid)  # the trail keeps no erased value
        redaction.scrub_issued_reports(session, interview.audit_id, erased, utcnow().date())
        row = session.scalar(
            select(Response).where(
                Response.interview_id == interview.id, Response.question_id == qid
            )
        )
        session.delete(row)
    for field, value in new.items():
        setattr(interview, field, value)
    log_change(
        session,
        "correct",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
        detail={"changed": changed, "answers_erased": len(outside)},
    )
    session.commit()
    return outside


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
