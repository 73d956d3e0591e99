"""`sgaudit survey-form`: an audit's questions for one tier, to load into a survey tool
or print. Documented with examples in docs/cli.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]


def survey_form(
    audit_id: AuditArg,
    tier: Annotated[str, typer.Option("--tier", help="The tier whose questions the form asks.")],
    out: Annotated[Path, typer.Option("--out", help="The file to write.")],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="xlsform (ODK Collect, KoboToolbox), text (to paste into Microsoft Forms or "
            "Google Forms) or docx (a paper form).",
        ),
    ] = "xlsform",
    db: str | None = DB_OPTION,
) -> None:
    """Write a survey form of one tier's questions: XLSForm, text to paste, or paper."""
    from sgaudit.surveys.forms import write_audit_form

    with open_store(db) as s:
        form = write_audit_form(s, audit_id, tier, format, out)
    typer.echo(
        f"Wrote {out} ({format}): {len(form.questions)} questions for {tier}, question set "
        f"{form.set_label}. Import the answers with: sgaudit import {audit_id} FILE"
    )


def register(app: typer.Typer) -> None:
    app.command("survey-form")(survey_form)
