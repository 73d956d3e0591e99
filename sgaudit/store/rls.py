"""PostgreSQL row-level security: tell the server, per transaction, who is asking.

The policies (migration i12_row_security) read `sgaudit.user_id` and
`sgaudit.is_admin`; every transaction a session begins sets both with
`set_config(..., true)` (the same as SET LOCAL), so a pooled connection never keeps
the previous person's identity. On SQLite this does nothing.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.orm import Session


def _settings(session: Session) -> tuple[str, str]:
    from sgaudit.store.scope import principal_of

    p = principal_of(session)
    return (str(p.user_id) if p.user_id is not None else "", "on" if p.is_admin else "off")


@event.listens_for(Session, "after_begin")
def _set_local_principal(session: Session, _transaction, connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    user_id, is_admin = _settings(session)
    connection.execute(
        text(
            "SELECT set_config('sgaudit.user_id', :uid, true), "
            "set_config('sgaudit.is_admin', :adm, true)"
        ),
        {"uid": user_id, "adm": is_admin},
    )


def apply_principal(session: Session) -> None:
    """Re-send the principal if a transaction is already open (it changed mid-way)."""
    if session.in_transaction():
        conn = session.connection()
        _set_local_principal(session, None, conn)
