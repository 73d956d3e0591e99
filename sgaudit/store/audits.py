"""Audits: creation, status, question set and framework snapshots, carried-over actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, object_session, selectinload

from sgaudit.access.policy import CREATE_AUDIT, MANAGE_AUDIT, VIEW_AUDIT
from sgaudit.errors import NotFound, SgauditError
from sgaudit.store.answer_counts import counts_by_audit, fieldwork_by_audit
from sgaudit.store.changes import log_change
from sgaudit.store.models import (
    Audit,
    Organisation,
    Recommendation,
)
from sgaudit.store.scope import allowed, check
from sgaudit.vocab import AUDIT_STATUSES, LEGACY_AUDIT_STATUSES, SCOPES

if TYPE_CHECKING:  # the question sets (YAML, pydantic) load when one is opened
    from sgaudit.fieldwork import Fieldwork
    from sgaudit.questionnaire import QuestionSet


# ---- audits ---------------------------------------------------------------------------
def create_audit(
    session: Session,
    org: Organisation,
    title: str,
    question_set: QuestionSet,
    *,
    start_date: date | None = None,
    end_date: date | None = None,
    auditor_1: str = "",
    auditor_2: str = "",
    scope: str = "both",
    previous_audit: Audit | None = None,
    framework: Any = None,
    actor: str = "",
) -> Audit:
    """A new audit with a snapshot of the exact question set it uses.

    `framework` (a `sgaudit.registers.Framework`) is the role-group training framework
    its registers are checked against; a re-audit without one keeps the previous
    audit's, so training compliance is measured the same way both times.
    """
    check(session, CREATE_AUDIT, org)
    if not title.strip():
        raise SgauditError("an audit needs a title")
    if scope not in SCOPES:
        raise SgauditError(f"scope must be one of {', '.join(SCOPES)}, not '{scope}'")
    if start_date and end_date and end_date < start_date:
        raise SgauditError("the audit's end date is before its start date")
    if previous_audit is not None and previous_audit.organisation_id != org.id:
        raise SgauditError("a re-audit must be of the same organisation as the previous audit")
    audit = Audit(
        organisation=org,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        auditor_1=auditor_1.strip(),
        auditor_2=auditor_2.strip(),
        scope=scope,
        status="draft",
        question_set_id=question_set.id,
        question_set_version=question_set.version,
        question_set_snapshot=question_set.snapshot(),
        previous_audit_id=previous_audit.id if previous_audit else None,
    )
    if framework is not None:
        audit.framework_id, audit.framework_snapshot = framework.id, framework.snapshot()
    elif previous_audit is not None:
        audit.framework_id = previous_audit.framework_id
        audit.framework_snapshot = previous_audit.framework_snapshot
    session.add(audit)
    session.flush()
    log_change(
        session,
        "create",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"title": audit.title, "question_set": f"{question_set.id} v{question_set.version}"},
    )
    if previous_audit is not None:
        carry_over_recommendations(session, previous_audit, audit)
    return audit


def carry_over_recommendations(session: Session, previous: Audit, audit: Audit) -> int:
    """Copy the previous audit's recommendations into the re-audit for follow-up."""
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.audit_id == previous.id)
        .order_by(Recommendation.id)
    ).all()
    for r in recs:
        session.add(
            Recommendation(
                audit_id=audit.id,
                theme=r.theme,
                text=r.text,
                priority=r.priority,
                owner=r.owner,
                due_date=r.due_date,
                finding_key=r.finding_key,
                carried_from_id=r.id,
                follow_up="",
                measure=r.measure or "",
            )
        )
    session.flush()
    return len(recs)


def get_audit(session: Session, audit_id: int | str) -> Audit:
    """The audit, if the session's principal may see it (AccessDenied if not)."""
    audit = _get_audit(session, audit_id)
    check(session, VIEW_AUDIT, audit)
    return audit


def _get_audit(session: Session, audit_id: int | str) -> Audit:
    try:
        key = int(audit_id)
    except (TypeError, ValueError):
        raise NotFound(f"audit id must be a number, not '{audit_id}'") from None
    audit = session.get(Audit, key)
    if audit is None:
        raise NotFound(f"no audit with id {audit_id}")
    return audit


def check_comparable(before: Audit, after: Audit, error: type[SgauditError] = SgauditError) -> None:
    """Refuses (with `error`) to set an audit against itself or against another
    organisation's: a comparison and a report's change section are of one organisation,
    the earlier audit against the later."""
    if before.id == after.id:
        raise error("an audit cannot be compared with itself; give the earlier audit")
    if before.organisation_id != after.organisation_id:
        raise error(
            f"audit {before.id} is of {before.organisation.name} and audit {after.id} of "
            f"{after.organisation.name}; only audits of one organisation can be compared"
        )


