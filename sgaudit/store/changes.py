"""The audit trail's write side, and the alphabet of respondent codes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sgaudit.store.models import (
    ChangeLog,
)

TIER_CODE_PREFIX = {
    "service_user": "SU",
    "front_line": "FL",
    "manager": "MG",
    "dsl": "DS",
    "senior_leader": "SL",
    "board": "BD",
}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def log_change(
    session: Session,
    action: str,
    entity: str,
    entity_id: Any,
    *,
    actor: str = "",
    audit_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one line to the audit trail (committed with the caller's transaction)."""
    session.add(
        ChangeLog(
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            actor=actor,
            audit_id=audit_id,
            detail=detail or {},
        )
    )
