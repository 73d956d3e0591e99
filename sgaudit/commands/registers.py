"""Evidence registers and training frameworks: check, import, show; list and use frameworks.

File formats, indicators and triangulation rules: docs/registers.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit import printed
from sgaudit.commands._common import DB_OPTION, echo_json, open_store
from sgaudit.errors import SgauditError

registers_app = typer.Typer(
    help="Evidence registers: training, recruitment, policies, concerns, complaints.",
    no_args_is_help=True,
)
frameworks_app = typer.Typer(
    help="Role-group training frameworks: list, show, use for an audit.", no_args_is_help=True
)

KindArg = Annotated[
    str,
    typer.Argument(help="training, recruitment, policies, concerns or complaints."),
]
FileArg = Annotated[Path, typer.Argument(help="The register file (.csv or .xlsx).")]
AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]


def _kind(kind: str) -> str:
    from sgaudit.registers import REGISTER_KINDS

    if kind not in REGISTER_KINDS:
        raise SgauditError(
            f"unknown register '{kind}'; expected one of {', '.join(REGISTER_KINDS)}"
        )
    return kind


@registers_app.command("check")
def registers_check(kind: KindArg, file: FileArg) -> None:
    """Check a register file without importing it: every problem with row and column."""
    from sgaudit.registers import read_register

    frame = read_register(_kind(kind), file)
    typer.echo(f"{file}: {len(frame)} rows, no problems found ({kind} register).")


@registers_app.command("import")
def registers_import(
    audit_id: AuditArg,
    kind: KindArg,
    file: FileArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")] = False,
    db: str | None = DB_OPTION,
) -> None:
    """Import a register for an audit, replacing any earlier import of that register.

    The whole file is checked first; if any row is bad nothing is imported and every
    problem is listed with its row and column.
    """
    from sgaudit.store import repo
    from sgaudit.store.evidence import import_register

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        n = import_register(s, audit, _kind(kind), file, dry_run=dry_run)
        if dry_run:
            typer.echo(
                f"{file}: {n} rows would be imported into audit {audit.id} "
                "(dry run: nothing written)."
            )
            return
        typer.echo(f"Imported {n} rows into the {kind} register of audit {audit.id}.")
        if kind == "training" and not audit.framework_snapshot:
            typer.echo(
                "Note: this audit has no training framework yet, so training is not "
                f"checked. Set one with: sgaudit frameworks use {audit.id} wales_national"
            )


@registers_app.command("show")
def registers_show(
    audit_id: AuditArg,
    format: Annotated[str, typer.Option("--format", help="json or table.")] = "table",
    db: str | None = DB_OPTION,
) -> None:
    """Show what an audit's registers say: indicators, training by role group, evidence gaps."""
    from sgaudit.commands._core_format import table
    from sgaudit.store import repo
    from sgaudit.store.evidence import audit_evidence
    from sgaudit.store.frames import load_audit_data

    if format not in ("json", "table"):
        raise SgauditError(f"--format must be json or table, not '{format}'")
    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        evidence = audit_evidence(s, audit, load_audit_data(s, audit.id))
        if evidence is None:
            if format == "json":
                echo_json(None)
            else:
                typer.echo(
                    f"Audit {audit.id} has no registers. Import one with: "
                    f"sgaudit registers import {audit.id} KIND FILE"
                )
            return
        if format == "json":
            echo_json(
                {
                    "registers": evidence.indicators.to_json_dict()
                    if evidence.indicators
                    else None,
                    "evidence_gaps": [
                        f.to_json_dict() for f in evidence.findings if f.kind == "evidence_gap"
                    ],
                    "record_findings": [
                        f.to_json_dict() for f in evidence.findings if f.kind == "records"
                    ],
                    "not_checked": list(evidence.not_checked),
                }
            )
            return
        for line in evidence.not_checked:
            typer.echo(line)
        ind = evidence.indicators
        if ind is None:
            return
        typer.echo(
            f"Registers of audit {audit.id} as of {ind.audit_date}: {', '.join(ind.registers)}"
        )
        typer.echo("")
        rows = [
            [s_.label, "-" if s_.score is None else f"{s_.score:.0f}", s_.detail]
            for s_ in ind.scores
        ]
        typer.echo(table(["Indicator", "Score", "What the records show"], rows))
        training = ind.training_table()
        if training:
            typer.echo("")
            typer.echo("Training compliance by role group")
            typer.echo(
                table(
                    [
                        "Group",
                        "People",
                        "Compliant",
                        "Refresher overdue",
                        "Induction missing",
                        "CPD log missing",
                    ],
                    [
                        [
                            r["group"],
                            r["people"],
                            r["compliant"],
                            r["refresher_overdue"],
                            r["induction_missing"],
                            r["cpd_log_missing"],
                        ]
                        for r in training
                    ],
                )
            )
        typer.echo("")
        gaps = [f for f in evidence.findings if f.kind == "evidence_gap"]
        if gaps:
            typer.echo("Evidence gaps (interviews and records disagree)")
            for f in gaps:
                sure = "" if f.certainty == "finding" else f"; worth exploring: {f.certainty_note}"
                typer.echo(f"  [{f.severity}{sure}] {f.summary}")
        else:
            typer.echo("No evidence gaps: what people said and what the records show agree.")
        raised = [f for f in evidence.findings if f.kind == "records"]
        if raised:
            typer.echo("")
            typer.echo("Findings from the records")
            for f in raised:
                typer.echo(f"  [{f.severity}] {f.summary}")