def list_audits(session: Session, org: Organisation | None = None) -> list[Audit]:
    """Every audit (or one organisation's), oldest first, with its organisation.

    The question-set and framework snapshots (about 160 KB of JSON each) are left in
    the database: a list does not need them, and `audit_question_set` loads the
    snapshot when an audit is opened.
    """
    q = (
        select(Audit)
        .options(
            selectinload(Audit.organisation),
            defer(Audit.question_set_snapshot),
            defer(Audit.framework_snapshot),
        )
        .order_by(Audit.id)
    )
    if org is not None:
        q = q.where(Audit.organisation_id == org.id)
    return [a for a in session.scalars(q) if allowed(session, VIEW_AUDIT, a)]


@dataclass(frozen=True)
class AuditRef:
    """What the access check needs of an audit, without reading its big snapshots."""

    id: int
    organisation_id: int
    status: str


def audit_ref(session: Session, audit_id: int | str, action: str = VIEW_AUDIT) -> AuditRef:
    """The audit's id, organisation and status, after checking `action` on it."""
    try:
        key = int(audit_id)
    except (TypeError, ValueError):
        raise NotFound(f"audit id must be a number, not '{audit_id}'") from None
    row = session.execute(
        select(Audit.id, Audit.organisation_id, Audit.status).where(Audit.id == key)
    ).one_or_none()
    if row is None:
        raise NotFound(f"no audit with id {audit_id}")
    ref = AuditRef(*row)
    check(session, action, ref)
    return ref


def set_audit_status(session: Session, audit: Audit, status: str, *, actor: str = "") -> None:
    """Move an audit between draft and in review. Final is reached only through the
    workflow (`sgaudit.issuing.finalise`), which needs the lead auditor and stores the
    issued version; a final audit is left only by reopening it as a new version."""
    check(session, MANAGE_AUDIT, audit)
    status = LEGACY_AUDIT_STATUSES.get(status, status)
    if status not in AUDIT_STATUSES:
        raise SgauditError(f"status must be one of {', '.join(AUDIT_STATUSES)}")
    if status == audit.status:
        return
    if status == "final":
        raise SgauditError(
            f"audit {audit.id} becomes final only when the lead auditor confirms it after review "
            f"(Review & sign-off, or sgaudit audit finalise {audit.id} --as NAME)"
        )
    old, audit.status = audit.status, status
    log_change(
        session,
        "status",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"status": status},
        old={"status": old},
        new={"status": status},
    )


def set_audit_framework(session: Session, audit: Audit, framework: Any, *, actor: str = "") -> None:
    """Check this audit's training register against `framework` (a registers.Framework)."""
    check(session, MANAGE_AUDIT, audit)
    audit.framework_id = framework.id if framework is not None else None
    audit.framework_snapshot = framework.snapshot() if framework is not None else None
    log_change(
        session,
        "framework",
        "audit",
        audit.id,
        actor=actor,
        audit_id=audit.id,
        detail={"framework": audit.framework_id},
    )
    session.flush()


_snapshot_cache: dict[tuple[str, int, str, int], QuestionSet] = {}


def audit_question_set(audit: Audit) -> QuestionSet:
    """The question set the audit was created with (from its snapshot, cached)."""
    # Keyed by database too: audit 1 of one store is not audit 1 of another (tests,
    # archive import into a second store in the same process).
    session = object_session(audit)
    store = str(session.get_bind().url) if session is not None else ""
    key = (store, audit.id, audit.question_set_id, audit.question_set_version)
    qs = _snapshot_cache.get(key)
    if qs is None:
        from sgaudit.questionnaire import question_set_from_snapshot

        qs = question_set_from_snapshot(audit.question_set_snapshot)
        _snapshot_cache[key] = qs
    return qs


def audit_counts(session: Session, audit: Audit) -> dict[str, int]:
    """How many interviews and answers the audit holds (the answers as the store keeps
    them per interview, see `store/answer_counts.py`)."""
    check(session, VIEW_AUDIT, audit)
    return counts_by_audit(session, [audit.id])[audit.id]


def audit_fieldwork(session: Session, audit: Audit) -> Fieldwork:
    """What the audit's fieldwork adds up to (`sgaudit.fieldwork`): sessions, people
    heard, document reviews, the self-assessment, and the records not counted. The one
    count every screen shows under the same names."""
    return audits_fieldwork(session, [audit])[audit.id]


def audits_fieldwork(session: Session, audits: list[Audit]) -> dict[int, Fieldwork]:
    """`audit_fieldwork` of many audits in one grouped query over their interviews."""
    for audit in audits:
        check(session, VIEW_AUDIT, audit)
    return fieldwork_by_audit(session, [a.id for a in audits])


def audits_counts(session: Session, audits: list[Audit]) -> dict[int, dict[str, int]]:
    """`audit_counts` of many audits in one grouped query over their interviews."""
    for audit in audits:
        check(session, VIEW_AUDIT, audit)
    return counts_by_audit(session, [a.id for a in audits])
