"""Read an audit out of the store as the DataFrames the pure analysis takes."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import READ_ANSWERS, VIEW_AGGREGATES
from sgaudit.analysis.data import RESPONSE_COLUMNS
from sgaudit.store.erasure import counted
from sgaudit.store.models import Interview, Response
from sgaudit.store.repo import audit_question_set, audit_ref, get_audit
from sgaudit.store.scope import allowed, check


def responses_frame(session: Session, audit_id: int) -> pd.DataFrame:
    """One row per answer, in the columns of docs/ARCHITECTURE.md (`interview_id` is the
    pseudonymous code, never a database id or a name). Needs `read_answers`."""
    audit_ref(session, audit_id, READ_ANSWERS)
    return _responses(session, audit_id)


def _responses(session: Session, audit_id: int) -> pd.DataFrame:
    stmt = (
        select(
            Interview.code.label("interview_id"),
            Interview.tier,
            Interview.service_area,
            Interview.mode,
            Interview.people,
            Response.question_id,
            Response.answer,
            Response.note,
            Response.quotable,
        )
        .join(Response, Response.interview_id == Interview.id)
        .where(Interview.audit_id == audit_id, counted())  # withdrawn consent: left out
        .order_by(Interview.id, Response.id)
    )
    rows = session.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=list(RESPONSE_COLUMNS))
    return frame.astype(
        {
            "interview_id": "string",
            "tier": "string",
            "service_area": "string",
            "mode": "string",
            "people": "int64",
            "question_id": "string",
            "answer": "string",
            "note": "string",
            "quotable": "bool",
        }
    )


def without_identifiers(responses: pd.DataFrame) -> pd.DataFrame:
    """The responses with no note, no quote and no respondent code (R1, R2, ...).

    What a reader of suppressed results (an organisation viewer, a partnership
    analyst) is analysed from: the counts and scores are the same, the words are gone.
    """
    codes = pd.factorize(responses["interview_id"])[0] + 1
    return responses.assign(
        interview_id=pd.Series([f"R{c}" for c in codes], index=responses.index, dtype="string"),
        note=pd.Series("", index=responses.index, dtype="string"),
        quotable=False,
    )


def load_audit_data(session: Session, audit_id: int):
    """The audit's responses with the question set it was run with, ready to analyse.

    The one way an audit reaches the analysis. Those who may read the answers get
    them whole; those who may only see suppressed results get them without notes,
    quotes or respondent codes (`without_identifiers`); anyone else is refused.
    """
    from sgaudit.analysis.data import AuditData

    audit = get_audit(session, audit_id)
    check(session, VIEW_AGGREGATES, audit)
    responses = _responses(session, audit.id)
    if not allowed(session, READ_ANSWERS, audit):
        responses = without_identifiers(responses)
    return AuditData.from_question_set(audit_question_set(audit), responses)
