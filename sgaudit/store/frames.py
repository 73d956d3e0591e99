"""Read an audit out of the store as the DataFrames the pure analysis takes."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.analysis.data import RESPONSE_COLUMNS
from sgaudit.store.erasure import counted
from sgaudit.store.models import Interview, Response
from sgaudit.store.repo import audit_question_set, get_audit


def responses_frame(session: Session, audit_id: int) -> pd.DataFrame:
    """One row per answer, in the columns of docs/ARCHITECTURE.md (`interview_id` is the
    pseudonymous code, never a database id or a name)."""
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


def load_audit_data(session: Session, audit_id: int):
    """The audit's responses with the question set it was run with, ready to analyse."""
    from sgaudit.analysis.data import AuditData

    audit = get_audit(session, audit_id)
    return AuditData.from_question_set(
        audit_question_set(audit), responses_frame(session, audit.id)
    )
