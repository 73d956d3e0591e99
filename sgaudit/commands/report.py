"""`sgaudit report` (the board report in Word, optionally PDF) and `sgaudit report-template`.

Thin shell over `sgaudit.report`: open the store, call one library function, say
where the file went. Library errors (unknown audit, broken template, no LibreOffice)
reach `sgaudit.cli.main`, which prints them without a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store
from sgaudit.errors import ReportError


def report(
    audit_id: Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the report (.docx, or .pdf).")
    ],
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="An earlier audit's id: adds 'Change since the last audit'."),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="Your copy of the template (see `sgaudit report-template`)."),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write a PDF beside it (needs LibreOffice).")
    ] = False,
    db: str | None = DB_OPTION,
) -> None:
    """Write the board report of an audit as a Word document.

    With --compare, the report also shows what changed since that earlier audit of the same organisation. The auditors' reviews apply: dismissed findings are left out, edited ones use their wording.
    """
    from sgaudit.report import generate_report

    if out.suffix.lower() not in (".docx", ".pdf"):
        raise ReportError(f"--out must end in .docx (or .pdf), not '{out.name}'")
    with open_store(db) as session:
        path = generate_report(session, audit_id, out, compare_to=compare, template=template,
                               pdf=pdf)
    if path.suffix.lower() == ".pdf":
        typer.echo(f"Wrote {path.with_suffix('.docx')} and {path}")
    else:
        typer.echo(f"Wrote {path}")


def report_template(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the copy (.docx).")],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the file if it already exists.")
    ] = False,
) -> None:
    """Copy the default report template, to restyle in Word and pass with --template.

    Change fonts, colours, logo, wording and section order freely; keep the {{ }} and {% %} tags (docs/report.md lists every variable).
    """
    from sgaudit.report import copy_default_template

    if out.exists() and not force:
        raise ReportError(f"{out} already exists; choose another name or add --force")
    path = copy_default_template(out)
    typer.echo(f"Wrote {path}. Restyle it in Word, keep the tags, then: "
               f"sgaudit report AUDIT --template {path} --out report.docx")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("report-template")(report_template)
