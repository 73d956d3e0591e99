"""Passwords: the NCSC's rules (length over complexity, a deny-list) and Argon2id hashes.

Hashing uses argon2-cffi's `PasswordHasher` (Argon2id, RFC 9106 low-memory profile),
which also tells us when a stored hash was made with weaker parameters and should be
re-made at the next sign-in.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sgaudit.access.settings import access_settings
from sgaudit.errors import SgauditError

DENY_LIST = Path(__file__).resolve().parent / "common_passwords.txt"
_hasher = PasswordHasher()
# Verified against when an account does not exist, so a wrong name costs the same
# time as a wrong password and timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("sgaudit: no such account")


class WeakPassword(SgauditError):
    """A password that breaks the password rules; the message says which rule."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = DENY_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def _core(password: str) -> str:
    """The password without trailing digits and symbols, as people pad a common word."""
    return re.sub(r"[\d\W_]+$", "", password.lower())


def password_problem(password: str, *, username: str = "", email: str = "") -> str | None:
    """Why `password` may not be used, in plain words, or None when it may."""
    rules = access_settings().password
    if len(password) < rules.min_length:
        return (
            f"use at least {rules.min_length} characters; a few unrelated words make a "
            "long password that is easy to remember"
        )
    if len(password) > rules.max_length:
        return f"use at most {rules.max_length} characters"
    lowered = password.lower()
    common = common_passwords()
    if lowered in common or _core(password) in common:
        return "this password is on the list of common passwords that are tried first"
    if len(set(lowered)) <= 2:
        return "this password repeats one or two characters"
    for part in (username, email.split("@")[0] if email else ""):
        if part and len(part) >= 3 and part.lower() in lowered:
            return "the password must not contain the account name"
    return None


def check_password_rules(password: str, *, username: str = "", email: str = "") -> None:
    problem = password_problem(password, username=username, email=email)
    if problem:
        raise WeakPassword(f"password refused: {problem}")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no hash, spends the same time and says no."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
