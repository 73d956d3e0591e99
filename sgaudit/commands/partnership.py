"""`sgaudit roll-up`: a partnership's members side by side (`sgaudit.partnership`).

Documented with an example in docs/cli.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store


def roll_up(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write the roll-up to this CSV file, a row per theme."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Processes to analyse the audits on (1: this one).")
    ] = 1,
    db: str | None = DB_OPTION,
) -> None:
    """Each organisation's latest final audit, theme by theme: score and RAG, small groups
    hidden; and each theme's change since the organisation's previous final audit."""
    from sgaudit import printed
    from sgaudit.commands._core_format import table
    from sgaudit.partnership import roll_up as build
    from sgaudit.store.db import database_url

    with open_store(db) as s:
        result = build(s, database_url(db), workers=max(1, workers))
    if result.rows.empty:
        typer.echo("No organisation you may see has a final audit yet.")
    else:
        themes = {t: i for t, i in zip(result.rows["theme"], result.rows["theme_id"], strict=True)}

        def grid(wide) -> str:
            return table(
                ["organisation", *[themes[t] for t in wide.columns]],
                [[org, *cells] for org, cells in zip(wide.index, wide.to_numpy(), strict=True)],
            )

        typer.echo(
            f"{printed.count(result.audits, 'organisation')}, each at its latest final audit "
            "(score out of 100 and RAG; 'hidden': fewer people heard than may be shown)."
        )
        typer.echo(grid(result.wide()))
        if result.re_audited:
            typer.echo(
                f"\nChange since the previous final audit "
                f"({printed.count(result.re_audited, 'organisation')}; on the questions both "
                "audits asked; better or worse from the question set's change points):"
            )
            typer.echo(grid(result.wide("since")))
    if result.organisations_without_final:
        typer.echo("No final audit yet: " + ", ".join(result.organisations_without_final) + ".")
    if out is not None and not result.rows.empty:
        out.write_bytes(result.csv())
        typer.echo(f"Wrote {out} ({printed.count(len(result.rows), 'row')}).")


def register(app: typer.Typer) -> None:
    app.command("roll-up")(roll_up)
