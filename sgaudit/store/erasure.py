"""Consent withdrawal and erasure: an answer, an interview, an audit, an organisation.

Audit data is special-category personal data (UK GDPR art. 9), so every record can be
erased. Each erasure is written to the change log and the trail as who, when and what
kind of record, and the erased content is also taken out of what is otherwise kept
(`sgaudit.store.redaction`): the values of the log's and the trail's earlier lines
about the erased records, and the erased text in the reports of issued versions. The
trail keeps that something happened, never what was said.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from sgaudit.access.policy import CAPTURE, ERASE, MANAGE_ORGANISATIONS
from sgaudit.store import redaction
from sgaudit.store.changes import log_change
from sgaudit.store.erased_responses import remember_erased
from sgaudit.store.models import (
    Audit,
    FindingReview,
    Interview,
    Organisation,
    Recommendation,
    RegisterEntry,
    Response,
    utcnow,
)
from sgaudit.store.scope import check

ERASED = redaction.ERASED  # what an earlier log line's detail becomes after an erasure


def counted(interview_table=Interview):
    """The SQL condition for an interview that counts: its consent has not been withdrawn.

    Every read that feeds analysis, a report or an export filters with it.
    """
    return interview_table.consent_withdrawn_at.is_(None)


# ---- consent ------------------------------------------------------------------------------
def withdraw_consent(session: Session, interview: Interview, *, actor: str = "") -> None:
    """The respondent or respondents withdrew consent: the interview leaves every analysis, report and
    export from now on (its answers stay stored until erased, or until consent is given
    again). Commits."""
    check(session, CAPTURE, interview.audit)
    if not interview.consent_confirmed and interview.consent_withdrawn_at is not None:
        return  # withdrawn already: the trail and the date keep the first withdrawal
    interview.consent_confirmed = False
    interview.consent_withdrawn_at = utcnow()
    log_change(
        session,
        "withdraw_consent",
        "interview",
        interview.id,
        actor=actor,
        audit_id=interview.audit_id,
    )
    session.commit()


# ---- erasure ------------------------------------------------------------------------------
def clear_answer(
    session: Session, interview: Interview, question_id: str, *, actor: str = ""
) -> bool:
    """Erase one answer with its note; True if there was one. Commits."""
    check(session, CAPTURE, interview.audit)
    row = session.scalar(
        select(Response).where(
            Response.interview_id == interview.id, Response.question_id == question_id
        )
    )
    if row is None:
        return False
    erased = redaction.erased_text_of(session, [interview.id], question_id)
    redaction.redact_answer(session, interview, question_id)
    redaction.scrub_issued_reports(session, interview.audit_id, erased, utcnow().date())
    session.delete(row)
    entity_id = f"{interview.id}:{question_id}"
    log_change(session, "erase", "response", entity_id, actor=actor, audit_id=interview.audit_id)
    session.commit()
    return True


def erase_interview(session: Session, interview: Interview, *, actor: str = "") -> int:
    """Erase an interview and every answer and note of it; returns how many answers.

    Commits. The log keeps one line: who erased which interview record, when.
    """
    check(session, ERASE, interview.audit)
    n = len(interview.responses)
    interview_id, audit_id = interview.id, interview.audit_id
    erased = redaction.erased_text_of(session, [interview_id])
    redaction.redact_interview(session, interview)
    redaction.scrub_issued_reports(session, audit_id, erased, utcnow().date())
    remember_erased(session, audit_id, [interview.response_key])  # a re-import skips it
    session.delete(interview)
    log_change(
        session,
        "erase",
        "interview",
        interview_id,
        actor=actor,
        audit_id=audit_id,
        detail={"answers": n},
    )
    session.commit()
    return n


def _erase_audit_rows(session: Session, audit: Audit) -> dict[str, int]:
    audit_id = audit.id
    interviews = session.scalars(select(Interview.id).where(Interview.audit_id == audit_id)).all()
    counts = {"interviews": len(interviews)}
    counts["answers"] = session.execute(
        delete(Response).where(Response.interview_id.in_(interviews))
    ).rowcount
    session.execute(delete(Interview).where(Interview.audit_id == audit_id))
    own_recs = select(Recommendation.id).where(Recommendation.audit_id == audit_id)
    # A later re-audit keeps its own recommendations; they no longer point back here.
    session.execute(
        update(Recommendation)
        .where(Recommendation.carried_from_id.in_(own_recs))
        .values(carried_from_id=None)
    )
    session.execute(delete(Recommendation).where(Recommendation.audit_id == audit_id))
    session.execute(delete(FindingReview).where(FindingReview.audit_id == audit_id))
    counts["register rows"] = session.execute(
        delete(RegisterEntry).where(RegisterEntry.audit_id == audit_id)
    ).rowcount
    session.execute(
        update(Audit).where(Audit.previous_audit_id == audit_id).values(previous_audit_id=None)
    )
    redaction.redact_audit(session, audit_id)  # while row security still shows its events
    session.execute(delete(Audit).where(Audit.id == audit_id))
    session.expunge(audit)
    return counts


def erase_audit(session: Session, audit: Audit, *, actor: str = "") -> dict[str, int]:
    """Erase an audit with its interviews, answers, registers, findings and
    recommendations; returns how many of each. Commits."""
    check(session, ERASE, audit)
    audit_id = audit.id
    counts = _erase_audit_rows(session, audit)
    log_change(session, "erase", "audit", audit_id, actor=actor, audit_id=audit_id, detail=counts)
    session.commit()
    return counts


def erase_organisation(session: Session, org: Organisation, *, actor: str = "") -> dict[str, int]:
    """Erase an organisation, its service areas and all its audits (each as
    `erase_audit`); returns the totals. Commits. Only an admin erases an organisation."""
    check(session, MANAGE_ORGANISATIONS)
    org_id = org.id
    totals = {"audits": 0}
    redaction.redact_organisation(session, org_id)
    for audit in list(session.scalars(select(Audit).where(Audit.organisation_id == org_id))):
        counts = _erase_audit_rows(session, audit)
        log_change(
            session, "erase", "audit", audit.id, actor=actor, audit_id=audit.id, detail=counts
        )
        totals["audits"] += 1
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
    session.delete(org)
    log_change(session, "erase", "organisation", org_id, actor=actor, detail=totals)
    session.commit()
    return totals
