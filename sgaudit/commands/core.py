"""Core commands: organisations, audits, question sets and the demo (analysis and
comparison are in `audit_analysis.py`, answer sheets and archives in `answers.py`).
Documented with an example each in docs/cli.md.

Each command opens the store, calls one library function and prints the result;
library errors reach `sgaudit.cli.main`, which prints them without a traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sgaudit import printed
from sgaudit.commands._common import DB_OPTION, open_store
from sgaudit.errors import QuestionnaireError, SgauditError
from sgaudit.vocab import SCOPES

org_app = typer.Typer(help="Organisations and their service areas.", no_args_is_help=True)
audit_app = typer.Typer(help="Audits: create, list, show.", no_args_is_help=True)
qs_app = typer.Typer(
    help="Question sets: validate a folder, check its coverage.", no_args_is_help=True
)

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]


def _date(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SgauditError(f"{what} must be a date written YYYY-MM-DD, not '{value}'") from None


# ---- organisations ---------------------------------------------------------------------
@org_app.command("create")
def org_create(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    areas: Annotated[
        str, typer.Option("--areas", help='Its service areas, comma separated: "A,B,C".')
    ],
    db: str | None = DB_OPTION,
) -> None:
    """Create an organisation with its service areas."""
    from sgaudit.store import repo

    with open_store(db) as s:
        org = repo.create_organisation(s, name, areas.split(","))
        typer.echo(
            f"Created organisation '{org.name}' with {len(org.area_names)} service areas: "
            + ", ".join(org.area_names)
        )


@org_app.command("list")
def org_list(db: str | None = DB_OPTION) -> None:
    """List organisations with their service areas and number of audits."""
    from sgaudit.commands._core_format import table
    from sgaudit.store import repo

    with open_store(db) as s:
        orgs = repo.list_organisations(s)
        if not orgs:
            typer.echo("No organisations yet. Create one with: sgaudit org create NAME --areas ...")
            return
        rows = [[o.id, o.name, len(o.audits), ", ".join(o.area_names)] for o in orgs]
        typer.echo(table(["Id", "Organisation", "Audits", "Service areas"], rows))


# ---- audits ----------------------------------------------------------------------------
@audit_app.command("create")
def audit_create(
    org: Annotated[str, typer.Option("--org", help="The organisation's name (or id).")],
    title: Annotated[str, typer.Option("--title", help="The audit's title.")],
    start: Annotated[str | None, typer.Option("--start", help="Start date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="End date, YYYY-MM-DD.")] = None,
    auditor: Annotated[
        list[str] | None,
        typer.Option("--auditor", help="An auditor's name; give it twice for the two auditors."),
    ] = None,
    scope: Annotated[str, typer.Option("--scope", help="children, adults or both.")] = "both",
    questions: Annotated[
        Path | None,
        typer.Option("--questions", help="A question set folder (default: the core set)."),
    ] = None,
    previous: Annotated[
        str | None,
        typer.Option(
            "--previous",
            help="The previous audit's id, for a re-audit (its recommendations are carried over).",
        ),
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Create an audit (snapshotting its question set) and print its id."""
    from sgaudit.questionnaire import load_question_set
    from sgaudit.store import repo

    auditors = list(auditor or [])
    if len(auditors) > 2:
        raise SgauditError("an audit has at most two auditors")
    if scope not in SCOPES:
        raise SgauditError(f"--scope must be one of {', '.join(SCOPES)}, not '{scope}'")
    qs = load_question_set(questions)
    with open_store(db) as s:
        organisation = repo.get_organisation(s, org)
        prev = repo.get_audit(s, previous) if previous else None
        audit = repo.create_audit(
            s,
            organisation,
            title,
            qs,
            start_date=_date(start, "--start"),
            end_date=_date(end, "--end"),
            auditor_1=auditors[0] if auditors else "",
            auditor_2=auditors[1] if len(auditors) > 1 else "",
            scope=scope,
            previous_audit=prev,
        )
        s.commit()
        typer.echo(
            f"Created audit {audit.id}: {audit.title} ({organisation.name}, question set "
            f"{qs.id} v{qs.version}).",
            err=True,
        )
        typer.echo(audit.id)


