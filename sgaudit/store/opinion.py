"""The lead auditor's assurance opinion: read it, confirm or change it (with a reason)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import MANAGE_AUDIT, VIEW_FINDINGS
from sgaudit.errors import SgauditError
from sgaudit.store.changes import log_change
from sgaudit.store.models import AssuranceOpinion, Audit, utcnow
from sgaudit.store.scope import check, check_acting

OPINION_LEVELS = ("substantial", "reasonable", "limited", "no")


def assurance_opinion(session: Session, audit: Audit) -> AssuranceOpinion | None:
    check(session, VIEW_FINDINGS, audit)
    return session.scalar(select(AssuranceOpinion).where(AssuranceOpinion.audit_id == audit.id))


def confirm_opinion(
    session: Session,
    audit: Audit,
    *,
    proposed: str,
    given: str,
    reason: str = "",
    actor: str,
) -> AssuranceOpinion:
    """The lead auditor confirms the proposed level, or gives another with a reason; commit."""
    check(session, MANAGE_AUDIT, audit)
    for name, level in (("proposed", proposed), ("given", given)):
        if level not in OPINION_LEVELS:
            raise SgauditError(
                f"{name} level must be one of {', '.join(OPINION_LEVELS)}, not '{level}'"
            )
    if not actor.strip():
        raise SgauditError("say who confirms the opinion (the lead auditor)")
    check_acting(session, audit, actor.strip())
    if audit.auditor_1 and actor.strip() != audit.auditor_1:
        raise SgauditError(
            f"only the lead auditor ({audit.auditor_1}) can confirm the assurance opinion"
        )
    if given != proposed and not reason.strip():
        raise SgauditError(f"giving '{given}' instead of the proposed '{proposed}' needs a reason")
    row = assurance_opinion(session, audit)
    if row is None:
        row = AssuranceOpinion(audit_id=audit.id)
        session.add(row)
    row.proposed, row.given, row.reason = proposed, given, reason.strip()
    row.confirmed_by, row.confirmed_at = actor.strip(), utcnow()
    log_change(session, "opinion", "audit", audit.id, actor=actor, audit_id=audit.id,
               detail={"proposed": proposed, "given": given})  # fmt: skip
    session.commit()
    return row
