"""Commands that move answers in and out: the answer-sheet template, answer imports,
exports and audit archives. Documented with an example each in docs/cli.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sgaudit.commands._common import DB_OPTION, open_store

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]


def template(
    audit_id: AuditArg,
    out: Annotated[Path, typer.Option("--out", help="FILE.csv or FILE.xlsx to write.")],
    db: str | None = DB_OPTION,
) -> None:
    """Write a blank answer sheet: one row per question per tier."""
    from sgaudit.sheets import write_template

    with open_store(db) as s:
        n = write_template(s, audit_id, out)
    typer.echo(
        f"Wrote {out} ({n} rows: one per question per tier). Fill in interview_id, "
        "service_area, consent (yes), answer and note, then: sgaudit import "
        f"{audit_id} {out}"
    )


def import_answers(
    audit_id: AuditArg,
    file: Annotated[
        Path,
        typer.Argument(
            help="The answer file or survey export as downloaded (.csv or .xlsx): long "
            "format, Microsoft Forms, Google Forms, SurveyMonkey, ODK Central or KoboToolbox."
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check only and list what would change; write nothing."),
    ] = False,
    clear_blanks: Annotated[
        bool,
        typer.Option(
            "--clear-blanks",
            help="Re-import: a blank cell clears the stored value (default: leaves it as it is).",
        ),
    ] = False,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="long or wide (default: long if the file has "
            "question_id and answer columns, else wide: a survey export).",
        ),
    ] = None,
    tier_column: Annotated[
        str | None,
        typer.Option("--tier-column", help="Survey: the column holding each respondent's tier."),
    ] = None,
    area_column: Annotated[
        str | None,
        typer.Option("--area-column", help="Survey: the column holding the service area."),
    ] = None,
    tier: Annotated[
        str | None, typer.Option("--tier", help="Survey: one tier for every respondent.")
    ] = None,
    area: Annotated[
        str | None, typer.Option("--area", help="Survey: one service area for every respondent.")
    ] = None,
    tier_map: Annotated[
        str | None,
        typer.Option(
            "--tier-map",
            help='Survey: answers of the role question as tiers, e.g. "Volunteer=front_line,'
            'Trustee=board".',
        ),
    ] = None,
    area_map: Annotated[
        str | None,
        typer.Option(
            "--area-map",
            help="Survey: answers of the service question as service areas, e.g. "
            '"Housing=Supported Housing".',
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map", help="Survey: a CSV map (column, maps_to) of headers to question ids."
        ),
    ] = None,
    write_map: Annotated[
        Path | None,
        typer.Option(
            "--write-map", help="Survey: write a starter map of the file's columns; import nothing."
        ),
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help="Mode for interviews that do not give one (default: "
            "interview for long files, survey for survey exports).",
        ),
    ] = None,
    auditor: Annotated[
        str, typer.Option("--auditor", help="Auditor for interviews that do not name one.")
    ] = "",
    ignore_column: Annotated[
        list[str] | None, typer.Option("--ignore-column", help="A column to skip (repeatable).")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="CSV encoding if not UTF-8, e.g. cp1252.")
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Import answers from a long answer file or a survey export: all of it, or nothing.

    Importing a file again updates the same interviews: a blank cell leaves the stored
    value as it is (unless --clear-blanks), and every stored value that changes is
    listed, old and new, before it is changed.
    """

    def list_changes(summary) -> None:
        if summary.changes:
            typer.echo(summary.changes_text())

    from sgaudit.surveys import SurveyOptions, import_file

    options = SurveyOptions(
        tier_column=tier_column,
        area_column=area_column,
        tier=tier,
        area=area,
        tier_map=tier_map,
        area_map=area_map,
        column_map=map_file,
        write_map=write_map,
        mode=mode,
        auditor=auditor,
        ignore_columns=tuple(ignore_column or ()),
        encoding=encoding,
    )
    with open_store(db) as s:
        result = import_file(
            s,
            audit_id,
            file,
            options,
            format=format,
            dry_run=dry_run,
            clear_blanks=clear_blanks,
            before_writing=list_changes,
        )
    if dry_run and result.summary.changes:
        typer.echo(result.summary.changes_text())
    typer.echo(result.message())


def export(
    audit_id: AuditArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="FILE.zip for the full archive; FILE.csv or FILE.xlsx for "
            "the answers only, in the long import format.",
        ),
    ],
    db: str | None = DB_OPTION,
) -> None:
    """Export an audit: a portable archive (.zip), or its answers as a sheet (.csv/.xlsx)."""
    with open_store(db) as s:
        if out.suffix.lower() in (".csv", ".xlsx"):
            from sgaudit.sheets import export_answers

            n = export_answers(s, audit_id, out)
            typer.echo(f"Wrote {n} answers to {out} (long format; `sgaudit import` reads it).")
            return
        from sgaudit.archive import export_audit

        export_audit(s, audit_id, out)
    typer.echo(
        f"Wrote the archive of audit {audit_id} to {out}. Restore it with: "
        f"sgaudit import-archive {out}"
    )


def import_archive(
    file: Annotated[Path, typer.Argument(help="An archive written by `sgaudit export`.")],
    org: Annotated[
        str | None, typer.Option("--org", help="Import under this organisation name instead.")
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Restore an audit from an archive (all or nothing), with a new id."""
    from sgaudit.archive import import_archive as restore

    with open_store(db) as s:
        result = restore(s, file, organisation_name=org)
    typer.echo(
        f"Restored audit {result.audit_id} of {result.organisation}: "
        f"{result.interviews} interviews, {result.responses} answers."
    )
    for note in result.notes:
        typer.echo(f"Note: {note}")


def register(app: typer.Typer) -> None:
    app.command("template")(template)
    app.command("import")(import_answers)
    app.command("export")(export)
    app.command("import-archive")(import_archive)
