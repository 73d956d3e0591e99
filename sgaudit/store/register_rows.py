"""Evidence registers as stored rows (one row per register line)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sgaudit.access.policy import CAPTURE, READ_ANSWERS
from sgaudit.store.changes import log_change
from sgaudit.store.locks import ensure_writable
from sgaudit.store.models import (
    Audit,
    RegisterEntry,
)
from sgaudit.store.scope import check


# ---- registers ------------------------------------------------------------------------
def replace_register(
    session: Session,
    audit: Audit,
    register: str,
    records: Sequence[dict[str, Any]],
    *,
    row_numbers: Sequence[int] | None = None,
    actor: str = "",
    source: str = "",
) -> int:
    """Swap an audit's register for a new import (caller commits: all or nothing).

    `row_numbers` are the rows of the imported file (header = row 1), kept so a later
    problem with a stored record can still be pointed at in the original file.
    The rows go in as one bulk INSERT; the change log gets one entry for the import
    (register, number of rows, `source` file).
    """
    check(session, CAPTURE, audit)
    ensure_writable(session, audit.id, "a register")
    rows = list(row_numbers) if row_numbers is not None else [i + 2 for i in range(len(records))]
    session.execute(
        delete(RegisterEntry).where(
            RegisterEntry.audit_id == audit.id, RegisterEntry.register == register
        )
    )
    if records:
        from sgaudit.store.bulk_registers import insert_register_rows

        insert_register_rows(session, audit.id, register, rows, records)
    log_change(
        session,
        "import",
        "register",
        register,
        actor=actor,
        audit_id=audit.id,
        detail={"rows": len(records), **({"file": source} if source else {})},
    )
    session.flush()
    return len(records)


def register_records(session: Session, audit: Audit) -> dict[str, list[dict[str, Any]]]:
    check(session, READ_ANSWERS, audit)
    rows = session.execute(
        select(RegisterEntry.register, RegisterEntry.data)
        .where(RegisterEntry.audit_id == audit.id)
        .order_by(RegisterEntry.register, RegisterEntry.row_number)
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for register, data in rows:
        out.setdefault(register, []).append(data)
    return out
