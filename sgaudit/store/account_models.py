"""ORM models of who may use the store and what they did: accounts, role grants, the
append-only audit trail, sign-in attempts and the one-time set-up link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sgaudit.store.model_base import Base, utcnow


class User(Base):
    """An sgaudit account. Admin is a property of the account; other roles are grants."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", order_by="RoleGrant.id", cascade="all, delete-orphan"
    )


class RoleGrant(Base):
    """A role given to a user on an organisation, or (with audit_id) on one of its audits."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "organisation_id", "audit_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(200), default="")
    user: Mapped[User] = relationship(back_populates="grants")


class AuditEvent(Base):
    """One line of the append-only trail: who saw or changed what, when, from where.

    For a change, `detail` holds the old and new values, except a note's text, which
    is recorded only as changed. The database refuses updates, and deletes outside
    `sgaudit audit-log prune`.
    """

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(Integer)
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    audit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LoginAttempt(Base):
    """Sign-in attempts, kept to throttle guessing per account and per address."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(320), index=True)
    address: Mapped[str] = mapped_column(String(100), default="", index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class SetupToken(Base):
    """The one-time link that lets the first person create the admin of an empty store."""

    __tablename__ = "setup_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
