"""`sgaudit analyse` and `sgaudit compare`: an audit's scores and findings, and the
change between two audits of one organisation. Documented with an example each in
docs/cli.md.

Thin shell over `sgaudit.analysis`: open the store, analyse, print the result as a
table or as the documented JSON. Library errors reach `sgaudit.cli.main`, which prints
them without a traceback.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, echo_json, open_store
from sgaudit.commands.core import AuditArg
from sgaudit.errors import SgauditError

FORMAT_HELP = "json (the documented, stable JSON) or table (for reading)."


def _check_format(value: str) -> str:
    if value not in ("json", "table"):
        raise SgauditError(f"--format must be json or table, not '{value}'")
    return value


def _analysed(session, audit_id, with_evidence: bool = False):
    """(audit, data, evidence-gap findings, score tables[, stored evidence]).

    The evidence is the report's; the score tables are built once here and shared by
    the evidence, the analysis and the comparison.
    """
    from sgaudit.analysis.scores import ScoreTables
    from sgaudit.store import repo
    from sgaudit.store.evidence import audit_evidence
    from sgaudit.store.frames import load_audit_data

    audit = repo.get_audit(session, audit_id)
    data = load_audit_data(session, audit.id)
    tables = ScoreTables.build(data)
    found = audit_evidence(session, audit, data, tables)
    findings = tuple(found.findings) if found else ()
    if with_evidence:
        return audit, data, findings, tables, found
    return audit, data, findings, tables


def analyse(
    audit_id: AuditArg,
    format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    db: str | None = DB_OPTION,
) -> None:
    """Analyse an audit: theme scores by tier and area, and the findings."""
    from sgaudit.analysis.result import analyse as run_analysis
    from sgaudit.commands._core_format import analysis_table
    from sgaudit.fieldwork_guide import guide_json
    from sgaudit.report.unsettled import tier_opening, unsettled_notes

    _check_format(format)
    with open_store(db) as s:
        audit, data, extra, tables, evidence = _analysed(s, audit_id, with_evidence=True)
        if data.responses.empty and format == "table":
            typer.echo(
                f"Audit {audit.id} ({audit.title}) has no answers yet. Import some with: "
                f"sgaudit import {audit.id} FILE"
            )
            return
        result = run_analysis(data, extra, tables=tables)
        if format == "json":
            out = result.to_json_dict()
            # The register indicators ride alongside the analysis (null without registers).
            indicators = evidence.indicators if evidence else None
            out["registers"] = indicators.to_json_dict() if indicators else None
            # Who was heard in fewer voices than the fieldwork guide asks, as the table says.
            out["fieldwork_guide"] = guide_json(data.responses, result.settings, tier_opening)
            echo_json(out)
            return
        typer.echo(f"Audit {audit.id}: {audit.title} ({audit.organisation.name})")
        # Who was heard in fewer voices than the fieldwork guide asks, as the report says.
        typer.echo(analysis_table(result, unsettled_notes(result, data.responses)))
        if evidence is not None:
            for line in evidence.not_checked:
                typer.echo(line)
            if evidence.indicators is not None:
                typer.echo(
                    f"Evidence registers: {', '.join(evidence.indicators.registers)} "
                    f"(details: sgaudit registers show {audit.id})"
                )


def compare(
    old: Annotated[str, typer.Argument(help="The earlier audit's id.")],
    new: Annotated[str, typer.Argument(help="The later audit's id.")],
    format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    db: str | None = DB_OPTION,
) -> None:
    """Compare two audits of one organisation: changes, findings resolved and new.

    Changes are per theme, tier and service area, on the questions both audits share;
    questions in only one of them are listed as not comparable.
    """
    from sgaudit.analysis.compare import compare_audits
    from sgaudit.commands._core_format import comparison_table
    from sgaudit.store.audits import check_comparable

    _check_format(format)
    with open_store(db) as s:
        before, old_data, old_extra, old_tables = _analysed(s, old)
        after, new_data, new_extra, new_tables = _analysed(s, new)
        check_comparable(before, after)
        result = compare_audits(
            old_data, new_data, old_extra, new_extra, old_tables=old_tables, new_tables=new_tables
        )
        if format == "json":
            echo_json(result.to_json_dict())
            return
        typer.echo(
            f"Audit {before.id} ({before.title}) -> audit {after.id} ({after.title}), "
            f"{after.organisation.name}"
        )
        typer.echo(comparison_table(result))


def register(app: typer.Typer) -> None:
    app.command("analyse")(analyse)
    app.command("compare")(compare)
