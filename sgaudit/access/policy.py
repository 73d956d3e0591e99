"""Who may do what: the roles, the actions and the one check, `can(principal, action, resource)`.

Modelled on the role assignments of multi-organisation audit tools: a role is granted
to a person on one organisation (every audit of it) or on one audit of it. An admin
is not a grant but a property of the account. The check is pure (no database), so
the store, the CLI, the app and the tests all ask the same question the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sgaudit.errors import SgauditError

ADMIN = "admin"
LEAD_AUDITOR = "lead_auditor"
AUDITOR = "auditor"
ORGANISATION_VIEWER = "organisation_viewer"
PARTNERSHIP_ANALYST = "partnership_analyst"

#: Roles that can be granted on an organisation or audit (admin belongs to the account).
GRANTABLE_ROLES = (LEAD_AUDITOR, AUDITOR, ORGANISATION_VIEWER, PARTNERSHIP_ANALYST)
ROLES = (ADMIN, *GRANTABLE_ROLES)
ROLE_LABELS = {
    ADMIN: "Admin",
    LEAD_AUDITOR: "Lead auditor",
    AUDITOR: "Auditor",
    ORGANISATION_VIEWER: "Organisation viewer",
    PARTNERSHIP_ANALYST: "Partnership analyst",
}
#: Roles that only ever see an organisation's final audits, and never raw answers.
READERS_OF_FINAL = (ORGANISATION_VIEWER, PARTNERSHIP_ANALYST)

# ---- actions --------------------------------------------------------------------------
# Global (resource None):
MANAGE_USERS = "manage_users"  # accounts, grants, the whole audit trail
MANAGE_ORGANISATIONS = "manage_organisations"  # create organisations, add service areas
MANAGE_QUESTION_SETS = "manage_question_sets"
# On an organisation:
VIEW_ORGANISATION = "view_organisation"
CREATE_AUDIT = "create_audit"
# On an audit:
VIEW_AUDIT = "view_audit"  # it exists: title, organisation, status, dates
VIEW_AGGREGATES = "view_aggregates"  # suppressed scores only
VIEW_DASHBOARD = "view_dashboard"  # the suppressed dashboard
VIEW_FINDINGS = "view_findings"  # findings as reviewed, recommendations
DOWNLOAD_REPORT = "download_report"
READ_ANSWERS = "read_answers"  # interviews, codes, raw answers, notes, register rows
CAPTURE = "capture"  # interviews, answers, consent, sheet and register imports
REVIEW_FINDINGS = "review_findings"  # accept / reword / dismiss findings, recommendations
EXPORT = "export"  # the raw archive and answer sheets leave the store
MANAGE_AUDIT = "manage_audit"  # assign auditors, status (final), framework
VIEW_HISTORY = "view_history"  # the audit's own trail
ERASE = "erase"

ACTIONS = (
    MANAGE_USERS,
    MANAGE_ORGANISATIONS,
    MANAGE_QUESTION_SETS,
    VIEW_ORGANISATION,
    CREATE_AUDIT,
    VIEW_AUDIT,
    VIEW_AGGREGATES,
    VIEW_DASHBOARD,
    VIEW_FINDINGS,
    DOWNLOAD_REPORT,
    READ_ANSWERS,
    CAPTURE,
    REVIEW_FINDINGS,
    EXPORT,
    MANAGE_AUDIT,
    VIEW_HISTORY,
    ERASE,
)
#: Each action in the words a refusal uses ("sam may not <words> on this audit").
ACTION_WORDS: dict[str, str] = {
    MANAGE_USERS: "manage accounts and roles",
    MANAGE_ORGANISATIONS: "set up organisations or their service areas",
    MANAGE_QUESTION_SETS: "change question sets",
    VIEW_ORGANISATION: "see this organisation",
    CREATE_AUDIT: "start an audit of this organisation",
    VIEW_AUDIT: "see this audit",
    VIEW_AGGREGATES: "see this audit's scores",
    VIEW_DASHBOARD: "see this audit's dashboard",
    VIEW_FINDINGS: "see this audit's findings",
    DOWNLOAD_REPORT: "get this audit's report",
    READ_ANSWERS: "read this audit's interviews and answers",
    CAPTURE: "record interviews or answers for this audit",
    REVIEW_FINDINGS: "review this audit's findings",
    EXPORT: "export this audit's answers",
    MANAGE_AUDIT: "make this audit final, reopen it, confirm its opinion or assign its auditors"
    " (the lead auditor's part)",
    VIEW_HISTORY: "see this audit's history",
    ERASE: "erase from this audit",
}
GLOBAL_ACTIONS = (MANAGE_USERS, MANAGE_ORGANISATIONS, MANAGE_QUESTION_SETS)
ORGANISATION_ACTIONS = (VIEW_ORGANISATION, CREATE_AUDIT)

#: What each granted role may do on an audit it covers. (Admin may do everything.)
AUDIT_ACTIONS_BY_ROLE: dict[str, frozenset[str]] = {
    LEAD_AUDITOR: frozenset(
        {
            VIEW_AUDIT,
            VIEW_AGGREGATES,
            VIEW_DASHBOARD,
            VIEW_FINDINGS,
            DOWNLOAD_REPORT,
            READ_ANSWERS,
            CAPTURE,
            REVIEW_FINDINGS,
            EXPORT,
            MANAGE_AUDIT,
            VIEW_HISTORY,
            ERASE,
        }
    ),
    AUDITOR: frozenset(
        {
            VIEW_AUDIT,
            VIEW_AGGREGATES,
            VIEW_DASHBOARD,
            VIEW_FINDINGS,
            DOWNLOAD_REPORT,
            READ_ANSWERS,
            CAPTURE,
            REVIEW_FINDINGS,
        }
    ),
    # Only on final audits (see `can`):
    ORGANISATION_VIEWER: frozenset(
        {VIEW_AUDIT, VIEW_AGGREGATES, VIEW_DASHBOARD, VIEW_FINDINGS, DOWNLOAD_REPORT}
    ),
    PARTNERSHIP_ANALYST: frozenset({VIEW_AUDIT, VIEW_AGGREGATES}),
}
#: What each role may do on an organisation it holds a grant on.
ORGANISATION_ACTIONS_BY_ROLE: dict[str, frozenset[str]] = {
    LEAD_AUDITOR: frozenset({VIEW_ORGANISATION, CREATE_AUDIT}),
    AUDITOR: frozenset({VIEW_ORGANISATION}),
    ORGANISATION_VIEWER: frozenset({VIEW_ORGANISATION}),
    PARTNERSHIP_ANALYST: frozenset({VIEW_ORGANISATION}),
}

FINAL_STATUSES = ("final",)


class AccessDenied(SgauditError):
    """The signed-in person may not do this. Says what was refused, never what exists."""


@dataclass(frozen=True)
class Grant:
    """A role on an organisation (every audit of it) or, with `audit_id`, on one audit."""

    role: str
    organisation_id: int
    audit_id: int | None = None


@dataclass(frozen=True)
class Principal:
    """The person (or the local machine) on whose behalf the store is read and written."""

    name: str
    user_id: int | None = None
    is_admin: bool = False
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    local: bool = False  # the CLI on the machine holding the store (trusted like psql)

    @property
    def roles(self) -> tuple[str, ...]:
        found = [ADMIN] if self.is_admin else []
        found += [g.role for g in self.grants if g.role not in found]
        return tuple(dict.fromkeys(found))


#: The CLI on the machine that holds the store: an admin, as `psql` on the server is.
LOCAL_ADMIN = Principal(name="local admin", is_admin=True, local=True)
#: Nobody signed in: may do nothing.
ANONYMOUS = Principal(name="nobody signed in")


def is_final(audit: Any) -> bool:
    """Whether an audit is final: the one place the rule for organisation viewers lives."""
    return getattr(audit, "status", None) in FINAL_STATUSES


def _org_id(resource: Any) -> int | None:
    if resource is None:
        return None
    if hasattr(resource, "organisation_id"):
        return resource.organisation_id
    return getattr(resource, "id", None)


def _is_audit(resource: Any) -> bool:
    return hasattr(resource, "organisation_id") and hasattr(resource, "status")


def can(principal: Principal | None, action: str, resource: Any = None) -> bool:
    """May `principal` do `action` on `resource` (None, an organisation or an audit)?

    Organisation viewers and partnership analysts see only final audits. An unknown
    action is a programming error, not a refusal.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action '{action}'")
    if principal is None:
        return False
    if principal.is_admin:
        return True
    if action in GLOBAL_ACTIONS or resource is None:
        return False
    org_id = _org_id(resource)
    if action in ORGANISATION_ACTIONS:
        if _is_audit(resource):
            return False
        return any(
            g.organisation_id == org_id and action in ORGANISATION_ACTIONS_BY_ROLE[g.role]
            for g in principal.grants
            if g.audit_id is None or action == VIEW_ORGANISATION
        )
    if not _is_audit(resource):
        return False
    for g in principal.grants:
        if g.organisation_id != org_id:
            continue
        if g.audit_id is not None and g.audit_id != resource.id:
            continue
        if g.role in READERS_OF_FINAL and not is_final(resource):
            continue
        if action in AUDIT_ACTIONS_BY_ROLE[g.role]:
            return True
    return False


