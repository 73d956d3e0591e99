"""A final audit is locked: every write to it through the store is refused. While an
audit is in review, what the second auditor signs off (findings, the auditors'
analysis, recommendations) is locked too.

One guard, on every session's flush, rather than a check in each repository
function: answers, interviews, findings reviews, recommendations, register rows and
the audit's own fields are all refused once the audit is final, whichever function
(or page, or import) tries. The workflow (`sgaudit.store.workflow`) lifts the lock
for the one change it makes itself: reopening the audit as a new version.

An audit created in the same transaction is not yet issued, so restoring a final
audit from an archive (or building the demo's) can still fill it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sgaudit.errors import AuditLocked
from sgaudit.store.models import (
    Audit,
    AuditIssue,
    AuditorAnalysis,
    AuditSignoff,
    FieldworkPlan,
    FindingReview,
    Interview,
    Moderation,
    Recommendation,
    RegisterEntry,
    Response,
    SecondScore,
)

# What the second auditor signs off: changed while the audit is in review, a sign-off
# would stand for words or recommendations the reviewer never saw.
SIGNED_OFF_PARTS = frozenset({"a finding", "a recommendation", "the auditors' analysis"})
_UNLOCKED = "sgaudit_unlocked_audits"
_CREATED = "sgaudit_created_audits"


@contextmanager
def unlocked(session: Session, audit_id: int) -> Iterator[None]:
    """Let the workflow itself change a final audit (reopen, issue) inside this block."""
    ids = session.info.setdefault(_UNLOCKED, set())
    ids.add(audit_id)
    try:
        yield
    finally:
        ids.discard(audit_id)


def _touched_audits(session: Session) -> dict[int, str]:
    """Audit id -> what is being written, for everything pending in this flush."""
    out: dict[int, str] = {}
    interview_ids: dict[int, str] = {}
    dirty = [o for o in session.dirty if session.is_modified(o)]
    for obj in (*session.new, *dirty, *session.deleted):
        if isinstance(obj, Audit):
            if obj.id is not None and obj not in session.new:
                out.setdefault(obj.id, "the audit's details")
        elif isinstance(obj, Interview):
            if obj.audit_id is not None:
                out.setdefault(obj.audit_id, "an interview")
        elif isinstance(obj, Response | SecondScore | Moderation):
            what = {Response: "an answer", SecondScore: "a second score"}.get(
                type(obj), "a moderated score"
            )
            parent = getattr(obj, "interview", None)
            if parent is not None and parent.audit_id is not None:
                out.setdefault(parent.audit_id, what)
            elif obj.interview_id is not None:
                interview_ids.setdefault(obj.interview_id, what)
        elif isinstance(
            obj,
            FindingReview
            | Recommendation
            | RegisterEntry
            | AuditSignoff
            | AuditorAnalysis
            | FieldworkPlan,
        ):
            if obj.audit_id is not None:
                what = {
                    AuditorAnalysis: "the auditors' analysis",
                    FieldworkPlan: "the fieldwork plan",
                    FindingReview: "a finding",
                    Recommendation: "a recommendation",
                    RegisterEntry: "a register",
                    AuditSignoff: "a sign-off",
                }[type(obj)]
                out.setdefault(obj.audit_id, what)
        elif isinstance(obj, AuditIssue) and obj not in session.new:
            out.setdefault(obj.audit_id, "an issued version")
    if interview_ids:
        rows = session.execute(
            select(Interview.id, Interview.audit_id).where(Interview.id.in_(interview_ids))
        )
        for iv_id, audit_id in rows:
            out.setdefault(audit_id, interview_ids[iv_id])
    return out


def _refuse_writes_to_final_audits(session: Session, _context, _instances) -> None:
    with session.no_autoflush:
        touched = _touched_audits(session)
    skip = session.info.get(_UNLOCKED, set()) | session.info.get(_CREATED, set())
    ids = [i for i in touched if i not in skip]
    if not ids:
        return
    with session.no_autoflush:
        final = session.execute(
            select(Audit.id, Audit.title, Audit.version).where(
                Audit.id.in_(ids), Audit.status == "final"
            )
        ).all()
    if final:
        audit_id, title, version = final[0]
        raise AuditLocked(
            f"audit {audit_id} ('{title}') is final (version {version}), so {touched[audit_id]} "
            "cannot be changed; reopen it as a new version first (Review & sign-off, or "
            f"sgaudit audit reopen {audit_id} --reason ...)"
        )
    signed = [i for i in ids if touched[i] in SIGNED_OFF_PARTS]
    if signed:
        with session.no_autoflush:
            in_review = session.execute(
                select(Audit.id, Audit.title).where(
                    Audit.id.in_(signed), Audit.status == "in_review"
                )
            ).first()
        if in_review is not None:
            audit_id, title = in_review
            raise AuditLocked(
                f"audit {audit_id} ('{title}') is in review, so {touched[audit_id]} cannot be "
                "changed: the second auditor is signing off the findings, the analysis and "
                "the recommendations as they stand. The second auditor sends back what is to "
                "change (the audit returns to draft), so nothing signed off changes unseen."
            )


def _remember_created_audits(session: Session, _context) -> None:
    created = [o.id for o in session.new if isinstance(o, Audit)]
    if created:
        session.info.setdefault(_CREATED, set()).update(created)


def _forget_created_audits(session: Session, *_args) -> None:
    session.info.pop(_CREATED, None)


event.listen(Session, "before_flush", _refuse_writes_to_final_audits)
event.listen(Session, "after_flush", _remember_created_audits)
event.listen(Session, "after_commit", _forget_created_audits)
event.listen(Session, "after_soft_rollback", _forget_created_audits)


def ensure_writable(session: Session, audit_id: int, what: str) -> None:
    """The same refusal for bulk writes, which go around the ORM (and so its flush)."""
    if audit_id in session.info.get(_UNLOCKED, set()) | session.info.get(_CREATED, set()):
        return
    row = session.execute(
        select(Audit.title, Audit.version).where(Audit.id == audit_id, Audit.status == "final")
    ).first()
    if row is not None:
        raise AuditLocked(
            f"audit {audit_id} ('{row.title}') is final (version {row.version}), so {what} "
            "cannot be changed; reopen it as a new version first (Review & sign-off, or "
            f"sgaudit audit reopen {audit_id} --reason ...)"
        )
