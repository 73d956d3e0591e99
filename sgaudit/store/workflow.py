"""An audit's path from draft to final, its versions, and the second auditor's sign-offs.

    draft --submit_for_review--> in_review --finalise (lead auditor)--> final
      ^                              |                                    |
      +-------- send back -----------+                                    |
      +------------------- reopen (opens version 1.1, 1.2 ...) -----------+

`auditor_1` of an audit is its lead auditor (confirms final), `auditor_2` the second
auditor (reviews). Names are recorded on every step; when the audit names its
auditors, a step taken by the wrong one is refused (accounts and roles come later and
will check the same names). What must be reviewed (every finding, the analysis, the
recommendations) is worked out above the store, in `sgaudit.issuing`, and passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sgaudit.access.policy import (
    DOWNLOAD_REPORT,
    MANAGE_AUDIT,
    REVIEW_FINDINGS,
    VIEW_AUDIT,
    VIEW_FINDINGS,
)
from sgaudit.errors import NotFound, WorkflowError
from sgaudit.store.changes import log_change
from sgaudit.store.locks import unlocked
from sgaudit.store.models import Audit, AuditIssue, AuditSignoff, utcnow
from sgaudit.store.scope import check, check_acting

DECISIONS: tuple[str, ...] = ("signed_off", "sent_back")
# Review items that are not findings.
ANALYSIS_ITEM = "analysis"
RECOMMENDATIONS_ITEM = "recommendations"


@dataclass(frozen=True)
class VersionRecord:
    """One issued version of an audit, for the report's history and the app."""

    version: str
    issued_at: datetime
    issued_by: str
    reviewed_by: str
    reason: str


@dataclass(frozen=True)
class SentBack:
    """One item the second auditor sent back to the lead auditor: why, who, when (UTC)."""

    item: str
    comment: str
    actor: str
    at: datetime


def next_version(version: str) -> str:
    """The version a change after final opens: '1.0' -> '1.1', '1.9' -> '1.10'."""
    major, _, minor = version.partition(".")
    try:
        return f"{int(major)}.{int(minor or 0) + 1}"
    except ValueError:
        raise WorkflowError(f"cannot number the version after '{version}'") from None


def report_version(session: Session, audit: Audit) -> str:
    """The version a report of `audit` carries.

    Final: the issued version ("1.0", "1.1" ...). Before the first issue a draft is
    numbered 0.1, 0.2 ...: 0.N where N counts the times this version went to review,
    plus one while it is back in draft (so a draft sent back and changed is a new
    number, and the one in review keeps the number it was submitted as). A reopened
    audit's draft is the version being prepared with its draft number: "1.1 draft 1".
    """
    from sgaudit.store.models import ChangeLog

    if audit.status == "final":
        return audit.version
    details = session.scalars(
        select(ChangeLog.detail).where(
            ChangeLog.audit_id == audit.id,
            ChangeLog.entity == "audit",
            ChangeLog.action == "submit_for_review",
        )
    ).all()
    submitted = sum(1 for d in details if (d or {}).get("version") == audit.version)
    number = submitted + 1 if audit.status == "draft" else max(submitted, 1)
    return f"0.{number}" if audit.version == "1.0" else f"{audit.version} draft {number}"


def _require_status(audit: Audit, *allowed: str, doing: str) -> None:
    if audit.status not in allowed:
        raise WorkflowError(
            f"audit {audit.id} is {audit.status.replace('_', ' ')}; it must be "
            f"{' or '.join(a.replace('_', ' ') for a in allowed)} to {doing}"
        )


def _require_actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise WorkflowError(
            "say who you are (working as, in the app's sidebar; `--as NAME` on the command "
            "line): every step of the review is signed"
        )
    return actor


def submit_for_review(session: Session, audit: Audit, *, actor: str) -> None:
    """Hand a draft to the second auditor for review."""
    check(session, REVIEW_FINDINGS, audit)
    actor = _require_actor(actor)
    check_acting(session, audit, actor)
    _require_status(audit, "draft", doing="submit it for review")
    if audit.auditor_1 and actor != audit.auditor_1:
        # the second auditor sends work back to the lead; submitting it again is the lead's
        raise WorkflowError(
            f"only the lead auditor ({audit.auditor_1}) submits audit {audit.id} for review"
        )
    audit.status = "in_review"
    log_change(
        session,
        "submit_for_review",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"version": audit.version},
    )
    session.commit()


