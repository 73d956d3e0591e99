"""Accounts and role grants: `sgaudit user ...`, the app's admin page, and the first admin.

Managing accounts needs an admin; a lead auditor may also assign auditors to the
audits they lead. Every grant and revoke is in the trail.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from sgaudit.access.passwords import check_password_rules, hash_password
from sgaudit.access.policy import (
    AUDITOR,
    GRANTABLE_ROLES,
    MANAGE_AUDIT,
    MANAGE_USERS,
    Grant,
    Principal,
)
from sgaudit.errors import NotFound, SgauditError
from sgaudit.store.models import Audit, Organisation, RoleGrant, SetupToken, User, utcnow
from sgaudit.store.scope import allowed, check
from sgaudit.store.trail import record_event


def _clean_name(username: str) -> str:
    name = (username or "").strip().lower()
    if not name or len(name) > 120 or any(c.isspace() for c in name):
        raise SgauditError("an account name is one word of 1 to 120 characters")
    return name


def _clean_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise SgauditError(f"'{email}' is not an e-mail address")
    return email


def _create_user(
    session: Session, username: str, password: str | None, *, email: str | None, is_admin: bool
) -> User:
    name, mail = _clean_name(username), _clean_email(email)
    if session.scalar(select(User.id).where(User.username == name)):
        raise SgauditError(f"an account called '{name}' already exists")
    if mail and session.scalar(select(User.id).where(User.email == mail)):
        raise SgauditError(f"another account already uses {mail}")
    if password is None and mail is None:
        raise SgauditError("an account needs a password, or an e-mail address for single sign-on")
    if password is not None:
        check_password_rules(password, username=name, email=mail or "")
    user = User(
        username=name,
        email=mail,
        password_hash=hash_password(password) if password is not None else None,
        is_admin=is_admin,
        password_changed_at=utcnow() if password is not None else None,
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        "change",
        entity="user",
        entity_id=name,
        detail={"created": {"email": mail, "admin": is_admin}},
    )
    return user


def add_user(
    session: Session,
    username: str,
    password: str | None,
    *,
    email: str | None = None,
    is_admin: bool = False,
) -> User:
    """A new account (admin only). Without a password it can sign in only by single sign-on."""
    check(session, MANAGE_USERS)
    user = _create_user(session, username, password, email=email, is_admin=is_admin)
    session.commit()
    return user


def list_users(session: Session) -> list[User]:
    check(session, MANAGE_USERS)
    return list(
        session.scalars(select(User).options(selectinload(User.grants)).order_by(User.username))
    )


def get_user(session: Session, username: str) -> User:
    """An account by name (admin only)."""
    check(session, MANAGE_USERS)
    return _user_by_name(session, username)


def _user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == (username or "").strip().lower()))
    if user is None:
        raise NotFound(f"no account '{username}'")
    return user


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    check(session, MANAGE_USERS)
    user = _user_by_name(session, username)
    old = user.disabled
    user.disabled = disabled
    record_event(
        session,
        "change",
        entity="user",
        entity_id=user.username,
        detail={"disabled": {"old": old, "new": disabled}},
    )
    session.commit()
    return user


def reset_password(session: Session, username: str, password: str) -> User:
    """Set a new password (admin only); the trail says it changed, never what to."""
    check(session, MANAGE_USERS)
    user = _user_by_name(session, username)
    check_password_rules(password, username=user.username, email=user.email or "")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    record_event(
        session, "change", entity="user", entity_id=user.username, detail={"password": "changed"}
    )
    session.commit()
    return user


def _grant_target(
    session: Session, organisation: Organisation | None, audit: Audit | None
) -> tuple[int, int | None]:
    if audit is not None:
        if organisation is not None and audit.organisation_id != organisation.id:
            raise SgauditError(f"audit #{audit.id} is not an audit of {organisation.name}")
        return audit.organisation_id, audit.id
    if organisation is None:
        raise SgauditError("a role is granted on an organisation or on one of its audits")
    return organisation.id, None


def _may_grant(session: Session, role: str, audit: Audit | None) -> None:
    # A lead auditor assigns auditors to the audits they lead; everything else is an admin's.
    if role == AUDITOR and audit is not None and allowed(session, MANAGE_AUDIT, audit):
        return
    check(session, MANAGE_USERS)


def _same_grant(user: User, role: str, org_id: int | None, audit_id: int | None):
    """The grants of `role` to `user` on exactly this organisation or audit."""
    return select(RoleGrant).where(
        RoleGrant.user_id == user.id,
        RoleGrant.role == role,
        RoleGrant.organisation_id == org_id,
        RoleGrant.audit_id.is_(None) if audit_id is None else RoleGrant.audit_id == audit_id,
    )


def grant_role(
    session: Session,
    username: str,
    role: str,
    *,
    organisation: Organisation | None = None,
    audit: Audit | None = None,
) -> RoleGrant:
    """Give `username` a role on an organisation (all its audits) or on one audit."""
    if role not in GRANTABLE_ROLES:
        raise SgauditError(f"role must be one of {', '.join(GRANTABLE_ROLES)}, not '{role}'")
    _may_grant(session, role, audit)
    user = _user_by_name(session, username)
    org_id, audit_id = _grant_target(session, organisation, audit)
    existing = session.scalar(_same_grant(user, role, org_id, audit_id))
    if existing is not None:
        return existing
    from sgaudit.store.scope import principal_of

    row = RoleGrant(
        user_id=user.id,
        role=role,
        organisation_id=org_id,
        audit_id=audit_id,
        granted_by=principal_of(session).name,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        "grant",
        audit_id=audit_id,
        organisation_id=org_id,
        entity="user",
        entity_id=user.username,
        detail={"role": role},
    )
    session.commit()
    return row


def revoke_role(
    session: Session,
    username: str,
    role: str,
    *,
    organisation: Organisation | None = None,
    audit: Audit | None = None,
) -> int:
    """Take a role away; returns how many grants were removed (0 when there was none)."""
    _may_grant(session, role, audit)
    user = _user_by_name(session, username)
    org_id, audit_id = _grant_target(session, organisation, audit)
    rows = session.scalars(_same_grant(user, role, org_id, audit_id)).all()
    for row in rows:
        session.delete(row)
    if rows:
        record_event(
            session,
            "revoke",
            audit_id=audit_id,
            organisation_id=org_id,
            entity="user",
            entity_id=user.username,
            detail={"role": role},
        )
    session.commit()
    return len(rows)


def principal_for(user: User) -> Principal:
    """The principal of an account, with its grants as they stand now."""
    return Principal(
        name=user.username,
        user_id=user.id,
        is_admin=user.is_admin,
        grants=tuple(Grant(g.role, g.organisation_id, g.audit_id) for g in user.grants),
    )


def load_principal(session: Session, username: str) -> Principal:
    """The principal of an enabled account (CLI `--user`, a signed-in app session).

    Raises NotFound for an unknown or disabled account, in the same words for both.
    """
    user = session.scalar(
        select(User)
        .options(selectinload(User.grants))
        .where(User.username == (username or "").strip().lower())
    )
    if user is None or user.disabled:
        raise NotFound(f"no enabled account '{username}'")
    return principal_for(user)


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


# ---- the first admin, through a one-time link -------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_setup_token(session: Session) -> str | None:
    """A fresh one-time set-up token while the store has no account (else None).

    Earlier tokens stop working: only the link printed last is valid.
    """
    if count_users(session):
        return None
    for old in session.scalars(select(SetupToken).where(SetupToken.used_at.is_(None))):
        old.used_at = utcnow()
    token = secrets.token_urlsafe(24)
    session.add(SetupToken(token_hash=_token_hash(token)))
    session.commit()
    return token


def setup_link_pending(session: Session) -> bool:
    """Whether an unused set-up link exists (printed earlier) while the store has no account."""
    if count_users(session):
        return False
    return session.scalar(select(SetupToken.id).where(SetupToken.used_at.is_(None))) is not None


def setup_token_valid(session: Session, token: str) -> bool:
    if not token or count_users(session):
        return False
    return (
        session.scalar(
            select(SetupToken.id).where(
                SetupToken.token_hash == _token_hash(token), SetupToken.used_at.is_(None)
            )
        )
        is not None
    )


def create_first_admin(
    session: Session, token: str, username: str, password: str, *, email: str | None = None
) -> User:
    """Create the first admin with the one-time token; the token is then spent."""
    if not setup_token_valid(session, token):
        raise SgauditError("this set-up link is not valid (it was used, or the store has accounts)")
    user = _create_user(session, username, password, email=email, is_admin=True)
    for row in session.scalars(select(SetupToken).where(SetupToken.used_at.is_(None))):
        row.used_at = utcnow()
    session.commit()
    return user
