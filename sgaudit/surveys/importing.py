"""Import a survey export as downloaded: all of it, or nothing.

The export is recognised (`detect`), its personal columns dropped as it is read, its
columns placed (`matching`), its respondents keyed (`respondents`), and it is turned
into the canonical wide frame (one row per respondent: `interview_id`, `tier`,
`service_area`, one column per question id) that the answer-sheet validation and
write path consume. Every problem is reported with the row and the column of the
file as downloaded; nothing is written unless there are none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sgaudit.errors import ImportError_, Problem
from sgaudit.sheets.importer import ImportSummary, _existing_answers, _write
from sgaudit.sheets.layout import WideOptions, wide_layout
from sgaudit.sheets.matching import (
    area_lookup,
    key_series,
    match_key,
    mode_lookup,
    parse_bool,
    tier_lookup,
)
from sgaudit.sheets.reading import ROW, Table, read_records, table_from_records
from sgaudit.sheets.validate import Defaults, validate_rows
from sgaudit.store import repo
from sgaudit.store.models import Interview
from sgaudit.surveys.detect import PLAIN, SurveyTool, merge_two_header_rows, recognise
from sgaudit.surveys.maps import parse_value_map, read_column_map, write_column_map
from sgaudit.surveys.matching import ColumnPlan, plan_columns
from sgaudit.surveys.respondents import draw_codes, find_header, response_keys
from sgaudit.surveys.times import completion_dates
from sgaudit.surveys.versions import version_problems
from sgaudit.vocab import TIERS


@dataclass(frozen=True)
class SurveyImport:
    """What a survey import wrote (or would write), and what it recognised and dropped."""

    summary: ImportSummary
    tool: str
    dropped: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    without_consent: int = 0
    map_written: str | None = None

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
        if self.without_consent:
            lines.append(f"{self.without_consent} response(s) without consent were skipped.")
        if self.map_written:
            lines.append(
                f"Wrote a starter map to {self.map_written}: fill in maps_to for each column "
                "(a question id, tier, service_area, mode, consent or ignore), then import "
                "with --map. Nothing was imported."
            )
        else:
            lines.append(self.summary.message())
        return "\n".join(lines)


@dataclass(frozen=True)
class SurveyOptions:
    tier_column: str | None = None
    area_column: str | None = None
    tier: str | None = None
    area: str | None = None
    tier_map: str | None = None
    area_map: str | None = None
    column_map: str | Path | None = None
    write_map: str | Path | None = None
    mode: str | None = None
    auditor: str = ""
    ignore_columns: tuple[str, ...] = ()
    encoding: str | None = None


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
    if options.write_map:
        write_column_map(options.write_map, _map_rows(headers, plan))
        summary = ImportSummary(name, tool.id, True, len(frame), 0, 0, 0, 0)
        return SurveyImport(
            summary,
            tool.name,
            tuple(plan.dropped),
            tuple(plan.ignored),
            map_written=str(options.write_map),
        )

    problems: list[Problem] = list(table.problems) + plan.problems
    problems += version_problems(name, frame, tool, qs)
    keep, without_consent = _consented(frame, plan)
    frame = frame[keep]

    tier, tier_problems = _tiers(name, frame, plan, options)
    area, area_problems = _areas(name, frame, plan, options, areas)
    problems += tier_problems + area_problems
    codes_given = tool is PLAIN and find_header(headers, ("interview_id",))
    if codes_given:
        keys = None
        codes = frame[codes_given].astype(str).str.strip()
    else:
        keys, _, key_problems = response_keys(name, frame, tool)
        problems += key_problems
        codes = _codes(session, audit.id, keys, tier)

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
                )
            )
    mode = _modes(frame, plan)

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
    existing = _existing(session, audit.id)
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
        defaults=Defaults(mode=_mode_option(options.mode) or "survey", auditor=options.auditor),
        reported=reported,
    )
    problems += [_located(p, header_of) for p in row_problems]
    if problems:
        raise ImportError_(_sorted(problems))

    summary = _summary(session, audit.id, name, tool, dry_run, len(table.frame), checked, existing)
    result = SurveyImport(
        summary, tool.name, tuple(plan.dropped), tuple(plan.ignored), without_consent
    )
    if dry_run:
        return result
    try:
        _write(session, audit, checked, actor)
        if keys is not None:
            _remember_keys(session, audit.id, codes, keys, existing)
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


def _map_rows(headers: list[str], plan: ColumnPlan) -> list[tuple[str, str, str]]:
    special = {h: k for k, h in plan.special.items()}
    out = []
    for h in headers:
        if h in plan.dropped:
            continue  # personal: never written anywhere, not even its name's values
        if h in plan.questions:
            out.append((h, plan.questions[h], "matched"))
        elif h in special:
            out.append((h, special[h], "matched"))
        elif h in plan.ignored:
            out.append((h, "ignore", "survey metadata or --ignore-column"))
        elif h in plan.near:
            target, ratio = plan.near[h]
            out.append((h, "", f"nearest question: {target} ({ratio:.0%} alike)"))
        else:
            out.append((h, "", "fill in a question id, tier, service_area, mode or ignore"))
    return out


def _consented(frame: pd.DataFrame, plan: ColumnPlan) -> tuple[pd.Series, int]:
    header = plan.special.get("consent")
    if header is None:
        return pd.Series(True, index=frame.index), 0

    def agreed(v: str) -> bool:
        try:
            return parse_bool(v)
        except ValueError:
            return match_key(v) in ("i agree", "agree", "consent")

    keep = frame[header].astype(str).map(agreed).astype(bool)
    return keep, int((~keep).sum())


def _value_map(text: str | None, option: str) -> dict[str, str]:
    return {match_key(k): v for k, v in parse_value_map(text, option).items()}


def _mapped(
    file: str,
    values: pd.Series,
    rows_of: pd.Series,
    lookup: dict[str, str],
    user_map: dict[str, str],
    header: str,
    option: str,
    what: str,
    allowed: list[str],
) -> tuple[pd.Series, list[Problem]]:
    """Values of the tier or area column as ids; the unknown ones in one problem."""
    problems = []
    bad_targets = sorted({t for t in user_map.values() if match_key(t) not in lookup})
    if bad_targets:
        problems.append(
            Problem(
                file,
                None,
                None,
                (
                    f"{option}: {', '.join(repr(t) for t in bad_targets)} is not a {what}; expected "
                    f"one of {', '.join(allowed)}"
                ),
            )
        )
    keys = key_series(values)
    mapped = keys.map({k: lookup.get(match_key(v)) for k, v in user_map.items()}).astype(object)
    mapped = mapped.where(mapped.notna(), keys.map(lookup).astype(object))
    unknown = mapped.isna() & keys.ne("")
    if unknown.any():
        text = values.astype(str).str.strip()
        rows = rows_of[unknown].groupby(text[unknown], sort=False).agg(_row_list)
        found = ", ".join(f"'{v}' ({r})" for v, r in rows.items())
        example = ",".join(f"{v}={allowed[0]}" for v in list(rows.index)[:2])
        message = (
            f"these answers are not {what}s: {found}. Say which {what} each is with "
            f'{option} "{example}" ({what}s: {", ".join(allowed)})'
        )
        problems.append(Problem(file, None, header, message))
    return mapped.where(mapped.notna(), values.astype(str)), problems


def _row_list(rows: pd.Series) -> str:
    shown = ", ".join(str(r) for r in rows.iloc[:5]) + (" ..." if len(rows) > 5 else "")
    return ("row " if len(rows) == 1 else "rows ") + shown


def _tiers(file, frame, plan: ColumnPlan, options: SurveyOptions):
    header = plan.special.get("tier")
    if options.tier:
        if header:
            return frame[header].astype(str), [
                Problem(
                    file,
                    None,
                    None,
                    (f"give either --tier or a tier column ('{header}'), not both"),
                )
            ]
        fixed = tier_lookup().get(match_key(options.tier))
        if fixed is None:
            return pd.Series("", index=frame.index), [
                Problem(
                    file,
                    None,
                    None,
                    (f"--tier: unknown tier '{options.tier}'; expected one of {', '.join(TIERS)}"),
                )
            ]
        return pd.Series(fixed, index=frame.index), []
    if header is None:
        return pd.Series("", index=frame.index), [
            Problem(
                file,
                None,
                None,
                (
                    "which tier does each respondent belong to? Name the column holding it with "
                    "--tier-column COLUMN (and turn its answers into tiers with --tier-map "
                    '"Volunteer=front_line,..."), or give one tier for the whole file with --tier'
                ),
            )
        ]
    return _mapped(
        file,
        frame[header],
        frame[ROW],
        tier_lookup(),
        _value_map(options.tier_map, "--tier-map"),
        header,
        "--tier-map",
        "tier",
        list(TIERS),
    )


def _areas(file, frame, plan: ColumnPlan, options: SurveyOptions, areas: list[str]):
    header = plan.special.get("service_area")
    lookup = area_lookup(areas)
    if options.area:
        if header:
            return frame[header].astype(str), [
                Problem(
                    file,
                    None,
                    None,
                    (f"give either --area or a service area column ('{header}'), not both"),
                )
            ]
        fixed = lookup.get(match_key(options.area))
        if fixed is None:
            return pd.Series("", index=frame.index), [
                Problem(
                    file,
                    None,
                    None,
                    (
                        f"--area: unknown service area '{options.area}'; the organisation has "
                        f"{', '.join(areas)}"
                    ),
                )
            ]
        return pd.Series(fixed, index=frame.index), []
    if header is None:
        return pd.Series("", index=frame.index), [
            Problem(
                file,
                None,
                None,
                (
                    "which service area does each respondent belong to? Name the column holding it "
                    "with --area-column COLUMN (and turn its answers into areas with --area-map), or "
                    "give one service area for the whole file with --area"
                ),
            )
        ]
    return _mapped(
        file,
        frame[header],
        frame[ROW],
        lookup,
        _value_map(options.area_map, "--area-map"),
        header,
        "--area-map",
        "service area",
        areas,
    )


def _mode_option(mode: str | None) -> str | None:
    return mode_lookup().get(match_key(mode)) if mode and mode.strip() else None


def _modes(frame: pd.DataFrame, plan: ColumnPlan) -> pd.Series:
    header = plan.special.get("mode")
    if header is None:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[header].astype(str)


def _answers(values: pd.Series, tool: SurveyTool) -> pd.Series:
    text = values.astype(str).str.strip()
    if tool.choice_separator:
        # Microsoft Forms ends each chosen option with ';': one option is one answer.
        text = text.str.replace(f"{tool.choice_separator}$", "", regex=True).str.strip()
    return text


def _existing(session: Session, audit_id: int) -> pd.DataFrame:
    rows = session.execute(
        select(
            Interview.code, Interview.tier, Interview.service_area, Interview.response_key
        ).where(Interview.audit_id == audit_id)
    ).all()
    return pd.DataFrame(
        rows, columns=["code", "tier", "service_area", "response_key"], dtype=object
    )


def _codes(session: Session, audit_id: int, keys: pd.Series, tiers: pd.Series) -> pd.Series:
    """The code of each row: its interview's when the key was imported before, else new."""
    existing = _existing(session, audit_id)
    known = dict(zip(existing["response_key"], existing["code"], strict=True))
    codes = keys.map(known).astype(object)
    new = codes.isna()
    codes[new] = draw_codes(key_series(tiers[new]).map(tier_lookup()), set(existing["code"]))
    return codes


