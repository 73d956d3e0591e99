"""`sgaudit interview list|correct|withdraw|clear-answer|erase`, `sgaudit audit erase`,
`sgaudit org erase`: finding, correcting and erasing records (UK GDPR rights).

Thin shell over `sgaudit.store.corrections` and `sgaudit.store.erasure`. Every erasure
asks for confirmation (or `--yes`); every change is written to the change log with who
made it (`--as`), never with the erased content.
"""

from __future__ import annotations

from typing import Annotated

import typer

from sgaudit import printed
from sgaudit.commands._common import DB_OPTION, open_store
from sgaudit.commands.core import _date, audit_app, org_app

interview_app = typer.Typer(
    help="List the interviews; correct one's record, withdraw its consent, clear an answer, "
    "erase it.",
    no_args_is_help=True,
)

AuditArg = Annotated[str, typer.Argument(help="The audit's id (see `sgaudit audit list`).")]
CodeArg = Annotated[str, typer.Argument(help="The interview's respondent code, e.g. FL-7K3QX.")]
ActorOpt = Annotated[str, typer.Option("--as", help="Your name, for the change log.")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Erase without asking for confirmation.")]


def _confirm(what: str, yes: bool) -> None:
    if not yes and not typer.confirm(f"Erase {what}? This cannot be undone.", default=False):
        typer.echo("Nothing was erased.")
        raise typer.Exit(1)


def _interview(s, audit_id: str, code: str):
    from sgaudit.store import repo
    from sgaudit.store.corrections import find_interview

    return find_interview(s, repo.get_audit(s, audit_id), code)


@interview_app.command("list")
def interview_list(audit_id: AuditArg, db: str | None = DB_OPTION) -> None:
    """List the audit's interviews: code, tier, area, mode, people, date, consent, progress."""
    from sgaudit.commands._core_format import table
    from sgaudit.store.capture import interview_summaries
    from sgaudit.store.trail import open_for
    from sgaudit.vocab import MODE_LABELS, tier_short_label

    with open_store(db) as s:  # a read of the interviews, recorded in the trail
        rows = interview_summaries(s, open_for(s, "view_interviews", audit_id))
    if not rows:
        typer.echo(f"Audit {audit_id} has no interviews yet.")
        return

    def consent(r) -> str:
        return "withdrawn" if r.consent_withdrawn else "given" if r.consent_confirmed else "not yet"

    headers = ["Code", "Tier", "Service area", "Mode", "People", "Held on", "Consent",
               "Answered", "Complete"]  # fmt: skip
    typer.echo(
        table(
            headers,
            [
                [r.code, tier_short_label(r.tier), r.service_area, MODE_LABELS.get(r.mode, r.mode),
                 r.people, r.held_on.isoformat() if r.held_on else "-", consent(r),
                 f"{r.answered}/{r.asked}", "yes" if r.completed else "no"]  # fmt: skip
                for r in rows
            ],
        )
    )
    withdrawn = sum(r.consent_withdrawn for r in rows)
    typer.echo(
        f"{printed.count(len(rows), 'record')}"
        + (
            f"; {withdrawn} with consent withdrawn, left out of every analysis, report and "
            "export"
            if withdrawn
            else ""
        )
        + "."
    )


@interview_app.command("correct")
def interview_correct(
    audit_id: AuditArg,
    code: CodeArg,
    tier: Annotated[str | None, typer.Option("--tier", help="The right tier.")] = None,
    area: Annotated[str | None, typer.Option("--area", help="The right service area.")] = None,
    mode: Annotated[
        str | None, typer.Option("--mode", help="interview, focus_group, survey or document.")
    ] = None,
    held_on: Annotated[
        str | None, typer.Option("--date", help="The date it was held, YYYY-MM-DD.")
    ] = None,
    people: Annotated[int | None, typer.Option("--people", help="The group's head count.")] = None,
    erase_answers: Annotated[
        bool,
        typer.Option(
            "--erase-answers-outside-tier",
            help="With --tier: erase the answers the new tier is not asked (listed first).",
        ),
    ] = False,
    actor: ActorOpt = "",
    db: str | None = DB_OPTION,
) -> None:
    """Correct an interview's tier, service area, mode, date or group size."""
    from sgaudit.store.corrections import correct_interview

    with open_store(db) as s:
        interview = _interview(s, audit_id, code)
        erased = correct_interview(
            s,
            interview,
            tier=tier,
            service_area=area,
            mode=mode,
            held_on=_date(held_on, "--date"),
            people=people,
            erase_answers_outside_tier=erase_answers,
            actor=actor,
        )
    typer.echo(f"Interview {code} corrected.")
    if erased:
        typer.echo(
            f"Erased {printed.count(len(erased), 'answer')} the new tier is not asked: "
            f"{', '.join(erased)}"
        )


@interview_app.command("withdraw")
def interview_withdraw(
    audit_id: AuditArg, code: CodeArg, actor: ActorOpt = "", db: str | None = DB_OPTION
) -> None:
    """Record that consent was withdrawn: the interview leaves every analysis and export."""
    from sgaudit.store.erasure import withdraw_consent

    with open_store(db) as s:
        withdraw_consent(s, _interview(s, audit_id, code), actor=actor)
    typer.echo(
        f"Consent withdrawn for interview {code}: it is left out of every analysis, report "
        f"and export. Erase its answers with: sgaudit interview erase {audit_id} {code}"
    )


@interview_app.command("clear-answer")
def interview_clear_answer(
    audit_id: AuditArg,
    code: CodeArg,
    question: Annotated[str, typer.Argument(help="The question id, e.g. DSL-01.")],
    actor: ActorOpt = "",
    yes: YesOpt = False,
    db: str | None = DB_OPTION,
) -> None:
    """Erase one answer of an interview, with its note."""
    from sgaudit.store.erasure import clear_answer

    _confirm(f"the answer of {code} to {question}", yes)
    with open_store(db) as s:
        found = clear_answer(s, _interview(s, audit_id, code), question, actor=actor)
    typer.echo(
        f"Answer {question} of {code} erased."
        if found
        else f"{code} has no answer to {question}; nothing was erased."
    )


@interview_app.command("erase")
def interview_erase(
    audit_id: AuditArg,
    code: CodeArg,
    actor: ActorOpt = "",
    yes: YesOpt = False,
    db: str | None = DB_OPTION,
) -> None:
    """Erase an interview with all its answers and notes."""
    from sgaudit.store.erasure import erase_interview

    _confirm(f"interview {code} and all its answers", yes)
    with open_store(db) as s:
        n = erase_interview(s, _interview(s, audit_id, code), actor=actor)
    typer.echo(f"Interview {code} erased with its {printed.count(n, 'answer')}.")


@audit_app.command("erase")
def audit_erase(
    audit_id: AuditArg, actor: ActorOpt = "", yes: YesOpt = False, db: str | None = DB_OPTION
) -> None:
    """Erase an audit: its interviews, answers, registers, findings and recommendations."""
    from sgaudit.store import repo
    from sgaudit.store.erasure import erase_audit

    _confirm(f"audit {audit_id} and everything recorded in it", yes)
    with open_store(db) as s:
        counts = erase_audit(s, repo.get_audit(s, audit_id), actor=actor)
    typer.echo(f"Audit {audit_id} erased: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@org_app.command("erase")
def org_erase(
    organisation: Annotated[str, typer.Argument(help="The organisation's name or id.")],
    actor: ActorOpt = "",
    yes: YesOpt = False,
    db: str | None = DB_OPTION,
) -> None:
    """Erase an organisation with all its audits."""
    from sgaudit.store import repo
    from sgaudit.store.erasure import erase_organisation

    _confirm(f"organisation '{organisation}' and all its audits", yes)
    with open_store(db) as s:
        totals = erase_organisation(s, repo.get_organisation(s, organisation), actor=actor)
    typer.echo(
        f"Organisation '{organisation}' erased: " + ", ".join(f"{v} {k}" for k, v in totals.items())
    )


def register(app: typer.Typer) -> None:
    """`interview` is a group of its own; `audit erase` and `org erase` join core's groups."""
    app.add_typer(interview_app, name="interview")
