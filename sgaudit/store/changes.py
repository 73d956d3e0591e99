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
    "self_assessment": "SA",
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
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note_changed: bool = False,
) -> None:
    """Record a change: one line in the change log and one event in the trail.

    Both are written with the caller's transaction. The trail gets the old and new
    values when the caller gives them, and for a note only that it changed.
    """
    from sgaudit.store.trail import record_event

    event_detail: dict[str, Any] = {"what": action}
    if old is not None or new is not None:
        before, after = old or {}, new or {}
        event_detail["changes"] = {
            k: {"old": before.get(k), "new": after.get(k)}
            for k in dict.fromkeys([*before, *after])
            if before.get(k) != after.get(k)
        }
    elif detail:
        event_detail["values"] = detail
    if note_changed:
        event_detail["note"] = "changed"
    if actor:
        event_detail["as"] = actor
    record_event(
        session,
        action if action in ("import", "erase") else "change",
        audit_id=audit_id,
        entity=entity,
        entity_id=entity_id,
        detail=event_detail,
    )
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