def require(principal: Principal | None, action: str, resource: Any = None) -> None:
    """Raise AccessDenied unless `can(principal, action, resource)`."""
    if not can(principal, action, resource):
        who = principal.name if principal is not None else "nobody"
        raise AccessDenied(f"{who} may not {ACTION_WORDS[action]}")


def acting_names(principal: Principal | None, audit: Any) -> tuple[str, ...]:
    """The audit's auditors this person may work as (sign, review, score, moderate as).

    The audit's first auditor is its lead, the second its second auditor: a lead
    auditor's grant on the audit (or its organisation) works as the first, an auditor's
    as the second, so nobody takes the other auditor's part in a blind second scoring or
    a review. An admin, and the CLI on the machine holding the store, may work as
    either (the demo is driven that way). Anyone else works under their own name only.
    """
    names = [n for n in (audit.auditor_1, audit.auditor_2) if n]
    if principal is None:
        return ()
    if principal.is_admin or principal.local:
        return tuple(names)
    roles = {
        g.role
        for g in principal.grants
        if g.organisation_id == audit.organisation_id and g.audit_id in (None, audit.id)
    }
    slots = ((LEAD_AUDITOR, audit.auditor_1), (AUDITOR, audit.auditor_2))
    return tuple(dict.fromkeys(name for role, name in slots if role in roles and name))


def require_acting(principal: Principal | None, audit: Any, actor: str) -> None:
    """Raise AccessDenied unless `principal` may work as `actor` on `audit`: an admin or
    the local CLI as anyone (its `--as NAME`), others as `acting_names` says."""
    if principal is not None and (principal.is_admin or principal.local):
        return
    if (actor or "").strip() not in acting_names(principal, audit):
        who = principal.name if principal is not None else "nobody"
        raise AccessDenied(f"{who} may not act as {actor or 'nobody'} on this audit")
