"""`sgaudit findings export|import`: the auditors' analysis as a file to edit anywhere.

Thin shell over `sgaudit.findings_file`: open the store, call one function, say what
happened. A refused file lists every problem (file, line, field) and saves nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit import printed
from sgaudit.commands._common import DB_OPTION, open_store

findings_app = typer.Typer(
    help="The auditors' analysis of each finding and theme, as a YAML file.",
    no_args_is_help=True,
)
AUDIT_ARG = typer.Argument(help="The audit's id (see `sgaudit audit list`).")


@findings_app.command("export")
def export(
    audit_id: Annotated[str, AUDIT_ARG],
    file: Annotated[Path, typer.Argument(help="Where to write the findings file (.yaml).")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it already exists.")
    ] = False,
    db: str | None = DB_OPTION,
) -> None:
    """Write every finding and theme of an audit, with the auditors' analysis, to a YAML file.

    Edit the four parts (what we saw, why it happens, impact on people, what helps) in any text editor, then load it back with `sgaudit findings import`.
    """
    from sgaudit.errors import SgauditError
    from sgaudit.findings_file import export_findings

    if file.exists() and not force:
        raise SgauditError(f"{file} already exists; choose another name or add --force")
    with open_store(db) as session:
        path = export_findings(session, audit_id, file)
    typer.echo(f"Wrote {path}. Edit it, then: sgaudit findings import {audit_id} {path}")


@findings_app.command("import")
def import_(
    audit_id: Annotated[str, AUDIT_ARG],
    file: Annotated[Path, typer.Argument(help="The edited findings file (.yaml).")],
    actor: Annotated[
        str, typer.Option("--actor", help="Who is loading it (for the audit trail).")
    ] = "",
    db: str | None = DB_OPTION,
) -> None:
    """Load an edited findings file into the audit: all of it, or nothing.

    Every problem is listed with its line and field, and nothing is saved until the file is clean.
    """
    from sgaudit.findings_file import import_findings

    with open_store(db) as session:
        count = import_findings(session, audit_id, file, actor=actor)
    what = printed.count(count, "finding or theme", "findings and themes")
    typer.echo(f"Saved the analysis of {what} from {file}.")


def register(app: typer.Typer) -> None:
    app.add_typer(findings_app, name="findings")