@frameworks_app.command("list")
def frameworks_list() -> None:
    """List the training frameworks shipped in frameworks/."""
    from sgaudit.commands._core_format import table
    from sgaudit.registers import list_frameworks

    rows = [[f.id, f.version, f.title] for f in list_frameworks()]
    typer.echo(table(["Id", "Version", "Title"], rows))


@frameworks_app.command("show")
def frameworks_show(
    framework: Annotated[str, typer.Argument(help="A framework id or a YAML file.")],
    overrides: Annotated[
        Path | None,
        typer.Option("--overrides", help="A YAML file of the organisation's own numbers."),
    ] = None,
) -> None:
    """Show a framework's role groups and what each must complete; name what is not set."""
    from sgaudit.registers import load_framework

    fw = load_framework(framework, overrides=overrides)
    typer.echo(f"{fw.title} (id {fw.id}, version {fw.version})")
    for g in fw.groups:
        r = g.refresher
        refresher = (
            f"{r.hours:g} h every {printed.count(r.period_years, 'year')}"
            if r.is_set
            else "not set"
        )
        induction = (
            f"within {printed.count(g.induction.within_months, 'month')}"
            if g.induction.within_months
            else "not set"
        )
        cpd = {True: "expected", False: "not expected", None: "not set"}[g.cpd_log.expected]
        typer.echo(
            f"  {g.id}  {g.name}: refresher {refresher}; induction {induction}; CPD log {cpd}"
        )
    unset = fw.unset_requirements()
    if unset:
        typer.echo("Left to the organisation (pass --overrides to set them):")
        for line in unset:
            typer.echo(f"  - {line}")


@frameworks_app.command("use")
def frameworks_use(
    audit_id: AuditArg,
    framework: Annotated[str, typer.Argument(help="A framework id or a YAML file.")],
    overrides: Annotated[
        Path | None,
        typer.Option("--overrides", help="A YAML file of the organisation's own numbers."),
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Check an audit's training register against this framework (kept with the audit)."""
    from sgaudit.registers import load_framework
    from sgaudit.store import repo

    fw = load_framework(framework, overrides=overrides)
    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        repo.set_audit_framework(s, audit, fw)
        typer.echo(
            f"Audit {audit.id} now checks training against {fw.title} (version {fw.version})."
        )


def register(app: typer.Typer) -> None:
    app.add_typer(registers_app, name="registers")
    app.add_typer(frameworks_app, name="frameworks")
