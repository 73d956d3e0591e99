"""`sgaudit audit submit|review|send-back|finalise|reopen|versions|reissue`: draft -> final.

Thin shell over `sgaudit.store.workflow` and `sgaudit.issuing`; added to the `audit`
command group that `sgaudit.commands.core` defines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store
from sgaudit.commands.core import audit_app

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]
ActorOpt = Annotated[
    str, typer.Option("--as", help="Your name, as the audit records its auditors.")
]


@audit_app.command("submit")
def audit_submit(audit_id: AuditArg, actor: ActorOpt, db: str | None = DB_OPTION) -> None:
    """Hand a draft audit to the second auditor for review."""
    from sgaudit.store import repo

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        repo.submit_for_review(s, audit, actor=actor)
        typer.echo(f"Audit {audit.id} (version {audit.version}) is in review.")


@audit_app.command("review")
def audit_review(
    audit_id: AuditArg,
    actor: Annotated[str, typer.Option("--as", help="Your name (the second auditor).")] = "",
    item: Annotated[
        list[str] | None,
        typer.Option(
            "--sign-off",
            help="Sign off this item (a finding key, 'analysis' or "
            "'recommendations'); repeat it, or give 'all'.",
        ),
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """List what is to be reviewed and its state; with --sign-off, sign items off."""
    from sgaudit import issuing
    from sgaudit.store import repo

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        items = issuing.review_items(s, audit)
        keys = [i.key for i in items]
        chosen = keys if item and "all" in item else list(item or ())
        for key in chosen:
            repo.review_item(s, audit, key, "signed_off", actor=actor, known_items=keys)
        state = repo.review_state(s, audit)
        typer.echo(f"Audit {audit.id}, version {audit.version}: {audit.status.replace('_', ' ')}")
        for i in items:
            done = state.get(i.key)
            mark = (
                "signed off"
                if done and done.decision == "signed_off"
                else ("sent back" if done else "to review")
            )
            line = f"  [{mark}] {i.key}: {i.label}"
            if done and done.decision == "sent_back":
                line += f" -- {done.comment}"
            typer.echo(line)
        left = [k for k in keys if k not in state or state[k].decision != "signed_off"]
        typer.echo(f"{len(keys) - len(left)} of {len(keys)} signed off.")


@audit_app.command("send-back")
def audit_send_back(
    audit_id: AuditArg,
    item: Annotated[str, typer.Argument(help="A finding key, 'analysis' or 'recommendations'.")],
    comment: Annotated[str, typer.Option("--comment", help="What must change, for the lead.")],
    actor: Annotated[str, typer.Option("--as", help="Your name (the second auditor).")],
    db: str | None = DB_OPTION,
) -> None:
    """Send one item back to the lead auditor with a comment; the audit returns to draft."""
    from sgaudit import issuing
    from sgaudit.store import repo

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        keys = [i.key for i in issuing.review_items(s, audit)]
        repo.review_item(
            s, audit, item, "sent_back", comment=comment, actor=actor, known_items=keys
        )
        typer.echo(f"Sent back {item}; audit {audit.id} is a draft again.")


@audit_app.command("finalise")
def audit_finalise(
    audit_id: AuditArg,
    actor: Annotated[str, typer.Option("--as", help="Your name (the lead auditor).")],
    template: Annotated[
        Path | None, typer.Option("--template", help="The report template to issue with.")
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Confirm an audit in review as final: it is locked and this version is kept."""
    from sgaudit import issuing

    with open_store(db) as s:
        issue = issuing.finalise(s, audit_id, actor=actor, template=template)
        typer.echo(
            f"Audit {issue.audit_id} is final: version {issue.version}, issued by "
            f"{issue.issued_by}, reviewed by {issue.reviewed_by or '-'}."
        )


@audit_app.command("reopen")
def audit_reopen(
    audit_id: AuditArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the final audit must change.")],
    actor: ActorOpt,
    db: str | None = DB_OPTION,
) -> None:
    """Open a new version (1.1, 1.2 ...) of a final audit to change it."""
    from sgaudit.store import repo

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        version = repo.reopen(s, audit, actor=actor, reason=reason)
        typer.echo(
            f"Audit {audit.id} reopened as version {version} (a draft); the issued "
            "versions stay as they were (sgaudit audit versions)."
        )


@audit_app.command("versions")
def audit_versions(audit_id: AuditArg, db: str | None = DB_OPTION) -> None:
    """List the issued versions of an audit: when, by whom, why."""
    from sgaudit.store import repo

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        rows = repo.issued_versions(s, audit)
        typer.echo(
            f"Audit {audit.id}: now version {audit.version}, {audit.status.replace('_', ' ')}"
        )
        if not rows:
            typer.echo("  no version issued yet")
        for v in rows:
            typer.echo(
                f"  {v.version}  {v.issued_at:%Y-%m-%d %H:%M}  issued by {v.issued_by}, "
                f"reviewed by {v.reviewed_by or '-'}  {v.reason}"
            )


@audit_app.command("reissue")
def audit_reissue(
    audit_id: AuditArg,
    version: Annotated[str, typer.Argument(help="An issued version, e.g. 1.0.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the report (.docx).")],
    db: str | None = DB_OPTION,
) -> None:
    """Write the report of an issued version exactly as it was issued."""
    from sgaudit import issuing

    with open_store(db) as s:
        path = issuing.reissue_report(s, audit_id, version, out)
    typer.echo(f"Wrote {path} (version {version} as issued)")


def register(app: typer.Typer) -> None:
    """The commands join the `audit` group, which `core` adds to the app."""
