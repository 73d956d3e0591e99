"""`sgaudit double-score`, `sgaudit agreement`, `sgaudit moderation list|settle`.

Thin shell over `sgaudit.store.double_scoring` and `sgaudit.store.moderation`.
"""

from __future__ import annotations

import textwrap
from typing import Annotated

import typer

from sgaudit import printed
from sgaudit.commands._common import DB_OPTION, open_store

moderation_app = typer.Typer(
    help="Items the two auditors scored two or more points apart.", no_args_is_help=True
)
AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]


def _interview(session, audit, code: str):
    from sqlalchemy import select

    from sgaudit.errors import NotFound
    from sgaudit.store.models import Interview

    iv = session.scalar(
        select(Interview).where(Interview.audit_id == audit.id, Interview.code == code)
    )
    if iv is None:
        raise NotFound(f"audit {audit.id} has no interview '{code}'")
    return iv


def _fmt(value) -> str:
    if value is None or value != value:  # None or NaN
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def double_score(
    audit_id: AuditArg,
    code: Annotated[str, typer.Argument(help="The interview's code, e.g. FL-7K3QX.")],
    actor: Annotated[str, typer.Option("--as", help="Your name, for the audit trail.")],
    second_scorer: Annotated[
        str,
        typer.Option(
            "--second-scorer",
            help="Who scores it a second time (default: the audit's second auditor).",
        ),
    ] = "",
    db: str | None = DB_OPTION,
) -> None:
    """Mark an interview or document review to be scored by both auditors, blind."""
    from sgaudit.store import double_scoring, repo

    with open_store(db) as s:
        iv = _interview(s, repo.get_audit(s, audit_id), code)
        double_scoring.mark_double_scored(s, iv, second_scorer=second_scorer, actor=actor)
        typer.echo(f"Interview {iv.code} is double-scored: {iv.second_scorer} scores it too.")


def agreement(audit_id: AuditArg, db: str | None = DB_OPTION) -> None:
    """Agreement between the two auditors per theme and overall, on finished interviews."""
    from sgaudit.analysis.agreement import READING_NOTE, alpha_reading
    from sgaudit.commands._core_format import table
    from sgaudit.store import repo
    from sgaudit.store.moderation import audit_agreement

    with open_store(db) as s:
        result = audit_agreement(s, repo.get_audit(s, audit_id))
    if result.interviews == 0:
        typer.echo("No double-scored interview is finished by both auditors yet.")
        return
    rows = [
        [
            r.theme,
            r.items,
            r.complete_pairs,
            _fmt(r.percent_agreement),
            _fmt(r.kappa),
            _fmt(r.alpha),
            alpha_reading(r.alpha),
            r.two_or_more_apart,
        ]
        for r in result.table.itertuples(index=False)
    ]
    typer.echo(
        f"{printed.count(result.interviews, 'double-scored interview')}; "
        f"{printed.count(result.moderated, 'item')} moderated."
    )
    typer.echo(
        table(
            [
                "theme",
                "items",
                "pairs",
                "% same",
                "kappa (quad.)",
                "alpha (ord.)",
                "reading",
                ">=2 apart",
            ],
            rows,
        )
    )
    typer.echo(textwrap.fill(READING_NOTE, 88))


@moderation_app.command("list")
def moderation_list(audit_id: AuditArg, db: str | None = DB_OPTION) -> None:
    """The items two or more scale points apart, open ones first, with any agreed score."""
    from sgaudit.store import repo
    from sgaudit.store.moderation import audit_agreement

    with open_store(db) as s:
        mod = audit_agreement(s, repo.get_audit(s, audit_id)).moderation
    if mod.empty:
        typer.echo("Nothing to moderate.")
        return
    for r in mod.sort_values("agreed", key=lambda c: c != "").itertuples(index=False):
        state = f"agreed {r.agreed} ({r.moderated_by}: {r.reason})" if r.agreed else "OPEN"
        typer.echo(f"{r.interview_id} {r.question_id}: {r.first} / {r.second} -> {state}")


@moderation_app.command("settle")
def moderation_settle(
    audit_id: AuditArg,
    code: Annotated[str, typer.Argument(help="The interview's code.")],
    question: Annotated[str, typer.Argument(help="The question id, e.g. CUL-02.")],
    answer: Annotated[str, typer.Argument(help="The agreed answer (a value of the scale).")],
    reason: Annotated[str, typer.Option("--reason", help="Why this is the agreed score.")],
    actor: Annotated[str, typer.Option("--as", help="Your name (the lead auditor).")],
    db: str | None = DB_OPTION,
) -> None:
    """Record the agreed score of one item and the reason; it becomes the answer analysed."""
    from sgaudit.store import repo
    from sgaudit.store.moderation import moderate

    with open_store(db) as s:
        iv = _interview(s, repo.get_audit(s, audit_id), code)
        row = moderate(s, iv, question, answer, reason=reason, actor=actor)
        typer.echo(
            f"{code} {question}: agreed {row.agreed_answer} (was {row.first_answer} / "
            f"{row.second_answer})."
        )


def register(app: typer.Typer) -> None:
    app.command("double-score")(double_score)
    app.command("agreement")(agreement)
    app.add_typer(moderation_app, name="moderation")
