"""`sgaudit question-sheet`, `sgaudit coverage` and `sgaudit plan set|import`: fieldwork
on paper, the plan, and what is left.

Thin shell over `sgaudit.question_sheet`, `sgaudit.store.coverage` and
`sgaudit.store.fieldwork_plan`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit import printed
from sgaudit.commands._common import DB_OPTION, open_store

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]
ActorOpt = Annotated[str, typer.Option("--as", help="Your name, for the change log.")]

plan_app = typer.Typer(
    help="The fieldwork plan: how many people to hear per tier x service area.",
    no_args_is_help=True,
)


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
    """Show fieldwork so far: people heard (against the plan) per tier x service area,
    cells still below the suppression minimum, and themes not yet asked of the board."""
    from sgaudit.fieldwork_guide import guide_lines
    from sgaudit.store import repo
    from sgaudit.store.coverage import fieldwork_coverage

    with open_store(db) as s:
        audit = repo.get_audit(s, audit_id)
        cov = fieldwork_coverage(s, audit)
        titles = {t.id: t.title for t in repo.audit_question_set(audit).themes}
    heard = "heard/planned" if cov.has_plan else "heard"
    typer.echo(
        f"People {heard} per tier x service area (fewer than {cov.suppression_min} heard: "
        "scores hidden, marked *)"
    )
    typer.echo(cov.grid("*").to_string())
    short = cov.cells[cov.cells["still_to_hear"] > 0]
    if cov.has_plan and short.empty:
        typer.echo("Every planned cell has been heard.")
    elif cov.has_plan:
        typer.echo(
            f"Still to hear: {int(short['still_to_hear'].sum())} people in {len(short)} "
            f"cell{'s' if len(short) > 1 else ''}."
        )
    if cov.board_themes_missing:
        typer.echo(
            "Themes not yet asked at board level: "
            + ", ".join(titles.get(t, t) for t in cov.board_themes_missing)
        )
    else:
        typer.echo("Every theme has been asked at board level.")
    lines = guide_lines(cov.guide, cov.has_plan, cov.organisation)
    if lines:
        typer.echo("What the analysis will be able to see:")
    for kind, text in lines:
        typer.echo(f"  {'!' if kind == 'warning' else '-'} {text}")


@plan_app.command("set")
def plan_set(
    audit_id: AuditArg,
    tier: Annotated[str, typer.Option("--tier", help="The tier, e.g. front_line.")],
    area: Annotated[str, typer.Option("--area", help="The service area.")],
    people: Annotated[
        int, typer.Option("--people", help="How many people to hear there (0 clears it).")
    ],
    actor: ActorOpt = "",
    db: str | None = DB_OPTION,
) -> None:
    """Plan how many people to hear in one tier x service area of an audit."""
    from sgaudit.store import repo

    with open_store(db) as s:
        changed = repo.set_planned(s, repo.get_audit(s, audit_id), tier, area, people, actor=actor)
    if not changed:
        typer.echo(f"The plan already says {people} for {tier} x {area}; nothing changed.")
    elif people:
        typer.echo(f"Planned {printed.count(people, 'person', 'people')} for {tier} x {area}.")
    else:
        typer.echo(f"Cleared the plan for {tier} x {area}.")


@plan_app.command("import")
def plan_import(
    audit_id: AuditArg,
    file: Annotated[
        Path, typer.Argument(help="A CSV file with the columns tier, service_area, people.")
    ],
    actor: ActorOpt = "",
    db: str | None = DB_OPTION,
) -> None:
    """Set the plan from a CSV file (all rows or none); cells it leaves out keep theirs."""
    from sgaudit.errors import SgauditError
    from sgaudit.limits import MAX_SHEET_BYTES, LimitExceeded, read_limited_text
    from sgaudit.store import repo

    try:
        text = read_limited_text(file, MAX_SHEET_BYTES, "plan file")
    except LimitExceeded as exc:
        raise SgauditError(f"{file.name} {exc}") from None
    with open_store(db) as s:
        changed = repo.import_plan(s, repo.get_audit(s, audit_id), text, file.name, actor=actor)
    typer.echo(f"Imported the plan from {file.name}: {changed} cells changed.")


def register(app: typer.Typer) -> None:
    app.command("question-sheet")(question_sheet)
    app.command("coverage")(coverage)
    app.add_typer(plan_app, name="plan")
