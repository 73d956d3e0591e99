"""The append-only audit trail: who saw and changed what, when, and from where.

`record_event` is the only writer. A note's text never enters the trail: any `note`
in the detail is recorded as "changed". Export is formula-safe CSV; pruning follows
the retention set in data (`sgaudit/access/settings.yaml`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sgaudit.access.policy import MANAGE_USERS, VIEW_HISTORY
from sgaudit.store.models import Audit, AuditEvent, utcnow
from sgaudit.store.scope import address_of, check, principal_of

#: Reads the trail records explicitly (the pages and the library call `record_read`).
READ_EVENTS = (
    "view_dashboard",
    "view_findings",
    "view_interviews",
    "view_roll_up",
    "download_report",
    "export",
)
#: Every action the trail records (docs/security.md describes each).
EVENT_ACTIONS = (
    "login",
    "failed_login",
    "logout",
    *READ_EVENTS,
    "import",
    "change",
    "erase",
    "grant",
    "revoke",
    "prune",
)
MASKED_KEYS = ("note", "notes")
CSV_COLUMNS = (
    "at",
    "actor",
    "user_id",
    "organisation_id",
    "audit_id",
    "action",
    "entity",
    "entity_id",
    "address",
    "detail",
)


def _masked(detail: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if key in MASKED_KEYS:
            out[key] = "changed"
        elif isinstance(value, dict):
            out[key] = _masked(value)
        else:
            out[key] = value
    return out


def record_event(
    session: Session,
    action: str,
    *,
    audit: Audit | None = None,
    audit_id: int | None = None,
    organisation_id: int | None = None,
    entity: str = "",
    entity_id: Any = "",
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
    user_id: int | None = None,
) -> None:
    """Append one event, written with the caller's transaction (committed with it)."""
    if action not in EVENT_ACTIONS:
        raise ValueError(f"unknown trail action '{action}'")
    if audit is None and audit_id is not None:
        audit = session.get(Audit, audit_id)
    if audit is not None:
        audit_id = audit.id
        organisation_id = audit.organisation_id
    principal = principal_of(session)
    session.add(
        AuditEvent(
            at=utcnow(),
            actor=actor if actor is not None else principal.name,
            user_id=user_id if user_id is not None else principal.user_id,
            organisation_id=organisation_id,
            audit_id=audit_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            address=address_of(session),
            detail=_masked(detail),
        )
    )


def record_read(session: Session, action: str, audit: Audit) -> None:
    """Record that the session's principal opened something of `audit` (and commit)."""
    record_reads(session, action, [audit])


def record_reads(session: Session, action: str, audits: Sequence[Audit]) -> None:
    """One read event per audit of `audits`, committed together (a partnership roll-up of
    200 members: one commit, not 200)."""
    if action not in READ_EVENTS:
        raise ValueError(f"'{action}' is not a recorded read")
    for audit in audits:
        record_event(session, action, audit=audit, entity="audit", entity_id=audit.id)
    session.commit()


def events(
    session: Session,
    *,
    organisation_id: int | None = None,
    audit: Audit | None = None,
    since: datetime | None = None,
) -> list[AuditEvent]:
    """Events, oldest first. An audit's own history needs `view_history` on it (its lead
    auditor); the whole trail, or an organisation's, needs an admin."""
    q = select(AuditEvent).order_by(AuditEvent.id)
    if audit is not None:
        check(session, VIEW_HISTORY, audit)
        q = q.where(AuditEvent.audit_id == audit.id)
    else:
        check(session, MANAGE_USERS)
    if organisation_id is not None:
        q = q.where(AuditEvent.organisation_id == organisation_id)
    if since is not None:
        q = q.where(AuditEvent.at >= since)
    return list(session.scalars(q))


def _formula_safe(value: Any) -> Any:
    from sgaudit.safe_csv import neutralise_formula

    return neutralise_formula(str(value))


def export_events(
    session: Session,
    path: str | Path,
    *,
    organisation_id: int | None = None,
    since: datetime | None = None,
) -> int:
    """Write the trail to CSV (formula-safe) and return the number of events."""
    import json

    rows = events(session, organisation_id=organisation_id, since=since)
    out = Path(path)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for e in rows:
            values = [getattr(e, c) for c in CSV_COLUMNS[:-1]]
            values.append(json.dumps(e.detail, ensure_ascii=False, sort_keys=True))
            writer.writerow([_formula_safe("" if v is None else v) for v in values])
    return len(rows)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Events older than this may be pruned: the audit's retention period plus extra years."""
    from sgaudit.access.settings import access_settings

    trail = access_settings().trail
    years = trail.audit_retention_years + trail.extra_years
    return (now or utcnow()) - timedelta(days=round(365.25 * years))


def prune_events(session: Session, *, now: datetime | None = None) -> int:
    """Delete events past retention (admin only), leave one 'prune' event, and commit."""
    from sqlalchemy import func, text

    check(session, MANAGE_USERS)
    cutoff = retention_cutoff(now)
    n = session.scalar(select(func.count()).where(AuditEvent.at < cutoff)) or 0
    # The database refuses deletes from the trail unless this marker row exists in the
    # same transaction; it is removed again before the commit.
    session.execute(text("INSERT INTO audit_event_prune (id) VALUES (1)"))
    session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff))
    session.execute(text("DELETE FROM audit_event_prune"))
    record_event(session, "prune", detail={"before": cutoff.isoformat(), "deleted": n})
    session.commit()
    return n


#: The permission each recorded read needs.
READ_PERMISSION = {
    "view_dashboard": "view_dashboard",
    "view_findings": "view_findings",
    "view_interviews": "read_answers",
    "view_roll_up": "view_aggregates",
    "download_report": "download_report",
    "export": "export",
}


def open_for(session: Session, action: str, audit_id: int | str) -> Audit:
    """The audit, after checking the principal may do the read `action` on it, which is
    then recorded in the trail (one event). Reports, exports and pages go through it."""
    from sgaudit.store.audits import get_audit

    audit = get_audit(session, audit_id)
    check(session, READ_PERMISSION[action], audit)
    record_read(session, action, audit)
    return audit
