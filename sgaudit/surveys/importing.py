"""Import a survey export as downloaded: all of it, or nothing.

The export is recognised (`detect`), its personal columns dropped as it is read, its
columns placed (`matching`), its respondents keyed (`respondents`) and found among
those already stored (`stored`), and it is turned
into the canonical wide frame (one row per respondent: `interview_id`, `tier`,
`service_area`, one column per question id) that the answer-sheet validation and
write path consume. Every problem is reported with the row and the column of the
file as downloaded; nothing is written unless there are none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from sgaudit import printed
from sgaudit.errors import ImportError_, Problem
from sgaudit.sheets.changes import ImportPlan, plan_import
from sgaudit.sheets.importer import ImportSummary, _existing_interviews, _stored_answers
from sgaudit.sheets.layout import WideOptions, wide_layout
from sgaudit.sheets.reading import ROW, Table, read_records, table_from_records
from sgaudit.sheets.validate import Defaults, validate_rows
from sgaudit.store import repo
from sgaudit.store.bulk import write_plan
from sgaudit.store.erased_responses import erased_rows
from sgaudit.surveys.by_answers import place_by_answers
from sgaudit.surveys.detect import PLAIN, SurveyTool, merge_two_header_rows, recognise
from sgaudit.surveys.groups import areas_of, consented, mode_option, modes_of, tiers_of
from sgaudit.surveys.maps import read_column_map, starter_map_rows, write_column_map
from sgaudit.surveys.matching import plan_columns, unplaced_problems
from sgaudit.surveys.options import OptionNames, SurveyOptions
from sgaudit.surveys.respondents import find_header, response_keys
from sgaudit.surveys.stored import (
    mark_consented_and_complete,
    remember_keys,
    respondent_codes,
    stored_respondents,
)
from sgaudit.surveys.times import (
    completion_dates,
    fieldwork_dates,
    future_date_problems,
    outside_fieldwork,
    today,
)
from sgaudit.surveys.versions import version_problems


@dataclass(frozen=True)
class SurveyImport:
    """What a survey import wrote (or would write), and what it recognised and dropped."""

    summary: ImportSummary
    tool: str
    dropped: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    without_consent: int = 0
    # True when the export has no consent question: taking part (submitting the survey) is
    # the consent, as the survey's introduction should say; the import records it as given.
    consent_by_submitting: bool = False
    # (row, date) of responses completed outside the audit's start and end dates: imported
    # (fieldwork runs over), but said, as a file of another audit would show so.
    outside_fieldwork: tuple[tuple[int, str], ...] = ()
    fieldwork: str = ""  # the audit's dates as the warning names them
    erased_before: int = 0  # responses whose interviews were erased: not imported again
    map_written: str | None = None
    found: tuple[tuple[str, str], ...] = ()  # (tier | service_area, header) found by answers
    free_text: tuple[str, ...] = ()  # columns left out as free text, not kept
    names: OptionNames = OptionNames()

    def message(self) -> str:
        if self.tool == "long":
            return self.summary.message()
        lines = [f"Recognised {self.summary.file} as {self.tool} export."]
        if self.dropped:
            lines.append(
                "Personal columns dropped as the file was read, not kept: "
                + ", ".join(self.dropped)
                + "."
            )
        if self.found:
            lines.append(
                "; ".join(
                    f"{what.replace('_', ' ').capitalize() if i == 0 else what.replace('_', ' ')} "
                    f"from column '{header}'"
                    for i, (what, header) in enumerate(self.found)
                )
                + " (found by their answers)."
            )
        if self.free_text:
            lines.append(
                "Free-text columns left out, not kept (free text in an anonymous survey can "
                "identify people): "
                + ", ".join(f"'{h}'" for h in self.free_text)
                + f". To keep one, send it to a free-text question of the set in "
                f"{self.names.column_map}."
            )
        if self.without_consent:
            lines.append(
                f"{printed.count(self.without_consent, 'response')} left out, not imported: "
                f"{'its' if self.without_consent == 1 else 'their'} answer to the consent "
                "question was not yes (no answers are kept without consent)."
            )
        if self.consent_by_submitting and not self.map_written:
            lines.append(
                "The file has no consent question: submitting the survey is taken as consent "
                "(say so in the survey's introduction), and consent is recorded as given."
            )
        if self.erased_before:
            lines.append(
                f"{printed.count(self.erased_before, 'response')} of people erased from this audit "
                "(or who withdrew consent before it was archived) "
                f"{'was' if self.erased_before == 1 else 'were'} left out, "
                "as they will be from every later export."
            )
        if self.outside_fieldwork:
            n = len(self.outside_fieldwork)
            shown = ", ".join(f"row {r} ({d})" for r, d in self.outside_fieldwork[:5])
            lines.append(
                f"Warning: {printed.count(n, 'response')} {'was' if n == 1 else 'were'} "
                f"completed outside the audit's fieldwork dates ({self.fieldwork}): {shown}"
                + (f" and {n - 5} more" if n > 5 else "")
                + ". Imported with those dates; check the file is this audit's."
            )
        if self.map_written:
            lines.append(
                f"Wrote a starter map to {self.map_written}: fill in maps_to for each column "
                "(a question id, tier, service_area, mode, consent or ignore), then import "
                "with --map. Nothing was imported."
            )
        else:
            lines.append(self.summary.message())
        return "\n".join(lines)


def read_export(path: str | Path, encoding: str | None = None) -> tuple[SurveyTool, Table]:
    """The tool that wrote `path` and its cells (two header rows merged into one)."""
    path = Path(path)
    header, rows = read_records(path, encoding=encoding)
    tool = recognise(header, rows[0] if rows else None)
    first_row = 2
    if tool.header_rows == 2:
        header, rows, first_row = merge_two_header_rows(header, rows[0]), rows[1:], 3
    return tool, table_from_records(path.name, header, rows, first_row=first_row)


def import_survey(
    session: Session,
    audit_id: int | str,
    path: str | Path,
    options: SurveyOptions = SurveyOptions(),
    *,
    dry_run: bool = False,
    actor: str = "",
) -> SurveyImport:
    """Check a survey export completely, then write its respondents (unless `dry_run`).

    Raises ImportError_ listing every problem; nothing is written then. Commits on
    success. With `options.write_map`, writes a starter map and imports nothing.
    """
    from sgaudit.access.policy import CAPTURE
    from sgaudit.store.scope import check

    audit = repo.get_audit(session, audit_id)
    check(session, CAPTURE, audit)
    qs = repo.audit_question_set(audit)
    areas = audit.organisation.area_names
    tool, table = read_export(path, options.encoding)
    name = table.name
    headers = [h for h in table.frame.columns if h != ROW]
    column_map = read_column_map(options.column_map) if options.column_map else {}
    plan = plan_columns(
        name,
        headers,
        tool,
        qs,
        column_map=column_map,
        tier_column=options.tier_column,
        area_column=options.area_column,
        ignore_columns=tuple(options.ignore_columns),
    )
    # Personal columns go before anything else looks at the rows.
    frame = table.frame.drop(columns=plan.dropped)
    placed = place_by_answers(name, frame, plan, qs, options, areas)
    plan.problems += unplaced_problems(name, plan, qs, options.names)
    found = tuple(placed.found)
    free_text = tuple(placed.free_text)
    if options.write_map:
        write_column_map(options.write_map, starter_map_rows(headers, plan, free_text))
        summary = ImportSummary(name, tool.id, True, len(frame), 0, 0, 0, 0)
        return SurveyImport(
            summary,
            tool.name,
            tuple(plan.dropped),
            tuple(plan.ignored),
            map_written=str(options.write_map),
            found=found,
            free_text=free_text,
            names=options.names,
        )

    problems: list[Problem] = list(table.problems) + plan.problems
    problems += version_problems(name, frame, tool, qs)
    keep, without_consent = consented(frame, plan)
    frame = frame[keep]
    erased_before = 0
    if not (tool is PLAIN and find_header(headers, ("interview_id",))):
        # people whose interviews were erased stay erased, in every later export
        row_keys, _, _ = response_keys(name, frame, tool)
        gone = erased_rows(session, audit.id, row_keys)
        frame, erased_before = frame[~gone.to_numpy()], int(gone.sum())

    tier, tier_problems = tiers_of(name, frame, plan, options)
    area, area_problems = areas_of(name, frame, plan, options, areas)
    tier_problems = [placed.ambiguous["tier"]] if "tier" in placed.ambiguous else tier_problems
    if "service_area" in placed.ambiguous:
        area_problems = [placed.ambiguous["service_area"]]
    problems += tier_problems + area_problems
    codes_given = tool is PLAIN and find_header(headers, ("interview_id",))
    if codes_given:
        keys = None
        codes = frame[codes_given].astype(str).str.strip()
    else:
        keys, _, key_problems = response_keys(name, frame, tool)
        problems += key_problems
        codes = respondent_codes(session, audit.id, keys, tier)

    dates = pd.Series("", index=frame.index, dtype=object)
    time_header = find_header(headers, tool.time_columns)
    if time_header and time_header not in plan.dropped:
        dates, bad = completion_dates(frame[time_header], tool.date_orders)
        if bad is not None:
            problems.append(
                Problem(
                    name,
                    None,
                    time_header,
                    (
                        f"'{bad}' is not a date and time this import can read; the column's dates "
                        "become the interview dates"
                    ),
                    whole_column=True,
                )
            )
        problems += future_date_problems(name, frame[ROW], dates, time_header, today())
    outside = outside_fieldwork(frame[ROW], dates, audit.start_date, audit.end_date)
    mode = modes_of(frame, plan)

    canonical = pd.DataFrame(
        {ROW: frame[ROW], "interview_id": codes, "tier": tier, "service_area": area}
    )
    header_of = {q: h for h, q in plan.questions.items()}
    for h, q in plan.questions.items():
        canonical[q] = _answers(frame[h], tool)
    layout = wide_layout(Table(name, canonical), list(header_of), WideOptions())
    rows = layout.rows
    rows["date"] = rows[ROW].map(dict(zip(frame[ROW], dates, strict=True))).fillna("")
    rows["mode"] = rows[ROW].map(dict(zip(frame[ROW], mode, strict=True))).fillna("")
    existing = stored_respondents(session, audit.id)
    where = {
        "interview_id": codes_given or None,
        "tier": plan.special.get("tier"),
        "service_area": plan.special.get("service_area"),
        "date": time_header,
        "mode": plan.special.get("mode"),
    }
    reported = frozenset(
        f for f, p in (("tier", tier_problems), ("service_area", area_problems)) if p
    )
    checked, row_problems = validate_rows(
        rows,
        qs,
        areas,
        existing[["code", "tier", "service_area"]],
        file=name,
        where=where,
        defaults=Defaults(mode=mode_option(options.mode) or "survey", auditor=options.auditor),
        reported=reported,
    )
    problems += [_located(p, header_of) for p in row_problems]
    if problems:
        raise ImportError_(_sorted(problems))

    plan_ = plan_import(
        checked,
        _existing_interviews(session, audit.id).drop(columns=["tier", "service_area"]),
        _stored_answers(session, audit.id),
    )
    summary = _summary(name, tool, dry_run, len(table.frame), checked, plan_)
    result = SurveyImport(
        summary,
        tool.name,
        tuple(plan.dropped),
        tuple(plan.ignored),
        without_consent,
        consent_by_submitting="consent" not in plan.special,
        outside_fieldwork=outside,
        fieldwork=fieldwork_dates(audit.start_date, audit.end_date),
        erased_before=erased_before,
        found=found,
        free_text=free_text,
        names=options.names,
    )
    if dry_run:
        return result
    try:
        # A survey respondent answered the consent question with yes (or, where the form
        # asks none, consented by submitting), and a submitted survey is complete.
        write_plan(session, audit.id, plan_, actor=actor, consent_given=True, completed=True)
        mark_consented_and_complete(session, audit.id, set(codes) & set(existing["code"]))
        if keys is not None:
            remember_keys(session, audit.id, codes, keys, existing)
        repo.log_change(
            session,
            "import",
            "answers",
            name,
            actor=actor,
            audit_id=audit.id,
            detail={
                "format": tool.id,
                "answers": summary.answers_written,
                "dropped_columns": len(plan.dropped),
            },
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return result


def _answers(values: pd.Series, tool: SurveyTool) -> pd.Series:
    text = values.astype(str).str.strip()
    if tool.choice_separator:
        # Microsoft Forms ends each chosen option with ';': one option is one answer.
        text = text.str.replace(f"{tool.choice_separator}$", "", regex=True).str.strip()
    return text


def _summary(name, tool, dry_run, rows_read, checked, plan: ImportPlan) -> ImportSummary:
    """Counts from the import plan: an answer the file gives as it is stored is unchanged,
    not updated."""
    n_codes = int(checked["interview_id"].nunique())
    updated = len(plan.answer_updates)
    return ImportSummary(
        file=name,
        format=tool.id,
        dry_run=dry_run,
        rows_read=rows_read,
        interviews_created=len(plan.new_interviews),
        interviews_updated=n_codes - len(plan.new_interviews),
        answers_created=len(plan.new_answers),
        answers_updated=updated,
        answers_unchanged=plan.matched_answers - updated - len(plan.answer_deletes),
        changes=tuple(plan.changes),
    )


def _located(p: Problem, header_of: dict[str, str]) -> Problem:
    """A problem found in the canonical frame, pointed at the column as downloaded."""
    if p.column in header_of:
        return replace(p, column=header_of[p.column])
    return p


def _sorted(problems: list[Problem]) -> list[Problem]:
    """By row, then column; a line counting problems not listed (`Problem.more`) last."""
    return sorted(
        dict.fromkeys(problems),
        key=lambda p: (p.more > 0, p.row or 0, str(p.column or ""), p.message),
    )