@audit_app.command("list")
def audit_list(
    org: Annotated[
        str | None, typer.Option("--org", help="Only this organisation's audits.")
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """List audits with their organisation, dates, status and number of answers."""
    from sgaudit.commands._core_format import table

    # The audits and organisations only (not the whole `repo`: the question sets and the
    # capture, review and workflow modules are not needed to list audits).
    from sgaudit.store.audits import audits_counts, list_audits
    from sgaudit.store.organisations import get_organisation

    with open_store(db) as s:
        audits = list_audits(s, get_organisation(s, org) if org else None)
        if not audits:
            typer.echo("No audits yet. Create one with: sgaudit audit create --org NAME --title T")
            return
        counts = audits_counts(s, audits)
        rows = []
        for a in audits:
            n = counts[a.id]
            rows.append(
                [
                    a.id,
                    a.organisation.name,
                    a.title,
                    a.start_date or "",
                    a.status,
                    f"{a.question_set_id} v{a.question_set_version}",
                    n["interviews"],
                    n["answers"],
                    a.previous_audit_id or "",
                ]
            )
        typer.echo(
            table(
                [
                    "Id",
                    "Organisation",
                    "Title",
                    "Start",
                    "Status",
                    "Questions",
                    "Interviews",
                    "Answers",
                    "Previous",
                ],
                rows,
            )
        )


@audit_app.command("show")
def audit_show(audit_id: AuditArg, db: str | None = DB_OPTION) -> None:
    """Show an audit: its fields, question set and fieldwork so far."""
    from collections import Counter

    from sgaudit.store import repo

    with open_store(db) as s:
        a = repo.get_audit(s, audit_id)
        n = repo.audit_counts(s, a)
        interviews = repo.list_interviews(s, a)
        by_tier = Counter(iv.tier for iv in interviews)
        lines = [
            f"Audit {a.id}: {a.title}",
            f"  Organisation:  {a.organisation.name} ({', '.join(a.organisation.area_names)})",
            f"  Dates:         {a.start_date or '?'} to {a.end_date or '?'}",
            f"  Auditors:      {', '.join(x for x in (a.auditor_1, a.auditor_2) if x) or '-'}",
            f"  Scope:         {a.scope}",
            f"  Status:        {a.status} (version {a.version})",
            f"  Question set:  {a.question_set_id} v{a.question_set_version}",
            f"  Previous:      {a.previous_audit_id or '-'}",
            f"  Interviews:    {n['interviews']} ("
            + (", ".join(f"{t} {c}" for t, c in sorted(by_tier.items())) or "none")
            + ")",
            f"  Answers:       {n['answers']}",
            f"  Recommendations: {len(repo.list_recommendations(s, a))}",
        ]
        typer.echo("\n".join(lines))


# ---- question sets ---------------------------------------------------------------------
@qs_app.command("validate")
def questionnaires_validate(
    path: Annotated[Path, typer.Argument(help="A question set folder (_set.yaml + theme files).")],
) -> None:
    """Check a question set folder; print every problem (exit 1) or a summary."""
    from sgaudit.questionnaire import load_question_set
    from sgaudit.vocab import TIERS

    try:
        qs = load_question_set(path)
    except QuestionnaireError as exc:
        raise QuestionnaireError(
            [f"{printed.count(len(exc.problems), 'problem')} in {path}:"]
            + [f"  - {p}" for p in exc.problems]
        ) from None
    typer.echo(f"OK: {qs.title} ({qs.id} v{qs.version})")
    typer.echo(f"  {len(qs.themes)} themes, {len(qs.questions)} questions, {len(qs.scales)} scales")
    for tier in TIERS:
        typer.echo(f"  {tier:<14} {len(qs.questions_for_tier(tier)):>4} questions")


@qs_app.command("coverage")
def questionnaires_coverage(
    path: Annotated[
        Path | None, typer.Argument(help="A question set folder (default: the core set).")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 if a code is undetected or a thread unmeasurable."),
    ] = False,
) -> None:
    """Which codes each question detects; which themes reach front line and board."""
    from sgaudit.commands._core_format import table
    from sgaudit.questionnaire import load_question_set
    from sgaudit.questionnaire.coverage import coverage_report

    qs = load_question_set(path)
    report = coverage_report(qs)
    rows = [
        [
            t.theme,
            t.questions,
            "/".join(t.aspects),
            ", ".join(t.tiers),
            ", ".join(t.thread_questions) or "NONE",
        ]
        for t in report.themes
    ]
    typer.echo(f"Coverage of {qs.id} v{qs.version}\n")
    typer.echo(
        table(
            ["Theme", "Questions", "Aspects", "Tiers reached", "Asked at front_line and board"],
            rows,
        )
    )
    typer.echo("")
    codes = [[code, ", ".join(ids) or "NOT DETECTED"] for code, ids in report.detected_by.items()]
    if codes:
        typer.echo(table(["Code", "Detected by"], codes))
        typer.echo("")
    if report.ok:
        typer.echo("OK: every code is detected and every theme's thread can be measured.")
        return
    gaps = []
    if report.undetected_codes:
        gaps.append("codes no question detects: " + ", ".join(report.undetected_codes))
    if report.themes_without_thread:
        gaps.append(
            "themes with no question at both front_line and board: "
            + ", ".join(report.themes_without_thread)
        )
    if strict:
        raise SgauditError("; ".join(gaps))
    typer.echo("Gaps: " + "; ".join(gaps))


# ---- the demo --------------------------------------------------------------------------
def demo(
    org: Annotated[
        str | None, typer.Option("--org", help="Name for the demo organisation.")
    ] = None,
    db: str | None = DB_OPTION,
) -> None:
    """Build the demo organisation with a baseline audit and a re-audit a year later."""
    from sgaudit.demo import DEMO_ORGANISATION, build_demo

    with open_store(db) as s:
        result = build_demo(s, org or DEMO_ORGANISATION)
    b, r = result.baseline_audit_id, result.reaudit_audit_id
    typer.echo(f"Built the demo organisation '{result.org}'.")
    typer.echo(f"  Baseline audit: {b}")
    typer.echo(f"  Re-audit a year later: {r}")
    typer.echo("Next steps:")
    typer.echo(f"  sgaudit analyse {r}")
    typer.echo(f"  sgaudit analyse {r} --format json")
    typer.echo(f"  sgaudit compare {b} {r}")
    typer.echo(f"  sgaudit report {r} --compare {b} --out report.docx")
    typer.echo(f"  sgaudit template {r} --out answers.xlsx")


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")
    app.add_typer(audit_app, name="audit")
    app.add_typer(qs_app, name="questionnaires")
    app.command("demo")(demo)
