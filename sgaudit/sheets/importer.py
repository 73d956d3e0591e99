"""Import answers from a long answer sheet (CSV/XLSX): all of it, or nothing.

The whole file is read and checked first; every problem is collected with its row
(as a spreadsheet shows it: the header is row 1) and column. If there is any
problem, `ImportError_` lists them all and nothing is written. Otherwise every
interview and answer is written in one transaction, committed at the end.

Format: `long` when the header has `question_id` and `answer` columns, otherwise
`wide` (a survey export, one row per respondent). A wide file is imported by
`sgaudit.surveys.import_file` (as `sgaudit import` and the app do), which reads each
survey's own consent question; here it is refused. See docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.access.policy import CAPTURE
from sgaudit.errors import ImportError_, Problem, SgauditError
from sgaudit.sheets.changes import INTERVIEW_CHANGEABLE, Change, plan_import
from sgaudit.sheets.columns import header_key
from sgaudit.sheets.consent import consent_problems
from sgaudit.sheets.layout import long_layout
from sgaudit.sheets.matching import area_lookup, match_key, mode_lookup, tier_lookup
from sgaudit.sheets.reading import ROW, read_table
from sgaudit.sheets.validate import Defaults, validate_rows
from sgaudit.store import repo
from sgaudit.store.bulk import write_plan
from sgaudit.store.models import Interview, Response
from sgaudit.store.scope import check
from sgaudit.vocab import CAPTURE_TIERS, MODES

FORMATS: tuple[str, ...] = ("long", "wide")


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote (or, for a dry run, would write)."""

    file: str
    format: str
    dry_run: bool
    rows_read: int
    interviews_created: int
    interviews_updated: int
    answers_created: int
    answers_updated: int
    # Answers the file gives exactly as they are stored (a survey re-imported): not written.
    answers_unchanged: int = 0
    # Every stored value the import changes (or would change), old and new.
    changes: tuple[Change, ...] = ()

    @property
    def answers_written(self) -> int:
        return self.answers_created + self.answers_updated

    def message(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        head = f"{self.file} ({self.format} format): checked, no problems. " if self.dry_run else ""
        return (
            f"{head}{verb.capitalize()} {printed.count(self.answers_written, 'answer')} "
            f"({self.answers_created:,} new, {self.answers_updated:,} updated"
            + (f", {self.answers_unchanged:,} unchanged" if self.answers_unchanged else "")
            + ") in "
            f"{printed.count(self.interviews_created, 'new interview')} and "
            f"{printed.count(self.interviews_updated, 'existing interview')}."
            + (" Nothing was written (dry run)." if self.dry_run else "")
        )

    def changes_text(self) -> str:
        """The stored values this import changes, one per line ("" when none)."""
        if not self.changes:
            return ""
        verb = "would change" if self.dry_run else "changed"
        lines = [f"{printed.count(len(self.changes), 'stored value')} {verb}:"]
        lines += [f"  - {c.describe()}" for c in self.changes]
        return "\n".join(lines)


def detect_format(columns: list[str]) -> str:
    keys = {header_key(c) for c in columns}
    return "long" if {"question_id", "answer"} <= keys else "wide"


def import_answers(
    session: Session,
    audit_id: int | str,
    path: str | Path,
    *,
    format: str | None = None,
    tier: str | None = None,
    area: str | None = None,
    mode: str | None = None,
    auditor: str = "",
    ignore_columns: tuple[str, ...] | list[str] = (),
    encoding: str | None = None,
    dry_run: bool = False,
    clear_blanks: bool = False,
    actor: str = "",
    before_writing: Callable[[ImportSummary], None] | None = None,
) -> ImportSummary:
    """Check `path` completely, then write its answers into the audit (unless `dry_run`).

    Raises ImportError_ listing every problem (nothing written). Commits on success.
    `mode` and `auditor` fill interviews whose rows leave them blank (default mode:
    `interview`). `tier` and `area` are refused (a long sheet has them in its own
    columns); a wide file is refused, naming `surveys.import_file`.

    Re-importing: a blank cell leaves the stored value as it is, unless
    `clear_blanks` (then a blank answer and note remove the stored answer). The
    summary lists every stored value that changes, and the change log keeps one entry
    for the import with the counts, the file and each change's old and new value
    (never a note's text). `before_writing(summary)` is called with that list after
    every check and before the first write (the CLI prints it there).
    """
    audit = repo.get_audit(session, audit_id)
    check(session, CAPTURE, audit)
    qs = repo.audit_question_set(audit)
    areas = audit.organisation.area_names
    path = Path(path)
    if format is not None and format not in FORMATS:
        raise SgauditError(f"format must be one of {', '.join(FORMATS)}, not '{format}'")

    table = read_table(path, encoding=encoding)
    fmt = format or detect_format([c for c in table.frame.columns if c != ROW])
    if fmt != "long":
        # One way in for survey exports, so each is read with its own consent question.
        raise SgauditError(
            f"{table.name} is not a long answer sheet (its header has no question_id and "
            "answer columns): import a survey export or wide sheet with `sgaudit import` "
            "or sgaudit.surveys.import_file"
        )
    problems: list[Problem] = list(table.problems)
    problems += _option_problems(table.name, tier, area, mode, areas)
    layout = long_layout(table, ignore_columns, keep_blank_answers=clear_blanks)
    problems += layout.problems
    existing = _existing_interviews(session, audit.id)
    defaults = Defaults(
        mode=_canon(mode, mode_lookup()) or "interview",
        auditor=auditor,
    )
    rows, row_problems = validate_rows(
        layout.rows,
        qs,
        areas,
        existing[["code", "tier", "service_area"]],
        file=table.name,
        where=layout.where,
        defaults=defaults,
        reported=layout.reported,
    )
    problems += row_problems
    consent_trouble, consent_changes = consent_problems(
        rows, _stored_consent(session, audit.id), file=table.name, column=layout.where["consent"]
    )
    problems += consent_trouble
    if problems:
        # the line counting problems not listed stays last
        raise ImportError_(sorted(problems, key=lambda p: p.more > 0))

    plan = plan_import(
        rows,
        existing.drop(columns=["tier", "service_area"]),
        _stored_answers(session, audit.id),
        clear_blanks=clear_blanks,
    )
    summary = ImportSummary(
        file=table.name,
        format=fmt,
        dry_run=dry_run,
        rows_read=len(table.frame),
        interviews_created=len(plan.new_interviews),
        interviews_updated=int(rows["interview_id"].nunique()) - len(plan.new_interviews),
        answers_created=len(plan.new_answers),
        answers_updated=plan.matched_answers,
        changes=(*plan.changes, *consent_changes),
    )
    if dry_run:
        return summary
    if before_writing is not None:
        before_writing(summary)
    try:
        # The new interviews all said consent yes (`consent_problems` refused any other).
        write_plan(session, audit.id, plan, actor=actor, consent_given=True)
        _record_consent(session, audit.id, [c.interview_id for c in consent_changes])
        repo.log_change(
            session,
            "import",
            "answers",
            table.name,
            actor=actor,
            audit_id=audit.id,
            detail={
                "file": table.name,
                "format": fmt,
                "rows": len(table.frame),
                "answers": summary.answers_written,
                "answers_created": summary.answers_created,
                "answers_matched": summary.answers_updated,
                "answers_removed": len(plan.answer_deletes),
                "interviews_created": summary.interviews_created,
                "interviews_updated": len(plan.interview_updates),
                "clear_blanks": clear_blanks,
                "changes": [c.to_log() for c in summary.changes],
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return summary


def _canon(value: str | None, lookup: dict[str, str]) -> str | None:
    if value is None or not value.strip():
        return None
    return lookup.get(match_key(value), value)


def _option_problems(file, tier, area, mode, areas) -> list[Problem]:
    """Problems with values given as options, reported once rather than on every row."""
    out = []
    if tier and match_key(tier) not in tier_lookup():
        out.append(
            Problem(
                file,
                None,
                None,
                f"--tier: unknown tier '{tier}'; expected one of {', '.join(CAPTURE_TIERS)}",
            )
        )
    if area and match_key(area) not in area_lookup(areas):
        out.append(
            Problem(
                file,
                None,
                None,
                f"--area: unknown service area '{area}'; the organisation has {', '.join(areas)}",
            )
        )
    if mode and match_key(mode) not in mode_lookup():
        out.append(
            Problem(
                file,
                None,
                None,
                f"--mode: unknown mode '{mode}'; expected one of {', '.join(MODES)}",
            )
        )
    if tier or area:
        out.append(
            Problem(
                file,
                None,
                None,
                "--tier and --area are for survey exports; a long "
                "file gives them in its tier and service_area columns",
            )
        )
    return out


def _existing_interviews(session: Session, audit_id: int) -> pd.DataFrame:
    columns = ["code", "tier", "service_area", "id", *INTERVIEW_CHANGEABLE]
    rows = session.execute(
        select(
            Interview.code,
            Interview.tier,
            Interview.service_area,
            Interview.id,
            *(getattr(Interview, c) for c in INTERVIEW_CHANGEABLE),
        ).where(Interview.audit_id == audit_id)
    ).all()
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _stored_consent(session: Session, audit_id: int) -> pd.DataFrame:
    """Each stored interview's consent: code, id, consent_confirmed, withdrawn."""
    rows = session.execute(
        select(
            Interview.code,
            Interview.id,
            Interview.consent_confirmed,
            Interview.consent_withdrawn_at.is_not(None),
        ).where(Interview.audit_id == audit_id)
    ).all()
    return pd.DataFrame(
        rows, columns=["code", "id", "consent_confirmed", "withdrawn"], dtype=object
    )


def _record_consent(session: Session, audit_id: int, codes: list[str]) -> None:
    """Stored interviews the sheet says consented to: consent given (one bulk UPDATE)."""
    if codes:
        session.execute(
            update(Interview)
            .where(Interview.audit_id == audit_id, Interview.code.in_(sorted(codes)))
            .values(consent_confirmed=True)
        )


def _existing_answers(session: Session, audit_id: int) -> set[tuple[str, str]]:
    """(interview code, question id) of every stored answer of the audit."""
    stored = _stored_answers(session, audit_id)
    return set(zip(stored["code"], stored["question_id"], strict=True))


def _write(session: Session, audit, rows: pd.DataFrame, actor: str = "") -> None:
    """Write validated rows (as `validate_rows` returns them) into the audit, in bulk:
    new interviews and answers added, stored ones changed only where the file gives a
    value (for the survey importer, which words its own summary and change log)."""
    plan = plan_import(
        rows,
        _existing_interviews(session, audit.id).drop(columns=["tier", "service_area"]),
        _stored_answers(session, audit.id),
    )
    write_plan(session, audit.id, plan, actor=actor)


def _stored_answers(session: Session, audit_id: int) -> pd.DataFrame:
    rows = session.execute(
        select(
            Response.id,
            Interview.code,
            Response.question_id,
            Response.answer,
            Response.note,
            Response.quotable,
        )
        .join(Response, Response.interview_id == Interview.id)
        .where(Interview.audit_id == audit_id)
    ).all()
    return pd.DataFrame(
        rows, columns=["id", "code", "question_id", "answer", "note", "quotable"], dtype=object
    )
