"""Optimistic concurrency for answers and finding reviews: no change is lost unseen.

Each answer and finding review carries a revision, bumped by every update (SQLAlchemy's
version counter: the UPDATE names the revision it was made from, so a write racing
another matches no row). A writer that says which revision it opened
(`expected_revision`) is refused with `EditConflict` when the item has moved on since,
and is shown the stored version to choose from. Revision 0 means "I saw no answer".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from sgaudit.errors import EditConflict

VERSION_FIELDS = ("answer", "note", "quotable", "status", "summary", "severity")


def stored_version(row: Any) -> dict[str, Any] | None:
    """The fields of a stored answer or finding review a writer chooses between."""
    if row is None:
        return None
    out = {f: getattr(row, f) for f in VERSION_FIELDS if hasattr(row, f)}
    out.update(
        revision=row.revision,
        updated_by=row.updated_by,
        updated_at=row.updated_at.isoformat(timespec="seconds") if row.updated_at else None,
    )
    return out


def require_revision(row: Any, expected: int | None, what: str) -> None:
    """Refuse a write made from an older revision than the one stored."""
    if expected is None:
        return
    current = row.revision if row is not None else 0
    if current != expected:
        raise EditConflict(what, stored_version(row))


def flush_or_conflict(session: Session, what: str, reread: Callable[[], Any]) -> None:
    """Flush; when another writer got there first (a stale revision, or both inserting
    the same new row), roll back and raise EditConflict with the version now stored."""
    try:
        session.flush()
    except (StaleDataError, IntegrityError) as exc:
        if isinstance(exc, IntegrityError) and "unique" not in str(exc.orig).lower():
            raise
        session.rollback()
        raise EditConflict(what, stored_version(reread())) from None