def _remember_keys(session, audit_id, codes: pd.Series, keys: pd.Series, existing) -> None:
    """Store each new respondent's response key on its interview (one bulk UPDATE)."""
    new = ~keys.isin(set(existing["response_key"].dropna()))
    key_of = dict(zip(codes[new], keys[new], strict=True))
    if not key_of:
        return
    ids = session.execute(
        select(Interview.id, Interview.code).where(
            Interview.audit_id == audit_id, Interview.code.in_(list(key_of))
        )
    ).all()
    session.execute(update(Interview), [{"id": i, "response_key": key_of[code]} for i, code in ids])


def _summary(session, audit_id, name, tool, dry_run, rows_read, checked, existing):
    known = set(existing["code"])
    answered = _existing_answers(session, audit_id)
    keys = set(zip(checked["interview_id"], checked["question_id"], strict=True))
    codes = list(dict.fromkeys(checked["interview_id"]))
    return ImportSummary(
        file=name,
        format=tool.id,
        dry_run=dry_run,
        rows_read=rows_read,
        interviews_created=sum(c not in known for c in codes),
        interviews_updated=sum(c in known for c in codes),
        answers_created=len(keys - answered),
        answers_updated=len(keys & answered),
    )


def _located(p: Problem, header_of: dict[str, str]) -> Problem:
    """A problem found in the canonical frame, pointed at the column as downloaded."""
    if p.column in header_of:
        return Problem(p.file, p.row, header_of[p.column], p.message)
    return p


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(
        dict.fromkeys(problems), key=lambda p: (p.row or 0, str(p.column or ""), p.message)
    )
