"""`sgaudit user ...` (accounts and role grants) and `sgaudit audit-log` (the trail).

Thin shell over `sgaudit.store.accounts` and `sgaudit.store.trail`; documented in
docs/cli.md, the roles in docs/security.md.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store
from sgaudit.errors import SgauditError

user_app = typer.Typer(
    help="Accounts: add, list, disable, reset a password, grant and revoke roles.",
    no_args_is_help=True,
)
log_app = typer.Typer(
    help="The audit trail: export it to CSV (formula-safe), prune it past retention.",
    invoke_without_command=True,
)

NameArg = Annotated[str, typer.Argument(help="The account name (one word).")]
RoleArg = Annotated[
    str,
    typer.Argument(help="lead_auditor, auditor, organisation_viewer or partnership_analyst."),
]
OrgOpt = Annotated[
    str | None, typer.Option("--org", help="The organisation (name or id) the role is on.")
]
AuditOpt = Annotated[
    str | None, typer.Option("--audit", help="Only this audit of it (id), not all its audits.")
]
StdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def user_add(
    name: NameArg,
    email: Annotated[
        str | None, typer.Option("--email", help="E-mail address (matched by single sign-on).")
    ] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make the account an admin.")] = False,
    sso_only: Annotated[
        bool, typer.Option("--sso-only", help="No password: sign in by single sign-on only.")
    ] = False,
    password_stdin: StdinOpt = False,
    db: str | None = DB_OPTION,
) -> None:
    """Add an account. Asks for its password twice (at least 12 characters; common passwords are refused)."""
    from sgaudit.store.accounts import add_user

    password = None if sso_only else _password(password_stdin)
    with open_store(db) as s:
        user = add_user(s, name, password, email=email, is_admin=admin)
        typer.echo(f"Added account '{user.username}'" + (" (admin)" if user.is_admin else ""))


@user_app.command("list")
def user_list(db: str | None = DB_OPTION) -> None:
    """List the accounts, with their roles."""
    from sgaudit.store.accounts import list_users
    from sgaudit.store.models import Audit, Organisation

    with open_store(db) as s:
        for u in list_users(s):
            roles = ["admin"] if u.is_admin else []
            for g in u.grants:
                org = s.get(Organisation, g.organisation_id)
                where = org.name if org else f"#{g.organisation_id}"
                if g.audit_id is not None:
                    audit = s.get(Audit, g.audit_id)
                    where += f" / audit #{g.audit_id}" + (f" {audit.title}" if audit else "")
                roles.append(f"{g.role} on {where}")
            state = "disabled" if u.disabled else "enabled"
            typer.echo(f"{u.username}\t{u.email or '-'}\t{state}\t{'; '.join(roles) or '-'}")


@user_app.command("disable")
def user_disable(
    name: NameArg,
    enable: Annotated[bool, typer.Option("--enable", help="Enable the account again.")] = False,
    db: str | None = DB_OPTION,
) -> None:
    """Stop an account signing in (its history stays in the trail)."""
    from sgaudit.store.accounts import set_disabled

    with open_store(db) as s:
        user = set_disabled(s, name, not enable)
        typer.echo(f"Account '{user.username}' is {'disabled' if user.disabled else 'enabled'}")


@user_app.command("reset-password")
def user_reset_password(
    name: NameArg, password_stdin: StdinOpt = False, db: str | None = DB_OPTION
) -> None:
    """Set a new password for an account (asked twice)."""
    from sgaudit.store.accounts import reset_password

    password = _password(password_stdin)
    with open_store(db) as s:
        reset_password(s, name, password)
        typer.echo(f"New password set for '{name}'")


def _target(s, org: str | None, audit: str | None):
    from sgaudit.store import repo

    if org is None and audit is None:
        raise SgauditError("say where the role applies: --org NAME, and/or --audit ID")
    audit_obj = repo.get_audit(s, audit) if audit else None
    org_obj = repo.get_organisation(s, org) if org else None
    return org_obj, audit_obj


@user_app.command("grant")
def user_grant(
    name: NameArg,
    role: RoleArg,
    org: OrgOpt = None,
    audit: AuditOpt = None,
    db: str | None = DB_OPTION,
) -> None:
    """Give an account a role on an organisation (all its audits) or on one audit."""
    from sgaudit.store.accounts import grant_role

    with open_store(db) as s:
        org_obj, audit_obj = _target(s, org, audit)
        grant_role(s, name, role, organisation=org_obj, audit=audit_obj)
        typer.echo(f"'{name}' is {role} on " + _where(org_obj, audit_obj))


@user_app.command("revoke")
def user_revoke(
    name: NameArg,
    role: RoleArg,
    org: OrgOpt = None,
    audit: AuditOpt = None,
    db: str | None = DB_OPTION,
) -> None:
    """Take a role away from an account."""
    from sgaudit.store.accounts import revoke_role

    with open_store(db) as s:
        org_obj, audit_obj = _target(s, org, audit)
        n = revoke_role(s, name, role, organisation=org_obj, audit=audit_obj)
        where = _where(org_obj, audit_obj)
        typer.echo(f"Revoked {role} on {where}" if n else f"'{name}' had no {role} on {where}")


def _where(org, audit) -> str:
    if audit is not None:
        return f"audit #{audit.id} ({audit.title})"
    return org.name


@log_app.callback()
def audit_log(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write the trail (FILE.csv).")
    ] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Only this organisation's events (name or id).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events on or after this date (YYYY-MM-DD).")
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Export the audit trail to CSV: who saw and changed what, and when (admin only)."""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise SgauditError("say where to write the trail: --out FILE.csv")
    if out.suffix.lower() != ".csv":
        raise SgauditError(f"--out must end in .csv, not '{out.name}'")
    from sgaudit.store import repo
    from sgaudit.store.trail import export_events

    when = None
    if since:
        try:
            when = datetime.combine(date.fromisoformat(since), datetime.min.time())
        except ValueError:
            raise SgauditError(f"--since must be a date like 2026-04-01, not '{since}'") from None
    with open_store(db) as s:
        org_id = repo.get_organisation(s, org).id if org else None
        n = export_events(s, out, organisation_id=org_id, since=when)
    typer.echo(f"Wrote {n} events to {out}")


@log_app.command("prune")
def audit_log_prune(db: str | None = DB_OPTION) -> None:
    """Delete trail events older than the retention period set in data (admin only)."""
    from sgaudit.store.trail import prune_events, retention_cutoff

    with open_store(db) as s:
        n = prune_events(s)
    typer.echo(f"Deleted {n} events from before {retention_cutoff():%Y-%m-%d}")


def setup_link(
    port: Annotated[int, typer.Option("--port", help="The app's port (default 8501).")] = 8501,
    db: str | None = DB_OPTION,
) -> None:
    """Print the one-time link that creates the first admin, while the store has no account."""
    from sgaudit.store.accounts import new_setup_token

    with open_store(db) as s:
        token = new_setup_token(s)
    if token is None:
        typer.echo("The store has accounts: sign in at the app (no set-up link is needed).")
        return
    typer.echo(
        "sgaudit has no accounts yet. Open this one-time link to create the admin:\n"
        f"  http://127.0.0.1:{port}/?setup={token}"
    )


def register(app: typer.Typer) -> None:
    app.command("setup-link")(setup_link)
    app.add_typer(user_app, name="user")
    app.add_typer(log_app, name="audit-log")
