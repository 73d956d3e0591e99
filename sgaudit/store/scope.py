"""The principal a session works for, and the check every store function makes with it.

A session carries its principal in `session.info`. `session_scope(url)` is the local,
trusted entry (the CLI on the machine holding the store: an admin); the app opens
every session with the signed-in person (`session_scope(url, principal=...)`). A
session with no principal at all may do nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sgaudit.access.policy import ANONYMOUS, Principal, can, require, require_acting

PRINCIPAL = "sgaudit_principal"
ADDRESS = "sgaudit_address"


def principal_of(session: Session) -> Principal:
    """Who this session reads and writes for (nobody, when none was set)."""
    return session.info.get(PRINCIPAL, ANONYMOUS)


def set_principal(session: Session, principal: Principal, address: str = "") -> None:
    session.info[PRINCIPAL] = principal
    if address:
        session.info[ADDRESS] = address
    from sgaudit.store.rls import apply_principal  # PostgreSQL row-level security

    apply_principal(session)


def address_of(session: Session) -> str:
    return session.info.get(ADDRESS, "")


def allowed(session: Session, action: str, resource: Any = None) -> bool:
    return can(principal_of(session), action, resource)


def check(session: Session, action: str, resource: Any = None) -> None:
    """Raise AccessDenied unless the session's principal may do `action` on `resource`."""
    require(principal_of(session), action, resource)


def check_acting(session: Session, audit: Any, actor: str) -> None:
    """Raise AccessDenied unless the session's principal may work as `actor` on `audit`
    (`acting_names`): the one check behind every step signed with an auditor's name."""
    require_acting(principal_of(session), audit, actor)
