"""Accounts and access: roles, actions, the one `can()` check, passwords and sign-in rules.

Pure library code (no database, no streamlit); the store applies it to every read and
write (`sgaudit.store.scope`), and the app and the CLI only ask.
"""

from sgaudit.access.policy import (
    ACTIONS,
    ANONYMOUS,
    GRANTABLE_ROLES,
    LOCAL_ADMIN,
    ROLE_LABELS,
    ROLES,
    AccessDenied,
    Grant,
    Principal,
    can,
    is_final,
    require,
)

__all__ = [
    "ACTIONS",
    "ANONYMOUS",
    "GRANTABLE_ROLES",
    "LOCAL_ADMIN",
    "ROLES",
    "ROLE_LABELS",
    "AccessDenied",
    "Grant",
    "Principal",
    "can",
    "is_final",
    "require",
]