def review_item(
    session: Session,
    audit: Audit,
    item: str,
    decision: str,
    *,
    comment: str = "",
    actor: str,
    known_items: Sequence[str] | None = None,
) -> AuditSignoff:
    """The second auditor signs off one item, or sends it back with a comment.

    Sending anything back returns the audit to draft, so the lead auditor can change
    it and submit it again; the items already signed off stay signed off.
    """
    check(session, REVIEW_FINDINGS, audit)
    actor = _require_actor(actor)
    check_acting(session, audit, actor)
    _require_status(audit, "in_review", doing="review it")
    if decision not in DECISIONS:
        raise WorkflowError(f"decision must be one of {', '.join(DECISIONS)}, not '{decision}'")
    if known_items is not None and item not in known_items:
        raise NotFound(
            f"'{item}' is not something to review in audit {audit.id}; items: "
            f"{', '.join(known_items)}"
        )
    if decision == "sent_back" and not comment.strip():
        raise WorkflowError("say why it goes back: sending back needs a comment")
    if audit.auditor_1 and actor == audit.auditor_1:
        raise WorkflowError(
            f"{actor} is the lead auditor; the second auditor ({audit.auditor_2 or 'not named'}) "
            "reviews the lead's work"
        )
    if audit.auditor_2 and actor != audit.auditor_2:
        raise WorkflowError(
            f"the second auditor of audit {audit.id} is {audit.auditor_2}, not {actor}"
        )
    row = AuditSignoff(
        audit_id=audit.id,
        version=audit.version,
        item=item,
        decision=decision,
        comment=comment.strip(),
        actor=actor,
        at=utcnow(),
    )
    session.add(row)
    log_change(
        session,
        decision,
        "review_item",
        item[:60],
        actor=actor,
        audit_id=audit.id,
        detail={"item": item, "comment": comment.strip(), "version": audit.version},
    )
    if decision == "sent_back":
        audit.status = "draft"
        log_change(
            session,
            "send_back",
            "audit",
            audit.id,
            actor=actor,
            audit_id=audit.id,
            detail={"item": item, "comment": comment.strip()},
        )
    session.commit()
    return row


def review_state(session: Session, audit: Audit) -> dict[str, AuditSignoff]:
    """The newest decision on each item of the audit's current version."""
    check(session, VIEW_FINDINGS, audit)
    rows = session.scalars(
        select(AuditSignoff)
        .where(AuditSignoff.audit_id == audit.id, AuditSignoff.version == audit.version)
        .order_by(AuditSignoff.id)
    )
    return {r.item: r for r in rows}


def sent_back_items(session: Session, audit: Audit) -> dict[str, SentBack]:
    """The items of the current version the second auditor has sent back and not signed
    off since: what the lead auditor is to change, by item (a finding key, "analysis",
    "recommendations"). From `review_state`, so the newest decision on each item counts."""
    return {
        item: SentBack(item, row.comment, row.actor, row.at)
        for item, row in review_state(session, audit).items()
        if row.decision == "sent_back"
    }


def review_history(session: Session, audit: Audit) -> list[AuditSignoff]:
    """Every sign-off and send-back of the audit, all versions, oldest first."""
    check(session, VIEW_FINDINGS, audit)
    return list(
        session.scalars(
            select(AuditSignoff).where(AuditSignoff.audit_id == audit.id).order_by(AuditSignoff.id)
        )
    )


def unsigned_items(session: Session, audit: Audit, items: Sequence[str]) -> list[str]:
    """The items of `items` not (or no longer) signed off in this version."""
    check(session, VIEW_FINDINGS, audit)
    state = review_state(session, audit)
    return [i for i in items if i not in state or state[i].decision != "signed_off"]


