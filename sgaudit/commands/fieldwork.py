"""`sgaudit question-sheet` and `sgaudit coverage`: fieldwork on paper and what is left.

Thin shell over `sgaudit.question_sheet` and `sgaudit.store.coverage`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]


def question_sheet(
    audit_id: AuditArg,
    tier: Annotated[str, typer.Option("--tier", help="The tier the sheet is for.")],
    out: Annotated[Path, typer.Option("--out", help="The Word file to write (.docx).")],
    db: str | None = DB_OPTION,
) -> None:
    """Write a printable question sheet of one tier (Word), for an interview on paper."""
    from sgaudit.question_sheet import write_question_sheet
    from sgaudit.store import repo

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        heading = f"{audit.organisation.name} · {audit.title}"
        n = write_question_sheet(repo.audit_question_set(audit), tier, out, heading=heading)
    typer.echo(f"Wrote the {tier} question sheet ({n} questions) to {out}")


def coverage(audit_id: AuditArg, db: str | None = DB_OPTION) -> None:
    """Show fieldwork so far: people heard per tier x service area, and what is missing."""
    from sgaudit.store import repo
    from sgaudit.store.coverage import fieldwork_coverage

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        cov = fieldwork_coverage(s, audit)
        titles = {t.id: t.title for t in repo.audit_question_set(audit).themes}
    table = cov.cells.pivot(index="tier", columns="service_area", values="people")
    typer.echo(
        f"People heard per tier x service area (fewer than {cov.suppression_min}: "
        "scores hidden, marked *)"
    )
    marked = table.astype(str).where(table >= cov.suppression_min, table.astype(str) + "*")
    typer.echo(marked.to_string())
    if cov.board_themes_missing:
        typer.echo(
            "Themes not yet asked at board level: "
            + ", ".join(titles.get(t, t) for t in cov.board_themes_missing)
        )
    else:
        typer.echo("Every theme has been asked at board level.")


def register(app: typer.Typer) -> None:
    app.command("question-sheet")(question_sheet)
    app.command("coverage")(coverage)
