"""Signing in: passwords checked, guessing throttled, idle sessions ended, single sign-on matched.

Messages never say whether an account exists: a wrong name, a wrong password and a
disabled account all read the same, and attempts on names that do not exist are
throttled like any other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from sgaudit.access.passwords import hash_password, needs_rehash, verify_password
from sgaudit.access.policy import Principal
from sgaudit.access.settings import access_settings
from sgaudit.errors import SgauditError
from sgaudit.store.accounts import principal_for
from sgaudit.store.models import LoginAttempt, User, utcnow
from sgaudit.store.trail import record_event

WRONG = "The account name or password is not right, or the account may not sign in."
NO_SSO_ACCOUNT = "You signed in, but there is no sgaudit account for that e-mail address."


class LoginFailed(SgauditError):
    """A sign-in was refused. The message is safe to show: it reveals no account."""


def _recent_failures(session: Session, now: datetime, **where) -> int:
    window = timedelta(minutes=access_settings().throttle.window_minutes)
    q = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.at >= now - window, LoginAttempt.succeeded.is_(False)
    )
    for column, value in where.items():
        q = q.where(getattr(LoginAttempt, column) == value)
    return session.scalar(q) or 0


def throttled(session: Session, username: str, address: str, now: datetime | None = None) -> bool:
    """Whether sign-in is paused for this account name or this address."""
    rules, now = access_settings().throttle, now or utcnow()
    if _recent_failures(session, now, username=username) >= rules.per_account:
        return True
    return bool(address) and _recent_failures(session, now, address=address) >= rules.per_address


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str = "",
    now: datetime | None = None,
) -> Principal:
    """The principal of the account if the password is right; else LoginFailed.

    Every attempt is kept (for throttling) and leaves one `login` or `failed_login`
    event in the trail. Commits.
    """
    from sgaudit.store.scope import ADDRESS

    now = now or utcnow()
    name = (username or "").strip().lower()[:320]
    if address:
        session.info[ADDRESS] = address
    if throttled(session, name, address, now):
        session.add(LoginAttempt(at=now, username=name, address=address, succeeded=False))
        record_event(
            session,
            "failed_login",
            entity="user",
            entity_id=name,
            detail={"reason": "throttled"},
            actor=name,
            user_id=None,
        )
        session.commit()
        minutes = access_settings().throttle.window_minutes
        raise LoginFailed(f"Too many failed sign-ins. Wait {minutes} minutes and try again.")
    user = session.scalar(
        select(User).options(selectinload(User.grants)).where(User.username == name)
    )
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or user.disabled:
        session.add(LoginAttempt(at=now, username=name, address=address, succeeded=False))
        record_event(
            session, "failed_login", entity="user", entity_id=name, actor=name, user_id=None
        )
        session.commit()
        raise LoginFailed(WRONG)
    if needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    session.add(LoginAttempt(at=now, username=name, address=address, succeeded=True))
    principal = principal_for(user)
    record_event(session, "login", entity="user", entity_id=name, actor=name, user_id=user.id)
    session.commit()
    return principal


def principal_by_email(session: Session, email: str) -> Principal:
    """Single sign-on: the enabled account with this e-mail address, else LoginFailed."""
    mail = (email or "").strip().lower()
    user = (
        session.scalar(select(User).options(selectinload(User.grants)).where(User.email == mail))
        if mail
        else None
    )
    if user is None or user.disabled:
        record_event(
            session,
            "failed_login",
            entity="user",
            entity_id=mail,
            actor=mail,
            detail={"via": "single sign-on"},
            user_id=None,
        )
        session.commit()
        raise LoginFailed(NO_SSO_ACCOUNT)
    record_event(
        session,
        "login",
        entity="user",
        entity_id=user.username,
        actor=user.username,
        detail={"via": "single sign-on"},
        user_id=user.id,
    )
    session.commit()
    return principal_for(user)


def record_logout(session: Session, principal: Principal) -> None:
    record_event(session, "logout", entity="user", entity_id=principal.name)
    session.commit()


def session_expired(last_seen: datetime | None, now: datetime | None = None) -> bool:
    """Whether a signed-in session has been idle longer than the setting allows."""
    if last_seen is None:
        return True
    idle = timedelta(minutes=access_settings().session.idle_minutes)
    return (now or utcnow()) - last_seen > idle
