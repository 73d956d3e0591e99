"""The auditors' review of findings, and recommendations."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import REVIEW_FINDINGS, VIEW_FINDINGS
from sgaudit.errors import NotFound, SgauditError
from sgaudit.store.changes import log_change
from sgaudit.store.concurrency import flush_or_conflict, require_revision
from sgaudit.store.models import (
    Audit,
    FindingReview,
    Recommendation,
)
from sgaudit.store.scope import check


# ---- findings and recommendations -----------------------------------------------------
def finding_reviews(session: Session, audit: Audit) -> dict[str, FindingReview]:
    check(session, VIEW_FINDINGS, audit)
    rows = session.scalars(select(FindingReview).where(FindingReview.audit_id == audit.id))
    return {r.finding_key: r for r in rows}


def review_finding(
    session: Session,
    audit: Audit,
    finding_key: str,
    *,
    kind: str,
    theme: str,
    status: str,
    summary: str = "",
    severity: str = "medium",
    service_areas: Sequence[str] = (),
    tiers: Sequence[str] = (),
    actor: str = "",
    expected_revision: int | None = None,
) -> FindingReview:
    """Accept, reword, dismiss or add a finding; the report uses these decisions.

    `expected_revision` (the review's revision when the writer opened it, 0 for none)
    refuses a decision made over someone else's newer one with `EditConflict`.
    """
    check(session, REVIEW_FINDINGS, audit)
    if status not in ("accepted", "edited", "dismissed", "added"):
        raise SgauditError(f"unknown finding status '{status}'")

    def stored() -> FindingReview | None:
        return session.scalar(
            select(FindingReview).where(
                FindingReview.audit_id == audit.id, FindingReview.finding_key == finding_key
            )
        )

    what = f"the review of finding {finding_key}"
    row = stored()
    require_revision(row, expected_revision, what)
    if row is None:
        row = FindingReview(audit_id=audit.id, finding_key=finding_key)
        session.add(row)
    row.kind, row.theme, row.status, row.summary = kind, theme, status, summary
    row.severity, row.updated_by = severity, actor
    row.service_areas, row.tiers = list(service_areas), list(tiers)
    flush_or_conflict(session, what, stored)
    log_change(
        session,
        status,
        "finding",
        finding_key,
        actor=actor,
        audit_id=audit.id,
        detail={"summary": summary, "severity": severity, "revision": row.revision},
    )
    session.commit()
    return row


def add_own_finding(
    session: Session,
    audit: Audit,
    *,
    theme: str,
    summary: str,
    severity: str = "medium",
    service_areas: Sequence[str] = (),
    tiers: Sequence[str] = (),
    actor: str = "",
) -> FindingReview:
    key = f"auditor:{theme}:{secrets.token_hex(4)}"
    return review_finding(
        session,
        audit,
        key,
        kind="auditor",
        theme=theme,
        status="added",
        summary=summary,
        severity=severity,
        service_areas=service_areas,
        tiers=tiers,
        actor=actor,
    )


def list_recommendations(session: Session, audit: Audit) -> list[Recommendation]:
    check(session, VIEW_FINDINGS, audit)
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.audit_id == audit.id)
            .order_by(Recommendation.id)
        )
    )


def save_recommendation(
    session: Session,
    audit: Audit,
    *,
    theme: str,
    text: str,
    priority: str = "medium",
    owner: str = "",
    due_date: date | None = None,
    finding_key: str | None = None,
    follow_up: str = "",
    recommendation_id: int | None = None,
    actor: str = "",
    measure: str | None = None,
) -> Recommendation:
    check(session, REVIEW_FINDINGS, audit)
    if not text.strip():
        raise SgauditError("a recommendation needs some text")
    if priority not in ("high", "medium", "low"):
        raise SgauditError("priority must be high, medium or low")
    if recommendation_id is not None:
        rec = session.get(Recommendation, recommendation_id)
        if rec is None or rec.audit_id != audit.id:
            raise NotFound(f"no recommendation {recommendation_id} in audit {audit.id}")
    else:
        rec = Recommendation(audit_id=audit.id)
        session.add(rec)
    rec.theme, rec.text, rec.priority, rec.owner = theme, text.strip(), priority, owner
    rec.due_date, rec.finding_key, rec.follow_up = due_date, finding_key, follow_up
    if measure is not None:
        rec.measure = measure.strip()
    session.flush()
    log_change(session, "save", "recommendation", rec.id, actor=actor, audit_id=audit.id)
    session.commit()
    return rec


def delete_recommendation(
    session: Session, audit: Audit, recommendation_id: int, *, actor: str = ""
) -> None:
    check(session, REVIEW_FINDINGS, audit)
    rec = session.get(Recommendation, recommendation_id)
    if rec is None or rec.audit_id != audit.id:
        raise NotFound(f"no recommendation {recommendation_id} in audit {audit.id}")
    session.delete(rec)
    log_change(
        session, "delete", "recommendation", recommendation_id, actor=actor, audit_id=audit.id
    )
    session.commit()


REVIEW_STATUSES: dict[str, str] = {
    "achieved": "Achieved",
    "partly": "Partly achieved",
    "not_achieved": "Not achieved",
    "no_longer_relevant": "No longer relevant",
}


def review_recommendation(
    session: Session,
    audit: Audit,
    recommendation_id: int,
    *,
    status: str,
    evidence: str,
    reviewed_on: date | None,
    due_date: date | None = None,
    actor: str = "",
) -> Recommendation:
    """Record the re-audit's review of a carried-over recommendation; commit.

    `due_date` is the new due date of an action carried over again (partly or not
    achieved); it is left as it was when not given.
    """
    check(session, REVIEW_FINDINGS, audit)
    if status not in REVIEW_STATUSES:
        raise SgauditError(
            f"review status must be one of {', '.join(REVIEW_STATUSES)}, not '{status}'"
        )
    rec = session.get(Recommendation, recommendation_id)
    if rec is None or rec.audit_id != audit.id:
        raise NotFound(f"no recommendation {recommendation_id} in audit {audit.id}")
    if rec.carried_from_id is None:
        raise SgauditError(
            f"recommendation {recommendation_id} is this audit's own; only recommendations "
            "carried over from the last audit are reviewed"
        )
    rec.review_status, rec.review_evidence = status, evidence.strip()
    rec.reviewed_on = reviewed_on
    if due_date is not None:
        rec.due_date = due_date
    log_change(session, "review", "recommendation", rec.id, actor=actor, audit_id=audit.id,
               detail={"status": status})  # fmt: skip
    session.commit()
    return rec