def issue_version(
    session: Session,
    audit: Audit,
    *,
    actor: str,
    snapshot: Callable[[], dict[str, Any]] | None = None,
    template: bytes | None = None,
    blockers: Sequence[str] = (),
) -> AuditIssue:
    """Make the audit final: the lead auditor confirms, the version is stored and locked.

    `blockers` are what the caller found still undone (unsigned items, unresolved
    moderation, missing recommendations); any at all and nothing changes. `snapshot`
    is called once the audit reads as final (so what it captures says FINAL) and its
    result is kept with the version; if it fails, nothing changes.
    """
    check(session, MANAGE_AUDIT, audit)
    actor = _require_actor(actor)
    check_acting(session, audit, actor)
    _require_status(audit, "in_review", doing="make it final")
    if audit.auditor_1 and actor != audit.auditor_1:
        raise WorkflowError(
            f"only the lead auditor ({audit.auditor_1}) can confirm audit {audit.id} as final"
        )
    if blockers:
        raise WorkflowError(
            f"audit {audit.id} cannot be made final yet:\n"
            + "\n".join(f"  - {b}" for b in blockers)
        )
    reviewers = sorted({r.actor for r in review_state(session, audit).values()})
    issue = AuditIssue(
        audit_id=audit.id,
        version=audit.version,
        issued_at=utcnow(),
        issued_by=actor,
        reviewed_by=", ".join(reviewers),
        reason=_reopen_reason(session, audit),
        template=template,
    )
    session.add(issue)
    audit.status = "final"
    try:
        # the version is in the history (and the audit reads as final) before the
        # snapshot is taken, so the issued report names itself
        with unlocked(session, audit.id):
            session.flush()
            issue.report_context = snapshot() if snapshot is not None else None
            session.flush()
    except BaseException:
        session.rollback()
        raise
    log_change(
        session,
        "finalise",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"version": audit.version},
    )
    session.commit()
    return issue


def _reopen_reason(session: Session, audit: Audit) -> str:
    from sgaudit.store.models import ChangeLog

    row = session.scalar(
        select(ChangeLog)
        .where(
            ChangeLog.audit_id == audit.id,
            ChangeLog.entity == "audit",
            ChangeLog.action == "reopen",
        )
        .order_by(ChangeLog.id.desc())
    )
    if row is None or row.detail.get("version") != audit.version:
        return "first issue" if audit.version == "1.0" else ""
    return str(row.detail.get("reason", ""))


def reopen(session: Session, audit: Audit, *, actor: str, reason: str) -> str:
    """Open a new version of a final audit to change it; returns the new version.

    The issued version stays stored as it was, so its report can still be produced.
    """
    check(session, MANAGE_AUDIT, audit)
    actor = _require_actor(actor)
    check_acting(session, audit, actor)
    _require_status(audit, "final", doing="reopen it")
    if not reason.strip():
        raise WorkflowError(
            "say why the final audit is reopened (the reason; `--reason` on the command line)"
        )
    new = next_version(audit.version)
    with unlocked(session, audit.id):
        audit.status, audit.version = "draft", new
        log_change(
            session,
            "reopen",
            "audit",
            audit.id,
            actor=actor,
            audit_id=audit.id,
            detail={"version": new, "reason": reason.strip()},
        )
        session.commit()
    return new


def issued_versions(session: Session, audit: Audit) -> list[VersionRecord]:
    """The audit's issued versions, oldest first (the report's version history)."""
    check(session, VIEW_AUDIT, audit)
    rows = session.execute(
        select(
            AuditIssue.version,
            AuditIssue.issued_at,
            AuditIssue.issued_by,
            AuditIssue.reviewed_by,
            AuditIssue.reason,
        )
        .where(AuditIssue.audit_id == audit.id)
        .order_by(AuditIssue.id)
    )
    return [VersionRecord(*row) for row in rows]


def issued_version(session: Session, audit: Audit, version: str) -> AuditIssue:
    """One issued version with its report (needs `download_report` on the audit)."""
    check(session, DOWNLOAD_REPORT, audit)
    row = session.scalar(
        select(AuditIssue).where(AuditIssue.audit_id == audit.id, AuditIssue.version == version)
    )
    if row is None:
        issued = [v.version for v in issued_versions(session, audit)]
        raise NotFound(
            f"audit {audit.id} has no issued version {version}; issued: "
            f"{', '.join(issued) if issued else 'none yet'}"
        )
    return row
